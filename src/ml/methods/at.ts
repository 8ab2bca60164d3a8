/**
 * AT, Madry et al.'s PGD adversarial training: `L = mean_i CE(f(x_adv,i), y_i)`, no clean term, where
 * `x_adv = PGD_K(x)` with α = ε/5, a uniform random start in the ball, CE with the true labels, no restarts.
 *
 * Source: Yang et al., NeurIPS 2020, code `lolip/models/torch_model.py:223-232` ("advce"), the attack
 * `lolip/attacks/torch/projected_gradient_descent.py:92-204` with `nb_iter=10, eps_iter=eps/5`
 * (reference/paper-algorithms.md §2). The code attacks in `model.train()`, so with dropout each attack forward
 * pass draws a fresh mask, and so does the loss's forward pass.
 * Adaptations: mean instead of the code's sum over the batch (the same under Adam up to its ε; under SGD it
 * divides the learning rate by B); the [0, 1] clamps become the optional data box; L2 uses normalised-gradient
 * steps (torchattacks PGDL2), which no paper table uses.
 */
import * as tf from '@tensorflow/tfjs';
import { pgd, TRAIN_PGD } from '../attacks.ts';
import { crossEntropy } from '../losses.ts';
import type { Mlp } from '../model.ts';
import type { Batch, Hyper, StepContext, TrainingMethod } from './types.ts';
import { AT_INFO, STEP_FRAC_HYPER, STEPS_HYPER } from './at.info.ts';
import { hyperValue } from './shared.ts';

export { STEP_FRAC_HYPER, STEPS_HYPER } from './at.info.ts';

/**
 * The training attack shared by AT and RST: PGD in train mode (a fresh dropout mask per forward pass).
 * Returns `x_adv` `[B, 2]`, a constant for the loss.
 */
export function trainingAttack(model: Mlp, batch: Batch, hyper: Hyper, ctx: StepContext): tf.Tensor2D {
  const { xAdv } = pgd(model, batch.x, batch.yOneHot, {
    ...TRAIN_PGD(ctx.eps),
    eps: ctx.eps,
    norm: ctx.norm,
    steps: Math.round(hyperValue(hyper, STEPS_HYPER)),
    stepSize: hyperValue(hyper, STEP_FRAC_HYPER) * ctx.eps,
    box: ctx.box,
    rng: ctx.rng,
    masks: () => ctx.dropout(batch.size),
  });
  return xAdv;
}

export const at: TrainingMethod = {
  ...AT_INFO,
  prepare(model, batch, hyper, ctx) {
    return { xAdv: trainingAttack(model, batch, hyper, ctx) };
  },
  loss(model, batch, prepared, _hyper, ctx) {
    const xAdv = prepared.xAdv as tf.Tensor2D;
    return tf.tidy(() => tf.mean(crossEntropy(model.forward(xAdv, ctx.dropout(batch.size)), batch.yOneHot)));
  },
};

export default at;
