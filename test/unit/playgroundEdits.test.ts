/**
 * The playground engine under hand edits of the points: models keep their weights and train on, a finished panel
 * fine-tunes, the 1-NN construction follows at once, every event names the data version, a burst of edits
 * coalesces, and an invalid list changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { startNodeBackend } from '../../src/cli/nodeBackend.ts';
import type { PointEdit } from '../../src/core/datasets/edits.ts';
import {
  fineTuneEpochs,
  type DatasetInfo,
  type EngineConfig,
  type MetricsEvent,
} from '../../src/engine/protocol.ts';
import { panel, playToEnd, recordEngine, smallConfig } from './engineFixtures.ts';

const CONFIG: EngineConfig = smallConfig({
  dataSeed: 1,
  noise: 0.1,
  epochs: 3,
  seed: 0,
  resolution: 16,
  panels: [panel('a', 'natural'), panel('c', 'nn')],
});
/** 60 points at batch 32. */
const STEPS_PER_EPOCH = 2;

/** The L∞ distance of the closest differently labelled training points (brute force, for the checks). */
function closestOtherClass(x: ArrayLike<number>, y: ArrayLike<number>): { d: number; i: number; j: number } {
  let best = { d: Infinity, i: -1, j: -1 };
  for (let i = 0; i < y.length; i++)
    for (let j = 0; j < y.length; j++) {
      if (y[i] === y[j]) continue;
      const d = Math.max(Math.abs(x[2 * i]! - x[2 * j]!), Math.abs(x[2 * i + 1]! - x[2 * j + 1]!));
      if (d < best.d) best = { d, i, j };
    }
  return best;
}

describe('the playground engine under hand edits', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('keeps the weights and the step of a network across an edit, and trains on the edited points next', async () => {
    const edited = recordEngine();
    const same = recordEngine();
    const move: PointEdit = { op: 'move', split: 'train', index: 0, x: 0.9, y: -0.9 };
    for (const { engine } of [edited, same]) {
      await engine.configure({ ...CONFIG, panels: [panel('a', 'natural')] });
      for (let k = 0; k < 3; k++) await engine.step();
    }
    const before = await edited.engine.exportModel('a');
    await edited.engine.setEdits([move]);
    // The same points again: a new version and a fresh shuffled pass, as after any edit — only the points differ.
    await same.engine.setEdits([]);
    expect(await edited.engine.exportModel('a')).toBe(before);
    expect(await same.engine.exportModel('a')).toBe(before);
    expect(edited.progress('a')!.step).toBe(3);
    expect(edited.datasets().at(-1)!.trainX.slice(0, 2)).toEqual(Float64Array.of(0.9, -0.9));
    // The generation stays: the views keep the last numbers until fresh ones arrive.
    expect(edited.progress('a')!.generation).toBe(same.progress('a')!.generation);
    // One pass (2 steps of 30 and 32 points after a fresh shuffle) trains on every point, the moved one included.
    for (const { engine } of [edited, same]) for (let k = 0; k < 2; k++) await engine.step();
    expect(edited.progress('a')!.step).toBe(5);
    expect(await edited.engine.exportModel('a')).not.toBe(await same.engine.exportModel('a'));
    const m = edited.last('metrics', 'a')!;
    expect([m.step, m.dataVersion]).toEqual([5, 2]);
    edited.engine.dispose();
    same.engine.dispose();
  });

  it('gives a finished panel ⌈epochs / 4⌉ more epochs after an edit, and it finishes again', async () => {
    const { events, engine, progress } = recordEngine();
    await engine.configure({ ...CONFIG, panels: [panel('a', 'natural')] });
    await playToEnd(engine, events);
    expect(progress('a')!).toMatchObject({ step: 3 * STEPS_PER_EPOCH, totalSteps: 6, done: true });
    await engine.setEdits([{ op: 'move', split: 'train', index: 3, x: 0, y: 0 }]);
    // fineTuneEpochs(3) = max(1, ⌈0.75⌉) = 1 epoch = 2 steps from step 6.
    expect(fineTuneEpochs(3)).toBe(1);
    expect(fineTuneEpochs(40)).toBe(10);
    expect(fineTuneEpochs(41)).toBe(11);
    expect(progress('a')!).toMatchObject({ step: 6, totalSteps: 8, done: false });
    await playToEnd(engine, events);
    expect(progress('a')!).toMatchObject({ step: 8, totalSteps: 8, done: true, epoch: 4 });
    expect(progress('a')!.epochLosses).toHaveLength(4);
    engine.dispose();
  });

  it('rebuilds the 1-NN construction at once: r is half the new separation', async () => {
    const { engine, last, datasets } = recordEngine();
    await engine.configure(CONFIG);
    await engine.pause();
    const info = datasets().at(-1)!;
    const before = last('metrics', 'c')!;
    expect(before.nn!.r).toBe(info.separation.trainTrainExcludingConflicts / 2);
    // Move training point i of one class to 0.004 (L∞) right of the point j of the other class it is closest to.
    const { i, j } = closestOtherClass(info.trainX, info.trainY);
    const d = 0.004;
    const x = info.trainX[2 * j]! + d;
    const y = info.trainX[2 * j + 1]!;
    const movedX = Float64Array.from(info.trainX);
    movedX[2 * i] = x;
    movedX[2 * i + 1] = y;
    // Precondition: no other pair of classes is closer, so the separation is exactly |x − x_j| (= d in float64).
    const expected = Math.abs(x - info.trainX[2 * j]!);
    expect(expected).toBeCloseTo(d, 12);
    expect(closestOtherClass(movedX, info.trainY).d).toBe(expected);
    await engine.setEdits([{ op: 'move', split: 'train', index: i, x, y }]);
    const after = datasets().at(-1)!;
    expect(after.separation.trainTrain).toBe(expected);
    expect(after.version).toBe(2);
    expect(after.edits).toBe(1);
    const nn = last('metrics', 'c')!;
    expect(nn.dataVersion).toBe(2);
    expect(nn.nn!.r).toBe(expected / 2);
    // The theorem still holds on the edited points (they are 2r-separated by construction of r).
    expect(nn.nn!.robustTrainAccAtR).toBe(1);
    // And the picture is a new one, while the network's (no step since) is not.
    const frames = await engine.frames({ panelIds: ['a', 'c'], resolution: 16 });
    expect(frames.frames.map((f) => f.panelId)).toEqual(['a', 'c']);
    const again = await engine.frames({ panelIds: ['a', 'c'], resolution: 16 });
    expect(again.frames).toEqual([]);
    await engine.setEdits([]);
    const next = await engine.frames({ panelIds: ['a', 'c'], resolution: 16 });
    expect(next.frames.map((f) => f.panelId)).toEqual(['c']);
    engine.dispose();
  });

  it('names the data version in every metric and applies only the last of a burst of edits', async () => {
    const { engine, events, datasets } = recordEngine();
    await engine.configure(CONFIG);
    expect(datasets().map((d) => [d.version, d.edits])).toEqual([[1, 0]]);
    const lists: PointEdit[][] = [1, 2, 3].map((n) =>
      Array.from({ length: n }, () => ({ op: 'add', split: 'test', x: 0.5, y: 0.5, label: 1 }) as const),
    );
    await Promise.all(lists.map((edits) => engine.setEdits(edits)));
    // One dataset event for the burst, with the last list (the version numbers the calls: configure 1, edits 2–4).
    expect(datasets().map((d) => [d.version, d.edits, d.testY.length])).toEqual([
      [1, 0, 30],
      [4, 3, 33],
    ]);
    const metrics = events.filter((e): e is MetricsEvent => e.type === 'metrics');
    expect(metrics.map((m) => [m.panelId, m.dataVersion])).toEqual([
      ['a', 4],
      ['c', 4],
    ]);
    expect(metrics[0]!.ballStatus).toHaveLength(33);
    engine.dispose();
  });

  it('refuses an invalid edit list with a message, keeping the points and the training', async () => {
    const { engine, events, datasets, progress } = recordEngine();
    await engine.configure({ ...CONFIG, train: { ...CONFIG.train, epochs: 200 } });
    await engine.setEdits([{ op: 'move', split: 'train', index: 1, x: 0, y: 0.5 }]);
    const before: DatasetInfo = datasets().at(-1)!;
    await engine.play();
    await engine.setEdits([
      { op: 'move', split: 'train', index: 1, x: 0, y: 0.5 },
      { op: 'delete', split: 'test', index: 30 },
    ]);
    const error = events.filter((e) => e.type === 'error').at(-1);
    expect(error).toEqual({
      type: 'error',
      panelId: null,
      message:
        'Edit 2 of 2 cannot apply: point 30 of the test split does not exist (it has 30 points). ' +
        'The points stay as they were: undo the edit or reset the data.',
    });
    expect(datasets().at(-1)).toBe(before);
    const step = progress('a')!.step;
    await new Promise((r) => setTimeout(r, 300));
    await engine.pause();
    expect(progress('a')!.step).toBeGreaterThan(step);
    // The metrics describe the points that stayed.
    expect(events.filter((e): e is MetricsEvent => e.type === 'metrics').at(-1)!.dataVersion).toBe(
      before.version,
    );
    // A configuration with an invalid list is refused like any invalid setting, and reported.
    const bad = { ...CONFIG, edits: [{ op: 'add', split: 'train', x: 0, y: 0, label: 5 }] as const };
    await expect(engine.configure(bad)).rejects.toThrow(/Edit 1 of 1 cannot apply: class 5 does not exist/);
    expect(events.at(-1)).toMatchObject({ type: 'error', panelId: null });
    engine.dispose();
  });

  it('refuses edits that take the training split above 5,000 points', async () => {
    const { engine, events, datasets } = recordEngine();
    const config: EngineConfig = {
      ...CONFIG,
      data: { kind: 'generator', name: 'moons', nTrain: 3500, nTest: 10, seed: 1, params: { noise: 0.1 } },
      panels: [panel('a', 'natural')],
    };
    await engine.configure(config);
    const adds: PointEdit[] = Array.from({ length: 1501 }, (_, k) => ({
      op: 'add',
      split: 'train',
      x: -1 + k / 1000,
      y: 0.9,
      label: k % 2,
    }));
    await engine.setEdits(adds);
    const error = events.flatMap((e) => (e.type === 'error' ? [e] : [])).at(-1)!;
    expect(error.panelId).toBeNull();
    expect(error.message).toMatch(/^The edits make 5001 training points, more than the 5000 .*undo/);
    expect(datasets()).toHaveLength(1);
    await engine.setEdits(adds.slice(1));
    expect(datasets().at(-1)!.trainY).toHaveLength(5000);
    engine.dispose();
  });
});
