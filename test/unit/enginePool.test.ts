import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../src/cli/nodeBackend.ts';
import { PlaygroundEngine } from '../../src/engine/playground.ts';
import { EnginePool } from '../../src/engine/enginePool.ts';
import type { EngineConfig, EngineEvent, MetricsEvent } from '../../src/engine/protocol.ts';
import { panel, smallConfig } from './engineFixtures.ts';
import { nextTrainingResolution, MIN_RESOLUTION } from '../../src/views/framePump.ts';

const CONFIG: EngineConfig = smallConfig({
  dataSeed: 2,
  noise: 0.15,
  epochs: 2,
  seed: 3,
  resolution: 8,
  panels: [panel('a', 'natural'), panel('b', 'at'), panel('c', 'trades', { beta: 6 }), panel('d', 'nn')],
});

function pooled(parts: number) {
  const events: EngineEvent[] = [];
  const pool = new EnginePool((e) => events.push(e));
  const engines = Array.from(
    { length: parts },
    (_, k) => new PlaygroundEngine((e) => pool.receive(k, e), false),
  );
  pool.attach(engines);
  const metrics = (id: string) =>
    events.filter((e): e is MetricsEvent => e.type === 'metrics' && e.panelId === id).at(-1)!;
  return { pool, engines, events, metrics };
}

describe('the engine pool', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('gives every panel the same numbers whether one engine or three hold the panels', async () => {
    const one = pooled(1);
    const three = pooled(3);
    for (const { pool } of [one, three]) {
      await pool.configure(CONFIG);
      await pool.step();
      await pool.step();
    }
    for (const id of ['a', 'b', 'c', 'd']) {
      const x = one.metrics(id);
      const y = three.metrics(id);
      expect(y.step).toBe(x.step);
      expect([y.trainAcc, y.testAcc, y.advTestAcc, y.robustCount, y.lipschitz]).toEqual([
        x.trainAcc,
        x.testAcc,
        x.advTestAcc,
        x.robustCount,
        x.lipschitz,
      ]);
    }
    expect(one.metrics('b').step).toBe(2);
    // Pictures come from the owning engines, merged in one reply.
    const reply = await three.pool.frames({ panelIds: ['a', 'b', 'c', 'd'], resolution: 8 });
    expect(reply.frames.map((f) => f.panelId).sort()).toEqual(['a', 'b', 'c', 'd']);
    const single = await one.pool.frames({ panelIds: ['c'], resolution: 8 });
    expect(Array.from(reply.frames.find((f) => f.panelId === 'c')!.margin)).toEqual(
      Array.from(single.frames[0]!.margin),
    );
    // One dataset event (part 0 speaks for all), and panels in page order.
    expect(three.events.filter((e) => e.type === 'dataset')).toHaveLength(1);
    const panels = three.events.filter((e) => e.type === 'panels').at(-1);
    expect(panels?.type === 'panels' && panels.panels.map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
    for (const e of [...one.engines, ...three.engines]) e.dispose();
  });

  it('forwards hand edits to every part: the same numbers with one engine or two, one dataset event per change', async () => {
    const one = pooled(1);
    const two = pooled(2);
    const edits = [
      { op: 'move', split: 'train', index: 2, x: 0.25, y: 0.25 },
      { op: 'add', split: 'train', x: -0.5, y: 0.75, label: 1 },
      { op: 'delete', split: 'test', index: 0 },
    ] as const;
    for (const { pool } of [one, two]) {
      await pool.configure(CONFIG);
      await pool.step();
      await pool.setEdits(edits);
      await pool.step();
    }
    for (const id of ['a', 'b', 'c', 'd']) {
      const x = one.metrics(id);
      const y = two.metrics(id);
      expect([y.step, y.dataVersion]).toEqual([id === 'd' ? 0 : 2, 2]);
      expect([y.trainAcc, y.testAcc, y.advTestAcc, y.robustCount, y.lipschitz, y.nn]).toEqual([
        x.trainAcc,
        x.testAcc,
        x.advTestAcc,
        x.robustCount,
        x.lipschitz,
        x.nn,
      ]);
      expect(y.ballStatus).toHaveLength(29);
    }
    const datasets = two.events.flatMap((e) => (e.type === 'dataset' ? [e.dataset] : []));
    expect(datasets.map((d) => [d.version, d.edits, d.trainY.length, d.testY.length])).toEqual([
      [1, 0, 60, 30],
      [2, 3, 61, 29],
    ]);
    // An invalid list: every part refuses it, the page hears it once.
    await two.pool.setEdits([{ op: 'delete', split: 'test', index: 99 }]);
    const errors = two.events.flatMap((e) => (e.type === 'error' ? [e] : []));
    expect(errors.map((e) => e.panelId)).toEqual([null]);
    expect(errors[0]!.message).toMatch(
      /^Edit 1 of 1 cannot apply: point 99 of the test split does not exist/,
    );
    for (const e of [...one.engines, ...two.engines]) e.dispose();
  });

  it('says "not running" only when every part has stopped, and places a new panel on the least loaded part', async () => {
    const { pool, engines, events } = pooled(2);
    await pool.configure({ ...CONFIG, panels: [panel('a', 'natural'), panel('b', 'nn'), panel('c', 'nn')] });
    await pool.play();
    for (let i = 0; i < 400 && !events.some((e) => e.type === 'running' && !e.running); i++)
      await new Promise((r) => setTimeout(r, 25));
    const running = events.filter((e) => e.type === 'running').map((e) => e.type === 'running' && e.running);
    expect(running).toEqual([true, false]);
    const progress = events.flatMap((e) => (e.type === 'progress' ? e.progress : []));
    expect(progress.filter((p) => p.panelId === 'a').at(-1)!.done).toBe(true);
    await pool.upsertPanel(panel('e', 'trades', { beta: 1 }));
    const panels = events.filter((e) => e.type === 'panels').at(-1);
    expect(panels?.type === 'panels' && panels.panels.map((p) => p.id)).toEqual(['a', 'b', 'c', 'e']);
    // Part 0 held a and c, part 1 held b: e goes to part 1.
    expect(await engines[1]!.exportModel('e')).toContain('robust-mlp/1');
    expect(await engines[0]!.exportModel('e')).toBeNull();
    await pool.removePanel('a');
    const after = events.filter((e) => e.type === 'panels').at(-1);
    expect(after?.type === 'panels' && after.panels.map((p) => p.id)).toEqual(['b', 'c', 'e']);
    for (const e of engines) e.dispose();
  });
});

describe('the adaptive picture resolution', () => {
  it('coarsens an expensive request, sharpens a cheap one, and stays within its bounds', () => {
    expect(nextTrainingResolution(64, 60, 128)).toBe(48);
    expect(nextTrainingResolution(64, 5, 128)).toBe(80);
    expect(nextTrainingResolution(64, 20, 128)).toBe(64);
    expect(nextTrainingResolution(120, 5, 128)).toBe(128);
    expect(nextTrainingResolution(MIN_RESOLUTION, 500, 128)).toBe(MIN_RESOLUTION);
    expect(nextTrainingResolution(64, 5, 40)).toBe(40);
  });
});
