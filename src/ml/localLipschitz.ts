/**
 * The paper's average local Lipschitz estimate (the "test lipschitz" column), paper-algorithms.md §6:
 *
 *   Lip = (1/n) Σ_i max_{x'_i ∈ B(x_i, ε)} ‖f(x_i) − f(x'_i)‖₁ / ‖x_i − x'_i‖
 *
 * with f the logits, the L1 norm over classes, and the attack's norm over inputs (the code adds 1e-6 to every
 * coordinate of x − x' before taking the norm; kept). The max is searched from x' = x + 0.001·N(0, I) by 10
 * sign steps. Two directions, both labelled wherever a number is shown:
 * - `repo`: exactly as lolip/utils.py `estimate_local_lip_v2` runs — it steps along +sign(∇(−ratio)), so it
 *   *descends*, and it returns the ratio at the last iterate. This reproduces the published procedure.
 * - `max`: the sign fixed to ascend, keeping the running maximum over all iterates: a lower bound of the max in
 *   the definition, and the value the definition asks for.
 * Adaptations for 2D data: the step scales with ε (default ε/10; the code's fixed 0.003 is tied to pixel units)
 * and the [0, 1] pixel clamp becomes the data box.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.ts';
import type { Box, LabelledPoints, Norm } from '../core/types.ts';
import { gaussianOffsets, projectToBall } from './ball.ts';
import type { Classifier } from './classifier.ts';

export type LipschitzDirection = 'repo' | 'max';
export const LIPSCHITZ_DIRECTIONS: readonly LipschitzDirection[] = ['repo', 'max'];

export interface LocalLipschitzOptions {
  readonly eps: number;
  readonly norm: Norm;
  readonly direction: LipschitzDirection;
  readonly box?: Box | null;
  /** Search steps (the code: 10). */
  readonly steps?: number;
  /** Absolute step size; default ε/10. */
  readonly stepSize?: number;
  readonly seed?: number;
}

export interface LocalLipschitzResult {
  /** The average over the points. */
  readonly mean: number;
  /** Each point's ratio. */
  readonly perPoint: Float64Array;
  /** A label for tables: direction, steps, step size. */
  readonly label: string;
}

export function describeLocalLipschitz(o: LocalLipschitzOptions): string {
  const steps = o.steps ?? 10;
  const dir =
    o.direction === 'repo'
      ? 'paper code: descending sign search, last iterate'
      : 'ascent, best iterate (lower bound)';
  return `local Lipschitz ‖Δf‖₁/‖Δx‖${o.norm === 'linf' ? '∞' : '₂'} in B(x, ε), ${steps} steps of ${
    o.stepSize === undefined ? 'ε/10' : o.stepSize
  } (${dir})`;
}

/** Per-point ratio ‖f(x) − f(x')‖₁ / ‖x − x' + 1e-6‖, `[B]`. */
function ratio(fx: tf.Tensor2D, fxp: tf.Tensor2D, x: tf.Tensor2D, xp: tf.Tensor2D, norm: Norm): tf.Tensor1D {
  const num = tf.sum(tf.abs(tf.sub(fx, fxp)), 1);
  const d = tf.add(tf.sub(x, xp), 1e-6);
  const den = norm === 'linf' ? tf.max(tf.abs(d), 1) : tf.sqrt(tf.sum(tf.square(d), 1));
  return tf.div(num, den);
}

export async function localLipschitz(
  model: Classifier,
  points: LabelledPoints,
  options: LocalLipschitzOptions,
): Promise<LocalLipschitzResult> {
  const n = points.y.length;
  const steps = options.steps ?? 10;
  const step = options.stepSize ?? options.eps / 10;
  const { eps, norm } = options;
  const box = options.box ?? null;
  const rng = new Rng(options.seed ?? 0);
  const sign = options.direction === 'repo' ? -1 : 1;
  const result = tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(points.x), [n, 2]);
    const fx = model.forward(x);
    let xp = projectToBall(tf.add(x, tf.tensor2d(gaussianOffsets(n, 0.001, rng), [n, 2])), x, eps, norm, box);
    const objective = (p: tf.Tensor) =>
      tf.sum(ratio(fx, model.forward(p as tf.Tensor2D), x, p as tf.Tensor2D, norm));
    let best = ratio(fx, model.forward(xp), x, xp, norm);
    for (let k = 0; k < steps; k++) {
      const g = tf.grad(objective)(xp) as tf.Tensor2D;
      const dir = norm === 'linf' ? tf.sign(g) : tf.div(g, tf.add(tf.norm(g, 2, 1, true), 1e-12));
      xp = projectToBall(tf.add(xp, tf.mul(sign * step, dir)), x, eps, norm, box);
      const r = ratio(fx, model.forward(xp), x, xp, norm);
      best = options.direction === 'max' ? tf.maximum(best, r) : r;
    }
    return best;
  });
  const perPoint = Float64Array.from(await result.data());
  result.dispose();
  const mean = perPoint.reduce((s, v) => s + v, 0) / Math.max(1, n);
  return { mean, perPoint, label: describeLocalLipschitz({ ...options, steps }) };
}
