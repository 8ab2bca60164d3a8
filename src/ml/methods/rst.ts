/**
 * "RST(λ)" as Yang et al. name it: `L = mean_i CE(f(x_i), y_i) + λ · mean_i CE(f(x_adv,i), y_i)`, with the same
 * PGD as AT (K = 10, α = ε/5, uniform random start, train mode). No unlabelled data is used: this is the paper's
 * "clean + λ·adversarial" loss, not Carmon et al.'s self-training.
 *
 * Source: Yang et al., NeurIPS 2020, code `lolip/models/torch_model.py:201-222` ("advbeta*": advbeta.5 → λ = 0.5,
 * advbetace → 1, advbeta2 → 2, advbeta4 → 4, advbeta8 → 8; reference/paper-algorithms.md §2).
 * Adaptations: mean instead of the code's sum over the batch (the same under Adam up to its ε; under SGD it
 * divides the learning rate by B); the [0, 1] clamps become the optional data box. With dropout the clean and the
 * adversarial forward passes draw independent masks, in that order.
 */
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../losses.ts';
import { trainingAttack } from './at.ts';
import { hyperValue } from './shared.ts';
import type { TrainingMethod } from './types.ts';
import { LAMBDA_HYPER, RST_INFO } from './rst.info.ts';

export { LAMBDA_HYPER } from './rst.info.ts';

export const rst: TrainingMethod = {
  ...RST_INFO,
  prepare(model, batch, hyper, ctx) {
    return { xAdv: trainingAttack(model, batch, hyper, ctx) };
  },
  loss(model, batch, prepared, hyper, ctx) {
    const xAdv = prepared.xAdv as tf.Tensor2D;
    const lambda = hyperValue(hyper, LAMBDA_HYPER);
    return tf.tidy(() => {
      const clean = tf.mean(crossEntropy(model.forward(batch.x, ctx.dropout(batch.size)), batch.yOneHot));
      const adv = tf.mean(crossEntropy(model.forward(xAdv, ctx.dropout(batch.size)), batch.yOneHot));
      return tf.add(clean, tf.mul(lambda, adv));
    });
  },
};

export default rst;
