// Property-based fuzzing of everything that reads user input: the dataset CSV, the model JSON, the URL state and
// the file classifier. For each: generated valid inputs read back exactly; inputs with one known fault are refused
// with that fault's code, place and advice; and arbitrary or mutated inputs (truncated, bytes inserted, fields
// swapped, huge numbers, HTML, unicode, NUL) either read as valid data or are refused with the documented error and
// a short message that says what to do. Seeds are pinned so that a failure reproduces.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CsvError,
  datasetCsvText,
  parseDatasetCsv,
  type CsvErrorCode,
  type DatasetCsv,
} from '../../src/core/formats/datasetCsv.ts';
import {
  FLOAT32_MAX,
  MODEL_ACTIVATIONS,
  ModelJsonError,
  modelJsonText,
  parseModelJson,
  type ModelJson,
  type ModelJsonErrorCode,
} from '../../src/core/formats/modelJson.ts';
import { LIMITS } from '../../src/core/limits.ts';
import { classifyOpened } from '../../src/state/openFile.ts';
import {
  decodeState,
  encodeState,
  MAX_SEARCH_LENGTH,
  stateProblems,
  uiProblems,
  type Decoded,
} from '../../src/state/urlState.ts';

/** Characters a message must not show: they would hide or reorder the rest of it. */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069]/;

/** Longest message a refusal may give: a sentence or two, whatever the input (values are quoted cut short). */
const MAX_MESSAGE = 320;

// ─── dataset CSV ─────────────────────────────────────────────────────────────────────────────────────────────

/** What each refusal tells the user to do. */
const CSV_ADVICE: Record<CsvErrorCode, RegExp> = {
  binary:
    /^This is not a text file \(it holds binary data\); a dataset CSV is text with the header x1,x2,label,split\./,
  empty: /A dataset CSV starts with the header x1,x2,label,split\./,
  header:
    /^Line 1 must be the header x1,x2,label,split, found ".*"\. Rename or reorder the columns to match\.$/s,
  'too-many-rows':
    /the app takes at most 10,000 training and 10,000 test points\. Sample the data down to at most 10,000 training and 10,000 test points and open it again\.$/,
  'field-count': /every row needs exactly 4 fields \(x1,x2,label,split\)\. Fix or delete the row\.$/,
  number: /is not a finite decimal number; write it like -0\.4213 or 1\.5e-3\.$/,
  range: /is outside ±1,000,000, .*Rescale the data/,
  label: /is not a class index; use a whole number from 0 to 9 \(the app shows at most 10 classes\)\.$/,
  split: /is unknown; use train or test\.$/,
};
const ROW_CODES: readonly CsvErrorCode[] = ['field-count', 'number', 'range', 'label', 'split'];

type CsvOutcome = { ok: DatasetCsv } | { error: CsvError };

/** Read `text`; any exception but a CsvError fails the test. */
function readCsv(text: string): CsvOutcome {
  try {
    return { ok: parseDatasetCsv(text) };
  } catch (e) {
    if (e instanceof CsvError) return { error: e };
    throw e;
  }
}

/** The checks every CSV refusal passes: a known code, a line in the file, a short message with the advice. */
function expectGoodCsvRefusal(e: CsvError, text: string): void {
  expect(Object.keys(CSV_ADVICE)).toContain(e.code);
  expect(e.message.length).toBeGreaterThan(0);
  expect(e.message.length, e.message).toBeLessThanOrEqual(MAX_MESSAGE);
  expect(e.message).toMatch(CSV_ADVICE[e.code]);
  expect(e.message).not.toMatch(HIDDEN);
  expect(e.line).toBeGreaterThanOrEqual(1);
  expect(e.line).toBeLessThanOrEqual(text.split('\n').length);
  if (ROW_CODES.includes(e.code)) expect(e.message.startsWith(`Line ${e.line}`), e.message).toBe(true);
}

/** What every accepted CSV satisfies: within the limits, and it writes back to the same points. */
function expectValidDataset(d: DatasetCsv): void {
  expect(d.train.y.length).toBeLessThanOrEqual(LIMITS.trainPoints);
  expect(d.test.y.length).toBeLessThanOrEqual(LIMITS.testPoints);
  for (const s of [d.train, d.test]) {
    expect(s.x.length).toBe(2 * s.y.length);
    for (const v of s.x) expect(Number.isFinite(v) && Math.abs(v) <= LIMITS.coordinate, String(v)).toBe(true);
    for (const c of s.y) expect(c >= 0 && c < LIMITS.classes, String(c)).toBe(true);
  }
  expectSameDataset(parseDatasetCsv(datasetCsvText(d)), d);
}

function expectSameDataset(a: DatasetCsv, b: DatasetCsv): void {
  for (const s of ['train', 'test'] as const) {
    expect(Array.from(a[s].y)).toEqual(Array.from(b[s].y));
    expect(a[s].x.length).toBe(b[s].x.length);
    const i = a[s].x.findIndex((v, k) => !Object.is(v, b[s].x[k]));
    expect(i, `${s} x[${i}]: ${a[s].x[i]} vs ${b[s].x[i]}`).toBe(-1);
  }
}

const coordArb = fc.oneof(
  fc.double({ min: -LIMITS.coordinate, max: LIMITS.coordinate, noNaN: true }),
  fc.integer({ min: -1000, max: 1000 }).map((k) => k / 100),
  fc.constantFrom(0, -0, 1e6, -1e6, 5e-324, 0.1 + 0.2),
);
const rowArb = fc.record({
  x1: coordArb,
  x2: coordArb,
  label: fc.integer({ min: 0, max: LIMITS.classes - 1 }),
  split: fc.constantFrom('train' as const, 'test' as const),
});
type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;
const rowsArb = fc.array(rowArb, { maxLength: 40 });

function datasetOf(rows: readonly Row[]): DatasetCsv {
  const part = (split: 'train' | 'test') => {
    const r = rows.filter((p) => p.split === split);
    return {
      x: Float64Array.from(r.flatMap((p) => [p.x1, p.x2])),
      y: Int32Array.from(r.map((p) => p.label)),
    };
  };
  return { train: part('train'), test: part('test') };
}

/** One fault injected into a valid row: what the row becomes, and the code it must be refused with. */
const CSV_FAULTS: readonly [string, (row: string[]) => string[], CsvErrorCode][] = [
  ['a missing field', (r) => r.slice(0, 3), 'field-count'],
  ['an extra field', (r) => [...r, 'extra'], 'field-count'],
  ['a blank row', () => [], 'field-count'],
  ['NaN', (r) => ['NaN', ...r.slice(1)], 'number'],
  ['Infinity', (r) => [r[0]!, '-Infinity', ...r.slice(2)], 'number'],
  ['1e999', (r) => ['1e999', ...r.slice(1)], 'number'],
  ['a hexadecimal number', (r) => [r[0]!, '0x1f', ...r.slice(2)], 'number'],
  ['HTML for a coordinate', (r) => ['<b>1</b>', ...r.slice(1)], 'number'],
  ['1e308', (r) => ['1e308', ...r.slice(1)], 'range'],
  ['-1000001', (r) => [r[0]!, '-1000001', ...r.slice(2)], 'range'],
  ['a negative label', (r) => [r[0]!, r[1]!, '-1', r[3]!], 'label'],
  ['a fractional label', (r) => [r[0]!, r[1]!, '1.5', r[3]!], 'label'],
  ['label 10', (r) => [r[0]!, r[1]!, '10', r[3]!], 'label'],
  ['a label of 1e9', (r) => [r[0]!, r[1]!, '1e9', r[3]!], 'label'],
  ['an HTML label', (r) => [r[0]!, r[1]!, '<img src=x onerror=window.__pwned=1>', r[3]!], 'label'],
  ['an unknown split', (r) => [...r.slice(0, 3), 'validation'], 'split'],
  ['a swapped label and split', (r) => [r[0]!, r[1]!, r[3]!, r[2]!], 'label'],
];

/** Ways to damage a valid file's text (what a bad copy, a truncated download or the wrong file would do). */
function mutateArb(text: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: text.length });
  const junk = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom(
      '\u0000',
      ',',
      '\n',
      '\r\n',
      '"',
      '1e308',
      '-1e400',
      'NaN',
      '<script>alert(1)</script>',
      '\uFEFF',
      '\u202E',
      '💥',
      '\uFFFD',
      'x'.repeat(300),
    ),
  );
  return fc.oneof(
    at.map((i) => text.slice(0, i)),
    fc.tuple(at, junk).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(at, fc.nat({ max: 20 })).map(([i, n]) => text.slice(0, i) + text.slice(i + n)),
    fc.tuple(at, junk).map(([i, s]) => text.slice(0, i) + s + text.slice(i + s.length)),
    // One field of one line replaced: a huge number, HTML, unicode, a NUL.
    fc
      .tuple(fc.nat(), fc.nat({ max: 3 }), fc.oneof(junk, fc.constantFrom('1e7', '-2e6', '1e38', '3.5e38')))
      .map(([k, a, v]) => {
        const lines = text.split('\n');
        const i = k % lines.length;
        const f = lines[i]!.split(',');
        if (a < f.length) f[a] = v;
        lines[i] = f.join(',');
        return lines.join('\n');
      }),
    // Swap two fields of one line.
    fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.nat({ max: 3 })).map(([k, a, b]) => {
      const lines = text.split('\n');
      const i = k % lines.length;
      const f = lines[i]!.split(',');
      if (a < f.length && b < f.length) [f[a], f[b]] = [f[b]!, f[a]!];
      lines[i] = f.join(',');
      return lines.join('\n');
    }),
  );
}

describe('fuzzing the dataset CSV reader', () => {
  it('reads any valid file back exactly, with CRLF, spaces and a byte-order mark (400 generated files)', () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), fc.boolean(), (rows, crlf, bom) => {
        const data = datasetOf(rows);
        const text = datasetCsvText(data);
        expectSameDataset(parseDatasetCsv(text), data);
        // The same rows written by hand: CRLF, spaces around fields, a BOM, no final newline.
        const loose =
          (bom ? '\uFEFF' : '') +
          text
            .trimEnd()
            .split('\n')
            .map((l) => l.split(',').join(' , '))
            .join(crlf ? '\r\n' : '\n');
        expectSameDataset(parseDatasetCsv(loose), data);
      }),
      { seed: 20240601, numRuns: 400 },
    );
  });

  it('refuses a file with one bad row with that row’s line, the fault and what to do (600 generated files)', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.constantFrom(...CSV_FAULTS),
        ([first, ...rest], k, [what, fault, code]) => {
          const rows = [first!, ...rest];
          const lines = datasetCsvText(datasetOf(rows)).trimEnd().split('\n');
          const bad = 1 + (k % rows.length);
          lines[bad] = fault(lines[bad]!.split(',')).join(',');
          const text = lines.join('\n') + '\n';
          const out = readCsv(text);
          expect('error' in out, `${what} was accepted`).toBe(true);
          if (!('error' in out)) return;
          expect(out.error.code, what).toBe(code);
          expect(out.error.line, what).toBe(bad + 1);
          expectGoodCsvRefusal(out.error, text);
        },
      ),
      { seed: 7, numRuns: 600 },
    );
  });

  it('reads or refuses, with advice, any string and any damaged file (1200 generated inputs)', () => {
    const valid = rowsArb.map((rows) => datasetCsvText(datasetOf(rows)));
    const input = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.string({ maxLength: 60 }).map((s) => `x1,x2,label,split\n${s}`),
      fc
        .array(fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }), { maxLength: 6 })
        .map((rows) => ['x1,x2,label,split', ...rows.map((r) => r.join(','))].join('\n')),
      valid.chain(mutateArb),
      valid.chain(mutateArb).chain(mutateArb),
    );
    const seen = new Set<string>();
    fc.assert(
      fc.property(input, (text) => {
        const out = readCsv(text);
        seen.add('ok' in out ? 'read' : out.error.code);
        if ('ok' in out) expectValidDataset(out.ok);
        else expectGoodCsvRefusal(out.error, text);
      }),
      { seed: 424242, numRuns: 1200 },
    );
    // The inputs reach every outcome but the row count (tested on its own below).
    expect([...seen].sort()).toEqual(
      [...Object.keys(CSV_ADVICE).filter((c) => c !== 'too-many-rows'), 'read'].sort(),
    );
  });

  it('quotes at most 40 characters of a value, however long the line', () => {
    const long = 'y'.repeat(5_000_000);
    const header = readCsv(`${long}\n`);
    expect('error' in header && header.error.message).toBe(
      `Line 1 must be the header x1,x2,label,split, found "${'y'.repeat(39)}…". ` +
        'Rename or reorder the columns to match.',
    );
    const label = readCsv(`x1,x2,label,split\n1,2,${long},train\n`);
    expect('error' in label && label.error.message.length).toBeLessThan(150);
  });

  it('refuses 200,000 rows after counting them, before reading a field', () => {
    // Every row is junk: had the reader parsed a field first, it would report a number, not the count.
    const text = 'x1,x2,label,split\n' + 'junk,junk,junk,junk\n'.repeat(200_000);
    const started = performance.now();
    const out = readCsv(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect('error' in out && out.error.message).toBe(
      'The file has 200,000 rows of points; the app takes at most 10,000 training and 10,000 test points. ' +
        'Sample the data down to at most 10,000 training and 10,000 test points and open it again.',
    );
  });

  it('takes 10,000 training and 10,000 test points, and refuses the 10,001st of either', () => {
    const rows = (n: number, split: string) => `0.5,-0.5,${split === 'train' ? 1 : 0},${split}\n`.repeat(n);
    const header = 'x1,x2,label,split\n';
    const full = readCsv(header + rows(10_000, 'train') + rows(10_000, 'test'));
    expect('ok' in full && [full.ok.train.y.length, full.ok.test.y.length]).toEqual([10_000, 10_000]);
    const over = readCsv(header + rows(10_001, 'train') + rows(5, 'test'));
    expect('error' in over && over.error.line).toBe(10_002);
    expect('error' in over && over.error.message).toMatch(
      /^Line 10002 is training point 10,001; the app takes at most 10,000 training and 10,000 test points\. Sample/,
    );
  });

  it('refuses a binary file (NUL bytes) as not text, naming the line', () => {
    const out = readCsv('x1,x2,label,split\n1,2,0,train\n\u0000\u0001PK\u0003\u0004,\n');
    expect('error' in out && [out.error.code, out.error.line, out.error.message]).toEqual([
      'binary',
      3,
      'This is not a text file (it holds binary data); a dataset CSV is text with the header x1,x2,label,split. ' +
        'Save the data as CSV text and open that.',
    ]);
  });

  it('refuses 1e308, finite in float64 but not in float32, saying to rescale', () => {
    const out = readCsv('x1,x2,label,split\n1,1e308,0,train\n');
    expect('error' in out && out.error.message).toBe(
      'Line 2: x2 "1e308" is outside ±1,000,000, the range the app trains in (32-bit floats). Rescale the data, ' +
        'e.g. standardise each column.',
    );
  });
});

// ─── model JSON ──────────────────────────────────────────────────────────────────────────────────────────────

const MODEL_ADVICE: Record<ModelJsonErrorCode, RegExp> = {
  'invalid-json': /^Model file is not valid JSON \(.*\)\. Export it again\.$/s,
  format:
    /(but this app reads "robust-mlp\/1"\. Export the model from a matching version\.|must be "robust-mlp\/1")/,
  schema: /(must be|is missing; it must be|must hold at least one layer)/,
  shape:
    /(must be rectangular|needs 2 rows|the shapes must chain|they must match|at least 2 logits|at least one row)/,
  limit: /(Open a smaller model|Open a model of at most 10 classes)\.$/,
  range:
    /is beyond the range of 32-bit floats \(±3\.4e38\) the app computes in; re-export the model \(found .*\)\.$/,
};

function readModel(text: string): { ok: ModelJson } | { error: ModelJsonError } {
  try {
    return { ok: parseModelJson(text) };
  } catch (e) {
    if (e instanceof ModelJsonError) return { error: e };
    throw e;
  }
}

function expectGoodModelRefusal(e: ModelJsonError): void {
  expect(Object.keys(MODEL_ADVICE)).toContain(e.code);
  expect(e.message.length, e.message).toBeLessThanOrEqual(MAX_MESSAGE);
  expect(e.message.startsWith('Model file'), e.message).toBe(true);
  expect(e.message, e.code).toMatch(MODEL_ADVICE[e.code]);
  expect(e.message).not.toMatch(HIDDEN);
  if (e.code !== 'invalid-json') expect(e.message).toContain(`Model file: ${e.path} `);
}

/** What every accepted model satisfies: it fits the playground and float32, and writes back bit for bit. */
function expectValidModel(m: ModelJson): void {
  expect(MODEL_ACTIVATIONS).toContain(m.activation);
  expect(m.layers.length).toBeGreaterThanOrEqual(1);
  expect(m.layers.length).toBeLessThanOrEqual(LIMITS.hiddenLayers + 1);
  let nIn = 2;
  for (const [k, l] of m.layers.entries()) {
    expect(l.W.length).toBe(nIn);
    nIn = l.b.length;
    for (const row of l.W) expect(row.length).toBe(nIn);
    if (k < m.layers.length - 1) expect(nIn).toBeLessThanOrEqual(LIMITS.width);
    for (const v of [...l.W.flat(), ...l.b]) expect(Math.abs(v) <= FLOAT32_MAX, String(v)).toBe(true);
  }
  expect(nIn).toBeGreaterThanOrEqual(2);
  expect(nIn).toBeLessThanOrEqual(LIMITS.classes);
  expectSameModel(parseModelJson(modelJsonText(m)), m);
}

function expectSameModel(a: ModelJson, b: ModelJson): void {
  expect([a.method, a.activation, a.hyper]).toEqual([b.method, b.activation, b.hyper]);
  expect(a.layers.length).toBe(b.layers.length);
  a.layers.forEach((l, k) => {
    const flat = (x: { W: number[][]; b: number[] }) => [...x.W.flat(), ...x.b];
    const other = flat(b.layers[k]!);
    const mine = flat(l);
    expect(mine.length).toBe(other.length);
    // Bit for bit (−0 too): the first number that differs, if any.
    const differs = mine.findIndex((v, i) => !Object.is(v, other[i]));
    expect(differs, `layers[${k}] #${differs}: ${mine[differs]} vs ${other[differs]}`).toBe(-1);
  });
}

const weightArb = fc.oneof(
  fc.double({ min: -FLOAT32_MAX, max: FLOAT32_MAX, noNaN: true }),
  fc.integer({ min: -300, max: 300 }).map((k) => k / 100),
  fc.constantFrom(0, -0, FLOAT32_MAX, -FLOAT32_MAX, 1e-45),
);
/** Hidden widths within the limits (small, to keep runs fast), and the class count. */
const archArb = fc.record({
  hidden: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: LIMITS.hiddenLayers }),
  classes: fc.integer({ min: 2, max: LIMITS.classes }),
});
const modelArb: fc.Arbitrary<ModelJson> = fc
  .record({
    arch: archArb,
    activation: fc.constantFrom(...MODEL_ACTIVATIONS),
    method: fc.oneof(fc.constantFrom('natural', 'trades', 'unknown'), fc.string({ maxLength: 20 })),
    hyper: fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ maxLength: 8 }),
        fc.boolean(),
      ),
      { maxKeys: 3 },
    ),
  })
  .chain(({ arch, activation, method, hyper }) => {
    const widths = [2, ...arch.hidden, arch.classes];
    const layer = (k: number) =>
      fc.record({
        W: fc.array(fc.array(weightArb, { minLength: widths[k + 1]!, maxLength: widths[k + 1]! }), {
          minLength: widths[k]!,
          maxLength: widths[k]!,
        }),
        b: fc.array(weightArb, { minLength: widths[k + 1]!, maxLength: widths[k + 1]! }),
      });
    return fc
      .tuple(...widths.slice(1).map((_, k) => layer(k)))
      .map((layers): ModelJson => ({ method, hyper, activation, layers }));
  });

type Raw = Record<string, unknown> & { layers: { W: unknown[]; b: unknown[] }[] };
const rawOf = (m: ModelJson): Raw => JSON.parse(modelJsonText(m)) as Raw;

/** One fault in a valid model: the edit, the code and the path it must be refused with. */
const MODEL_FAULTS: readonly [string, (m: Raw) => void, ModelJsonErrorCode, (m: Raw) => string][] = [
  ['a wrong format', (m) => (m.format = 'robust-mlp/2'), 'format', () => 'format'],
  ['a missing format', (m) => delete m.format, 'format', () => 'format'],
  ['the activation gelu', (m) => (m.activation = 'gelu'), 'schema', () => 'activation'],
  ['the activation ReLU', (m) => (m.activation = 'ReLU'), 'schema', () => 'activation'],
  ['an extra row in W', (m) => m.layers[0]!.W.push(m.layers[0]!.W[0]), 'shape', () => 'layers[0].W'],
  ['a short bias', (m) => m.layers.at(-1)!.b.pop(), 'shape', (m) => `layers[${m.layers.length - 1}].b`],
  ['a ragged W', (m) => (m.layers[0]!.W[1] as unknown[]).push(0), 'shape', () => 'layers[0].W[1]'],
  [
    'a weight of 1e39',
    (m) => ((m.layers[0]!.W[0] as unknown[])[0] = 1e39),
    'range',
    () => 'layers[0].W[0][0]',
  ],
  ['a bias of -1e300', (m) => (m.layers[0]!.b[0] = -1e300), 'range', () => 'layers[0].b[0]'],
  [
    'a weight as text',
    (m) => ((m.layers[0]!.W[0] as unknown[])[0] = '0.5'),
    'schema',
    () => 'layers[0].W[0][0]',
  ],
  ['a null bias', (m) => (m.layers[0]!.b[0] = null), 'schema', () => 'layers[0].b[0]'],
  [
    'six hidden layers',
    (m) => {
      const square = {
        W: [
          [0, 0],
          [0, 0],
        ],
        b: [0, 0],
      };
      m.layers = [
        {
          W: [
            [0, 0],
            [0, 0],
          ],
          b: [0, 0],
        },
        ...Array.from({ length: 6 }, () => square),
      ];
    },
    'limit',
    () => 'layers',
  ],
  [
    'a hidden layer of 257 units',
    (m) => {
      m.layers = [
        { W: [Array(257).fill(0), Array(257).fill(0)], b: Array(257).fill(0) },
        { W: Array.from({ length: 257 }, () => [0, 0]), b: [0, 0] },
      ];
    },
    'limit',
    () => 'layers[0].W',
  ],
  [
    '11 classes',
    (m) => (m.layers = [{ W: [Array(11).fill(1), Array(11).fill(1)], b: Array(11).fill(0) }]),
    'limit',
    () => 'layers[0].W',
  ],
  ['one output', (m) => (m.layers = [{ W: [[1], [1]], b: [0] }]), 'shape', () => 'layers[0].W'],
];

describe('fuzzing the model importer', () => {
  it('reads any valid model back bit for bit (300 generated models)', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        expectSameModel(parseModelJson(modelJsonText(m)), m);
        // JSON.stringify writes −0 as 0 (modelJsonText keeps it); otherwise the same numbers.
        const plain = parseModelJson(JSON.stringify({ format: 'robust-mlp/1', ...m }));
        expect(plain).toEqual({
          ...m,
          layers: m.layers.map((l) => ({ W: l.W.map((r) => r.map((v) => v + 0)), b: l.b.map((v) => v + 0) })),
        });
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('refuses a model with one fault with its path, the fault and what to do (600 generated models)', () => {
    fc.assert(
      fc.property(modelArb, fc.constantFrom(...MODEL_FAULTS), (m, [what, fault, code, path]) => {
        const raw = rawOf(m);
        fault(raw);
        const out = readModel(JSON.stringify(raw));
        expect('error' in out, `${what} was accepted`).toBe(true);
        if (!('error' in out)) return;
        expect([out.error.code, out.error.path], `${what}: ${out.error.message}`).toEqual([code, path(raw)]);
        expectGoodModelRefusal(out.error);
      }),
      { seed: 12, numRuns: 600 },
    );
  });

  it('reads or refuses, with advice, any text, any JSON and any damaged model (1200 generated inputs)', () => {
    const text = modelArb.map((m) => modelJsonText(m));
    const number = fc.oneof(
      fc.constantFrom('1e39', '-3.5e38', '1e999', 'NaN', '"0"', 'null', '[]', '{}', 'true'),
      fc.double().map(String),
    );
    const damaged = text.chain((t) =>
      fc.oneof(
        mutateArb(t),
        // A number replaced by something else.
        fc.tuple(fc.nat(), number).map(([k, v]) => {
          const nums = [...t.matchAll(/-?\d[\d.e+-]*/g)];
          const hit = nums[k % Math.max(1, nums.length)];
          return hit ? t.slice(0, hit.index) + v + t.slice(hit.index + hit[0].length) : t;
        }),
        // One layer's shape broken: a row, an entry or a bias dropped, or two layers swapped.
        fc.tuple(fc.nat(), fc.constantFrom('row', 'entry', 'bias', 'swap')).map(([k, how]) => {
          const m = JSON.parse(t) as Raw;
          const l = m.layers[k % m.layers.length]!;
          if (how === 'row') l.W.pop();
          else if (how === 'entry') (l.W[0] as unknown[]).pop();
          else if (how === 'bias') l.b.pop();
          else m.layers.reverse();
          return JSON.stringify(m);
        }),
        // A field replaced by any JSON value.
        fc
          .tuple(fc.constantFrom('format', 'activation', 'layers', 'method', 'hyper'), fc.jsonValue())
          .map(([k, v]) => JSON.stringify({ ...(JSON.parse(t) as object), [k]: v })),
      ),
    );
    const input = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.json(),
      // Settings with any keys: control characters, bidi overrides, 100 characters long.
      fc
        .tuple(
          modelArb,
          fc.dictionary(
            fc.oneof(fc.string({ unit: 'binary', maxLength: 10 }), fc.constant('\u202E'.repeat(100))),
            fc.jsonValue(),
            { minKeys: 1, maxKeys: 3 },
          ),
        )
        .map(([m, hyper]) => JSON.stringify({ format: 'robust-mlp/1', ...m, hyper })),
      fc.jsonValue().map((v) => JSON.stringify({ format: 'robust-mlp/1', activation: 'relu', layers: v })),
      damaged,
      damaged.chain(mutateArb),
    );
    const seen = new Set<string>();
    fc.assert(
      fc.property(input, (t) => {
        const out = readModel(t);
        seen.add('ok' in out ? 'read' : out.error.code);
        if ('ok' in out) expectValidModel(out.ok);
        else expectGoodModelRefusal(out.error);
      }),
      { seed: 13, numRuns: 1200 },
    );
    expect([...seen].sort()).toEqual([...Object.keys(MODEL_ADVICE), 'read'].sort());
  });

  it('quotes a long or nested value by its kind, not in full', () => {
    const deep = JSON.stringify({
      format: 'robust-mlp/1',
      activation: 'relu',
      layers: 'z'.repeat(1_000_000),
    });
    const out = readModel(deep);
    expect('error' in out && out.error.message).toBe(
      `Model file: layers must be an array of layers (found "${'z'.repeat(38)}…).`,
    );
    const fmt = readModel(JSON.stringify({ format: { a: [1, 2, 3] } }));
    expect('error' in fmt && fmt.error.message).toBe(
      'Model file: format is an object, but this app reads "robust-mlp/1". Export the model from a matching version.',
    );
  });
});

// ─── URL state ───────────────────────────────────────────────────────────────────────────────────────────────

/** A notice says what was wrong and what the page does instead. */
const NOTICE_ACTION =
  /(using|ignoring|opening the default page|showing the points as generated|keeping the first|choosing automatically|reading it as version|may be ignored|leaving it out)/i;

function expectValidPage(d: Decoded): void {
  expect(stateProblems(d.state)).toEqual([]);
  expect(uiProblems(d.ui)).toEqual([]);
  for (const n of d.notices) {
    expect(n.length).toBeGreaterThan(0);
    expect(n.length, n).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(n, n).toMatch(NOTICE_ACTION);
    expect(n).not.toMatch(HIDDEN);
  }
}

/** The link of a decoded page, as the page would write it. */
const linkOf = (d: Decoded) => encodeState(d.state, d.ui, { pinned: d.pinned, workers: d.workers }).search;
const paramsOf = (search: string) => new Map(new URLSearchParams(search));

/** A long link that sets nearly everything, hand edits included. */
const LONG = (() => {
  const d = decodeState(
    '?v=1&data=spiral&d.noise=0.1&d.moons.noise=0.2&n=300&nt=200&dseed=7&arch=64x32x16&act=tanh&opt=sgd&' +
      'lr=0.05&bs=32&epochs=150&seed=11&teps=0.05&tnorm=l2&eps=0.08&norm=l2&field=margin&res=64&' +
      'layers=train,balls&speed=fast&panels=natural,trades:beta=3,nn:r=0.1&backend=wasm&workers=2&embed&' +
      'hide=table,curve',
  );
  expect(d.notices).toEqual([]);
  const edits = [
    { op: 'move' as const, split: 'train' as const, index: 3, x: 0.25, y: -0.5 },
    { op: 'delete' as const, split: 'test' as const, index: 2 },
    { op: 'add' as const, split: 'train' as const, x: -0.1234, y: 0.5678, label: 1 },
  ];
  return linkOf({ ...d, state: { ...d.state, data: { ...d.state.data, edits } } });
})();

describe('fuzzing the URL state decoder', () => {
  it('the long link used below is valid and carries everything', () => {
    expect(LONG.length).toBeGreaterThan(300);
    expect(decodeState(LONG).notices).toEqual([]);
    expect(linkOf(decodeState(LONG))).toBe(LONG);
  });

  it('reads every prefix of a long link as a valid page: the whole parameters as before, at most one notice', () => {
    const full = paramsOf(LONG);
    for (let i = 0; i <= LONG.length; i++) {
      const prefix = LONG.slice(0, i);
      const d = decodeState(prefix);
      expectValidPage(d);
      // One notice, or two when the cut name is a parameter given before ("nt" cut to "n"): given twice, and bad.
      const repeated = d.notices.some((n) => n.includes('more than once'));
      expect(d.notices.length, `${prefix} → ${d.notices.join(' | ')}`).toBeLessThanOrEqual(repeated ? 2 : 1);
      // Without the cut parameter, the page is the full link's page with the later parameters left out.
      const cutAt = prefix.lastIndexOf('&');
      const whole = decodeState(cutAt < 0 ? '' : prefix.slice(0, cutAt));
      expect(whole.notices).toEqual([]);
      const damaged = cutAt < 0 ? null : prefix.slice(cutAt + 1).split('=')[0]!;
      const got = paramsOf(linkOf(d));
      const base = paramsOf(linkOf(whole));
      for (const key of new Set([...got.keys(), ...base.keys()])) {
        if (got.get(key) !== base.get(key)) expect(key, `${prefix}: ${key} changed`).toBe(damaged);
      }
      for (const [key, value] of base) if (key !== damaged) expect(full.get(key), key).toBe(value);
    }
  });

  it('gives a notice for a parameter cut inside its name or just after its "="', () => {
    // Cut there, a parameter is unknown or empty; empty is a valid value only for these lists and flags.
    const emptyIsValid = new Set(['layers', 'hide', 'panels', 'edits', 'embed', 'present']);
    let checked = 0;
    for (const m of LONG.matchAll(/[?&]([^=&]+)(=?)/g)) {
      const key = m[1]!;
      const start = m.index + 1;
      if (key === 'v' || emptyIsValid.has(key)) continue;
      for (const end of [start + Math.max(1, key.length - 1), start + key.length + 1]) {
        const d = decodeState(LONG.slice(0, end));
        expectValidPage(d);
        const repeated = d.notices.some((n) => n.includes('more than once'));
        expect(d.notices, LONG.slice(0, end)).toHaveLength(repeated ? 2 : 1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('reads any tampered, damaged or random link as a valid page that writes back to itself (1200 links)', () => {
    const good = fc.constantFrom(
      LONG,
      '?v=1',
      '?preset=theorem',
      '?v=1&preset=tradeoff&eps=0.2',
      '?backend=wasm&epochs=40',
      '?v=1&panels=natural,at,trades:beta=6,llr,gr,cure,nn&arch=8x8',
    );
    const input = fc.oneof(
      good.chain(mutateArb),
      good.chain(mutateArb).chain(mutateArb),
      fc.string({ maxLength: 200 }).map((s) => `?${s}`),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc
        .array(
          fc.tuple(
            fc.constantFrom(
              'v',
              'data',
              'n',
              'arch',
              'lr',
              'panels',
              'edits',
              'hide',
              'preset',
              'eps',
              'zzz',
            ),
            fc.oneof(
              fc.string({ maxLength: 20 }),
              fc.constantFrom(
                '1e308',
                '-0',
                'NaN',
                '<img src=x onerror=alert(1)>',
                '%00',
                '%',
                '\u0000',
                '💥',
              ),
            ),
          ),
          { maxLength: 10 },
        )
        .map((kv) => '?' + kv.map(([k, v]) => `${k}=${v}`).join('&')),
    );
    let noticed = 0;
    fc.assert(
      fc.property(input, (search) => {
        const d = decodeState(search);
        if (d.notices.length > 0) noticed++;
        expectValidPage(d);
        // What the page shows is what its own link opens, without a notice.
        const again = decodeState(linkOf(d));
        expect(again.notices).toEqual([]);
        expect(again.state).toEqual(d.state);
        expect(again.ui).toEqual(d.ui);
      }),
      { seed: 99, numRuns: 1200 },
    );
    expect(noticed).toBeGreaterThan(600);
  });

  it('refuses a 10 MB link at once, with a notice', () => {
    const huge = '?v=1&x=' + 'a'.repeat(10 * 1024 * 1024);
    const started = performance.now();
    const d = decodeState(huge);
    expect(performance.now() - started).toBeLessThan(50);
    expect(d.notices).toEqual([
      `This link is 10.0 MB long, more than the ${MAX_SEARCH_LENGTH / 1024} kB a link may hold; opening the default page.`,
    ]);
    expectValidPage(d);
  });
});

// ─── opening files ───────────────────────────────────────────────────────────────────────────────────────────

describe('hostile files are refused in time linear in their size', () => {
  // Each of these took seconds per 100 kB before (regular expressions that backtrack, JSON.parse on deep nesting).
  const enc = new TextEncoder();
  const NS = 'https://robust-playground.example/ns';
  const cases: [string, string, RegExp][] = [
    [
      'a 4 MB run of digits in a CSV field',
      `x1,x2,label,split\n${'1'.repeat(4e6)}x,0,0,train\n`,
      /x1 "1{39}…" is not/,
    ],
    ['a 4 MB run of digits in a link', `?v=1&lr=${'1'.repeat(16_000)}x`, /./],
    [
      '4 MB of unclosed SVG comments',
      `<svg xmlns:rp="${NS}">${'<!--'.repeat(1e6)}`,
      /an SVG without a Robust/,
    ],
    [
      '4 MB of unclosed link elements',
      `<svg xmlns:rp="${NS}">${'<rp:link>'.repeat(450_000)}`,
      /an SVG without/,
    ],
    [
      '4 MB of unclosed CDATA',
      `<svg xmlns:rp="${NS}"><rp:link>${'<![CDATA['.repeat(450_000)}`,
      /an SVG without/,
    ],
    [
      'a million nested brackets',
      `{"format":"robust-mlp/1","layers":${'['.repeat(1e6)}${']'.repeat(1e6)}}`,
      /hostile\.svg nests arrays or objects more than 32 deep, more than any file the app writes\./,
    ],
    [
      'a million layers',
      JSON.stringify({
        format: 'robust-mlp/1',
        activation: 'relu',
        layers: Array(1e6).fill({ W: [], b: [] }),
      }),
      /^hostile\.svg holds more than 400,000 values, more than any file the app writes\./,
    ],
  ];
  it.each(cases)('%s', (_what, text, message) => {
    const started = performance.now();
    const got = text.startsWith('?')
      ? decodeState(text).notices.join(' ')
      : classifyOpened([{ name: 'hostile.svg', bytes: enc.encode(text) }]).message;
    expect(performance.now() - started).toBeLessThan(1500);
    expect(got).toMatch(message);
  });
});

describe('the model importer refuses huge JSON before parsing it', () => {
  it.each([
    [
      'a million nested brackets',
      `{"layers":${'['.repeat(1e6)}${']'.repeat(1e6)}}`,
      'nests arrays or objects more than 32 deep',
    ],
    [
      'a million tiny layers',
      `{"layers":[${'{"W":[],"b":[]},'.repeat(1e6)}{}]}`,
      'holds more than 400,000 values',
    ],
  ])('%s', (_what, text, problem) => {
    const started = performance.now();
    const out = readModel(text);
    expect(performance.now() - started).toBeLessThan(500);
    expect('error' in out && [out.error.code, out.error.path, out.error.message]).toEqual([
      'limit',
      '(root)',
      `Model file: (root) ${problem}; a model the app evaluates (at most 4 hidden layers of 256 units) nests 5 ` +
        'deep and holds about 200,000 numbers. Open a smaller model.',
    ]);
  });

  it('reads the largest model the limits allow', () => {
    const widths = [2, 256, 256, 256, 256, 10];
    const layers = widths.slice(1).map((n, k) => ({
      W: Array.from({ length: widths[k]! }, (_, i) =>
        Array.from({ length: n }, (_, j) => ((i * n + j) % 7) - 3),
      ),
      b: Array<number>(n).fill(0.5),
    }));
    const m: ModelJson = { method: 'big', hyper: {}, activation: 'relu', layers };
    expectSameModel(parseModelJson(modelJsonText(m)), m);
  });
});

describe('fuzzing the file classifier', () => {
  it('opens or refuses any bytes and any damaged file, with a short message (600 generated files)', () => {
    const enc = new TextEncoder();
    const files = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      rowsArb.map((rows) => enc.encode(datasetCsvText(datasetOf(rows)))),
      rowsArb.chain((rows) => mutateArb(datasetCsvText(datasetOf(rows)))).map((t) => enc.encode(t)),
      modelArb.chain((m) => mutateArb(modelJsonText(m))).map((t) => enc.encode(t)),
      fc.string({ maxLength: 100 }).map((s) => enc.encode(`<!DOCTYPE html><html>${s}`)),
    );
    fc.assert(
      fc.property(files, fc.constantFrom('data.csv', 'model.json', 'x.bin'), (bytes, name) => {
        const o = classifyOpened([{ name, bytes }]);
        expect(o.message.length).toBeGreaterThan(0);
        expect(o.message.length, o.message).toBeLessThanOrEqual(2 * MAX_MESSAGE);
        if (o.kind === 'dataset') {
          expect(o.points.trainY.length).toBeGreaterThan(0);
          expect(new Set(o.points.trainY).size).toBeGreaterThanOrEqual(2);
          expect(o.points.nClasses).toBeLessThanOrEqual(LIMITS.classes);
        }
        if (o.kind === 'model') for (const m of o.models) expectValidModel(m.model);
      }),
      { seed: 5, numRuns: 600 },
    );
  });
});
