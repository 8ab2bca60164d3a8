/**
 * Short runs of every method reach the paper's qualitative result (Yang et al. 2020, Tables 2–3, on 2D data):
 * natural training has high clean accuracy but low adversarial accuracy and the largest local Lipschitz value;
 * AT and TRADES are far more robust and smoother; the theorem's 1-NN construction is robust at its r.
 * Runs on `wasm` for speed (the numerics are tested on `cpu` elsewhere); seeds are fixed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { makeDataset } from '../../src/core/datasets/index.ts';
import { runExperiment, type ExperimentConfig, type ModelResult } from '../../src/engine/experiment.ts';
import { parseMethodSpec } from '../../src/engine/methodSpec.ts';

beforeAll(async () => {
  tf.enableProdMode();
  expect(await tf.setBackend('wasm')).toBe(true);
});

const base: Omit<ExperimentConfig, 'methods' | 'eps'> = {
  norm: 'linf',
  hidden: [64, 64],
  activation: 'relu',
  optimizer: 'adam',
  lr: 0.01,
  momentum: 0,
  schedule: 'constant',
  epochs: 150,
  batchSize: 128,
  seed: 0,
  clip: true,
};

async function table(name: 'spiral' | 'moons', noise: number, eps: number, methods: string[]) {
  const data = makeDataset({ name, nTrain: 400, nTest: 400, seed: 0, noise });
  const result = await runExperiment(data, { ...base, eps, methods: methods.map((m) => parseMethodSpec(m)) });
  return Object.fromEntries(result.models.map((m) => [m.spec.id, m])) as Record<string, ModelResult>;
}

function expectPaperOrdering(r: Record<string, ModelResult>) {
  const { natural, at, trades } = r as Record<'natural' | 'at' | 'trades', ModelResult>;
  expect(natural.trainAcc).toBeGreaterThan(0.85);
  for (const robust of [at, trades]) {
    expect(natural.testAcc).toBeGreaterThan(robust.testAcc);
    expect(robust.advTestAcc).toBeGreaterThan(natural.advTestAcc + 0.05);
    expect(robust.robustTestAcc).toBeGreaterThan(natural.robustTestAcc + 0.05);
    expect(robust.testLipschitz).toBeLessThan(natural.testLipschitz / 2);
    // The exact search never reports more robustness than the attack leaves.
    expect(robust.robustTestAcc).toBeLessThanOrEqual(robust.advTestAcc);
  }
  expect(natural.robustTestAcc).toBeLessThanOrEqual(natural.advTestAcc);
}

describe('a short run reaches the paper’s qualitative ordering', () => {
  it('on noisy moons at ε = 0.1', async () => {
    expectPaperOrdering(await table('moons', 0.2, 0.1, ['natural', 'at', 'trades']));
  });

  it('on the noisy spiral at ε = 0.05, where the 1-NN construction is 100 % robust at its r', async () => {
    const r = await table('spiral', 1.5, 0.05, ['natural', 'at', 'trades', 'nn']);
    expectPaperOrdering(r);
    expect(r.nn!.trainAcc).toBe(1);
    expect(r.nn!.nn!.robustTrainAccAtR).toBe(1);
  });

  it('on the clean spiral, every other method trains and is smoother than natural training', async () => {
    const r = await table('spiral', 0.5, 0.05, ['natural', 'llr', 'gr', 'cure', 'lipschitz', 'rst']);
    for (const id of ['llr', 'gr', 'cure', 'lipschitz', 'rst']) {
      expect(r[id]!.stopped).toBeNull();
      expect(r[id]!.trainAcc).toBeGreaterThan(0.75);
      expect(r[id]!.testLipschitz).toBeLessThan(r.natural!.testLipschitz);
    }
  });
});
