/**
 * The engine enforces the limits itself (core/limits.ts): a configuration, panel or field beyond them is
 * refused with a message naming the setting and the limit, and the running page is left exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { startNodeBackend } from '../../src/cli/nodeBackend.ts';
import { LIMITS } from '../../src/core/limits.ts';
import type { EngineConfig } from '../../src/engine/protocol.ts';
import { panel, recordEngine, smallConfig } from './engineFixtures.ts';

const CONFIG = smallConfig({
  dataSeed: 1,
  noise: 0.1,
  epochs: 2,
  seed: 0,
  resolution: 16,
  panels: [panel('a', 'natural')],
});

function points(nTrain: number, nTest: number, labelOf = (i: number) => i % 2): EngineConfig['data'] {
  const trainX = new Float64Array(2 * nTrain).map((_, i) => (i % 7) / 7);
  const testX = new Float64Array(2 * nTest).map((_, i) => (i % 5) / 5);
  return {
    kind: 'points',
    name: 'upload.csv',
    nClasses: 2,
    trainX,
    trainY: Int32Array.from({ length: nTrain }, (_, i) => labelOf(i)),
    testX,
    testY: Int32Array.from({ length: nTest }, (_, i) => i % 2),
    box: { xMin: -1, xMax: 1, yMin: -1, yMax: 1 },
  };
}

const train = CONFIG.train;
const REFUSED: [string, EngineConfig, RegExp][] = [
  ['five hidden layers', { ...CONFIG, train: { ...train, hidden: [8, 8, 8, 8, 8] } }, /1 to 4 hidden layers/],
  ['a layer of 300 units', { ...CONFIG, train: { ...train, hidden: [300] } }, /300 units.*1 to 256/],
  ['a fractional width', { ...CONFIG, train: { ...train, hidden: [8.5] } }, /8.5 units/],
  ['10⁹ epochs', { ...CONFIG, train: { ...train, epochs: 1e9 } }, /Epochs .*1 to 2,000/],
  ['batch 0', { ...CONFIG, train: { ...train, batchSize: 0 } }, /batch size/],
  ['learning rate 100', { ...CONFIG, train: { ...train, lr: 100 } }, /learning rate .*at most 10/],
  ['learning rate NaN', { ...CONFIG, train: { ...train, lr: NaN } }, /learning rate/],
  ['a 10,000² heatmap', { ...CONFIG, field: { kind: 'probability', resolution: 10_000 } }, /2 to 256 cells/],
  [
    '25 panels',
    { ...CONFIG, panels: Array.from({ length: 25 }, (_, i) => panel(`p${i}`, 'natural')) },
    /at most 24 panels/,
  ],
  ['two panels with one id', { ...CONFIG, panels: [panel('a', 'natural'), panel('a', 'at')] }, /same id/],
  ['20,000 uploaded training points', { ...CONFIG, data: points(20_000, 10) }, /20,000 training .*10,000/],
  ['12,000 test points', { ...CONFIG, data: points(100, 12_000) }, /12,000 test points/],
  [
    'eleven classes',
    { ...CONFIG, data: { ...points(40, 10, (i) => i % 11), nClasses: 11 } as EngineConfig['data'] },
    /11 classes.*2 to 10/,
  ],
  [
    'a NaN coordinate',
    {
      ...CONFIG,
      data: { ...points(40, 10), trainX: new Float64Array(80).fill(NaN) } as EngineConfig['data'],
    },
    /not a finite number/,
  ],
  ['a label out of range', { ...CONFIG, data: points(40, 10, (i) => (i === 3 ? 5 : i % 2)) }, /label 5/],
];

describe('limits enforced in the engine', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('keeps the limits the app documents', () => {
    expect(LIMITS).toMatchObject({
      trainPoints: 10_000,
      testPoints: 10_000,
      classes: 10,
      hiddenLayers: 4,
      width: 256,
      resolution: 256,
      panels: 24,
    });
  });

  it.each(REFUSED)('refuses %s, says so, and keeps the running page', async (_, config, message) => {
    const { engine, events, datasets } = recordEngine();
    await engine.configure(CONFIG);
    await engine.step();
    const panelsBefore = events.filter((e) => e.type === 'panels').length;
    const datasetBefore = datasets().at(-1);
    await expect(engine.configure(config)).rejects.toThrow(message);
    const error = events.at(-1);
    expect(error?.type).toBe('error');
    expect(error?.type === 'error' && error.message).toMatch(/Nothing was changed/);
    // The same panel, the same data, still answering with its trained step.
    expect(events.filter((e) => e.type === 'panels')).toHaveLength(panelsBefore);
    expect(datasets().at(-1)).toBe(datasetBefore);
    const reply = await engine.frames({ panelIds: ['a'], resolution: 16 });
    expect(reply.frames[0]?.step).toBe(1);
    engine.dispose();
  });

  it('refuses a 25th panel and a huge field, and clamps a huge picture request', async () => {
    const { engine } = recordEngine();
    await engine.configure({
      ...CONFIG,
      panels: Array.from({ length: 24 }, (_, i) => panel(`p${i}`, i === 0 ? 'natural' : 'nn')),
    });
    await expect(engine.upsertPanel(panel('p24', 'natural'))).rejects.toThrow(/at most 24 panels/);
    // Replacing one of the 24 is fine.
    await engine.upsertPanel(panel('p1', 'at'));
    await expect(engine.setField({ kind: 'probability', resolution: 1e6 })).rejects.toThrow(/2 to 256/);
    const reply = await engine.frames({ panelIds: ['p0'], resolution: 1e9 });
    expect(reply.frames[0]!.grid).toHaveLength(256 * 256);
    engine.dispose();
  });
});
