/**
 * The trainer: a seed reproduces a run exactly on the cpu backend; a diverging run stops with a stated reason
 * and keeps its last good weights; the learning-rate schedules follow their formulas.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeDataset } from '../../src/core/datasets/index.ts';
import { Rng } from '../../src/core/rng.ts';
import { Mlp } from '../../src/ml/model.ts';
import { METHODS } from '../../src/ml/methods/index.ts';
import { Trainer, type TrainConfig } from '../../src/ml/trainer.ts';
import { learningRateAt, paperMilestones } from '../../src/ml/optimizer.ts';
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

async function run(methodId: string, config: Partial<TrainConfig> = {}, dropout = 0) {
  const method = METHODS[methodId]!;
  const hyper = Object.fromEntries(method.hyper.map((h) => [h.key, h.default]));
  const model = Mlp.init({ ...spec, dropout }, new Rng(1));
  const trainer = new Trainer(model, method, data.train, data.nClasses, {
    ...base,
    hyper,
    variant: method.variants?.[0]?.id ?? '',
    ...config,
  });
  await trainer.run();
  const weights = await model.toPlain();
  const out = { losses: trainer.losses.slice(), weights, stopped: trainer.stopped, steps: trainer.step };
  trainer.dispose();
  model.dispose();
  return out;
}

describe('the trainer', () => {
  it.each(['natural', 'at', 'trades', 'llr', 'gr', 'cure', 'lipschitz', 'rst'])(
    'reproduces a %s run bit for bit from the same seed',
    async (id) => {
      const a = await run(id, { epochs: 1 });
      const b = await run(id, { epochs: 1 });
      expect(a.losses.length).toBe(4);
      expect(a.losses.every(Number.isFinite)).toBe(true);
      expect(b.losses).toEqual(a.losses);
      expect(b.weights).toEqual(a.weights);
    },
  );

  it('reproduces a run with dropout, and a different seed gives a different run', async () => {
    const a = await run('at', { epochs: 1 }, 0.3);
    const b = await run('at', { epochs: 1 }, 0.3);
    const c = await run('at', { epochs: 1, seed: 6 }, 0.3);
    expect(b.losses).toEqual(a.losses);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('runs ceil(n / batch) steps per epoch and lowers the loss', async () => {
    const r = await run('natural', { epochs: 20 });
    expect(r.steps).toBe(20 * Math.ceil(64 / 16));
    const first = r.losses.slice(0, 4).reduce((s, v) => s + v, 0);
    const last = r.losses.slice(-4).reduce((s, v) => s + v, 0);
    expect(last).toBeLessThan(0.6 * first);
  });

  it('stops a diverging run with a stated reason and keeps the last finite weights', async () => {
    const before = tf.memory().numTensors;
    const r = await run('natural', { optimizer: 'sgd', lr: 1e6, epochs: 50 });
    expect(r.stopped).not.toBeNull();
    expect(r.stopped!.message).toMatch(
      /Training diverged at step \d+ .*learning rate \(1000000\) is too large.*restore them and halve the learning rate/,
    );
    expect(r.steps).toBe(r.stopped!.step - 1);
    expect(r.weights.flatMap((l) => [...l.W.flat(), ...l.b]).every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensors over a training run', async () => {
    const before = tf.memory().numTensors;
    await run('trades', { epochs: 1 });
    await run('cure', { epochs: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects settings that cannot train, naming the value', () => {
    const model = Mlp.init(spec, new Rng(1));
    expect(() => new Trainer(model, METHODS.natural!, data.train, 2, { ...base, lr: -1 })).toThrow(
      /learning rate.*-1/,
    );
    expect(() => new Trainer(model, METHODS.natural!, data.train, 2, { ...base, batchSize: 0 })).toThrow(
      /batch size/,
    );
    model.dispose();
  });
});

describe('the learning-rate schedules', () => {
  const cfg = { optimizer: 'sgd', lr: 0.1, momentum: 0 } as const;
  it("follow the paper's MultiStepLR milestones (×0.1 at each)", () => {
    expect(paperMilestones(70)).toEqual([40, 60]);
    expect(paperMilestones(500)).toEqual([60, 100, 140, 180]);
    const at = (e: number) => learningRateAt({ ...cfg, schedule: 'multistep' }, e, 70);
    expect(at(39)).toBeCloseTo(0.1, 15);
    expect(at(40)).toBeCloseTo(0.01, 15);
    expect(at(60)).toBeCloseTo(0.001, 15);
  });
  it('follow the cosine formula and the constant one', () => {
    expect(learningRateAt({ ...cfg, schedule: 'cosine' }, 0, 10)).toBeCloseTo(0.1, 15);
    expect(learningRateAt({ ...cfg, schedule: 'cosine' }, 5, 10)).toBeCloseTo(0.05, 15);
    expect(learningRateAt({ ...cfg, schedule: 'constant' }, 9, 10)).toBe(0.1);
  });
});
