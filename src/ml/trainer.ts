/**
 * The training loop of one model under one method: shuffled minibatches, a scheduled optimizer, and a guard
 * that stops the model with a stated reason — keeping its last good weights — when the loss or a gradient
 * stops being finite. Every random choice comes from the seeded Rng, so a seed reproduces a run exactly on the
 * `cpu` backend.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.ts';
import type { Box, LabelledPoints, Norm } from '../core/types.ts';
import type { Mlp } from './model.ts';
import type { Batch, Hyper, StepContext, TrainingMethod } from './methods/types.ts';
import { learningRateAt, makeOptimizer, type OptimizerConfig, type ScheduledOptimizer } from './optimizer.ts';

export interface TrainConfig extends OptimizerConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly eps: number;
  readonly norm: Norm;
  /** Clip attack points to this box (the data box), or null. */
  readonly box: Box | null;
  readonly hyper: Hyper;
  readonly variant: string;
}

export interface StepResult {
  readonly loss: number;
  readonly step: number;
  readonly epoch: number;
}

/** Why a model stopped before its last epoch. */
export interface StopReason {
  readonly code: 'non-finite-loss' | 'non-finite-gradient';
  readonly step: number;
  readonly message: string;
}

/** Where {@link Trainer.recover} goes back to: the weights at the end of the last sane epoch (or the start). */
export interface CheckpointInfo {
  readonly step: number;
  readonly epoch: number;
}

/**
 * An epoch's mean loss more than this many times the best epoch's so far is the start of a blow-up, not a
 * checkpoint to go back to: a diverging run's loss usually climbs for a few epochs before it overflows.
 */
const CHECKPOINT_LOSS_FACTOR = 4;

export class Trainer {
  readonly model: Mlp;
  readonly method: TrainingMethod;
  readonly config: TrainConfig;
  /** Loss of every step, in order. */
  readonly losses: number[] = [];
  /** Mean loss of every completed epoch. */
  readonly epochLosses: number[] = [];
  private readonly nClasses: number;
  private x: tf.Tensor2D;
  private yOneHot: tf.Tensor2D;
  private y: tf.Tensor1D;
  private n: number;
  private opt: ScheduledOptimizer;
  /** The last good weights (clones share storage with the variables they copy, so keeping them is cheap). */
  private checkpoint: CheckpointInfo & { readonly weights: tf.Tensor[] };
  private bestEpochLoss = Infinity;
  /** Halved by every {@link recover}: the learning rate is the schedule's times this. */
  private lrScale = 1;
  private recoveryCount = 0;
  private readonly shuffleRng: Rng;
  private readonly methodRng: Rng;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  private epochSum = 0;
  private epochSteps = 0;
  private stepCount = 0;
  private epochCount = 0;
  private stopReason: StopReason | null = null;
  private finalized = false;
  /** The step budget: `epochs` passes over the first data, plus every {@link extend}. */
  private budget: number;

  constructor(
    model: Mlp,
    method: TrainingMethod,
    train: LabelledPoints,
    nClasses: number,
    config: TrainConfig,
  ) {
    validateConfig(config);
    this.model = model;
    this.method = method;
    this.config = config;
    this.nClasses = nClasses;
    [this.n, this.x, this.y, this.yOneHot] = dataTensors(train, nClasses);
    this.budget = this.stepsPerEpoch * config.epochs;
    this.opt = makeOptimizer(config);
    this.checkpoint = { step: 0, epoch: 0, weights: model.variables().map((v) => tf.clone(v)) };
    const root = new Rng(config.seed);
    this.shuffleRng = root.fork();
    this.methodRng = root.fork();
  }

  get step(): number {
    return this.stepCount;
  }
  get epoch(): number {
    return this.epochCount;
  }
  get stepsPerEpoch(): number {
    return Math.ceil(this.n / this.config.batchSize);
  }
  /** `epochs × stepsPerEpoch` of the data the trainer started with, moved on by every {@link extend}. */
  get totalSteps(): number {
    return this.budget;
  }
  get stopped(): StopReason | null {
    return this.stopReason;
  }
  get done(): boolean {
    return this.stopReason !== null || this.stepCount >= this.totalSteps;
  }
  /** The learning rate the next step uses (the schedule's, halved once per {@link recover}). */
  get learningRate(): number {
    const epoch = Math.min(this.epochCount, this.config.epochs - 1);
    return learningRateAt(this.config, epoch, this.config.epochs) * this.lrScale;
  }
  /** How many times {@link recover} restarted this trainer after a divergence. */
  get recoveries(): number {
    return this.recoveryCount;
  }
  /** Where {@link recover} would go back to. */
  get lastGood(): CheckpointInfo {
    return { step: this.checkpoint.step, epoch: this.checkpoint.epoch };
  }

  /**
   * After a divergence: go back to the last good weights (the end of the last epoch whose mean loss was finite
   * and within {@link CHECKPOINT_LOSS_FACTOR}× the best so far; the initial weights if none was), halve the
   * learning rate, and train on from there. The step and epoch counters go back with the weights, so the
   * budget is the same number of steps as before; the optimizer starts afresh, because its moments hold the
   * blown-up gradients.
   *
   * @throws Error when the trainer is not stopped by a divergence
   */
  recover(): CheckpointInfo {
    if (!this.stopReason) throw new Error('Only a model stopped by a divergence can be restored.');
    const { step, epoch, weights } = this.checkpoint;
    this.model.variables().forEach((v, k) => v.assign(weights[k]!));
    this.stepCount = step;
    this.epochCount = epoch;
    this.losses.length = Math.min(this.losses.length, step);
    this.epochLosses.length = Math.min(this.epochLosses.length, epoch);
    this.cursor = 0;
    this.epochSum = 0;
    this.epochSteps = 0;
    this.lrScale /= 2;
    this.recoveryCount++;
    this.opt.dispose();
    this.opt = makeOptimizer(this.config);
    this.stopReason = null;
    this.finalized = false;
    return { step, epoch };
  }

  /** One optimizer step on the next minibatch. Returns null when training is over or stopped. */
  trainStep(): Promise<StepResult | null> {
    if (this.done) return Promise.resolve(null);
    if (this.cursor === 0) this.order = this.shuffleRng.permutation(this.n);
    const idx = this.order.subarray(this.cursor, Math.min(this.cursor + this.config.batchSize, this.n));
    const progress = Math.min(1, this.stepCount / this.totalSteps);
    // Past the scheduled epochs (a fine-tune after extend) the schedule stays at its last epoch's rate: a cosine
    // schedule would otherwise climb back up.
    const epoch = Math.min(this.epochCount, this.config.epochs - 1);
    this.opt.setLearningRate(learningRateAt(this.config, epoch, this.config.epochs) * this.lrScale);
    return this.runStep(idx, progress);
  }

  /**
   * Train on new points from the next step on (hand edits of the data): the old tensors are freed, the model's
   * weights, the optimizer's state, the step and epoch counters and the budget stay. The next step starts a
   * fresh shuffled pass over the new points; the epoch in progress (its loss sum) continues through that pass,
   * so its mean may cover more steps than one pass of either set.
   *
   * @param train `x` as `[n, 2]` row-major, `y` labels in `[0, nClasses)`; at least one point
   */
  replaceData(train: LabelledPoints): void {
    const [n, x, y, yOneHot] = dataTensors(train, this.nClasses);
    this.x.dispose();
    this.y.dispose();
    this.yOneHot.dispose();
    [this.n, this.x, this.y, this.yOneHot] = [n, x, y, yOneHot];
    this.cursor = 0;
  }

  /**
   * Move the budget to `epochs` passes over the current points after the current step (a fine-tune), so a done
   * trainer trains again and its end-of-training hook runs again when it is done. A stopped (diverged) trainer
   * stays stopped.
   */
  extend(epochs: number): void {
    if (!Number.isInteger(epochs) || epochs < 1)
      throw new RangeError(
        `Invalid training setting: extra epochs must be a positive integer, got ${epochs}.`,
      );
    this.budget = this.stepCount + epochs * this.stepsPerEpoch;
    this.finalized = false;
  }

  /** Train to the end (or until stopped); `onStep` sees every step. */
  async run(onStep?: (r: StepResult) => void): Promise<void> {
    for (;;) {
      const r = await this.trainStep();
      if (!r) break;
      onStep?.(r);
    }
    await this.finish();
  }

  /**
   * The method's end-of-training hook (e.g. the Lipschitz cap's exact projection). Idempotent until the next
   * {@link extend}, after which it runs once more (the hooks are projections: running one again after more
   * training re-establishes what it certifies).
   */
  async finish(): Promise<void> {
    if (this.finalized) return;
    this.finalized = true;
    await this.method.finalize?.(this.model, this.config.hyper, this.config.variant);
  }

  dispose(): void {
    this.x.dispose();
    this.y.dispose();
    this.yOneHot.dispose();
    this.opt.dispose();
    tf.dispose(this.checkpoint.weights);
  }

  private saveCheckpoint(): void {
    tf.dispose(this.checkpoint.weights);
    this.checkpoint = {
      step: this.stepCount,
      epoch: this.epochCount,
      weights: this.model.variables().map((v) => tf.clone(v)),
    };
  }

  private async runStep(idx: Int32Array, progress: number): Promise<StepResult | null> {
    const { model, method, config } = this;
    const ctx: StepContext = {
      eps: config.eps,
      norm: config.norm,
      box: config.box,
      rng: this.methodRng,
      progress,
      dropout: (rows) => model.dropoutMasks(rows, this.methodRng),
    };
    const vars = model.variables();
    // The weights before the update: a NaN step restores them (clones share storage, so this is cheap).
    const before = vars.map((v) => tf.clone(v));
    const check = tf.tidy(() => {
      const indices = tf.tensor1d(idx, 'int32');
      const batch: Batch = {
        x: tf.gather(this.x, indices),
        y: tf.gather(this.y, indices),
        yOneHot: tf.gather(this.yOneHot, indices),
        size: idx.length,
      };
      const prepared = method.prepare(model, batch, config.hyper, ctx, config.variant);
      const { value, grads } = tf.variableGrads(
        () => method.loss(model, batch, prepared, config.hyper, ctx, config.variant),
        vars,
      );
      const gradSq = tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))));
      this.opt.optimizer.applyGradients(grads);
      return tf.stack([value, gradSq]);
    });
    const [loss, gradSq] = Array.from(await check.data());
    check.dispose();
    const step = this.stepCount + 1;
    if (!Number.isFinite(loss!) || !Number.isFinite(gradSq!)) {
      vars.forEach((v, k) => v.assign(before[k]!));
      tf.dispose(before);
      const what = Number.isFinite(loss!) ? `a weight gradient became ${gradSq}` : `the loss became ${loss}`;
      const good = this.checkpoint;
      const where =
        good.step === 0
          ? 'the initial weights'
          : `the weights of step ${good.step} (end of epoch ${good.epoch})`;
      this.stopReason = {
        code: Number.isFinite(loss!) ? 'non-finite-gradient' : 'non-finite-loss',
        step,
        message:
          `Training diverged at step ${step} (epoch ${this.epochCount + 1}): ${what}, so the learning rate ` +
          `(${this.learningRate}) is too large for this model and method. The last good weights are ${where}: ` +
          'restore them and halve the learning rate, or lower the learning rate or the regularisation weight and reset.',
      };
      return null;
    }
    tf.dispose(before);
    method.afterUpdate?.(model, config.hyper, ctx, config.variant);
    this.stepCount = step;
    this.losses.push(loss!);
    this.epochSum += loss!;
    this.epochSteps++;
    this.cursor += idx.length;
    const epoch = this.epochCount;
    if (this.cursor >= this.n) {
      this.cursor = 0;
      const mean = this.epochSum / this.epochSteps;
      this.epochLosses.push(mean);
      this.epochSum = 0;
      this.epochSteps = 0;
      this.epochCount++;
      this.bestEpochLoss = Math.min(this.bestEpochLoss, mean);
      if (Number.isFinite(mean) && mean <= CHECKPOINT_LOSS_FACTOR * this.bestEpochLoss) this.saveCheckpoint();
    }
    return { loss: loss!, step, epoch };
  }
}

/** The training points as tensors: `[n, x [n, 2], y [n], one-hot y [n, nClasses]]`. */
function dataTensors(
  train: LabelledPoints,
  nClasses: number,
): [number, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D] {
  const n = train.y.length;
  if (n === 0) throw new Error('The training split is empty: add training points.');
  const x = tf.tensor2d(Float32Array.from(train.x), [n, 2]);
  const y = tf.tensor1d(train.y, 'int32');
  const yOneHot = tf.tidy(() => tf.oneHot(y, nClasses).toFloat() as tf.Tensor2D);
  return [n, x, y, yOneHot];
}

function validateConfig(c: TrainConfig): void {
  const fail = (what: string) => {
    throw new RangeError(`Invalid training setting: ${what}`);
  };
  if (!(c.lr > 0 && Number.isFinite(c.lr))) fail(`learning rate must be a positive number, got ${c.lr}.`);
  if (!(c.momentum >= 0 && c.momentum < 1)) fail(`momentum must be in [0, 1), got ${c.momentum}.`);
  if (!Number.isInteger(c.epochs) || c.epochs < 1)
    fail(`epochs must be a positive integer, got ${c.epochs}.`);
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1)
    fail(`batch size must be a positive integer, got ${c.batchSize}.`);
  if (!(c.eps >= 0 && Number.isFinite(c.eps))) fail(`ε must be a non-negative number, got ${c.eps}.`);
}
