/**
 * Shared setup for the GR / CURE / LLR tests: a tiny 2→5→4→3 net (weights 3× PyTorch's init unless told),
 * 8 seeded points, a seeded StepContext, and the finite-difference comparison of a method's loss with a float64
 * reference (test/helpers/regularizedRef64.ts).
 */
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.ts';
import type { Box, Norm } from '../../src/core/types.ts';
import { Mlp, type Activation } from '../../src/ml/model.ts';
import type { Batch, Hyper, StepContext, TrainingMethod } from '../../src/ml/methods/types.ts';
import { ce64, finiteDiff, flatten, forward64, relativeError, type Net64 } from './ref64.ts';
import { flatGrads } from './tf.ts';

export const B = 8;

export interface Setup {
  model: Mlp;
  net: Net64;
  theta: Float64Array;
  x: number[][];
  y: number[];
  batch: Batch;
  ctx: StepContext;
  ctxSeed: number;
  dispose(): void;
}

export async function setup(
  activation: Activation,
  seed: number,
  o: {
    dropout?: number;
    eps?: number;
    norm?: Norm;
    box?: Box | null;
    progress?: number;
    scale?: number;
  } = {},
): Promise<Setup> {
  const rng = new Rng(seed);
  const spec = { inputDim: 2, hidden: [5, 4], outputDim: 3, activation, dropout: o.dropout ?? 0 } as const;
  // Weights 3× PyTorch's init by default: sharper, more curved nets give the second-order terms real weight.
  const k = o.scale ?? 3;
  const init = Mlp.init(spec, rng);
  const plain = (await init.toPlain()).map((l) => ({
    W: l.W.map((r) => r.map((v) => k * v)),
    b: l.b.map((v) => k * v),
  }));
  init.dispose();
  const model = Mlp.fromPlain(spec, plain);
  const x = Array.from({ length: B }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]);
  const y = Array.from({ length: B }, () => rng.int(3));
  const batch: Batch = {
    x: tf.tensor2d(x),
    y: tf.tensor1d(y, 'int32'),
    yOneHot: tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), 3).toFloat() as tf.Tensor2D),
    size: B,
  };
  const ctxSeed = seed + 1000;
  const ctxRng = new Rng(ctxSeed);
  const ctx: StepContext = {
    eps: o.eps ?? 0.1,
    norm: o.norm ?? 'linf',
    box: o.box ?? null,
    rng: ctxRng,
    progress: o.progress ?? 0.5,
    dropout: (rows) => model.dropoutMasks(rows, ctxRng),
  };
  const theta = flatten(await model.toPlain());
  const net = { widths: [2, 5, 4, 3], activation };
  // x as the float32 values the model sees, so the references evaluate at the same points.
  const x32 = rows(await batch.x.data());
  const dispose = () => {
    model.dispose();
    tf.dispose([batch.x, batch.y, batch.yOneHot]);
  };
  return { model, net, theta, x: x32, y, batch, ctx, ctxSeed, dispose };
}

export function rows(a: ArrayLike<number>): number[][] {
  return Array.from({ length: a.length / 2 }, (_, i) => [a[2 * i]!, a[2 * i + 1]!]);
}

/** Read back every prepared tensor: points as `[B][2]`, everything as Float64Array. */
export type Read = Record<string, Float64Array>;
export const masksOf = (r: Read, prefix: string) =>
  r[`${prefix}0`] ? [0, 1].map((k) => r[`${prefix}${k}`]!) : undefined;

/**
 * Run prepare + variableGrads(loss) and compare with `ref(θ, read)` by finite differences. `ceRef` is the
 * plain mean-CE part of the reference, subtracted to measure the penalty's share. Also checks for leaks.
 */
export async function checkLoss(
  s: Setup,
  method: TrainingMethod,
  variant: string,
  hyper: Hyper,
  ref: (t: Float64Array, r: Read) => number,
  ceRef: (t: Float64Array, r: Read) => number,
): Promise<{ read: Read; value: number }> {
  const before = tf.memory().numTensors;
  const prepared = method.prepare(s.model, s.batch, hyper, s.ctx, variant);
  const { value, grads } = tf.variableGrads(
    () => method.loss(s.model, s.batch, prepared, hyper, s.ctx, variant),
    s.model.variables(),
  );
  const read: Read = {};
  for (const [k, t] of Object.entries(prepared)) if (t) read[k] = Float64Array.from(await t.data());
  const v = (await value.data())[0]!;
  const g = await flatGrads(grads, s.model.variables());
  tf.dispose([value, ...Object.values(grads), ...Object.values(prepared).filter((t) => t !== undefined)]);
  expect(tf.memory().numTensors).toBe(before);

  const f = (t: Float64Array) => ref(t, read);
  const expected = f(s.theta);
  expect(Math.abs(v - expected)).toBeLessThan(1e-5 * (1 + Math.abs(expected)));
  const fd = finiteDiff(f, s.theta);
  const fdCe = finiteDiff((t) => ceRef(t, read), s.theta);
  const penaltyPart = fd.map((a, i) => a - fdCe[i]!);
  // The penalty must carry a real share of the gradient, or the test would not test it.
  expect(Math.hypot(...penaltyPart)).toBeGreaterThan(0.2 * Math.hypot(...fdCe));
  expect(relativeError(g, fd)).toBeLessThan(1e-3);
  expect(
    relativeError(
      g.map((a, i) => a - fdCe[i]!),
      penaltyPart,
    ),
  ).toBeLessThan(1e-3);
  return { read, value: v };
}

export const meanCe64 = (s: Setup, pts: number[][], t: Float64Array, masks?: readonly Float64Array[]) =>
  forward64(s.net, t, pts, masks).logits.reduce((acc, z, i) => acc + ce64(z, s.y[i]!), 0) / B;

/** Largest |a − b| over two `[B][2]` point sets. */
export const maxDiff = (a: number[][], b: number[][]) =>
  Math.max(...a.flatMap((r, i) => r.map((v, c) => Math.abs(v - b[i]![c]!))));

export async function prepareRead(
  s: Setup,
  method: TrainingMethod,
  variant: string,
  hyper: Hyper,
): Promise<Read> {
  const before = tf.memory().numTensors;
  const prepared = method.prepare(s.model, s.batch, hyper, s.ctx, variant);
  const read: Read = {};
  for (const [k, t] of Object.entries(prepared)) if (t) read[k] = Float64Array.from(await t.data());
  tf.dispose(Object.values(prepared).filter((t) => t !== undefined));
  expect(tf.memory().numTensors).toBe(before);
  return read;
}
