/**
 * Command-line flags as one table: name, default, allowed values and help. `--help` is generated from it and
 * every bad value gets a one-line message naming what is allowed.
 */
export interface FlagSpec<T> {
  readonly name: string;
  readonly help: string;
  readonly default: T;
  /** Text for the default in --help (when it is not just String(default)). */
  readonly defaultText?: string;
  /** Parse a raw value; throw a FlagError with the allowed values when it is bad. */
  readonly parse: (raw: string) => T;
}

export class FlagError extends Error {
  override readonly name = 'FlagError';
}

export function choice<T extends string>(name: string, allowed: readonly T[]) {
  return (raw: string): T => {
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    throw new FlagError(`--${name} must be one of ${allowed.join(', ')}; got "${raw}".`);
  };
}

export function number(name: string, min: number, max: number, integer = false) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      const kind = integer ? 'an integer' : 'a number';
      throw new FlagError(`--${name} must be ${kind} from ${min} to ${max}; got "${raw}".`);
    }
    return v;
  };
}

export function bool(name: string) {
  return (raw: string): boolean => {
    if (raw === 'true' || raw === 'on' || raw === 'yes') return true;
    if (raw === 'false' || raw === 'off' || raw === 'no') return false;
    throw new FlagError(`--${name} must be true or false; got "${raw}".`);
  };
}

type Specs = Record<string, FlagSpec<unknown>>;
export type Parsed<S extends Specs> = { [K in keyof S]: S[K] extends FlagSpec<infer T> ? T : never };

/** Parse `--name value` / `--name=value` pairs (and `--help`); unknown flags are errors. */
export function parseFlags<S extends Specs>(specs: S, argv: readonly string[]): Parsed<S> | 'help' {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) out[key] = spec.default;
  const byName = new Map(Object.entries(specs).map(([key, spec]) => [spec.name, { key, spec }]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--'))
      throw new FlagError(`Unexpected argument "${arg}"; flags look like --name value.`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const entry = byName.get(name);
    if (!entry) {
      throw new FlagError(
        `Unknown flag --${name}. Allowed: ${[...byName.keys()].map((n) => `--${n}`).join(', ')}.`,
      );
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new FlagError(`--${name} needs a value.`);
    out[entry.key] = entry.spec.parse(raw);
  }
  return out as Parsed<S>;
}

export function helpText(usage: string, specs: Specs): string {
  const rows = Object.values(specs).map(
    (s) => [`--${s.name}`, s.defaultText ?? String(s.default), s.help] as const,
  );
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length), 'default'.length);
  const lines = rows.map(([n, d, h]) => `  ${n.padEnd(w0)}  ${d.padEnd(w1)}  ${h}`);
  return [usage, '', `  ${'flag'.padEnd(w0)}  ${'default'.padEnd(w1)}  meaning`, ...lines, ''].join('\n');
}
