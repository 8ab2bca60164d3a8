/**
 * The authors' two-spirals generator, reproduced draw for draw so that a seed gives the same points as their
 * notebook (reference/paper-algorithms.md §10, [D] `examples.ipynb` @ 6779b91, cell 4).
 */
import type { Rng } from '../rng.ts';
import type { LabelledPoints } from '../types.ts';

/** The largest angle of the spiral, 780° in radians (≈ 13.614), written as the notebook computes it. */
export const SPIRAL_MAX_ANGLE = (780 * (2 * Math.PI)) / 360;

/**
 * Two interleaved spirals, class 0 and its point reflection class 1:
 *
 * ```
 * n   = sqrt(rand(N,1)) · 780 · (2π/360)
 * d1x = −cos(n)·n + rand(N,1)·noise        (noise is Uniform[0, noise), not centred)
 * d1y =  sin(n)·n + rand(N,1)·noise
 * X = [[d1x, d1y]; [−d1x, −d1y]],  y = [0]·N + [1]·N
 * ```
 *
 * Draws from `rng` in numpy's order: all N angles, then all N x-noises, then all N y-noises, so
 * `twoSpirals(1000, 0.9, new Rng(0))` is the notebook's `twospirals(1000, 0.9)` (L∞ separation 0.7052).
 *
 * @param nPerClass points per class N (the total is 2N)
 * @param noise the width of the uniform noise, in raw units (the spiral spans about ±13.6)
 * @returns raw points `[2N, 2]`, class 0 first
 */
export function twoSpirals(nPerClass: number, noise: number, rng: Rng): LabelledPoints {
  if (!Number.isInteger(nPerClass) || nPerClass < 0) {
    throw new RangeError(`twoSpirals needs a whole number of points per class, got ${nPerClass}.`);
  }
  const n = nPerClass;
  const angle = new Float64Array(n);
  // numpy evaluates `sqrt(u) * 780 * (2*pi) / 360` left to right; keeping that order keeps the bits.
  for (let i = 0; i < n; i++) angle[i] = (Math.sqrt(rng.random()) * 780 * (2 * Math.PI)) / 360;
  const x = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const t = angle[i]!;
    x[2 * i] = -Math.cos(t) * t + rng.random() * noise;
  }
  for (let i = 0; i < n; i++) {
    const t = angle[i]!;
    x[2 * i + 1] = Math.sin(t) * t + rng.random() * noise;
  }
  for (let i = 0; i < 2 * n; i++) x[2 * n + i] = -x[i]!;
  const y = new Int32Array(2 * n);
  y.fill(1, n);
  return { x, y };
}
