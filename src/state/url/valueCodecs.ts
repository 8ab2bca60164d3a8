/**
 * The value codecs of the URL scheme: for each kind of value a parameter holds (a whole number, a number in a
 * range, one name of a list, a list of names, an on/off flag), its zod schema, how its text reads into the
 * schema's input, why a text is rejected (for notices) and how a value writes back as the shortest readable text.
 * Also the small helpers every part of the codec shares: `num`, `readNumber`, `short` and `checked`. Plain data,
 * no other module of the URL scheme imported.
 */
import { z } from 'zod';
import type { ParamSpec } from '../../core/datasets/index.ts';
import { cut } from '../../core/formats/quote.ts';

export interface Codec<T> {
  readonly schema: z.ZodType<T>;
  /** The raw text as the schema's input (a number, a list …); anything the schema then rejects. */
  read(raw: string): unknown;
  /** Why `raw` was rejected, e.g. "outside 1–2000". */
  problem(raw: string): string;
  write(v: T): string;
}

// `\d+(\.\d*)?`, not `\d+\.?\d*`: the latter backtracks quadratically on a long run of digits (a 16 kB link).
export const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
export const INT_RE = /^[+-]?\d+$/;

/** `v` as the shortest text that reads back to the same double; −0 keeps its sign. */
export function num(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

export function readNumber(raw: string): number {
  return NUMBER_RE.test(raw) ? Number(raw) : NaN;
}

export function range(min: number, max: number): string {
  return `${num(min)}–${num(max)}`;
}

export function intSchema(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

export function intCodec(min: number, max: number): Codec<number> {
  return {
    schema: intSchema(min, max),
    read: readNumber,
    problem: (raw) =>
      !NUMBER_RE.test(raw)
        ? `not a number (use a whole number in ${range(min, max)})`
        : Number(raw) >= min && Number(raw) <= max
          ? `not a whole number`
          : `outside ${range(min, max)}`,
    write: num,
  };
}

/** A finite number in [min, max], or in (min, max] with `aboveMin`. */
export function numberSchema(min: number, max: number, aboveMin = false) {
  return aboveMin ? z.number().gt(min).max(max) : z.number().min(min).max(max);
}

export function numCodec(min: number, max: number, aboveMin = false): Codec<number> {
  return {
    schema: numberSchema(min, max, aboveMin),
    read: readNumber,
    problem: (raw) =>
      !NUMBER_RE.test(raw)
        ? `not a number (use one in ${range(min, max)})`
        : `outside ${aboveMin ? `${num(min)} (exclusive)–${num(max)}` : range(min, max)}`,
    write: num,
  };
}

export function enumCodec<T extends string>(values: readonly T[]): Codec<T> {
  return {
    schema: z.enum(values as unknown as [T, ...T[]]),
    read: (raw) => raw,
    problem: () => `not one of ${values.join(', ')}`,
    write: (v) => v,
  };
}

/** A comma-separated list of distinct names from `values` (empty: none). */
export function listCodec<T extends string>(values: readonly T[]): Codec<readonly T[]> {
  return {
    schema: z.array(z.enum(values as unknown as [T, ...T[]])).refine((a) => new Set(a).size === a.length),
    read: (raw) => (raw === '' ? [] : [...new Set(raw.split(','))]),
    problem: () => `not a comma-separated list of ${values.join(', ')}`,
    write: (v) => v.join(','),
  };
}

/** `embed`, `embed=1` or `embed=true` for true; `embed=0` or `embed=false` for false. */
export const FLAG: Codec<boolean> = {
  schema: z.boolean(),
  read: (raw) =>
    raw === '' || raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : raw,
  problem: () => 'not 1 or 0',
  write: (v) => (v ? '' : '0'),
};

/**
 * `s` cut to `max` characters, with an ellipsis when cut (for notices); control characters and bidi overrides,
 * which would hide or reorder the rest of the notice, shown as "�" (core/formats/quote.ts).
 */
export function short(s: string, max: number): string {
  return cut(s, max);
}

/** `raw` as a number the schema accepts, or `fallback` with a notice. */
export function checked(
  what: string,
  raw: string,
  schema: z.ZodType<number>,
  fallback: number,
  min: number,
  max: number,
  notices: string[],
): number {
  const r = schema.safeParse(readNumber(raw));
  if (r.success) return r.data;
  const why = !NUMBER_RE.test(raw)
    ? 'not a number'
    : Number(raw) >= min && Number(raw) <= max
      ? 'not a whole number'
      : `outside ${range(min, max)}`;
  notices.push(`${what} = ${short(raw, 24)}, ${why}; using ${num(fallback)}.`);
  return fallback;
}

/** The schema of a dataset parameter, from its range. */
export function paramSchema(p: ParamSpec) {
  return p.integer ? intSchema(p.min, p.max) : numberSchema(p.min, p.max);
}
