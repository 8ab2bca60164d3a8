/**
 * The interface every training method implements. A step is two phases:
 * 1. `prepare` runs outside the differentiated closure: attack points, random starts, FGSM directions — anything
 *    the loss treats as a constant ("detached" in the reference codes).
 * 2. `loss` runs inside `tf.variableGrads` and returns the scalar whose weight gradient the optimizer applies.
 * Both are synchronous tfjs code; the trainer wraps them in `tf.tidy` and disposes what `prepare` returned.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng.ts';
import type { Box, Norm } from '../../core/types.ts';
import type { DropoutMasks, Mlp } from '../model.ts';
import type { MethodInfo } from './info.ts';

export { defaultFor, type HyperSpec, type MethodInfo, type VariantSpec } from './info.ts';

export type Hyper = Readonly<Record<string, number>>;

export interface Batch {
  /** Inputs `[B, 2]`. */
  readonly x: tf.Tensor2D;
  /** Labels as a one-hot float matrix `[B, C]`. */
  readonly yOneHot: tf.Tensor2D;
  /** Labels as int32 `[B]`. */
  readonly y: tf.Tensor1D;
  readonly size: number;
}

export interface StepContext {
  /** Attack radius and norm of the experiment (the threat model the method defends against). */
  readonly eps: number;
  readonly norm: Norm;
  /** Clip attack points to this box (the data box), or `null` for no clipping. */
  readonly box: Box | null;
  /** Seeded randomness for this step (random starts, noise). */
  readonly rng: Rng;
  /** Fraction of training done, in [0, 1): for ramps such as CURE's h schedule. */
  readonly progress: number;
  /** Fresh dropout masks for `rows` rows in training mode (undefined when the model has no dropout). */
  readonly dropout: (rows: number) => DropoutMasks;
}

/** Whatever `prepare` computed; every tensor in it is disposed by the trainer after the step. */
export type Prepared = Readonly<Record<string, tf.Tensor | undefined>>;

/** A method's metadata (info.ts, one `<id>.info.ts` per method) and the code that trains with it. */
export interface TrainingMethod extends MethodInfo {
  prepare(model: Mlp, batch: Batch, hyper: Hyper, ctx: StepContext, variant: string): Prepared;
  /** The scalar training loss (mean over the batch), differentiable in the model's variables. */
  loss(
    model: Mlp,
    batch: Batch,
    prepared: Prepared,
    hyper: Hyper,
    ctx: StepContext,
    variant: string,
  ): tf.Scalar;
  /** Runs after the optimizer update (e.g. the Lipschitz cap's projection). */
  afterUpdate?(model: Mlp, hyper: Hyper, ctx: StepContext, variant: string): void;
  /** Runs once when training ends (e.g. the Lipschitz cap's exact final projection, so its certificate holds). */
  finalize?(model: Mlp, hyper: Hyper, variant: string): Promise<void>;
}
