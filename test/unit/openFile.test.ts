import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { datasetCsvText } from '../../src/core/formats/datasetCsv.ts';
import { metricsCsvText, type MetricsRow } from '../../src/core/formats/metricsCsv.ts';
import { modelJsonText, type ModelJson } from '../../src/core/formats/modelJson.ts';
import { addPngText, PNG_LINK_KEY } from '../../src/core/formats/pngText.ts';
import {
  classifyOpened,
  FIGURE_LINK_NS,
  linkSearch,
  MAX_OPEN_BYTES,
  modelsMismatch,
  type Opened,
  type OpenedFile,
} from '../../src/state/openFile.ts';
import { figureSvg } from '../../src/views/export/figure.ts';

const enc = new TextEncoder();
const file = (name: string, text: string | Uint8Array): OpenedFile => ({
  name,
  bytes: typeof text === 'string' ? enc.encode(text) : text,
});

const LINK = 'https://example.org/robust/?dataset=spiral&eps=0.05&norm=linf&panels=natural,trades';
const SEARCH = '?dataset=spiral&eps=0.05&norm=linf&panels=natural,trades';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(enc.encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, zlib.crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A real 1×1 RGB PNG. */
function onePixelPng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, 1);
  new DataView(ihdr.buffer).setUint32(4, 1);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(Uint8Array.from([0, 255, 0, 0])))),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const model: ModelJson = {
  method: 'trades',
  hyper: { beta: 6 },
  activation: 'relu',
  layers: [
    {
      W: [
        [0.1, -0.2, 0.3],
        [0, 0.5, -0.1],
      ],
      b: [0, 0, 0],
    },
    {
      W: [
        [0.2, -0.1],
        [0.4, 0.3],
        [-0.5, 0.1],
      ],
      b: [0.1, -0.1],
    },
  ],
};

const dataset = datasetCsvText({
  train: { x: Float64Array.from([0, 0, 1, 1, 0.5, 0.2]), y: Int32Array.from([0, 1, 0]) },
  test: { x: Float64Array.from([0.2, 0.9]), y: Int32Array.from([1]) },
});

const row: MetricsRow = {
  panel: 'Natural, "plain"',
  method: 'natural',
  variant: '',
  hyper: {},
  step: 10,
  trainAcc: 1,
  testAcc: 0.9,
  advTestAcc: 0.5,
  attack: 'PGD-10 (L∞, α = ε/4, 10 restarts)',
  robustTestAcc: 0.45,
  undecided: 0,
  lipschitz: 3,
  lipschitzLabel: 'test Lip',
  eps: 0.05,
  norm: 'linf',
  backend: 'cpu',
  link: LINK,
};

const figure = figureSvg({
  title: 'Figure',
  caption: 'dataset spiral',
  panels: [{ label: 'Natural', heatmapPng: null, marksSvg: '', size: 200, metrics: [] }],
  link: LINK,
});

function expectKind<K extends Opened['kind']>(o: Opened, kind: K): Extract<Opened, { kind: K }> {
  expect(o.kind, o.message).toBe(kind);
  return o as Extract<Opened, { kind: K }>;
}

describe('classifyOpened: what each exported file opens as', () => {
  it('a dataset CSV is a dataset, named after the file', () => {
    const o = expectKind(classifyOpened([file('my points.csv', dataset)]), 'dataset');
    expect(o.name).toBe('my points');
    expect(o.points.trainY).toEqual(Int32Array.from([0, 1, 0]));
    expect(o.points.testX).toEqual(Float64Array.from([0.2, 0.9]));
    expect(o.points.nClasses).toBe(2);
    expect(o.message).toMatch(/3 train and 1 test points, 2 classes/);
  });

  it('a dataset CSV is recognised by its header whatever its extension', () => {
    expectKind(classifyOpened([file('points.txt', `\uFEFF${dataset}`)]), 'dataset');
  });

  it('a model JSON is a list of one model', () => {
    const o = expectKind(classifyOpened([file('trades.model.json', modelJsonText(model))]), 'model');
    expect(o.models).toEqual([{ fileName: 'trades.model.json', model }]);
    expect(o.message).toMatch(/trades, 2 → 3 → 2, relu/);
  });

  it('several model files are one list of models', () => {
    const o = expectKind(
      classifyOpened([file('a.model.json', modelJsonText(model)), file('b.json', modelJsonText(model))]),
      'model',
    );
    expect(o.models.map((m) => m.fileName)).toEqual(['a.model.json', 'b.json']);
  });

  it('a PNG figure gives its link', () => {
    const png = addPngText(onePixelPng(), PNG_LINK_KEY, LINK);
    const o = expectKind(classifyOpened([file('figure.png', png)]), 'link');
    expect(o).toMatchObject({ search: SEARCH, link: LINK, from: 'figure.png' });
  });

  it('an SVG figure gives its link', () => {
    const o = expectKind(classifyOpened([file('figure.svg', figure)]), 'link');
    expect(o.search).toBe(SEARCH);
    expect(o.from).toBe('figure.svg');
  });

  it('a metrics CSV gives the link of its link column', () => {
    const o = expectKind(classifyOpened([file('metrics.csv', metricsCsvText([row, row]))]), 'link');
    expect(o.search).toBe(SEARCH);
    expect(o.message).toMatch(/metrics table metrics\.csv/);
  });

  it("the runner's folder is a results folder", () => {
    const dir = path.join(import.meta.dirname, '../fixtures/results-small');
    const files = readdirSync(dir).map((n) => file(`results-small/${n}`, readFileSync(path.join(dir, n))));
    files.push(file('results-small/figure.png', onePixelPng()));
    const o = expectKind(classifyOpened(files), 'results');
    expect(o.folder.models).toHaveLength(2);
    expect(o.message).toMatch(
      /Opened results\.json \(moons, ε = 0\.1, L∞, wasm\): 2 models\. No weights to show for 1-NN/,
    );
  });
});

describe('classifyOpened: what it refuses, and how it says so', () => {
  const refusal = (files: OpenedFile[]) => expectKind(classifyOpened(files), 'error').message;

  it('nothing at all', () => {
    expect(refusal([])).toMatch(/Nothing was opened/);
  });

  it('an empty file', () => {
    expect(refusal([file('empty.csv', '')])).toMatch(/empty\.csv is empty\. The app opens a dataset CSV/);
  });

  it('a file over the size limit, before looking inside', () => {
    expect(MAX_OPEN_BYTES).toBe(16 * 1024 * 1024);
    const big = { name: 'huge.csv', bytes: new Uint8Array(20 * 1024 * 1024) };
    expect(refusal([big])).toBe(
      'huge.csv is 20.0 MB, over the 16 MB the app opens; nothing was read. A dataset CSV of 10,000 training ' +
        'and 10,000 test points is about 1 MB: sample your data down, or open a smaller model.',
    );
  });

  it('binary junk, naming known formats', () => {
    expect(refusal([file('photo.png', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]))])).toMatch(
      /photo\.png is a JPEG image/,
    );
    expect(refusal([file('x.bin', Uint8Array.from([0, 1, 2, 3, 0xfe, 0xff, 7]))])).toMatch(
      /^x\.bin is not a text file \(it holds binary data\); a dataset CSV is text with the header x1,x2,label,split/,
    );
    expect(refusal([file('x.csv', 'a,b\n\u0000\u0001,c\n')])).toMatch(/binary data/);
  });

  it('a PNG without our key (a screenshot)', () => {
    expect(refusal([file('shot.png', addPngText(onePixelPng(), 'Software', 'gimp'))])).toMatch(
      /shot\.png is a PNG without a Robust Playground link/,
    );
  });

  it('a damaged PNG', () => {
    expect(refusal([file('cut.png', onePixelPng().subarray(0, 30))])).toMatch(
      /cut\.png: The PNG is truncated/,
    );
  });

  it('an SVG without our metadata', () => {
    const svg =
      '<?xml version="1.0"?>\n<!-- drawn elsewhere -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>';
    expect(refusal([file('plot.svg', svg)])).toMatch(/plot\.svg is an SVG without a Robust Playground link/);
  });

  it('an SVG whose link element is in another namespace', () => {
    const svg = figure.replace(FIGURE_LINK_NS, 'https://other.example/ns');
    expect(refusal([file('f.svg', svg)])).toMatch(/without a Robust Playground link/);
  });

  it('JSON of another format, or none', () => {
    expect(refusal([file('m.json', '{"format": "onnx/1", "graph": {}}')])).toMatch(
      /m\.json is a "onnx\/1" file; the app opens "robust-mlp\/1" models and "robust-results\/1"/,
    );
    expect(refusal([file('p.json', '{"name": "package"}')])).toMatch(/p\.json has no "format" field/);
    expect(refusal([file('bad.json', '{"format": ')])).toMatch(
      /bad\.json looks like JSON but cannot be read/,
    );
  });

  it('a model file with a broken layer names the path', () => {
    const bad = modelJsonText(model).replace('"relu"', '"gelu"');
    expect(refusal([file('m.model.json', bad)])).toMatch(
      /m\.model\.json: Model file: activation must be one of/,
    );
  });

  it('a CSV with a wrong header', () => {
    expect(refusal([file('data.csv', 'x,y,class\n0,0,0\n')])).toMatch(
      /data\.csv is a CSV the app does not recognise \(first line "x,y,class"\)\. A dataset CSV starts with x1,x2,label,split/,
    );
  });

  it('a dataset CSV with a bad row keeps the current data', () => {
    expect(refusal([file('d.csv', 'x1,x2,label,split\n0,0,0,train\n0,0,1,valid\n')])).toMatch(
      /d\.csv was not loaded — Line 3: split "valid" is unknown; use train or test\. Your current data is unchanged\./,
    );
  });

  it('a metrics CSV without a link', () => {
    expect(refusal([file('m.csv', metricsCsvText([{ ...row, link: '' }]))])).toMatch(/without a link/);
  });

  it('a results.json alone (no dataset.csv beside it)', () => {
    const dir = path.join(import.meta.dirname, '../fixtures/results-small');
    expect(refusal([file('results.json', readFileSync(path.join(dir, 'results.json')))])).toMatch(
      /dataset\.csv is missing beside results\.json.*Select the whole folder the runner wrote/,
    );
  });

  it('files of different kinds together', () => {
    expect(refusal([file('a.csv', dataset), file('b.model.json', modelJsonText(model))])).toMatch(
      /2 files of different kinds/,
    );
  });

  it('several files where one is bad reports that one', () => {
    expect(refusal([file('a.model.json', modelJsonText(model)), file('b.model.json', '')])).toMatch(
      /b\.model\.json is empty/,
    );
  });
});

describe('classifyOpened: bad input gets a message that says what to do', () => {
  const refusal = (files: OpenedFile[]) => expectKind(classifyOpened(files), 'error').message;
  const HEADER = 'x1,x2,label,split\n';

  it('a label that is HTML is refused as not a class index, quoted as text and cut short', () => {
    const text = `${HEADER}0,0,0,train\n1,1,<img src=x onerror="window.__pwned=1">,train\n`;
    expect(refusal([file('evil.csv', text)])).toBe(
      'evil.csv was not loaded — Line 3: label "<img src=x onerror="window.__pwned=1">" is not a class index; ' +
        'use a whole number from 0 to 9 (the app shows at most 10 classes). Your current data is unchanged.',
    );
    const long = `${HEADER}0,0,<script>${'a'.repeat(100)}</script>,train\n`;
    expect(refusal([file('evil.csv', long)])).toContain(`label "<script>${'a'.repeat(31)}…" is not`);
  });

  it('200,000 rows are refused with what to sample down to', () => {
    const text = HEADER + '0.1,0.2,0,train\n0.3,0.4,1,test\n'.repeat(100_000);
    expect(refusal([file('big.csv', text)])).toBe(
      'big.csv was not loaded — The file has 200,000 rows of points; the app takes at most 10,000 training and ' +
        '10,000 test points. Sample the data down to at most 10,000 training and 10,000 test points and open it ' +
        'again. Your current data is unchanged.',
    );
  });

  it('a coordinate beyond float32 (1e308) is refused, saying to rescale', () => {
    expect(refusal([file('far.csv', `${HEADER}1e308,0,0,train\n`)])).toMatch(
      /^far\.csv was not loaded — Line 2: x1 "1e308" is outside ±1,000,000, .*Rescale the data/,
    );
  });

  it('binary junk after a valid header (NUL bytes past the first 4 kB) is refused as not text', () => {
    const text = HEADER + '0,0,0,train\n'.repeat(500) + '\u0000\u0000\u0000\n';
    expect(refusal([file('junk.csv', text)])).toMatch(
      /^junk\.csv was not loaded — This is not a text file \(it holds binary data\); a dataset CSV is text with the header x1,x2,label,split/,
    );
  });

  it('a dataset with one class or no training rows is refused, not loaded to fail later', () => {
    expect(refusal([file('one.csv', `${HEADER}0,0,1,train\n1,1,1,train\n2,2,0,test\n`)])).toBe(
      'one.csv was not loaded — The training rows hold only class 1; a classifier needs at least two classes. ' +
        'Add training rows of another class (split train). Your current data is unchanged.',
    );
    expect(refusal([file('none.csv', `${HEADER}0,0,1,test\n`)])).toMatch(
      /^none\.csv was not loaded — The CSV has no training rows; mark at least two classes of rows "train"\./,
    );
  });

  it('a web page is named as HTML', () => {
    expect(refusal([file('page.html', '<!DOCTYPE html>\n<html><body><img src=x></body></html>')])).toBe(
      'page.html is a web page (HTML), which the app cannot open. Save the data as a dataset CSV ' +
        '(x1,x2,label,split) and open that.',
    );
  });

  it('a one-line file of 1 MB is quoted by its first 40 characters only', () => {
    const message = refusal([file('line.txt', 'q'.repeat(1 << 20))]);
    expect(message).toContain(`(first line "${'q'.repeat(39)}…")`);
    expect(message.length).toBeLessThan(300);
  });

  it('a model of another format or with wrong shapes names the path', () => {
    expect(refusal([file('m.json', JSON.stringify({ ...model, format: 'robust-mlp/9' }))])).toMatch(
      /^m\.json is a "robust-mlp\/9" file; the app opens "robust-mlp\/1" models/,
    );
    const wrong = { format: 'robust-mlp/1', ...model, layers: [model.layers[1]!, model.layers[0]!] };
    expect(refusal([file('m.json', JSON.stringify(wrong))])).toBe(
      'm.json: Model file: layers[0].W has 3 rows; the first layer takes the 2 input coordinates, so it needs 2 ' +
        'rows.',
    );
  });

  it('models whose class count differs from the data are refused with what to open instead', () => {
    const opened = [{ fileName: 'three.model.json', model }];
    expect(modelsMismatch(opened, 2)).toBeNull();
    expect(modelsMismatch(opened, 3)).toBe(
      'three.model.json was not added: This model has 2 classes (outputs) but the data has 3. Open the dataset it ' +
        'was trained on first (its CSV), or a model trained on this data.',
    );
  });
});

describe('linkSearch', () => {
  it('gives the query string of absolute and relative links', () => {
    expect(linkSearch(LINK)).toBe(SEARCH);
    expect(linkSearch('/robust/?eps=0.1#x')).toBe('?eps=0.1');
    expect(linkSearch('https://example.org/')).toBe('');
  });

  it('gives null for text that is no URL', () => {
    expect(linkSearch('http://[bad')).toBeNull();
  });
});
