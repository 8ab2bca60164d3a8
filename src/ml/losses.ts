/**
 * Loss pieces shared by the training methods, attacks and metrics. Per-example quantities are `[B]` vectors;
 * reductions are explicit at the call site. All are first-order differentiable; none is ever differentiated
 * twice (second-order terms go through {@link inputGradCE}).
 */
import * as tf from '@tensorflow/tfjs';
import type { DropoutMasks, Mlp } from './model.ts';

/** Per-example cross-entropy `CE_i = logsumexp(z_i) − z_{i,y_i}`, `[B]`. */
export function crossEntropy(logits: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(yOneHot, tf.logSoftmax(logits)), 1));
}

/** Per-example `KL(p ‖ q)` with `p = softmax(zP)`, `q = softmax(zQ)`, `[B]`; the TRADES direction (p = clean). */
export function klDivergence(zP: tf.Tensor2D, zQ: tf.Tensor2D): tf.Tensor1D {
  const logP = tf.logSoftmax(zP);
  const logQ = tf.logSoftmax(zQ);
  return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1);
}

/**
 * Per-example margin `z_y − max_{c≠y} z_c`, `[B]`: positive iff the example is classified correctly.
 * Not meant to be differentiated twice (it uses `max`).
 */
export function margin(logits: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Tensor1D {
  const zy = tf.sum(tf.mul(logits, yOneHot), 1);
  // Push the true class far down so the max runs over the other classes only.
  const others = tf.max(tf.sub(logits, tf.mul(yOneHot, 1e9)), 1);
  return tf.sub(zy, others);
}

export interface CEWithInputGrad {
  readonly logits: tf.Tensor2D;
  /** Per-example cross-entropy, `[B]`. */
  readonly ce: tf.Tensor1D;
  /** Row i is `∇ₓ CE_i(x_i)`, `[B, 2]`, differentiable with respect to the weights. */
  readonly grad: tf.Tensor2D;
}

/**
 * The cross-entropy and its per-example input gradient through the explicit backward pass
 * (`∂CE_i/∂z = softmax(z_i) − y_i`, seed-methods.md §0 pattern A).
 */
export function inputGradCE(
  model: Mlp,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  masks?: DropoutMasks,
): CEWithInputGrad {
  const cache = model.forwardCache(x, masks);
  const ce = crossEntropy(cache.logits, yOneHot);
  const dLogits = tf.sub<tf.Tensor2D>(tf.softmax(cache.logits), yOneHot);
  const grad = model.backpropToInput(cache, dLogits, masks);
  return { logits: cache.logits, ce, grad };
}

/** Dual norm of the rows of `g` (`[B, 2]` → `[B]`): ‖·‖₁ for L∞ balls, ‖·‖₂ (with 1e-12 inside) for L2. */
export function dualNorm(g: tf.Tensor2D, norm: 'linf' | 'l2'): tf.Tensor1D {
  return norm === 'linf' ? tf.sum(tf.abs(g), 1) : tf.sqrt(tf.add(tf.sum(tf.square(g), 1), 1e-12));
}
