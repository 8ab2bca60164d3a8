/**
 * Natural training: `L = mean_i CE(f(x_i), y_i)`.
 *
 * Source: Yang et al., NeurIPS 2020, code `lolip/models/torch_model.py:223-232` (the branch with no `adv` in the
 * model name; reference/paper-algorithms.md §1). Adaptation: the code sums the CE over the batch; we take the
 * mean, which under Adam is the same up to Adam's ε and under SGD divides the learning rate by the batch size B.
 * With dropout the forward pass draws a fresh mask (train mode).
 */
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../losses.ts';
import type { TrainingMethod } from './types.ts';
import { NATURAL_INFO } from './natural.info.ts';

export const natural: TrainingMethod = {
  ...NATURAL_INFO,
  prepare: () => ({}),
  loss(model, batch, _prepared, _hyper, ctx) {
    return tf.tidy(() =>
      tf.mean(crossEntropy(model.forward(batch.x, ctx.dropout(batch.size)), batch.yOneHot)),
    );
  },
};

export default natural;
