/**
 * The migrations of the URL scheme: `MIGRATIONS[k]` rewrites the parameters of a version-k link (`ParamMap`) into
 * version k + 1, so that a link made today still opens in later versions. Version 0 is a link without `v`, from
 * before the schema; a future version 2 adds `MIGRATIONS[1]` here.
 */

/** A link's parameters by name (each once), in the link's order. */
export type ParamMap = ReadonlyMap<string, string>;

/**
 * `MIGRATIONS[k]` rewrites a version-k link's parameters as version k + 1. Version 0 is a link without `v`,
 * from before the schema: its `backend`, `workers` and `epochs` mean the same in version 1.
 */
export const MIGRATIONS: Readonly<Record<number, (params: ParamMap) => ParamMap>> = {
  0: (params) => params,
};
