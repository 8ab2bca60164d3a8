/** Bins of the per-point separation distances (the paper's separation histograms). Pure. */
import { bin } from 'd3-array';

export interface HistogramBin {
  readonly x0: number;
  readonly x1: number;
  readonly count: number;
}

/**
 * `bins` equal-width bins of the finite values over `[0, domainMax]` (default: the largest finite value). Values
 * beyond `domainMax` are left out; count them with {@link countBeyond}.
 */
export function separationHistogram(
  values: ArrayLike<number>,
  bins: number,
  domainMax?: number,
): HistogramBin[] {
  const finite: number[] = [];
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN;
    if (!Number.isFinite(v)) continue;
    finite.push(v);
    if (v > max) max = v;
  }
  let hi = domainMax ?? max;
  if (!(hi > 0)) hi = 1;
  const n = Math.max(1, Math.round(bins));
  const thresholds = Array.from({ length: n - 1 }, (_, i) => ((i + 1) * hi) / n);
  const binned = bin().domain([0, hi]).thresholds(thresholds)(finite.filter((v) => v >= 0));
  return binned.map((b) => ({ x0: b.x0 ?? 0, x1: b.x1 ?? hi, count: b.length }));
}

/** How many finite values exceed `max`. */
export function countBeyond(values: ArrayLike<number>, max: number): number {
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN;
    if (Number.isFinite(v) && v > max) c++;
  }
  return c;
}

/** The `q`-quantile (0…1) of the finite values, NaN when none is finite. */
export function finiteQuantile(values: ArrayLike<number>, q: number): number {
  const f: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN;
    if (Number.isFinite(v)) f.push(v);
  }
  if (!f.length) return NaN;
  f.sort((a, b) => a - b);
  const pos = (f.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const a = f[lo] ?? NaN;
  const b = f[Math.min(f.length - 1, lo + 1)] ?? a;
  return a + (b - a) * (pos - lo);
}
