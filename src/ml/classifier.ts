import type * as tf from '@tensorflow/tfjs';
import type { DropoutMasks } from './model.ts';

/**
 * Anything that maps inputs `[B, 2]` to logits `[B, C]`: the MLP and the theorem's 1-NN construction both are,
 * so attacks, Lipschitz estimates and grids run on either.
 */
export interface Classifier {
  forward(x: tf.Tensor2D, masks?: DropoutMasks): tf.Tensor2D;
}
