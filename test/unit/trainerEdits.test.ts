/**
 * The trainer under hand edits of its points: `replaceData` keeps the weights, the optimizer state and the step
 * counter and trains on the new points from the next step; `extend` gives a finished trainer more epochs and lets
 * its end-of-training hook run again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeDataset } from '../../src/core/datasets/index.ts';
import { applyEdits } from '../../src/core/datasets/edits.ts';
import { Rng } from '../../src/core/rng.ts';
import { Mlp } from '../../src/ml/model.ts';
import { METHODS } from '../../src/ml/methods/index.ts';
import type { TrainingMethod } from '../../src/ml/methods/types.ts';
import { spectralNorms } from '../../src/ml/lipschitzBound.ts';
import { Trainer, type TrainConfig } from '../../src/ml/trainer.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

const data = makeDataset({ name: 'moons', nTrain: 64, nTest: 16, seed: 3 });
const spec = { inputDim: 2, hidden: [16, 16], outputDim: 2, activation: 'relu', dropout: 0 } as const;
const base: TrainConfig = {
  optimizer: 'adam',
  lr: 0.01,
  momentum: 0,
  schedule: 'constant',
  epochs: 3,
  batchSize: 16,
  seed: 5,
  eps: 0.05,
  norm: 'linf',
  box: data.meta.box,
  hyper: {},
  variant: '',
};
/** Training point 0 moved to the far corner, and one point added. */
const edited = applyEdits(data, [
  { op: 'move', split: 'train', index: 0, x: 1, y: 1 },
  { op: 'add', split: 'train', x: -1, y: 1, label: 1 },
]);

const natural = METHODS.natural!;
const lipschitz = METHODS.lipschitz!;

function trainer(method: TrainingMethod = natural, config: Partial<TrainConfig> = {}) {
  const model = Mlp.init(spec, new Rng(1));
  return new Trainer(model, method, data.train, data.nClasses, { ...base, ...config });
}

async function steps(t: Trainer, n: number): Promise<void> {
  for (let k = 0; k < n; k++) await t.trainStep();
}

function close(t: Trainer): void {
  t.dispose();
  t.model.dispose();
}

describe('the trainer under edited points', () => {
  it('keeps the weights and the step when its points change, and trains on the new points next', async () => {
    const same = trainer();
    const moved = trainer();
    await steps(same, 3);
    await steps(moved, 3);
    const before = await moved.model.toPlain();
    const tensors = tf.memory().numTensors;
    same.replaceData(data.train);
    moved.replaceData(edited.train);
    // The old tensors are freed: x, y and one-hot y replaced one for one.
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await moved.model.toPlain()).toEqual(before);
    expect(moved.step).toBe(3);
    // 65 points at batch 16: 5 steps a pass; the budget (3 passes of the first 64 points) stays.
    expect(moved.stepsPerEpoch).toBe(5);
    expect(moved.totalSteps).toBe(12);
    await same.trainStep();
    await moved.trainStep();
    expect(moved.step).toBe(4);
    // Same weights, optimizer state and shuffle stream: only the points differ, and so does the update.
    expect(await same.model.toPlain()).not.toEqual(await moved.model.toPlain());
    close(same);
    close(moved);
  });

  it('changes nothing when the same points come back at an epoch boundary', async () => {
    const plain = trainer();
    const replaced = trainer();
    await steps(plain, 4);
    await steps(replaced, 4);
    expect(replaced.epoch).toBe(1);
    replaced.replaceData(data.train);
    await steps(plain, 4);
    await steps(replaced, 4);
    expect(replaced.losses).toEqual(plain.losses);
    expect(await replaced.model.toPlain()).toEqual(await plain.model.toPlain());
    close(plain);
    close(replaced);
  });

  it('trains a finished trainer for the extra epochs and runs its end-of-training hook again', async () => {
    let finalized = 0;
    const counted: TrainingMethod = {
      ...natural,
      finalize: () => {
        finalized++;
        return Promise.resolve();
      },
    };
    const t = trainer(counted);
    await t.run();
    expect([t.step, t.totalSteps, t.done, finalized]).toEqual([12, 12, true, 1]);
    await t.finish();
    expect(finalized).toBe(1);
    t.extend(2);
    expect([t.totalSteps, t.done]).toEqual([12 + 2 * 4, false]);
    await t.run();
    expect([t.step, t.epoch, t.done, finalized]).toEqual([20, 5, true, 2]);
    expect(t.epochLosses).toHaveLength(5);
    expect(() => t.extend(0)).toThrow(/extra epochs must be a positive integer, got 0/);
    close(t);
  });

  it('keeps the Lipschitz cap certified after a fine-tune', async () => {
    const target = 4;
    const t = trainer(lipschitz, { hyper: { targetL: target }, epochs: 1 });
    await t.run();
    t.replaceData(edited.train);
    t.extend(1);
    await t.run();
    expect(t.step).toBe(4 + 5);
    const product = (await spectralNorms(t.model)).reduce((p, s) => p * s, 1);
    // capExactly leaves ∏σ ≤ target up to its float32 slack (1e-6 relative per layer).
    expect(product).toBeLessThanOrEqual(target * (1 + 1e-5));
    close(t);
  });
});
