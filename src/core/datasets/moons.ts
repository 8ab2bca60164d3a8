/**
 * sklearn's `make_moons`, reproduced step for step (reference/paper-algorithms.md §10): with `new Rng(seed)`
 * it returns sklearn's `make_moons(n, noise=σ, random_state=seed)`, since `Rng` is numpy's MT19937.
 */
import type { Rng } from '../rng.ts';
import type { LabelledPoints } from '../types.ts';
import { linspace, shuffleThenAddNoise } from './numpyCompat.ts';

/**
 * Two interleaving half circles: `n_out = ⌊n/2⌋` outer points `(cos t, sin t)` with label 0 and
 * `n_in = n − n_out` inner points `(1 − cos t, 1 − sin t − 0.5)` with label 1, `t = linspace(0, π)`;
 * then the rows are shuffled and `N(0, noise²)` is added to every coordinate.
 *
 * @param n total number of points
 * @param noise standard deviation of the Gaussian noise, raw units (the moons span [−1, 2] × [−0.5, 1])
 * @returns raw points `[n, 2]`
 */
export function makeMoons(n: number, noise: number, rng: Rng): LabelledPoints {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`makeMoons needs a whole number of points, got ${n}.`);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const tOut = linspace(0, Math.PI, nOut);
  const tIn = linspace(0, Math.PI, nIn);
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    x[2 * i] = Math.cos(tOut[i]!);
    x[2 * i + 1] = Math.sin(tOut[i]!);
  }
  for (let i = 0; i < nIn; i++) {
    const k = nOut + i;
    x[2 * k] = 1 - Math.cos(tIn[i]!);
    x[2 * k + 1] = 1 - Math.sin(tIn[i]!) - 0.5;
    y[k] = 1;
  }
  return shuffleThenAddNoise(x, y, noise, rng);
}
