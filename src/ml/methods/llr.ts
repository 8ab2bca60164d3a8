/**
 * LLR: local linearity regularisation (Qin et al., NeurIPS 2019, arXiv 1907.02610), in two clearly separate
 * variants (reference/seed-methods.md §6, paper-algorithms.md §4).
 *
 * `qin` (default) — "LLR (Qin et al. 2019, as intended)":
 * ```
 * γ_i(δ) = | ℓ_i(x_i+δ) − ℓ_i(x_i) − δᵀ∇ₓℓ_i(x_i) |                      (ℓ = per-example CE)
 * δ_i    = argmax_{‖δ‖≤ε} γ_i(δ): random start U(ball), K ascent steps of ε/4 (sign for L∞, normalised
 *          gradient for L2), ∇ℓ(x) held constant, projected on the ball and the data box after each step
 * L      = mean_i [ ℓ_i(x_i) + λ·γ_i(δ_i) + μ·|δ_iᵀ∇ₓℓ_i(x_i)| ]        with ∇ₓℓ_i(x_i) differentiable (inputGradCE)
 * ```
 * Source: the paper's definitions and DeepMind's TF1 `local_linearity` (regularizers.py): per-example one-hot CE,
 * attack on |g| only with stop-gradient ∇ℓ (no μ term in the attack), loss with gradient through ℓ(x+δ), ℓ(x) and
 * ∇ℓ(x). Adapted: DeepMind's optimiser (Adam lr 0.1 on images) is replaced by sign steps of ε/4 (scale-free);
 * λ = 4 is the paper's CIFAR value as recorded in lolip `params.py`; μ defaults to 0.3, not the paper's 3 (see the
 * caution below); K = 5 keeps LLR cheap.
 *
 * `repo` — "LLR as the paper's code ran it" (lolip `lolip/models/torch_utils/llr.py`, called with 2 steps of eps/2):
 * the code's input gradient `mg` aliases `x.grad` and is zeroed (`x.grad.zero_()`), its `−ℓ(x)` term is commented
 * out, so γ collapses to CE(x+δ) and the μ term to 0. What it computes is
 * ```
 * δ⁰ = 0.001·N(0, I);  2 × [ δ ← δ + (ε/2)·∇/‖∇‖_p  (∇ = ∇_δ CE(x+δ); a N(0, I) step where ∇ = 0);
 *                            x+δ clipped to the box;  δ rescaled as a whole to norm ε when ‖δ‖_p > ε (renorm) ]
 * L  = mean_i CE_i(x_i) + λ · mean_i CE_i(x_i + δ_i)                      (μ-term ≡ 0)
 * ```
 * with p = ∞ for L∞ (the step's largest |component| is ε/2; not the sign) and p = 2 for L2; the renorm radius is
 * ε less ball.ts's float32 guard (torch's `renorm_` uses maxnorm/(‖δ‖ + 1e-7)). The attack runs in
 * eval mode (no dropout), as the code's `model.eval()`; the outer loss in train mode with independent masks for
 * the two forward passes, as two separate calls of a train-mode torch model draw. The `steps` and `mu`
 * hyperparameters do not apply to `repo`.
 *
 * Caution, measured (2→64→64→2 ReLU, 400 points, Adam 1e-2, batch 64, L∞; train / test accuracy): λ, μ are
 * unit-free (both terms are loss differences), but μ·|δᵀ∇ℓ| ≈ μ·ε‖∇ℓ‖₁ makes a constant classifier a strong
 * local minimum once ε is not small against the class spacing. `qin` at λ = 4, μ = 3: moons ε = 0.1 (2 000 steps)
 * → 0.50 / 0.50 (constant, loss ln 2); spiral (3 000 steps) ε = 0.03 → 0.60 / 0.52, ε = 0.01 → 0.89 / 0.87. On moons
 * ε = 0.1, μ = 0 gives 0.975 / 0.978 and λ = 1, μ = 0.3 gives 0.995 / 0.998; `repo` (λ = 4) 0.995 / 0.998.
 *
 * Both: mean over the batch (the paper's code uses the sum; `sllrce`). `qin`'s attack and loss use one mask set
 * per step, so that γ measures the linearity of the one function being trained.
 */
import * as tf from '@tensorflow/tfjs';
import {
  ascentDirection,
  clipToBox,
  gaussianOffsets,
  projectionRadius,
  projectToBall,
  randomBallOffsets,
} from '../ball.ts';
import { crossEntropy, inputGradCE } from '../losses.ts';
import type { Mlp } from '../model.ts';
import { hyperValue } from './shared.ts';
import { checkVariant, masksFromPrepared, masksToPrepared } from './shared.ts';
import type { Batch, Prepared, StepContext, TrainingMethod } from './types.ts';
import { LLR_INFO, LLR_LAMBDA, LLR_MU, LLR_STEPS, LLR_VARIANTS } from './llr.info.ts';

export { LLR_LAMBDA, LLR_MU, LLR_STEPS } from './llr.info.ts';

/** The code's inner loop: `perturb_steps=2`, `step_size=epsilon/2` (lolip torch_model.py). */
export const LLR_REPO_STEPS = 2;

/** K sign-ascent steps on γ_i(δ) with ∇ℓ(x) constant, from a uniform random start in the ball. `[B, 2]`. */
export function llrQinAttack(
  model: Mlp,
  batch: Batch,
  ctx: StepContext,
  steps: number,
  masks?: readonly tf.Tensor2D[],
): tf.Tensor2D {
  return tf.tidy(() => {
    const start = tf.tensor2d(randomBallOffsets(batch.size, ctx.eps, ctx.norm, ctx.rng), [batch.size, 2]);
    const clean = inputGradCE(model, batch.x, batch.yOneHot, masks);
    let xAdv = projectToBall(tf.add<tf.Tensor2D>(batch.x, start), batch.x, ctx.eps, ctx.norm, ctx.box);
    for (let k = 0; k < steps; k++) {
      const next = tf.tidy(() => {
        const delta = tf.sub(xAdv, batch.x);
        const at = inputGradCE(model, xAdv, batch.yOneHot, masks);
        const inner = tf.sub(tf.sub(at.ce, clean.ce), tf.sum(tf.mul(delta, clean.grad), 1));
        // ∇_δ |u| = sign(u)·(∇ℓ(x+δ) − ∇ℓ(x)), with ∇ℓ(x) held constant.
        const dGamma = tf.mul<tf.Tensor2D>(tf.expandDims(tf.sign(inner), 1), tf.sub(at.grad, clean.grad));
        const step = tf.mul(ascentDirection(dGamma, ctx.norm), ctx.eps / 4);
        return projectToBall(tf.add<tf.Tensor2D>(xAdv, step), batch.x, ctx.eps, ctx.norm, ctx.box);
      });
      xAdv.dispose();
      xAdv = next;
    }
    return xAdv;
  });
}

/**
 * The lolip code's 2-step attack on CE(x+δ) (llr.py:37-61): normalised-gradient steps of ε/2, a N(0, I) step
 * where the gradient is 0, box clip, then the whole δ rescaled to norm ε when longer (`renorm`). `[B, 2]`.
 */
export function llrRepoAttack(model: Mlp, batch: Batch, ctx: StepContext): tf.Tensor2D {
  const n = batch.size;
  return tf.tidy(() => {
    // Draw order (for replays): the 0.001·N(0, I) start, then one N(0, I) matrix per step, used where ∇ = 0.
    let delta = tf.tensor2d(gaussianOffsets(n, 0.001, ctx.rng), [n, 2]);
    const noise = Array.from({ length: LLR_REPO_STEPS }, () =>
      tf.tensor2d(gaussianOffsets(n, 1, ctx.rng), [n, 2]),
    );
    for (let k = 0; k < LLR_REPO_STEPS; k++) {
      const { grad } = inputGradCE(model, tf.add<tf.Tensor2D>(batch.x, delta), batch.yOneHot);
      const len = lpNorm(grad, ctx.norm);
      const isZero = tf.cast(tf.equal(len, 0), 'float32');
      const dir = tf.add(
        tf.mul(tf.div(grad, tf.add(len, isZero)), tf.sub(1, isZero)),
        tf.mul(noise[k]!, isZero),
      );
      let xAdv = tf.add<tf.Tensor2D>(tf.add(batch.x, delta), tf.mul(dir, ctx.eps / 2));
      if (ctx.box) xAdv = clipToBox(xAdv, ctx.box);
      delta = tf.sub(xAdv, batch.x);
      const dLen = lpNorm(delta, ctx.norm);
      const r = projectionRadius(ctx.eps);
      delta = tf.mul(delta, tf.minimum(1, tf.div(r, tf.maximum(dLen, 1e-30))));
    }
    return tf.add<tf.Tensor2D>(batch.x, delta);
  });
}

/** Row norms `[B, 1]`: max |·| for L∞, ‖·‖₂ for L2 (not differentiated). */
function lpNorm(v: tf.Tensor2D, norm: StepContext['norm']): tf.Tensor2D {
  return norm === 'linf' ? tf.max(tf.abs(v), 1, true) : tf.sqrt(tf.sum(tf.square(v), 1, true));
}

function stepCount(hyper: Readonly<Record<string, number>>): number {
  return Math.max(0, Math.round(hyperValue(hyper, LLR_STEPS)));
}

export const llr: TrainingMethod = {
  ...LLR_INFO,
  prepare(model, batch, hyper, ctx, variant): Prepared {
    checkVariant('LLR', LLR_VARIANTS, variant);
    if (variant === 'repo') {
      const xAdv = llrRepoAttack(model, batch, ctx);
      return {
        xAdv,
        ...masksToPrepared('maskClean', ctx.dropout(batch.size)),
        ...masksToPrepared('maskAdv', ctx.dropout(batch.size)),
      };
    }
    const masks = ctx.dropout(batch.size);
    const xAdv = llrQinAttack(model, batch, ctx, stepCount(hyper), masks);
    return { xAdv, ...masksToPrepared('mask', masks) };
  },
  loss(model, batch, prepared, hyper, _ctx, variant) {
    const xAdv = prepared.xAdv as tf.Tensor2D;
    const nHidden = model.spec.hidden.length;
    const lambda = hyperValue(hyper, LLR_LAMBDA);
    if (variant === 'repo') {
      const ceClean = crossEntropy(
        model.forward(batch.x, masksFromPrepared(prepared, 'maskClean', nHidden)),
        batch.yOneHot,
      );
      const ceAdv = crossEntropy(
        model.forward(xAdv, masksFromPrepared(prepared, 'maskAdv', nHidden)),
        batch.yOneHot,
      );
      return tf.add<tf.Scalar>(tf.mean(ceClean), tf.mul(tf.mean(ceAdv), lambda));
    }
    const masks = masksFromPrepared(prepared, 'mask', nHidden);
    const clean = inputGradCE(model, batch.x, batch.yOneHot, masks);
    const ceAdv = crossEntropy(model.forward(xAdv, masks), batch.yOneHot);
    const linear = tf.sum(tf.mul(tf.sub(xAdv, batch.x), clean.grad), 1);
    const gamma = tf.abs(tf.sub(tf.sub(ceAdv, clean.ce), linear));
    const perExample = tf.add(
      tf.add(clean.ce, tf.mul(gamma, lambda)),
      tf.mul(tf.abs(linear), hyperValue(hyper, LLR_MU)),
    );
    return tf.mean(perExample);
  },
};
