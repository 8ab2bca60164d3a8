/**
 * The XOR quadrants, as in the TensorFlow Playground, with an optional empty band along the axes so that the
 * classes can be made `gap`-separated (the theorem's setting) without changing the task.
 */
import type { Rng } from '../rng.ts';
import type { LabelledPoints } from '../types.ts';

/**
 * `n` points uniform in [−1, 1]², label `(x > 0) xor (y > 0)`. With `gap > 0`, each coordinate `u` is mapped to
 * `sign(u)·(gap/2 + |u|·(1 − gap/2))`, which keeps it uniform on [−1, −gap/2] ∪ [gap/2, 1]; two points of
 * different labels then differ in sign in exactly one coordinate, so their distance is at least `gap` in both
 * L∞ and L2. Gaussian noise `N(0, noise²)` is added after labelling, so noise can carry points across the axes.
 *
 * Draws: the n positions row-major (x then y per point), then the 2n noises row-major when `noise > 0`.
 *
 * @param noise standard deviation of the position noise, raw units
 * @param gap width of the empty band around each axis, in [0, 1]
 * @returns raw points `[n, 2]`
 */
export function makeXor(n: number, noise: number, rng: Rng, gap = 0): LabelledPoints {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`makeXor needs a whole number of points, got ${n}.`);
  if (!(gap >= 0 && gap <= 1)) throw new RangeError(`makeXor needs a gap in [0, 1], got ${gap}.`);
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  const half = gap / 2;
  for (let i = 0; i < 2 * n; i++) {
    const u = rng.uniform(-1, 1);
    // u = 0 counts as negative, as the label rule `u > 0` does, so the band stays clear on both sides.
    x[i] = gap > 0 ? (u > 0 ? 1 : -1) * (half + Math.abs(u) * (1 - half)) : u;
  }
  for (let i = 0; i < n; i++) y[i] = x[2 * i]! > 0 !== x[2 * i + 1]! > 0 ? 1 : 0;
  if (noise > 0) for (let i = 0; i < 2 * n; i++) x[i] = x[i]! + noise * rng.normal();
  return { x, y };
}
