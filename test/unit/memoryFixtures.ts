// The training-memory check shared by memory.test.ts and memoryAttacks.test.ts (split in two so that vitest runs
// the halves side by side: 10,000 steps of every method take about two minutes of CPU on the cpu backend).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeDataset } from '../../src/core/datasets/index.ts';
import type { Norm } from '../../src/core/types.ts';
import { Rng } from '../../src/core/rng.ts';
import { Mlp } from '../../src/ml/model.ts';
import { METHODS } from '../../src/ml/methods/index.ts';
import type { TrainingMethod } from '../../src/ml/methods/types.ts';
import { Trainer, type TrainConfig } from '../../src/ml/trainer.ts';
import { useCpu } from '../helpers/tf.ts';

/** Training steps of every method (the figure). */
export const STEPS = 10_000;
/** Steps before the reference reading: Adam creates its moment variables on the first update. */
const WARM_UP = 50;

interface Reading {
  readonly numTensors: number;
  readonly numBytes: number;
}

function reading(): Reading {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
}

/**
 * Every method with each of its variants; the attacks and ascent loops as short as their hyperparameters allow
 * (one step: a leak inside the loop shows once per training step all the same), dropout on every other case so
 * that the mask code runs too, and the threat model alternating between L∞ and L2.
 */
const CASES: readonly {
  readonly method: string;
  readonly variant: string;
  readonly hyper: Record<string, number>;
  readonly dropout: number;
  readonly norm: Norm;
}[] = Object.values(METHODS)
  .flatMap((m) => (m.variants?.map((v) => v.id) ?? ['']).map((variant) => ({ m, variant })))
  .map(({ m, variant }, k) => ({
    method: m.id,
    variant,
    hyper: Object.fromEntries(m.hyper.filter((h) => h.key === 'steps').map((h) => [h.key, 1])),
    dropout: k % 2 === 1 ? 0.2 : 0,
    norm: k % 4 < 2 ? 'linf' : 'l2',
  }));

/**
 * For every method that `which` picks: {@link STEPS} Trainer steps of a tiny model (one hidden layer of 8, batches
 * of 8 of 16 points, Adam) hold the same tensors and bytes at every thousandth step and at the end as at step
 * {@link WARM_UP}, through new points every 2,000 steps and the end-of-training hook; disposing the trainer and the
 * model returns to the count before them.
 */
export function describeTrainingMemory(title: string, which: (method: TrainingMethod) => boolean): void {
  describe(title, () => {
    beforeAll(useCpu);
    afterAll(() => {
      tf.disposeVariables();
    });
    const data = makeDataset({ name: 'moons', nTrain: 16, nTest: 0, seed: 3 });
    const other = makeDataset({ name: 'moons', nTrain: 16, nTest: 0, seed: 4 });

    it.each(CASES.filter((c) => which(METHODS[c.method]!)))(
      `$method $variant ($norm, dropout $dropout) holds the same tensors from step ${WARM_UP} to step ${STEPS}, and frees them all`,
      async ({ method, variant, hyper, dropout, norm }) => {
        const baseline = reading();
        const model = Mlp.init(
          { inputDim: 2, hidden: [8], outputDim: 2, activation: 'relu', dropout },
          new Rng(1),
        );
        const config: TrainConfig = {
          optimizer: 'adam',
          lr: 0.01,
          momentum: 0,
          schedule: 'constant',
          epochs: STEPS / 2,
          batchSize: 8,
          seed: 5,
          eps: 0.1,
          norm,
          box: data.meta.box,
          hyper,
          variant,
        };
        const trainer = new Trainer(model, METHODS[method]!, data.train, data.nClasses, config);
        expect(trainer.totalSteps).toBe(STEPS);
        let warmed: Reading | null = null;
        const samples: Reading[] = [];
        const start = performance.now();
        while (await trainer.trainStep()) {
          const step = trainer.step;
          if (step === WARM_UP) warmed = reading();
          // New points of the same size, now and then (hand edits): the old data tensors must go.
          if (step % 2_000 === 0) trainer.replaceData((step / 2_000) % 2 === 1 ? other.train : data.train);
          if (step % 1_000 === 0) samples.push(reading());
        }
        await trainer.finish();
        const ms = performance.now() - start;
        const end = reading();
        expect(trainer.step).toBe(STEPS);
        expect(trainer.stopped).toBeNull();
        expect(samples).toEqual(Array.from({ length: STEPS / 1_000 }, () => warmed));
        expect(end).toEqual(warmed);
        trainer.dispose();
        model.dispose();
        expect(reading()).toEqual(baseline);
        console.log(
          `${method} ${variant}: ${STEPS} steps in ${(ms / 1000).toFixed(1)} s; ` +
            `${warmed!.numTensors} tensors, ${warmed!.numBytes} bytes at step ${WARM_UP} and at the end; ` +
            `${baseline.numTensors} tensors, ${baseline.numBytes} bytes before and after`,
        );
      },
    );
  });
}
