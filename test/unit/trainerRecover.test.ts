/**
 * Recovering from a divergence: the trainer goes back to the last good weights (the end of the last sane
 * epoch), halves the learning rate and trains on; its counters, losses and memory follow.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeDataset } from '../../src/core/datasets/index.ts';
import { Rng } from '../../src/core/rng.ts';
import { Mlp } from '../../src/ml/model.ts';
import { METHODS } from '../../src/ml/methods/index.ts';
import type { TrainingMethod } from '../../src/ml/methods/types.ts';
import { Trainer, type TrainConfig } from '../../src/ml/trainer.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

const data = makeDataset({ name: 'moons', nTrain: 64, nTest: 16, seed: 3 });
const spec = { inputDim: 2, hidden: [16, 16], outputDim: 2, activation: 'relu', dropout: 0 } as const;
const base: TrainConfig = {
  optimizer: 'sgd',
  lr: 0.05,
  momentum: 0,
  schedule: 'constant',
  epochs: 10,
  batchSize: 16,
  seed: 5,
  eps: 0.05,
  norm: 'linf',
  box: data.meta.box,
  hyper: {},
  variant: '',
};
const STEPS_PER_EPOCH = 4;

/** Natural training whose loss is NaN at the given (1-based) steps: a divergence exactly where a test wants it. */
function nanAt(steps: readonly number[]): TrainingMethod {
  const natural = METHODS.natural!;
  let step = 0;
  return {
    ...natural,
    loss: (model, batch, prepared, hyper, ctx, variant) => {
      step++;
      const loss = natural.loss(model, batch, prepared, hyper, ctx, variant);
      return steps.includes(step) ? tf.mul(loss, NaN) : loss;
    },
  };
}

async function weightsOf(model: Mlp): Promise<number[]> {
  return (await model.toPlain()).flatMap((l) => [...l.W.flat(), ...l.b]);
}

describe('recovering a diverged trainer', () => {
  it('goes back to the end of the last good epoch, halves the learning rate and trains on', async () => {
    const before = tf.memory().numTensors;
    const model = Mlp.init(spec, new Rng(1));
    // Step 11 is the third step of epoch 3: epochs 1 and 2 completed, so the last good weights are step 8's.
    const trainer = new Trainer(model, nanAt([11]), data.train, data.nClasses, base);
    let atEpoch2: number[] = [];
    for (;;) {
      const r = await trainer.trainStep();
      if (!r) break;
      if (r.step === 2 * STEPS_PER_EPOCH) atEpoch2 = await weightsOf(model);
    }
    expect(trainer.stopped?.step).toBe(11);
    expect(trainer.step).toBe(10);
    expect(trainer.lastGood).toEqual({ step: 8, epoch: 2 });
    expect(trainer.stopped!.message).toMatch(/weights of step 8 \(end of epoch 2\)/);
    expect(trainer.learningRate).toBe(0.05);

    expect(trainer.recover()).toEqual({ step: 8, epoch: 2 });
    expect(trainer.stopped).toBeNull();
    expect(trainer.step).toBe(8);
    expect(trainer.epoch).toBe(2);
    expect(trainer.losses).toHaveLength(8);
    expect(trainer.epochLosses).toHaveLength(2);
    expect(trainer.learningRate).toBe(0.025);
    expect(trainer.recoveries).toBe(1);
    expect(await weightsOf(model)).toEqual(atEpoch2);

    await trainer.run();
    expect(trainer.stopped).toBeNull();
    expect(trainer.step).toBe(trainer.totalSteps);
    expect(trainer.losses).toHaveLength(trainer.totalSteps);
    expect(trainer.losses.every(Number.isFinite)).toBe(true);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('steps with half the learning rate after a recovery: the first update is half as large (SGD)', async () => {
    const model = Mlp.init(spec, new Rng(1));
    const trainer = new Trainer(model, nanAt([1]), data.train, data.nClasses, base);
    expect(await trainer.trainStep()).toBeNull();
    expect(trainer.lastGood).toEqual({ step: 0, epoch: 0 });
    expect(trainer.stopped!.message).toMatch(/last good weights are the initial weights/);
    const w0 = await weightsOf(model);
    trainer.recover();
    expect(await weightsOf(model)).toEqual(w0);
    await trainer.trainStep();
    const half = (await weightsOf(model)).map((w, i) => w - w0[i]!);

    // The same first step at full rate, from the same weights and batch.
    const model2 = Mlp.init(spec, new Rng(1));
    const trainer2 = new Trainer(model2, METHODS.natural!, data.train, data.nClasses, base);
    await trainer2.trainStep();
    const full = (await weightsOf(model2)).map((w, i) => w - w0[i]!);
    // The recovered run's batch order differs (the shuffle went on), so compare sizes, not entries.
    const norm = (v: number[]) => Math.hypot(...v);
    expect(norm(half)).toBeGreaterThan(0);
    expect(trainer.learningRate).toBe(base.lr / 2);
    expect(Math.abs(norm(half) / norm(full) - 0.5)).toBeLessThan(0.25);
    for (const t of [trainer, trainer2]) t.dispose();
    model.dispose();
    model2.dispose();
  });

  it('keeps no checkpoint from an epoch whose loss blew up, and halves again on each recovery', async () => {
    const model = Mlp.init(spec, new Rng(1));
    const trainer = new Trainer(model, nanAt([6, 7]), data.train, data.nClasses, base);
    await trainer.run();
    expect(trainer.stopped?.step).toBe(6);
    expect(trainer.lastGood).toEqual({ step: 4, epoch: 1 });
    trainer.recover();
    // The NaN list counts the method's calls: the replayed step 5 is call 7, which fails again.
    await trainer.run();
    expect(trainer.stopped?.step).toBe(5);
    expect(trainer.lastGood).toEqual({ step: 4, epoch: 1 });
    trainer.recover();
    expect(trainer.learningRate).toBe(base.lr / 4);
    expect(trainer.recoveries).toBe(2);
    await trainer.run();
    expect(trainer.stopped).toBeNull();
    expect(trainer.done).toBe(true);
    trainer.dispose();
    model.dispose();
  });

  it('refuses to recover a trainer that did not diverge', () => {
    const model = Mlp.init(spec, new Rng(1));
    const trainer = new Trainer(model, METHODS.natural!, data.train, data.nClasses, base);
    expect(() => trainer.recover()).toThrow(/Only a model stopped by a divergence/);
    trainer.dispose();
    model.dispose();
  });

  it('recovers a real blow-up: SGD at lr 1e6 diverges, halving repeatedly brings it back', async () => {
    const model = Mlp.init(spec, new Rng(1));
    const trainer = new Trainer(model, METHODS.natural!, data.train, data.nClasses, {
      ...base,
      lr: 1e6,
      epochs: 3,
    });
    await trainer.run();
    expect(trainer.stopped).not.toBeNull();
    let rounds = 0;
    while (trainer.stopped && rounds < 40) {
      trainer.recover();
      await trainer.run();
      rounds++;
    }
    expect(trainer.stopped).toBeNull();
    expect(rounds).toBeGreaterThan(1);
    expect(trainer.learningRate).toBe(1e6 / 2 ** rounds);
    expect(trainer.losses.every(Number.isFinite)).toBe(true);
    expect((await weightsOf(model)).every(Number.isFinite)).toBe(true);
    trainer.dispose();
    model.dispose();
  });
});
