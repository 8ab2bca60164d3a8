/**
 * A diverging panel stops alone, with what to do; the others train on. One call restores its last good weights
 * and halves its learning rate, and it trains to the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { startNodeBackend } from '../../src/cli/nodeBackend.ts';
import { panel, playToEnd, recordEngine, smallConfig } from './engineFixtures.ts';

// Found by a sweep: with plain SGD at lr 10 gradient regularization (λ = 1) blows up within a few steps on
// these moons, while natural training trains to the end.
const base = smallConfig({
  dataSeed: 1,
  noise: 0.1,
  epochs: 20,
  seed: 0,
  resolution: 16,
  panels: [panel('natural', 'natural'), panel('gr', 'gr', { lambda: 1 })],
});
const CONFIG = { ...base, train: { ...base.train, optimizer: 'sgd' as const, lr: 10 } };
const STEPS = 20 * Math.ceil(60 / 32);

describe('divergence in the playground', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it(
    'stops the diverged panel only, and recovering it at half the learning rate trains it to the end',
    { timeout: 400_000 },
    async () => {
      const { events, engine, progress, last } = recordEngine();
      await engine.configure(CONFIG);
      await playToEnd(engine, events);
      const natural = progress('natural')!;
      expect(natural.done).toBe(true);
      expect(natural.stopped).toBeNull();
      expect(natural.step).toBe(STEPS);
      const gr = progress('gr')!;
      expect(gr.stopped).toMatch(/Training diverged at step \d+ .*learning rate \(10\) is too large/);
      expect(gr.step).toBeLessThan(STEPS);
      expect(gr.lr).toBe(10);
      expect(gr.lastGood).not.toBeNull();
      expect(gr.lastGood!.step).toBeLessThanOrEqual(gr.step);
      expect(gr.recoveries).toBe(0);
      // Its metrics describe the weights it kept, which are finite.
      expect(Number.isFinite(last('metrics', 'gr')!.trainAcc)).toBe(true);

      const generation = gr.generation;
      let rounds = 0;
      while (progress('gr')!.stopped && rounds < 10) {
        const lastGood = progress('gr')!.lastGood!;
        await engine.recover('gr');
        const restored = progress('gr')!;
        expect(restored.stopped).toBeNull();
        expect(restored.step).toBe(lastGood.step);
        expect(restored.epoch).toBe(lastGood.epoch);
        expect(restored.generation).toBeGreaterThan(generation);
        rounds++;
        expect(restored.lr).toBe(10 / 2 ** rounds);
        expect(restored.recoveries).toBe(rounds);
        await playToEnd(engine, events);
      }
      const done = progress('gr')!;
      expect(done.stopped).toBeNull();
      expect(done.done).toBe(true);
      expect(done.step).toBe(STEPS);
      expect(rounds).toBeGreaterThan(0);
      // The natural panel was never touched.
      expect(progress('natural')!.generation).toBe(natural.generation);
      expect(progress('natural')!.step).toBe(STEPS);
      // Fresh metrics for the recovered model at its final step.
      expect(last('metrics', 'gr')!.step).toBe(STEPS);

      // Recovering a panel that is not stopped does nothing; a reset goes back to the setting.
      await engine.recover('natural');
      expect(progress('natural')!.generation).toBe(natural.generation);
      await engine.reset();
      expect(progress('gr')!.lr).toBe(10);
      expect(progress('gr')!.recoveries).toBe(0);
      engine.dispose();
    },
  );
});
