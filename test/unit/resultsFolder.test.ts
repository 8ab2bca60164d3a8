import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatasetCsv } from '../../src/core/formats/datasetCsv.ts';
import { parseModelJson } from '../../src/core/formats/modelJson.ts';
import { readResultsFolder, ResultsFolderError, type TextFile } from '../../src/state/resultsFolder.ts';

// Written by `npm run experiment -- --dataset moons --n-train 30 --n-test 12 --hidden 4 --epochs 2
//   --methods natural,trades,nn --eps 0.1 --out test/fixtures/results-small`; the model files were reformatted by
//   Prettier (same JSON), everything else is as written.
const DIR = path.join(import.meta.dirname, '../fixtures/results-small');
const fixture: TextFile[] = readdirSync(DIR)
  .sort()
  .map((name) => ({ name, text: readFileSync(path.join(DIR, name), 'utf8') }));
const file = (name: string) => fixture.find((f) => f.name === name)!;
const without = (name: string) => fixture.filter((f) => f.name !== name);
const replaced = (name: string, text: string) => fixture.map((f) => (f.name === name ? { name, text } : f));
const edited = (edit: (r: Record<string, unknown>) => void) => {
  const r = JSON.parse(file('results.json').text) as Record<string, unknown>;
  edit(r);
  return replaced('results.json', JSON.stringify(r));
};

function failure(files: readonly TextFile[]): ResultsFolderError {
  try {
    readResultsFolder(files);
  } catch (e) {
    if (e instanceof ResultsFolderError) return e;
    throw e;
  }
  throw new Error('expected a ResultsFolderError');
}

describe('readResultsFolder on a real runner folder', () => {
  const folder = readResultsFolder(fixture);

  it('reads the run: dataset, threat model and backend', () => {
    expect(folder.resultsFile).toBe('results.json');
    expect(folder.datasetName).toBe('moons');
    expect(folder.eps).toBe(0.1);
    expect(folder.norm).toBe('linf');
    expect(folder.backend).toBe('wasm');
    expect(folder.separationLinf).toBeCloseTo(0.14046, 4);
  });

  it("gives the dataset's points in the page's import shape, bit for bit", () => {
    const csv = parseDatasetCsv(file('dataset.csv').text);
    const p = folder.points;
    expect(p.name).toBe('moons');
    expect(p.nClasses).toBe(2);
    expect(p.trainX).toEqual(csv.train.x);
    expect(p.trainY).toEqual(csv.train.y);
    expect(p.testX).toEqual(csv.test.x);
    expect(p.testY).toEqual(csv.test.y);
    expect(p.trainY).toHaveLength(30);
    expect(p.testY).toHaveLength(12);
    // A generated dataset keeps the generator's [−1, 1]² box (grown to hold every point).
    expect(p.box.xMin).toBeLessThanOrEqual(-1);
    expect(p.box.xMax).toBeGreaterThanOrEqual(1);
  });

  it('opens each model file named by a model entry, with what the runner reported', () => {
    expect(folder.models.map((m) => m.fileName)).toEqual(['natural.model.json', 'trades.model.json']);
    const t = folder.models[1]!;
    expect(t.method).toBe('trades');
    expect(t.label).toBe('TRADES (β = 6)');
    expect(t.model).toEqual(parseModelJson(file('trades.model.json').text));
    expect(t.reported).toEqual({
      trainAcc: 0.5,
      testAcc: 0.5,
      advTestAcc: 0.5,
      robustTestAcc: 0.5,
      lipschitz: 0.1627343762665987,
      lipschitzDirection: 'repo',
      eps: 0.1,
      norm: 'linf',
      steps: 2,
      seconds: 0.010969575000000077,
    });
  });

  it('lists the entry without weights (the 1-NN construction) and nothing missing', () => {
    expect(folder.withoutWeights).toEqual(['1-NN construction']);
    expect(folder.missing).toEqual([]);
    expect(folder.warnings).toEqual([]);
  });

  it('matches files by folder when names carry the picked folder', () => {
    const nested = fixture.map((f) => ({ ...f, name: `runs/moons/${f.name}` }));
    const other = { name: 'runs/other/natural.model.json', text: 'not read' };
    const f = readResultsFolder([other, ...nested]);
    expect(f.models.map((m) => m.fileName)).toEqual([
      'runs/moons/natural.model.json',
      'runs/moons/trades.model.json',
    ]);
  });

  it('ignores files the runner did not write', () => {
    const extra = [...fixture, { name: 'notes.txt', text: 'hello' }, { name: 'other.json', text: '{"a":1}' }];
    expect(readResultsFolder(extra).models).toHaveLength(2);
  });
});

describe('readResultsFolder with files missing', () => {
  it('warns about a model file that was not given and opens the rest', () => {
    const f = readResultsFolder(without('trades.model.json'));
    expect(f.models.map((m) => m.method)).toEqual(['natural']);
    expect(f.missing).toEqual(['trades.model.json']);
    expect(f.warnings.join(' ')).toMatch(/trades\.model\.json .*was not given; Select the whole folder/);
  });

  it('refuses a folder without results.json and says what to select', () => {
    const e = failure(without('results.json'));
    expect(e.code).toBe('no-results');
    expect(e.message).toMatch(/No results\.json .*robust-results\/1.*among the 3 files given/);
    expect(e.message).toMatch(/results\.json, dataset\.csv and the \*\.model\.json files/);
  });

  it('refuses an empty selection', () => {
    expect(failure([]).code).toBe('no-results');
  });

  it('refuses a folder without dataset.csv', () => {
    const e = failure(without('dataset.csv'));
    expect(e.code).toBe('no-dataset');
    expect(e.message).toMatch(/dataset\.csv is missing beside results\.json/);
  });

  it('refuses two results files at once', () => {
    const e = failure([...fixture, { ...file('results.json'), name: 'copy/results.json' }]);
    expect(e.code).toBe('several-results');
    expect(e.message).toMatch(/results\.json, copy\/results\.json/);
  });
});

describe('readResultsFolder with malformed files', () => {
  it('names the field of results.json that is missing', () => {
    const e = failure(edited((r) => delete r.eps));
    expect(e.code).toBe('schema');
    expect(e.message).toMatch(/^results\.json: eps is missing\./);
  });

  it('names a percentage where a fraction belongs', () => {
    const e = failure(
      edited((r) => {
        (r.models as Record<string, unknown>[])[0]!.test_acc = 50;
      }),
    );
    expect(e.message).toMatch(/models\[0\]\.test_acc must be ≤ 1 \(a fraction, not a percentage\)/);
  });

  it('names an unknown norm', () => {
    expect(failure(edited((r) => (r.norm = 'l1'))).message).toMatch(/norm must be "linf" or "l2"/);
  });

  it('passes on the line of a broken dataset.csv', () => {
    const e = failure(replaced('dataset.csv', 'x1,x2,label,split\n0,0,0,train\n0,zero,1,train\n'));
    expect(e.code).toBe('dataset');
    expect(e.file).toBe('dataset.csv');
    expect(e.message).toMatch(/^dataset\.csv: Line 3: x2 "zero"/);
  });

  it('refuses a dataset.csv from another run (other point counts)', () => {
    const lines = file('dataset.csv').text.trimEnd().split('\n');
    const e = failure(replaced('dataset.csv', lines.slice(0, -1).join('\n') + '\n'));
    expect(e.code).toBe('mismatch');
    expect(e.message).toMatch(/holds 30 train and 11 test points, but results\.json reports 30 and 12/);
  });

  it('passes on the path of a broken model file', () => {
    const bad = file('natural.model.json').text.replace('"relu"', '"sigmoid"');
    const e = failure(replaced('natural.model.json', bad));
    expect(e.code).toBe('model');
    expect(e.message).toMatch(
      /^natural\.model\.json: Model file: activation must be one of relu, tanh, softplus/,
    );
  });
});
