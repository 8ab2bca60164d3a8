/**
 * Speed checks on the current backend, at the benchmark's default size (src/cli/bench.ts): a 2→64→64→2 ReLU MLP,
 * 400 spiral points (seed 0), batch 128, Adam 0.01, ε = 0.05 L∞, each method's default variant and its defaults.
 * Node-safe: only `@tensorflow/tfjs` and the engine's code.
 */
import { makeDataset, type Dataset } from '../core/datasets/index.ts';
import { Rng } from '../core/rng.ts';
import { Mlp, type MlpSpec } from '../ml/model.ts';
import { METHODS } from '../ml/methods/index.ts';
import { defaultFor } from '../ml/methods/types.ts';
import { Trainer } from '../ml/trainer.ts';
import { evaluateGrid } from '../ml/metrics.ts';

export const BENCH_SPEC: MlpSpec = {
  inputDim: 2,
  hidden: [64, 64],
  outputDim: 2,
  activation: 'relu',
  dropout: 0,
};

let dataset: Dataset | null = null;
function benchData(): Dataset {
  dataset ??= makeDataset({ name: 'spiral', nTrain: 400, nTest: 400, seed: 0 });
  return dataset;
}

/**
 * Training steps per second of `methodId`: one epoch of warm-up, then steps until `seconds` have passed and at
 * least 5 were taken. Every step reads its loss back, so the time includes the device's work.
 */
export async function trainingStepsPerSecond(methodId: string, seconds: number): Promise<number> {
  const method = METHODS[methodId];
  if (!method)
    throw new Error(`There is no method "${methodId}"; choose one of ${Object.keys(METHODS).join(', ')}.`);
  const data = benchData();
  const model = Mlp.init(BENCH_SPEC, new Rng(0));
  const variant = method.variants?.[0]?.id ?? '';
  const hyper = Object.fromEntries(method.hyper.map((h) => [h.key, defaultFor(h, variant)]));
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
    variant,
  });
  try {
    // A whole epoch of warm-up (not bench.ts's 3 steps): its last, shorter batch (400 = 3·128 + 16) has new
    // shapes, for which WebGL and WebGPU compile new shaders, seconds each on a software GPU.
    const warmUp = Math.max(3, trainer.stepsPerEpoch);
    for (let i = 0; i < warmUp; i++) await trainer.trainStep();
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000 || steps < 5) {
      if (!(await trainer.trainStep()))
        throw new Error(`${methodId}: ${trainer.stopped?.message ?? 'stopped'}`);
      steps++;
    }
    return steps / ((performance.now() - t0) / 1000);
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** One 128×128 `evaluateGrid` (class probability), median of 7 after one warm-up, in ms. */
export async function grid128Ms(): Promise<number> {
  const data = benchData();
  const model = Mlp.init(BENCH_SPEC, new Rng(0));
  try {
    await evaluateGrid(model, data.meta.box, 128, 2, 'probability');
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await evaluateGrid(model, data.meta.box, 128, 2, 'probability');
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[3]!;
  } finally {
    model.dispose();
  }
}
