/**
 * Imported models in the playground engine: a `robust-mlp/1` model shown as a panel that is evaluated like any
 * other and never trained; a model that does not fit the data is reported, not crashed on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { startNodeBackend } from '../../src/cli/nodeBackend.ts';
import { parseModelJson, type ModelJson } from '../../src/core/formats/modelJson.ts';
import {
  IMPORTED_METHOD,
  type EngineConfig,
  type ImportedModel,
  type PanelSpec,
} from '../../src/engine/protocol.ts';
import { panel, playToEnd, recordEngine, smallConfig } from './engineFixtures.ts';

const CONFIG: EngineConfig = smallConfig({
  dataSeed: 4,
  noise: 0.1,
  epochs: 3,
  seed: 2,
  resolution: 12,
  panels: [panel('a', 'trades', { beta: 6 })],
});

function importedPanel(id: string, fileName: string, model: ModelJson): PanelSpec {
  const imported: ImportedModel = { fileName, model, reported: null };
  return { id, method: IMPORTED_METHOD, variant: '', hyper: {}, dropout: 0, r: null, imported };
}

describe('an imported model in the playground engine', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('shows the same numbers as the panel it was exported from, and exports it back unchanged', async () => {
    const { engine, events, last, progress } = recordEngine();
    await engine.configure(CONFIG);
    await playToEnd(engine, events);
    const text = (await engine.exportModel('a'))!;
    const json = parseModelJson(text);
    expect(json.method).toBe('trades');
    await engine.upsertPanel(importedPanel('i', 'trades-moons.json', json));
    const panels = events.filter((e) => e.type === 'panels').at(-1);
    const info = panels?.type === 'panels' ? panels.panels.find((p) => p.id === 'i') : undefined;
    expect(info).toMatchObject({ label: 'Imported: trades-moons.json (TRADES)', method: IMPORTED_METHOD });
    expect(info!.summary).toMatch(
      /^Not trained here: weights from trades-moons\.json \(trained with TRADES, β = 6, K = 10, ε = 0\.1, norm = linf\)/,
    );
    expect(progress('i')).toMatchObject({ step: 0, totalSteps: 0, done: true, stopped: null });
    const original = last('metrics', 'a')!;
    const copy = last('metrics', 'i')!;
    // Same float32 weights, same data, same attack seed: the same numbers.
    for (const key of ['trainAcc', 'testAcc', 'advTestAcc', 'robustCount', 'lipschitz'] as const)
      expect(copy[key]).toBe(original[key]);
    expect(Array.from(copy.advX)).toEqual(Array.from(original.advX));
    const frames = await engine.frames({ panelIds: ['a', 'i'], resolution: 12 });
    expect(Array.from(frames.frames[1]!.margin)).toEqual(Array.from(frames.frames[0]!.margin));
    const [hoverA, hoverI] = [await engine.pointInfo('a', 'test', 3), await engine.pointInfo('i', 'test', 3)];
    expect({ ...hoverI, panelId: 'a' }).toEqual(hoverA);
    expect((await engine.paths('i'))!.path).toEqual((await engine.paths('a'))!.path);
    // Written back: the same method, settings, activation and weights — the same text.
    expect(await engine.exportModel('i')).toBe(text);
    // An edit of the points: fresh metrics on the new points, no training.
    await engine.setEdits([{ op: 'delete', split: 'test', index: 0 }]);
    expect(last('metrics', 'i')!).toMatchObject({ step: 0, dataVersion: 2 });
    expect(last('metrics', 'i')!.ballStatus).toHaveLength(29);
    expect(progress('i')).toMatchObject({ step: 0, totalSteps: 0, done: true });
    engine.dispose();
  });

  it('reports a model whose class or input count does not fit the data, without a classifier', async () => {
    const before = tf.memory().numTensors;
    const { engine, events, last } = recordEngine();
    await engine.configure(CONFIG);
    await engine.step();
    const json = parseModelJson((await engine.exportModel('a'))!);
    const lastLayer = json.layers.at(-1)!;
    const threeClasses: ModelJson = {
      ...json,
      layers: [
        ...json.layers.slice(0, -1),
        { W: lastLayer.W.map((row) => [...row, 0]), b: [...lastLayer.b, 0] },
      ],
    };
    await engine.upsertPanel(importedPanel('x', 'three.json', threeClasses));
    expect(last('error', 'x')).toEqual({
      type: 'error',
      panelId: 'x',
      message:
        'three.json: This model has 3 classes (outputs) but the data has 2. Open the dataset it was trained on ' +
        'first (its CSV), or a model trained on this data.',
    });
    const first = json.layers[0]!;
    const threeInputs: ModelJson = {
      ...json,
      layers: [{ ...first, W: [...first.W, first.W[0]!] }, ...json.layers.slice(1)],
    };
    await engine.upsertPanel(importedPanel('y', '3d.json', threeInputs));
    expect(last('error', 'y')!.message).toBe(
      '3d.json: This model takes 3 inputs; the data has 2. Load a 2D model.',
    );
    // No classifier: no picture, no numbers, nothing to export; the other panels go on.
    const frames = await engine.frames({ panelIds: ['a', 'x', 'y'], resolution: 8 });
    expect(frames.frames.map((f) => f.panelId)).toEqual(['a']);
    expect(last('metrics', 'x')).toBeUndefined();
    expect(await engine.exportModel('x')).toBeNull();
    expect(await engine.pointInfo('x', 'train', 0)).toBeNull();
    await engine.step();
    await engine.setEdits([{ op: 'move', split: 'train', index: 0, x: 0, y: 0 }]);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(2);
    expect(last('metrics', 'a')!).toMatchObject({ step: 2, dataVersion: 2 });
    engine.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
