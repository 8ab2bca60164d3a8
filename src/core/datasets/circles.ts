/**
 * sklearn's `make_circles`, reproduced step for step: with `new Rng(seed)` it returns sklearn's
 * `make_circles(n, noise=σ, factor=f, random_state=seed)`. The default `factor` here is 0.5 (sklearn's is 0.8):
 * a wider gap shows the robustness story better.
 */
import type { Rng } from '../rng.ts';
import type { LabelledPoints } from '../types.ts';
import { linspace, shuffleThenAddNoise } from './numpyCompat.ts';

/**
 * A unit circle (label 0, `⌊n/2⌋` points) around a circle of radius `factor` (label 1, the rest), both at
 * evenly spaced angles `linspace(0, 2π, endpoint=False)`; then the rows are shuffled and `N(0, noise²)` is added
 * to every coordinate.
 *
 * @param n total number of points
 * @param noise standard deviation of the Gaussian noise, raw units
 * @param factor radius of the inner circle, in [0, 1)
 * @returns raw points `[n, 2]`
 */
export function makeCircles(n: number, noise: number, rng: Rng, factor = 0.5): LabelledPoints {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`makeCircles needs a whole number of points, got ${n}.`);
  if (!(factor >= 0 && factor < 1)) {
    throw new RangeError(`makeCircles needs an inner radius factor in [0, 1), got ${factor}.`);
  }
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const tOut = linspace(0, 2 * Math.PI, nOut, false);
  const tIn = linspace(0, 2 * Math.PI, nIn, false);
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    x[2 * i] = Math.cos(tOut[i]!);
    x[2 * i + 1] = Math.sin(tOut[i]!);
  }
  for (let i = 0; i < nIn; i++) {
    const k = nOut + i;
    x[2 * k] = Math.cos(tIn[i]!) * factor;
    x[2 * k + 1] = Math.sin(tIn[i]!) * factor;
    y[k] = 1;
  }
  return shuffleThenAddNoise(x, y, noise, rng);
}
