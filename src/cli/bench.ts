/**
 * `npm run bench`: prints JSON — training steps per second of every method at the default size
 * (2→64→64→2 ReLU, 400 training points, batch 128) on Node's `wasm` and `cpu` backends, and the time of one
 * 128×128 grid evaluation. A benchmark, not a test: compare ratios within one run on a shared machine.
 */
import * as tf from '@tensorflow/tfjs';
import { makeDataset } from '../core/datasets/index.ts';
import { Rng } from '../core/rng.ts';
import { Mlp } from '../ml/model.ts';
import { METHODS } from '../ml/methods/index.ts';
import { Trainer } from '../ml/trainer.ts';
import { evaluateGrid } from '../ml/metrics.ts';
import { NODE_BACKENDS, startNodeBackend } from './nodeBackend.ts';

const MIN_SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const data = makeDataset({ name: 'spiral', nTrain: 400, nTest: 400, seed: 0 });
const spec = { inputDim: 2, hidden: [64, 64], outputDim: 2, activation: 'relu', dropout: 0 } as const;

async function stepsPerSecond(methodId: string): Promise<number> {
  const method = METHODS[methodId]!;
  const model = Mlp.init(spec, new Rng(0));
  const hyper = Object.fromEntries(method.hyper.map((h) => [h.key, h.default]));
  const trainer = new Trainer(model, method, data.train, data.nClasses, {
    optimizer: 'adam',
    lr: 0.01,
    momentum: 0,
    schedule: 'constant',
    epochs: 100_000,
    batchSize: 128,
    seed: 0,
    eps: 0.05,
    norm: 'linf',
    box: data.meta.box,
    hyper,
    variant: method.variants?.[0]?.id ?? '',
  });
  for (let i = 0; i < 3; i++) await trainer.trainStep();
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < MIN_SECONDS * 1000 || steps < 5) {
    await trainer.trainStep();
    steps++;
  }
  const sps = steps / ((performance.now() - t0) / 1000);
  trainer.dispose();
  model.dispose();
  return sps;
}

async function gridMs(): Promise<number> {
  const model = Mlp.init(spec, new Rng(0));
  await evaluateGrid(model, data.meta.box, 128, 2, 'probability');
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await evaluateGrid(model, data.meta.box, 128, 2, 'probability');
    times.push(performance.now() - t0);
  }
  model.dispose();
  return times.sort((a, b) => a - b)[3]!;
}

const result: Record<string, unknown> = {
  what: 'training steps/s per method (2→64→64→2 ReLU, 400 spiral points, batch 128, ε = 0.05 L∞) and one 128×128 grid evaluation (median of 7, ms)',
  node: process.version,
  tfjs: tf.version.tfjs,
  backends: {},
};
for (const backend of NODE_BACKENDS) {
  await startNodeBackend(backend);
  const perMethod: Record<string, number> = {};
  for (const id of Object.keys(METHODS)) {
    perMethod[id] = Math.round((await stepsPerSecond(id)) * 10) / 10;
    process.stderr.write(`${backend} ${id}: ${perMethod[id]} steps/s\n`);
  }
  const grid = Math.round((await gridMs()) * 10) / 10;
  (result.backends as Record<string, unknown>)[backend] = { stepsPerSecond: perMethod, grid128Ms: grid };
}
console.log(JSON.stringify(result, null, 2));
