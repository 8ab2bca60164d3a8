import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { startNodeBackend } from '../../src/cli/nodeBackend.ts';
import { PlaygroundEngine } from '../../src/engine/playground.ts';
import { panel, recordEngine, smallConfig } from './engineFixtures.ts';
import type { EngineConfig, EngineEvent, FrameEvent, MetricsEvent } from '../../src/engine/protocol.ts';
import { makeDataset } from '../../src/core/datasets/index.ts';
import { exactRobustness } from '../../src/core/exactRobustness.ts';
import { nearestNeighbourConstruction } from '../../src/core/theorem.ts';

const CONFIG: EngineConfig = smallConfig({
  dataSeed: 1,
  noise: 0.1,
  epochs: 3,
  seed: 0,
  resolution: 16,
  panels: [panel('a', 'natural'), panel('b', 'trades', { beta: 6 }), panel('c', 'nn')],
});

/** The picture of one panel (forced fresh by asking at a resolution not asked before). */
async function frameOf(engine: PlaygroundEngine, panelId: string, resolution = 16): Promise<FrameEvent> {
  const reply = await engine.frames({ panelIds: [panelId], resolution });
  const frame = reply.frames.find((f) => f.panelId === panelId);
  if (frame) return frame;
  const again = await engine.frames({ panelIds: [panelId], resolution: resolution + 1 });
  return again.frames[0]!;
}

async function trainToEnd(engine: PlaygroundEngine, events: EngineEvent[]): Promise<void> {
  await engine.play();
  for (let i = 0; i < 600; i++) {
    if (events.some((e) => e.type === 'running' && !e.running)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await engine.pause();
}

describe('the playground engine', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('trains every panel in lockstep from the same initial weights and reports fresh metrics', async () => {
    const { events, engine, last, progress } = recordEngine();
    await engine.configure(CONFIG);
    const first = await frameOf(engine, 'a');
    expect(first.step).toBe(0);
    expect(first.grid).toHaveLength(16 * 16);
    expect(first.margin).toHaveLength(256);
    expect(first.classes).toHaveLength(256);
    // Natural and TRADES start from the same weights, so their first pictures are identical.
    expect(Array.from((await frameOf(engine, 'b')).margin)).toEqual(Array.from(first.margin));
    await trainToEnd(engine, events);
    const stepsPerEpoch = Math.ceil(60 / 32);
    for (const id of ['a', 'b']) {
      const f = progress(id)!;
      expect(f.done).toBe(true);
      expect(f.step).toBe(3 * stepsPerEpoch);
      expect(f.epochLosses).toHaveLength(3);
      expect((await frameOf(engine, id)).step).toBe(f.step);
      const m = last('metrics', id)!;
      expect(m.step).toBe(f.step);
      expect(m.trainAcc).toBeGreaterThan(0.5);
      expect(m.ballStatus).toHaveLength(30);
      expect(m.advX).toHaveLength(60);
      // The exact search never finds fewer adversarial points than the attack.
      expect(m.robustCount / 30).toBeLessThanOrEqual(m.advTestAcc + 1e-12);
    }
    const nn = last('metrics', 'c')!;
    expect(nn.nn!.robustTrainAccAtR).toBe(1);
    engine.dispose();
  });

  it('re-evaluates at a new ε without training a step', async () => {
    const { events, engine, last, progress } = recordEngine();
    await engine.configure(CONFIG);
    await trainToEnd(engine, events);
    const before = last('metrics', 'a')!;
    const stepBefore = progress('a')!.step;
    await engine.setEvaluation({ eps: 0.02, norm: 'linf' });
    const after = last('metrics', 'a')!;
    expect(after.eps).toBe(0.02);
    expect(after.step).toBe(stepBefore);
    expect(progress('a')!.step).toBe(stepBefore);
    // A smaller ball can only hold fewer adversarial points.
    expect(after.robustCount).toBeGreaterThanOrEqual(before.robustCount);
    engine.dispose();
  });

  it('retrains only the panel whose settings change', async () => {
    const { events, engine, progress } = recordEngine();
    await engine.configure(CONFIG);
    await engine.step();
    await engine.step();
    expect(progress('a')!.step).toBe(2);
    await engine.upsertPanel(panel('b', 'trades', { beta: 1 }));
    const b = progress('b')!;
    const a = progress('a')!;
    // One more than the configuration's generation, which every panel of the configuration shares.
    expect(b.generation).toBe(a.generation + 1);
    expect(b.step).toBe(0);
    expect((await frameOf(engine, 'b')).generation).toBe(b.generation);
    expect(progress('a')!.step).toBe(2);
    const panels = events.filter((e) => e.type === 'panels').at(-1);
    expect(panels?.type === 'panels' && panels.panels.find((p) => p.id === 'b')?.label).toBe(
      'TRADES (β = 1)',
    );
    await engine.removePanel('c');
    const after = events.filter((e) => e.type === 'panels').at(-1);
    expect(after?.type === 'panels' && after.panels.map((p) => p.id)).toEqual(['a', 'b']);
    // A new configuration (another dataset, same panel ids) is a newer generation for every panel.
    await engine.configure({
      ...CONFIG,
      data: { kind: 'generator', name: 'moons', nTrain: 60, nTest: 30, seed: 9, params: { noise: 0.1 } },
    });
    expect(progress('a')!.generation).toBeGreaterThan(b.generation);
    expect(progress('b')!.generation).toBeGreaterThan(b.generation);
    engine.dispose();
  });

  it('gives a hovered point a robust radius that the exact search confirms on both sides', async () => {
    const { engine } = recordEngine();
    await engine.configure({ ...CONFIG, panels: [panel('c', 'nn')] });
    const data = makeDataset({ name: 'moons', nTrain: 60, nTest: 30, seed: 1, noise: 0.1 });
    const info = (await engine.pointInfo('c', 'test', 0))!;
    expect(info.robustRadius).toBeGreaterThan(0);
    expect(info.robustRadius).toBeLessThan(info.radiusCap);
    // Check with the float64 construction: robust just inside the radius, not robust just outside.
    const sep = (await import('../../src/core/geometry.ts')).separation(data.train, data.test, 'linf');
    const r = sep.trainTrain.minExcludingConflicts / 2;
    const exact = nearestNeighbourConstruction(data.train, 2, 'linf', r);
    const point = { x: data.test.x.slice(0, 2), y: data.test.y.slice(0, 1) };
    const at = async (radius: number) =>
      (
        await exactRobustness((xy) => Promise.resolve(exact.logits(xy)), point, 2, radius, 'linf', {
          lipschitz: exact.marginLipschitzL2,
          maxDepth: 12,
        })
      ).robust;
    const slack = info.robustRadiusTolerance + 1e-3 * info.robustRadius;
    expect(await at(info.robustRadius - slack)).toBe(1);
    expect(await at(info.robustRadius + slack + 1e-4)).toBe(0);
    engine.dispose();
  });

  it('answers picture requests only for panels whose picture changed', async () => {
    const { engine } = recordEngine();
    await engine.configure(CONFIG);
    const ids = ['a', 'b', 'c'];
    const first = await engine.frames({ panelIds: ids, resolution: 12 });
    expect(first.frames.map((f) => f.panelId)).toEqual(ids);
    expect(first.costMs).toBeGreaterThanOrEqual(0);
    expect((await engine.frames({ panelIds: ids, resolution: 12 })).frames).toEqual([]);
    await engine.step();
    // The 1-NN construction does not train: only the trained panels have a new picture.
    const afterStep = await engine.frames({ panelIds: ids, resolution: 12 });
    expect(afterStep.frames.map((f) => [f.panelId, f.step])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    const sharper = await engine.frames({ panelIds: ['a'], resolution: 20 });
    expect(sharper.frames[0]!.grid).toHaveLength(400);
    expect(sharper.frames[0]!.field.resolution).toBe(20);
    // A slope field depends on the threat model's norm: a new ε re-draws it, a probability field would not.
    await engine.setField({ kind: 'gradient', resolution: 20 });
    expect((await engine.frames({ panelIds: ['a'], resolution: 20 })).frames).toHaveLength(1);
    await engine.setEvaluation({ eps: 0.05, norm: 'linf' });
    expect((await engine.frames({ panelIds: ['a'], resolution: 20 })).frames).toHaveLength(1);
    await engine.setField({ kind: 'probability', resolution: 20 });
    await engine.frames({ panelIds: ['a'], resolution: 20 });
    await engine.setEvaluation({ eps: 0.07, norm: 'linf' });
    expect((await engine.frames({ panelIds: ['a'], resolution: 20 })).frames).toEqual([]);
    engine.dispose();
  });

  it('frees every tensor when disposed', async () => {
    const before = tf.memory().numTensors;
    const { events, engine } = recordEngine();
    await engine.configure(CONFIG);
    await engine.step();
    await engine.setField({ kind: 'gradient', resolution: 8 });
    await engine.frames({ panelIds: ['a', 'b', 'c'], resolution: 8 });
    await engine.pointInfo('a', 'train', 0);
    await engine.paths('a');
    await engine.requestCurves([0, 0.05]);
    expect(events.filter((e) => e.type === 'curve')).toHaveLength(3);
    const curve = events.find((e) => e.type === 'curve' && e.panelId === 'a');
    expect(curve?.type === 'curve' && curve.robustAcc[0]).toBe(
      (events.filter((e) => e.type === 'metrics' && e.panelId === 'a').at(-1) as MetricsEvent).testAcc,
    );
    engine.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cuts the metrics of a threat model short when a newer one arrives on the event loop meanwhile', async () => {
    // In a worker the next ε of a slider arrives as a message: a task of the event loop, like this timer.
    const { events, engine } = recordEngine();
    await engine.configure(CONFIG);
    await engine.step();
    const first = engine.setEvaluation({ eps: 0.05, norm: 'linf' });
    const second = new Promise<void>((resolve) =>
      setTimeout(() => resolve(engine.setEvaluation({ eps: 0.06, norm: 'linf' })), 0),
    );
    await Promise.all([first, second]);
    const at = (eps: number) =>
      events.filter((e) => e.type === 'metrics' && e.eps === eps).map((e) => 'panelId' in e && e.panelId);
    // The first refresh yields before its first panel and finds the newer threat model waiting: it stops there.
    expect(at(0.05)).toEqual([]);
    expect(at(0.06).sort()).toEqual(['a', 'b', 'c']);
    engine.dispose();
  });
});
