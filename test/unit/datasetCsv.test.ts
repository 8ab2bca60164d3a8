import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvError, datasetCsvText, parseDatasetCsv } from '../../src/core/formats/datasetCsv.ts';
import type { LabelledPoints } from '../../src/core/types.ts';

const pts = (xs: number[], ys: number[]): LabelledPoints => ({
  x: Float64Array.from(xs),
  y: Int32Array.from(ys),
});

function csvError(text: string): CsvError {
  try {
    parseDatasetCsv(text);
  } catch (e) {
    if (e instanceof CsvError) return e;
    throw e;
  }
  throw new Error('expected a CsvError');
}

const HEADER = 'x1,x2,label,split\n';

describe('reading a dataset CSV', () => {
  it('reads the example of formats.md into train and test points', () => {
    const d = parseDatasetCsv(HEADER + '-0.4213,0.7719,0,train\n0.1830,-0.9021,1,test\n');
    expect(Array.from(d.train.x)).toEqual([-0.4213, 0.7719]);
    expect(Array.from(d.train.y)).toEqual([0]);
    expect(Array.from(d.test.x)).toEqual([0.183, -0.9021]);
    expect(Array.from(d.test.y)).toEqual([1]);
  });

  it('tolerates CRLF line ends, no trailing newline, a byte-order mark and spaces around fields', () => {
    const d = parseDatasetCsv('\uFEFFx1,x2,label,split\r\n1.5, -2e-3 ,2,train\r\n3,4,0, test');
    expect(Array.from(d.train.x)).toEqual([1.5, -0.002]);
    expect(Array.from(d.train.y)).toEqual([2]);
    expect(Array.from(d.test.x)).toEqual([3, 4]);
  });

  it('reads a header-only file as two empty splits', () => {
    const d = parseDatasetCsv(HEADER);
    expect(d.train.y.length).toBe(0);
    expect(d.test.x.length).toBe(0);
  });
});

describe('a dataset CSV is rejected with its line number and value', () => {
  const cases: [string, string, CsvError['code'], number, RegExp][] = [
    ['an empty file', '', 'empty', 1, /empty.*x1,x2,label,split/],
    ['a wrong header', 'x,y,label,split\n1,2,0,train\n', 'header', 1, /found "x,y,label,split"/],
    ['a reordered header', 'x2,x1,label,split\n', 'header', 1, /Rename or reorder/],
    ['a missing field', HEADER + '1,2,0,train\n3,4,1\n', 'field-count', 3, /Line 3 has 3 fields.*exactly 4/],
    ['an extra field', HEADER + '1,2,0,train,extra\n', 'field-count', 2, /Line 2 has 5 fields/],
    [
      'a blank line in the middle',
      HEADER + '1,2,0,train\n\n3,4,1,test\n',
      'field-count',
      3,
      /Line 3 is blank/,
    ],
    [
      'a word for a coordinate',
      HEADER + '1,2,0,train\n1,abc,0,test\n',
      'number',
      3,
      /x2 "abc" is not a finite/,
    ],
    ['an empty coordinate', HEADER + ',2,0,train\n', 'number', 2, /x1 "" is not/],
    ['an infinite coordinate', HEADER + 'Infinity,2,0,train\n', 'number', 2, /x1 "Infinity"/],
    ['an overflowing coordinate', HEADER + '1e999,2,0,train\n', 'number', 2, /x1 "1e999"/],
    ['NaN', HEADER + 'NaN,2,0,train\n', 'number', 2, /x1 "NaN"/],
    ['a hexadecimal coordinate', HEADER + '0x10,2,0,train\n', 'number', 2, /x1 "0x10"/],
    ['a negative label', HEADER + '1,2,-1,train\n', 'label', 2, /label "-1" is not a class index/],
    ['a fractional label', HEADER + '1,2,0.5,train\n', 'label', 2, /label "0.5"/],
    ['a word for a label', HEADER + '1,2,cat,train\n', 'label', 2, /label "cat"/],
    ['a huge label', HEADER + '1,2,1000000,train\n', 'label', 2, /label "1000000".*0 to 9/],
    [
      'a label of an 11th class',
      HEADER + '1,2,10,train\n',
      'label',
      2,
      /label "10".*0 to 9 .*at most 10 classes/,
    ],
    [
      'an unknown split',
      HEADER + '1,2,0,train\n1,2,0,validation\n',
      'split',
      3,
      /split "validation".*train or test/,
    ],
    ['a capitalised split', HEADER + '1,2,0,Train\n', 'split', 2, /split "Train"/],
  ];
  it.each(cases)('for %s', (_what, text, code, line, message) => {
    const e = csvError(text);
    expect(e.code).toBe(code);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
  });

  it('and nothing is returned when only the last row is bad (all or nothing)', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${i},${i % 2},train`).join('\n');
    let result: unknown = 'untouched';
    try {
      result = parseDatasetCsv(`${HEADER}${rows}\n1,2,0,tset\n`);
    } catch (e) {
      expect((e as CsvError).line).toBe(52);
    }
    expect(result).toBe('untouched');
  });
});

describe('writing a dataset CSV', () => {
  it('writes the header, train rows, then test rows, with a final newline', () => {
    const text = datasetCsvText({ train: pts([0.1, -2, 3, 4], [0, 1]), test: pts([5e-7, 6], [2]) });
    expect(text).toBe('x1,x2,label,split\n0.1,-2,0,train\n3,4,1,train\n5e-7,6,2,test\n');
  });

  it('round-trips float64 coordinates bit for bit, −0 and extreme exponents included', () => {
    const awkward = [0.1 + 0.2, -0, 1e-310, 999999.9999999999, -5e-324, Math.PI, 1 / 3, -1e6];
    const n = awkward.length / 2;
    const back = parseDatasetCsv(
      datasetCsvText({ train: pts(awkward, [0, 1, 0, 1].slice(0, n)), test: pts([], []) }),
    );
    awkward.forEach((v, i) => expect(Object.is(back.train.x[i], v)).toBe(true));
  });

  it('round-trips any finite points and labels exactly (property)', () => {
    const point = fc.tuple(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.integer({ min: 0, max: 9 }),
    );
    fc.assert(
      fc.property(fc.array(point, { maxLength: 30 }), fc.array(point, { maxLength: 30 }), (tr, te) => {
        const mk = (a: [number, number, number][]) =>
          pts(
            a.flatMap(([x, y]) => [x, y]),
            a.map(([, , c]) => c),
          );
        const data = { train: mk(tr), test: mk(te) };
        const back = parseDatasetCsv(datasetCsvText(data));
        for (const s of ['train', 'test'] as const) {
          expect(back[s].y).toEqual(data[s].y);
          expect(back[s].x.length).toBe(data[s].x.length);
          data[s].x.forEach((v, i) => expect(Object.is(back[s].x[i], v)).toBe(true));
        }
      }),
      { seed: 100 },
    );
  });

  it('refuses to write a non-finite coordinate', () => {
    expect(() => datasetCsvText({ train: pts([NaN, 1], [0]), test: pts([], []) })).toThrow(
      /train point 0.*not finite/,
    );
  });
});
