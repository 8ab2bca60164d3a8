/**
 * A method as the user names it: an id plus optional settings, written `id[:key=value…]`, e.g. `trades:beta=3`,
 * `llr:variant=repo`, `at:dropout=0.5`. `dropout` applies to any method (the paper's v3 finding).
 * `nn` is the theorem's 1-NN construction, which is built, not trained (`r` sets its radius).
 */
import { METHODS } from '../ml/methods/index.ts';
import { defaultFor, type Hyper, type TrainingMethod } from '../ml/methods/types.ts';

export const NN_ID = 'nn';

export interface MethodSpec {
  /** The method id, or `nn`. */
  readonly id: string;
  readonly hyper: Hyper;
  readonly variant: string;
  readonly dropout: number;
  /** For `nn`: the radius r (undefined = half the measured separation). */
  readonly r?: number;
  /** A short label, unique within an experiment when settings differ, e.g. "TRADES (β = 3)". */
  readonly label: string;
  /** A file-name-safe key, e.g. "trades-beta3". */
  readonly key: string;
}

export class MethodSpecError extends Error {
  override readonly name = 'MethodSpecError';
}

export function methodIds(): string[] {
  return [...Object.keys(METHODS), NN_ID];
}

/** Parse one `id[:key=value…]`; throws a MethodSpecError that names the allowed values. */
export function parseMethodSpec(text: string): MethodSpec {
  const [id = '', ...settings] = text.trim().split(':');
  const kv = new Map<string, string>();
  for (const s of settings) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(s);
    if (!m) throw new MethodSpecError(`"${s}" in method "${text}" is not key=value (e.g. trades:beta=3).`);
    kv.set(m[1]!, m[2]!);
  }
  if (id === NN_ID) return nnSpec(text, kv);
  const method = METHODS[id];
  if (!method) throw new MethodSpecError(`Unknown method "${id}". Allowed: ${methodIds().join(', ')}.`);
  const dropout = takeNumber(kv, 'dropout', 0, 0, 0.95, text);
  const variants = method.variants?.map((v) => v.id) ?? [];
  const variant = kv.get('variant') ?? variants[0] ?? '';
  kv.delete('variant');
  if (variants.length > 0 && !variants.includes(variant)) {
    throw new MethodSpecError(`Method ${id} has no variant "${variant}". Allowed: ${variants.join(', ')}.`);
  }
  const hyper: Record<string, number> = {};
  for (const h of method.hyper)
    hyper[h.key] = takeNumber(kv, h.key, defaultFor(h, variant), h.min, h.max, text);
  if (kv.size > 0) {
    const allowed = ['variant', 'dropout', ...method.hyper.map((h) => h.key)].join(', ');
    throw new MethodSpecError(`Method ${id} has no setting "${[...kv.keys()][0]}". Allowed: ${allowed}.`);
  }
  return { id, hyper, variant, dropout, ...labels(method, hyper, variant, dropout) };
}

function nnSpec(text: string, kv: Map<string, string>): MethodSpec {
  const r = kv.has('r') ? takeNumber(kv, 'r', 0, 1e-9, 1e9, text) : undefined;
  if (kv.size > 0) throw new MethodSpecError(`Method nn has no setting "${[...kv.keys()][0]}". Allowed: r.`);
  return {
    id: NN_ID,
    hyper: r === undefined ? {} : { r },
    variant: '',
    dropout: 0,
    r,
    label: r === undefined ? '1-NN construction' : `1-NN construction (r = ${r})`,
    key: r === undefined ? 'nn' : `nn-r${r}`,
  };
}

function takeNumber(
  kv: Map<string, string>,
  key: string,
  dflt: number,
  min: number,
  max: number,
  text: string,
): number {
  const raw = kv.get(key);
  kv.delete(key);
  if (raw === undefined) return dflt;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new MethodSpecError(
      `${key}=${raw} in "${text}" is out of range: use a number from ${min} to ${max}.`,
    );
  }
  return v;
}

function labels(method: TrainingMethod, hyper: Hyper, variant: string, dropout: number) {
  const changed = method.hyper.filter((h) => hyper[h.key] !== defaultFor(h, variant));
  const shown = method.hyper.filter(
    (h) => h.key === method.hyper[0]?.key || hyper[h.key] !== defaultFor(h, variant),
  );
  const parts = shown.map((h) => `${h.label} = ${hyper[h.key]}`);
  const variantLabel = method.variants && variant !== method.variants[0]?.id ? variant : '';
  if (variantLabel) parts.unshift(variantLabel);
  if (dropout > 0) parts.push(`dropout ${dropout}`);
  const label = parts.length > 0 ? `${method.name} (${parts.join(', ')})` : method.name;
  const keyParts = [method.id, variantLabel, ...changed.map((h) => `${h.key}${hyper[h.key]}`)];
  if (dropout > 0) keyParts.push(`drop${dropout}`);
  const key = keyParts
    .filter(Boolean)
    .join('-')
    .replace(/[^A-Za-z0-9.-]/g, '_');
  return { label, key };
}
