/**
 * Per-point probes for the views: the local slope ‖∇ₓ margin‖ and the exact robust radius of one point.
 */
import * as tf from '@tensorflow/tfjs';
import type { LabelledPoints, Norm } from '../core/types.ts';
import type { Classifier } from '../ml/classifier.ts';
import { exactRobustAccuracy, logitsOf } from '../ml/metrics.ts';

/** Bisection steps of the hover robust radius: the bracket shrinks 2¹⁴-fold. */
const RADIUS_BISECTIONS = 14;

export function marginOf(logits: Float32Array, label: number, nClasses: number): number {
  let other = -Infinity;
  for (let c = 0; c < nClasses; c++) if (c !== label) other = Math.max(other, logits[c]!);
  return logits[label]! - other;
}

/**
 * ‖∇ₓ margin‖ in the dual of `norm` (L1 for L∞ balls, L2 for L2) at each point: the local slope that a step of
 * size ε in the ball can exploit. The margin is z_y − max_{c≠y} z_c for a given label, else the top-two gap.
 */
export async function gradientNorms(
  model: Classifier,
  xy: Float32Array,
  nClasses: number,
  norm: Norm,
  label: number | null,
): Promise<Float32Array> {
  const m = xy.length / 2;
  const logits = await logitsOf(model, xy);
  const sel = new Float32Array(m * nClasses);
  for (let i = 0; i < m; i++) {
    const z = logits.subarray(i * nClasses, (i + 1) * nClasses);
    let a = 0;
    for (let c = 1; c < nClasses; c++) if (z[c]! > z[a]!) a = c;
    const top = label ?? a;
    let b = top === 0 ? 1 : 0;
    for (let c = 0; c < nClasses; c++) if (c !== top && z[c]! > z[b]!) b = c;
    sel[i * nClasses + top] = 1;
    sel[i * nClasses + b] = -1;
  }
  const out = tf.tidy(() => {
    const x = tf.tensor2d(xy, [m, 2]);
    const d = tf.tensor2d(sel, [m, nClasses]);
    const g = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(model.forward(p as tf.Tensor2D), d)))(x);
    return norm === 'linf' ? tf.sum(tf.abs(g), 1) : tf.sqrt(tf.sum(tf.square(g), 1));
  });
  const values = Float32Array.from(await out.data());
  out.dispose();
  return values;
}

/**
 * The point's robust radius: the largest ball the exact 2D search proves free of other classes, by bisection
 * on the radius. Misclassified points have radius 0.
 */
export async function robustRadius(
  model: Classifier,
  point: LabelledPoints,
  nClasses: number,
  norm: Norm,
  bound: number,
  cap: number,
  margin: number,
): Promise<{ radius: number; tolerance: number }> {
  if (!(margin > 0)) return { radius: 0, tolerance: 0 };
  const robustAt = async (r: number) =>
    (await exactRobustAccuracy(model, point, nClasses, r, norm, bound)).robust === 1;
  if (await robustAt(cap)) return { radius: cap, tolerance: 0 };
  let lo = 0;
  let hi = cap;
  for (let k = 0; k < RADIUS_BISECTIONS; k++) {
    const mid = (lo + hi) / 2;
    if (await robustAt(mid)) lo = mid;
    else hi = mid;
  }
  return { radius: (lo + hi) / 2, tolerance: (hi - lo) / 2 };
}
