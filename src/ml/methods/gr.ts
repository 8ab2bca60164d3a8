/**
 * GR: input-gradient regularisation (reference/seed-methods.md §4; paper-algorithms.md §5).
 *
 * Two variants, both mean-reduced over the batch (the paper's code sums; with Adam the difference is only the
 * learning-rate scale):
 * - `l2sq` (default): `L = mean_i [ CE_i + (λ/2)·‖∇ₓCE_i‖₂² ]` — double backpropagation (Drucker & LeCun 1992;
 *   Ross & Doshi-Velez, AAAI 2018, `dtak/adversarial-robustness-public`, `neural_network.py`). It is also the
 *   h → 0 limit of the paper's GR ("TULIP", `lolip/models/torch_utils/tulip.py`: `Σℓ_i + (λ/2)Σ d_i²` with the
 *   finite-difference directional derivative `d_i`), computed here exactly instead of by a finite difference.
 *   Ross's code writes `λ·½Σ(∂ mean CE/∂X)²`, i.e. an effective weight `λ_Ross/(2B)` on `mean_i ‖∇ₓCE_i‖²`; λ here
 *   is per example, with no hidden 1/B.
 * - `dual`: `L = mean_i [ CE_i + ε·‖∇ₓCE_i‖_* ]`, the first-order Taylor bound on the worst-case loss in the
 *   ε-ball, `max_{‖δ‖≤ε} CE(x+δ) ≈ CE(x) + ε‖∇ₓCE(x)‖_*`, with the dual norm ‖·‖₁ for L∞ balls and ‖·‖₂ (+1e-12
 *   inside the sqrt) for L2 balls. Nothing to tune: ε is the threat model's. λ is ignored.
 *
 * Scale of λ (l2sq). λ has units of length² (input units): `(λ/2)‖∇CE‖²` is the quadratic upper bound on the
 * first-order worst-case loss increase, `ε‖g‖ ≤ (λ/2)‖g‖² + ε²/(2λ)`, tightest where `‖g‖ = ε/λ`. Images in
 * [0, 1]^784 and 2D points in [−1, 1]² therefore need different λ. A net that separates spiral arms ~0.05 apart
 * in [−1, 1]² has ‖∇ₓ margin‖ of 100–400 (natural training), so the sources' λ = 1 is far too strong here.
 * Measured (2→64→64→2 ReLU, spiral of 400 points, Adam 1e-2, batch 64, 3 000 steps, seed 0; mean / max
 * ‖∇ₓ(z₁ − z₀)‖₂ on a 101² grid of [−1, 1]²; train / test accuracy):
 *   natural 175 / 378, 1.00 / 0.995;  λ = 1e-3: 80 / 165, 1.00 / 0.995;  λ = 0.01: 48 / 90, 0.995 / 0.978;
 *   λ = 0.03: 41 / 78, 0.958 / 0.948;  λ = 0.1: 2 / 5, 0.76 / 0.65;  λ = 1: 0.2 / 0.3, 0.62 / 0.52 (underfits).
 *   On moons (noise 0.1): natural 128 / 258; λ = 0.01: 92 / 199, 1.00 / 0.998; λ = 0.1: 35 / 86, 1.00 / 1.00;
 *   λ = 1: 0.8 / 0.9, 0.84 / 0.83.
 * Default λ = 0.01: still fits the spiral, with a 3.7× smaller mean input gradient; range 1e-4 (no visible effect)
 * to 1 (the sources' value, which flattens the net into underfitting).
 *
 * Second order: the penalty's weight gradient needs ∂(∇ₓCE)/∂θ; `inputGradCE` provides ∇ₓCE through the
 * hand-written backward pass, so `tf.variableGrads` stays first order (seed-methods.md §0, pattern A).
 *
 * Dropout: one mask set per step, shared by the CE and its input gradient (train mode, as torch's double
 * backprop through a train-mode forward would do).
 */
import * as tf from '@tensorflow/tfjs';
import { dualNorm, inputGradCE } from '../losses.ts';
import { checkVariant, hyperValue, masksFromPrepared, masksToPrepared } from './shared.ts';
import type { TrainingMethod } from './types.ts';
import { GR_INFO, GR_LAMBDA, GR_VARIANTS } from './gr.info.ts';

export { GR_LAMBDA } from './gr.info.ts';

export const gr: TrainingMethod = {
  ...GR_INFO,
  prepare(model, batch, _hyper, ctx, variant) {
    checkVariant('GR', GR_VARIANTS, variant);
    return masksToPrepared('mask', ctx.dropout(batch.size));
  },
  loss(model, batch, prepared, hyper, ctx, variant) {
    const masks = masksFromPrepared(prepared, 'mask', model.spec.hidden.length);
    const { ce, grad } = inputGradCE(model, batch.x, batch.yOneHot, masks);
    const penalty =
      variant === 'dual'
        ? tf.mul(dualNorm(grad, ctx.norm), ctx.eps)
        : tf.mul(tf.sum(tf.square(grad), 1), hyperValue(hyper, GR_LAMBDA) / 2);
    return tf.mean(tf.add(ce, penalty));
  },
};
