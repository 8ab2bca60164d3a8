/**
 * The playground engine's memory stays flat: tfjs's live tensors and bytes, read through the engine's own probe
 * (`memory()`, between two engine tasks), come back to the same figures after every change of ε, of the dataset,
 * of the panels and the points, and after every reset — and disposing the engine frees every tensor it made. The
 * figures are compared like with like: read at the same point of each round (just after a reset and one step, so
 * every optimizer holds its moments) on data with the same number of classes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { startNodeBackend } from '../../src/cli/nodeBackend.ts';
import { PlaygroundEngine } from '../../src/engine/playground.ts';
import { EnginePool } from '../../src/engine/enginePool.ts';
import {
  IMPORTED_METHOD,
  type EngineApi,
  type EngineConfig,
  type EngineEvent,
  type EngineMemory,
  type FieldKind,
  type PanelSpec,
} from '../../src/engine/protocol.ts';
import type { DatasetName } from '../../src/core/datasets/index.ts';
import { parseModelJson } from '../../src/core/formats/modelJson.ts';
import { METHODS } from '../../src/ml/methods/index.ts';

type Reading = Pick<EngineMemory, 'numTensors' | 'numBytes'>;

const DATASETS: readonly DatasetName[] = ['moons', 'circles', 'xor', 'spiral', 'gaussians'];
const FIELDS: readonly FieldKind[] = ['probability', 'margin', 'gradient', 'ratio'];

/** One panel of every method and variant, the attacks as short as their settings allow; dropout on some. */
const EVERY_METHOD: readonly PanelSpec[] = Object.values(METHODS).flatMap((m, i) =>
  (m.variants?.map((v) => v.id) ?? ['']).map((variant, j) => ({
    id: `${m.id}-${variant}`,
    method: m.id,
    variant,
    hyper: Object.fromEntries(m.hyper.filter((h) => h.key === 'steps').map((h) => [h.key, 1])),
    dropout: (i + j) % 2 === 1 ? 0.2 : 0,
    r: null,
  })),
);
const NN: PanelSpec = { id: 'nn', method: 'nn', variant: '', hyper: {}, dropout: 0, r: null };

/** A tiny configuration: 16 training points of dataset `k mod 5`, drawn with seed `k`. */
function config(k: number, panels: readonly PanelSpec[], nTest: number): EngineConfig {
  return {
    data: { kind: 'generator', name: DATASETS[k % DATASETS.length]!, nTrain: 16, nTest, seed: k, params: {} },
    edits: [],
    train: {
      hidden: [8],
      activation: 'relu',
      optimizer: 'adam',
      lr: 0.01,
      batchSize: 8,
      epochs: 4,
      seed: 0,
      trainEps: 0.1,
      trainNorm: 'linf',
    },
    evaluation: { eps: 0.1, norm: 'linf' },
    field: { kind: 'probability', resolution: 8 },
    panels,
  };
}

/** A Node engine that keeps only its error events (thousands of metrics would only fill the heap). */
function quietEngine() {
  const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
  const classes: number[] = [];
  const engine = new PlaygroundEngine((e) => {
    if (e.type === 'error') errors.push(e);
    if (e.type === 'dataset') classes.push(e.dataset.nClasses);
  }, false);
  const reading = async (): Promise<Reading> => {
    const { numTensors, numBytes } = await engine.memory();
    return { numTensors, numBytes };
  };
  return { engine, errors, reading, nClasses: () => classes.at(-1)! };
}

function tfReading(): Reading {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
}

describe('the engine’s memory', () => {
  beforeAll(async () => {
    await startNodeBackend('cpu');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('is the same after every round of changes to every kind of panel, and disposing the engine frees it all', async () => {
    const baseline = tfReading();
    const { engine, errors, reading, nClasses } = quietEngine();
    await engine.configure(config(0, [...EVERY_METHOD, NN], 2));
    await engine.step();
    const json = parseModelJson((await engine.exportModel(EVERY_METHOD[0]!.id))!);
    const imported: PanelSpec = {
      id: 'imported',
      method: IMPORTED_METHOD,
      variant: '',
      hyper: {},
      dropout: 0,
      r: null,
      imported: { fileName: 'natural.json', model: json, reported: null },
    };
    const panels = [...EVERY_METHOD, NN, imported];
    const ids = panels.map((p) => p.id);
    // The first reading of each class count (an imported two-class model has no classifier on three classes).
    const byClasses = new Map<number, Reading>();
    const start = performance.now();
    const rounds = 2 * DATASETS.length;
    for (let k = 0; k < rounds; k++) {
      // Test points in two rounds: the metrics on them (the evaluation PGD with restarts, the exact search, the
      // Lipschitz search) take a second per round of every panel; without them a round takes a tenth of that.
      await engine.configure(config(k, panels, k % DATASETS.length === 0 ? 2 : 0));
      await engine.step();
      await engine.setField({ kind: FIELDS[k % FIELDS.length]!, resolution: 6 });
      await engine.frames({ panelIds: ids, resolution: 6 });
      await engine.setEvaluation({ eps: 0.05 + 0.01 * k, norm: k % 2 === 0 ? 'l2' : 'linf' });
      await engine.frames({ panelIds: ids, resolution: 6 });
      // Hand edits (a fine-tune of the finished panels, the 1-NN rebuilt), then back to the generated points.
      await engine.setEdits([
        { op: 'add', split: 'train', x: 0.1, y: -0.2, label: 0 },
        { op: 'move', split: 'train', index: 0, x: 0.3, y: 0.3 },
      ]);
      await engine.step();
      await engine.setEdits([]);
      // A panel retrained with other settings, one removed and added back.
      await engine.upsertPanel({ ...EVERY_METHOD[0]!, dropout: 0.1 });
      await engine.removePanel('nn');
      await engine.upsertPanel(NN);
      await engine.pointInfo(ids[k % ids.length]!, 'train', k);
      await engine.paths(ids[(k + 1) % ids.length]!);
      await engine.requestCurves([0, 0.05]);
      await engine.exportModel(ids[(k + 2) % ids.length]!);
      await engine.play();
      await new Promise((r) => setTimeout(r, 50));
      await engine.pause();
      await engine.reset();
      await engine.step();
      const now = await reading();
      const expected = byClasses.get(nClasses()) ?? now;
      byClasses.set(nClasses(), expected);
      expect({ round: k, ...now }).toEqual({ round: k, ...expected });
    }
    const ms = performance.now() - start;
    // Only the imported two-class model on three-class data may complain.
    expect(errors.filter((e) => e.panelId !== 'imported')).toEqual([]);
    engine.dispose();
    expect(tfReading()).toEqual(baseline);
    console.log(
      `every panel (${panels.length}), ${rounds} rounds in ${(ms / 1000).toFixed(1)} s: ` +
        [...byClasses]
          .map(([c, r]) => `${c} classes ${r.numTensors} tensors ${r.numBytes} bytes`)
          .join(', ') +
        `; ${baseline.numTensors} tensors, ${baseline.numBytes} bytes before and after`,
    );
  }, 300_000);

  it('is the same after each of 1,000 changes of ε, of the dataset and resets, and disposing the engine frees it all', async () => {
    const CHANGES = 1000;
    const baseline = tfReading();
    const { engine, errors, reading } = quietEngine();
    const panels = [EVERY_METHOD.find((p) => p.method === 'trades')!, NN];
    const ids = panels.map((p) => p.id);
    // Two-class datasets only (gaussians has three blobs by default), so every reading compares like with like.
    const twoClass = (k: number) => (k % DATASETS.length === 4 ? k + 1 : k);
    // The test split is empty but now and then: the evaluation PGD, the exact search and the Lipschitz search run
    // on a few points then (they take a tenth of a second per panel; the rest of each change takes milliseconds).
    const nTest = (k: number) => (k % 100 === 0 ? 2 : 0);
    await engine.configure(config(0, panels, 0));
    await engine.step();
    await engine.reset();
    const warmed = await reading();
    const start = performance.now();
    const timings = { eps: 0, dataset: 0, reset: 0 };
    let t = performance.now();
    const lap = (key: keyof typeof timings) => {
      const n = performance.now();
      timings[key] += n - t;
      t = n;
    };
    for (let k = 1; k <= CHANGES; k++) {
      t = performance.now();
      await engine.setEvaluation({
        eps: 0.01 + 0.001 * (k % 200),
        norm: Math.floor(k / 10) % 2 === 0 ? 'linf' : 'l2',
      });
      lap('eps');
      await engine.configure(config(twoClass(k), panels, nTest(k)));
      lap('dataset');
      // As the views would: pictures, and a few steps now and then.
      if (k % 5 === 0) await engine.step();
      if (k % 10 === 0) await engine.frames({ panelIds: ids, resolution: 6 + (k % 3) });
      t = performance.now();
      await engine.reset();
      lap('reset');
      expect({ change: k, ...(await reading()) }).toEqual({ change: k, ...warmed });
    }
    const ms = performance.now() - start;
    expect(errors).toEqual([]);
    engine.dispose();
    expect(tfReading()).toEqual(baseline);
    const s = (v: number) => `${(v / 1000).toFixed(1)} s`;
    console.log(
      `${CHANGES} changes each of ε, dataset and reset in ${s(ms)} (ε ${s(timings.eps)}, dataset ` +
        `${s(timings.dataset)}, reset ${s(timings.reset)}): ${warmed.numTensors} tensors, ${warmed.numBytes} bytes ` +
        `after every change; ${baseline.numTensors} tensors, ${baseline.numBytes} bytes before and after`,
    );
  }, 300_000);
  it('of a pool is the sum of its parts’ (each worker has its own tfjs), with the backend of the first', async () => {
    const part = (memory: EngineMemory) =>
      ({ memory: () => Promise.resolve(memory) }) as unknown as EngineApi;
    const pool = new EnginePool(() => {});
    pool.attach([
      part({ backend: 'webgpu', numTensors: 30, numBytes: 4000, numDataBuffers: 28 }),
      part({ backend: 'wasm', numTensors: 12, numBytes: 1000, numDataBuffers: 11 }),
    ]);
    expect(await pool.memory()).toEqual({
      backend: 'webgpu',
      numTensors: 42,
      numBytes: 5000,
      numDataBuffers: 39,
    });
  });
});
