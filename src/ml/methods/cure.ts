/**
 * CURE: curvature regularisation (Moosavi-Dezfooli, Fawzi, Uesato & Frossard, CVPR 2019, arXiv 1811.09716;
 * reference/seed-methods.md §5). No official code exists; the `repo` variant follows the widely copied
 * reimplementation `F-Salehi/CURE_robustness`, `CURE/CURE.py:182-217`.
 *
 * ```
 * z_i = h · sign(∇ₓℓ_i(x_i)) / ‖sign(∇ₓℓ_i(x_i))‖₂        (constant; a zero gradient gives z_i = 0)
 * L   = mean_i CE_i + γ · mean_i ‖∇ₓℓ_i(x_i + z_i) − ∇ₓℓ_i(x_i)‖₂^p
 * ```
 * `‖∇ℓ(x+z) − ∇ℓ(x)‖ ≈ h·‖H z‖` is a finite-difference probe of the loss curvature along the FGSM direction; the
 * 1/h² is absorbed into γ, as in the paper. Both input gradients are differentiated with respect to the weights
 * (`inputGradCE` twice, seed-methods.md §0 pattern A); only z is detached.
 *
 * Variants: `paper` (default), p = 2, the paper's regulariser ‖Hz‖² (smooth at zero, the form the paper
 * states); `repo`, p = 1, the reimplementation's unsquared norm `λ·‖grad_diff_i‖₂` (its `Σ_i λ·reg_i / B`).
 *
 * Adaptations for 2D data in [−1, 1]² (seed-methods.md §5 "Demo spec"):
 * - h = √2·ε for L∞ balls, so that x + z is exactly the FGSM corner x + ε·sign(∇ℓ) of the ε-ball; h = ε for L2
 *   balls (z on the sphere of radius ε along the sign direction). The repo's h schedule for CIFAR rises over the
 *   first epochs ([0.1, 0.4, 0.8, 1.8, 3]); here h ramps linearly from 0.1·h to h over the first 20 % of training.
 * - A gradient with exactly one zero component (measure zero) gives z = ±h along the other axis, as the paper's
 *   normalisation says; for L∞ that point lies √2·ε out, not in the ball.
 * - x + z is clipped to the data box when the experiment clips (the repo does not clip).
 * - γ: default 0.01, not the reimplementation's `CURELearner(lambda_=4)`. The penalty is not unit-free:
 *   ‖∇ℓ(x+z) − ∇ℓ(x)‖ scales as 1/(input length), so γ (p = 2) has units of length², and input gradients of
 *   a net fitting 2D classes ~0.05–0.3 apart in [−1, 1]² are 10–400. Measured (2→64→64→2 ReLU, 400 points,
 *   Adam 1e-2, batch 64, L∞; train / test / PGD-20 test accuracy at ε):
 *     spiral ε = 0.01, 3 000 steps, paper: γ = 4 → 0.665 / 0.563 / 0.55 (collapses); γ = 0.1 → 0.955 / 0.93 / 0.93;
 *       γ = 0.01 → 1.00 / 0.99 / 0.98 (natural: 1.00 / 0.995).
 *     spiral ε = 0.03, 2 000 steps, paper: γ = 4 → 0.62 / 0.535 (3 000 steps); γ = 0.01 → 0.99 / 0.983 / 0.938
 *       (natural 0.928).
 *     moons ε = 0.1, 2 000 steps: paper γ = 4 → 0.81 / 0.80 / 0.72; γ = 0.1 → 0.93 / 0.94 / 0.85;
 *       γ = 0.01 → 0.978 / 0.983 / 0.908; repo γ = 0.01 → 0.995 / 0.995 / 0.945 (natural 1.00 / 1.00 / 0.90).
 *   The range reaches 10, so the repo's 4 can be shown collapsing the fit.
 * - Reduction: mean over the batch for both terms (the repo's CE is a mean and its penalty `Σ_i λ reg_i / B`).
 * - Dropout: the CE term uses this step's masks (train mode); z and both input gradients are computed without
 *   dropout, as the repo computes them under `net.eval()`.
 */
import * as tf from '@tensorflow/tfjs';
import { clipToBox } from '../ball.ts';
import { crossEntropy, inputGradCE } from '../losses.ts';
import type { Hyper, StepContext, TrainingMethod } from './types.ts';
import { CURE_GAMMA, CURE_INFO, CURE_VARIANTS } from './cure.info.ts';
import { hyperValue } from './shared.ts';
import { checkVariant, masksFromPrepared, masksToPrepared } from './shared.ts';

export { CURE_GAMMA } from './cure.info.ts';

/** Fraction of training over which h ramps up from 0.1·h to h. */
export const CURE_RAMP = 0.2;

/** The full step length h for the threat model: √2·ε for L∞ (the FGSM corner), ε for L2. */
export function cureFullH(eps: number, norm: StepContext['norm']): number {
  return norm === 'linf' ? Math.SQRT2 * eps : eps;
}

/** h at training progress `progress ∈ [0, 1)`: linear from 0.1·h to h over the first {@link CURE_RAMP}. */
export function cureH(eps: number, norm: StepContext['norm'], progress: number): number {
  const ramp = Math.min(1, Math.max(0, progress) / CURE_RAMP);
  return cureFullH(eps, norm) * (0.1 + 0.9 * ramp);
}

function exponent(variant: string): number {
  return variant === 'repo' ? 1 : 2;
}

export const cure: TrainingMethod = {
  ...CURE_INFO,
  prepare(model, batch, _hyper, ctx, variant) {
    checkVariant('CURE', CURE_VARIANTS, variant);
    const masks = ctx.dropout(batch.size);
    const xz = tf.tidy(() => {
      const { grad } = inputGradCE(model, batch.x, batch.yOneHot);
      const s = tf.sign(grad);
      // ‖sign(g)‖₂ is √(number of non-zero components); a zero gradient gives z = 0.
      const len = tf.sqrt(tf.sum(tf.square(s), 1, true));
      const z = tf.mul(tf.div(s, tf.maximum(len, 1)), cureH(ctx.eps, ctx.norm, ctx.progress));
      const p = tf.add<tf.Tensor2D>(batch.x, z);
      return ctx.box ? clipToBox(p, ctx.box) : p;
    });
    return { xz, ...masksToPrepared('mask', masks) };
  },
  loss(model, batch, prepared, hyper: Hyper, _ctx, variant) {
    const xz = prepared.xz as tf.Tensor2D;
    const masks = masksFromPrepared(prepared, 'mask', model.spec.hidden.length);
    const at = inputGradCE(model, batch.x, batch.yOneHot);
    const atZ = inputGradCE(model, xz, batch.yOneHot);
    const ce = masks ? crossEntropy(model.forward(batch.x, masks), batch.yOneHot) : at.ce;
    const sq = tf.sum(tf.square(tf.sub(atZ.grad, at.grad)), 1);
    // p = 1: the L2 norm with 1e-12 inside the sqrt (sqrt is second-order safe; its gradient is 0 at a zero diff).
    const reg = exponent(variant) === 2 ? sq : tf.sqrt(tf.add(sq, 1e-12));
    return tf.add<tf.Scalar>(tf.mean(ce), tf.mul(tf.mean(reg), hyperValue(hyper, CURE_GAMMA)));
  },
};
