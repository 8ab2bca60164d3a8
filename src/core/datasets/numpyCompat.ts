/**
 * The two numpy routines that sklearn's toy generators lean on, reproduced exactly so that a generator fed
 * `new Rng(seed)` returns the same points as sklearn with `random_state=seed` (up to the last-bit
 * differences between `Math.cos` and numpy's `cos`).
 */
import type { Rng } from '../rng.ts';

/**
 * `np.linspace(start, stop, num, endpoint)`: `start + i·step` with `step = (stop − start)/div`, and the last
 * value set to `stop` exactly when `endpoint` (numpy's own rounding, so moons and circles match sklearn).
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  if (div <= 0) {
    out.fill(start);
    return out;
  }
  const step = (stop - start) / div;
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/**
 * numpy's legacy `random_interval(max)`: a uniform integer in `[0, max]` by masked rejection on 32-bit
 * draws. Valid for `max < 2³²`, which covers every array this project shuffles.
 */
function randomInterval(max: number, rng: Rng): number {
  if (max === 0) return 0;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  mask >>>= 0;
  let value: number;
  do value = (rng.uint32() & mask) >>> 0;
  while (value > max);
  return value;
}

/**
 * The permutation that `RandomState.shuffle(np.arange(n))` produces (Fisher–Yates from the top, with
 * `random_interval`), which is what sklearn's `shuffle(X, y, random_state=rng)` applies to the rows.
 * This is not `Rng.permutation`, which draws differently.
 */
export function numpyShuffledIndices(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInterval(i, rng);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * sklearn's tail for moons and circles: reorder the rows by {@link numpyShuffledIndices}, then add
 * `N(0, noise²)` to every coordinate, drawn row-major (`generator.normal(scale=noise, size=X.shape)`).
 * `x` is `[n, 2]` row-major and is not modified.
 */
export function shuffleThenAddNoise(
  x: Float64Array,
  y: Int32Array,
  noise: number,
  rng: Rng,
): { x: Float64Array; y: Int32Array } {
  const n = y.length;
  const order = numpyShuffledIndices(n, rng);
  const xs = new Float64Array(2 * n);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i]!;
    xs[2 * i] = x[2 * k]!;
    xs[2 * i + 1] = x[2 * k + 1]!;
    ys[i] = y[k]!;
  }
  // sklearn skips the noise draw only when noise is None; 0 draws and adds zeros, which changes nothing here.
  if (noise > 0) for (let i = 0; i < 2 * n; i++) xs[i] = xs[i]! + noise * rng.normal();
  return { x: xs, y: ys };
}
