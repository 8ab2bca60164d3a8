/**
 * The dataset CSV of design/formats.md: header `x1,x2,label,split`, one point per row, coordinates in the
 * data's own units. Reading is strict and all-or-nothing: the whole text is checked before anything is
 * returned, and the first bad row is reported with its 1-based line number and the value that failed.
 */
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import type { LabelledPoints } from '../types.ts';

export const DATASET_CSV_HEADER = ['x1', 'x2', 'label', 'split'] as const;

/** Labels above this are refused: a 2D teaching demo has a handful of classes, and a typo must not allocate millions. */
export const MAX_CSV_LABEL = 63;

/** Train and test points as read from (or to be written to) a dataset CSV. */
export interface DatasetCsv {
  readonly train: LabelledPoints;
  readonly test: LabelledPoints;
}

export type CsvErrorCode = 'empty' | 'header' | 'field-count' | 'number' | 'label' | 'split';

/** A CSV that cannot be read. `line` is 1-based (the header is line 1). */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    readonly code: CsvErrorCode,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

// Plain decimals only: `Number()` alone would also take '', ' ', '0x1f' and 'Infinity'.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parse a dataset CSV.
 *
 * Accepted: `\n` or `\r\n` line ends, a trailing newline, a UTF-8 byte-order mark, spaces around a field.
 * Refused with a {@link CsvError}: a header other than `x1,x2,label,split`; a row with a missing or extra field
 * (a blank line counts); a coordinate that is not a finite decimal number; a label that is not an integer in
 * 0 … {@link MAX_CSV_LABEL}; a split other than `train` or `test`.
 *
 * @returns points `[n, 2]` per split, in file order
 */
export function parseDatasetCsv(text: string): DatasetCsv {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const rows = lines.map((line) => csvParseRows(line.endsWith('\r') ? line.slice(0, -1) : line)[0] ?? []);
  const header = rows[0]?.map((f) => f.trim()) ?? [];
  if (header.length === 0 || (header.length === 1 && header[0] === '')) {
    throw new CsvError(
      'empty',
      1,
      'The file is empty. A dataset CSV starts with the header x1,x2,label,split.',
    );
  }
  if (header.join(',') !== DATASET_CSV_HEADER.join(',')) {
    throw new CsvError(
      'header',
      1,
      `Line 1 must be the header x1,x2,label,split, found "${lines[0]?.trim() ?? ''}". ` +
        'Rename or reorder the columns to match.',
    );
  }
  const tx: number[] = [];
  const ty: number[] = [];
  const sx: number[] = [];
  const sy: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const line = r + 1;
    const fields = rows[r]!.map((f) => f.trim());
    if (fields.length !== 4) {
      const blank = fields.length === 0 || (fields.length === 1 && fields[0] === '');
      const what = blank ? 'is blank' : `has ${fields.length} fields`;
      throw new CsvError(
        'field-count',
        line,
        `Line ${line} ${what}; every row needs exactly 4 fields (x1,x2,label,split). Fix or delete the row.`,
      );
    }
    const [f1, f2, fl, fs] = fields as [string, string, string, string];
    const a = coordinate(f1, 'x1', line);
    const b = coordinate(f2, 'x2', line);
    const label = Number(fl);
    if (!DECIMAL.test(fl) || !Number.isInteger(label) || label < 0 || label > MAX_CSV_LABEL) {
      throw new CsvError(
        'label',
        line,
        `Line ${line}: label "${fl}" is not a class index; use a whole number from 0 to ${MAX_CSV_LABEL}.`,
      );
    }
    if (fs === 'train') {
      tx.push(a, b);
      ty.push(label);
    } else if (fs === 'test') {
      sx.push(a, b);
      sy.push(label);
    } else {
      throw new CsvError('split', line, `Line ${line}: split "${fs}" is unknown; use train or test.`);
    }
  }
  return {
    train: { x: Float64Array.from(tx), y: Int32Array.from(ty) },
    test: { x: Float64Array.from(sx), y: Int32Array.from(sy) },
  };
}

function coordinate(field: string, column: string, line: number): number {
  const v = Number(field);
  if (!DECIMAL.test(field) || !Number.isFinite(v)) {
    throw new CsvError(
      'number',
      line,
      `Line ${line}: ${column} "${field}" is not a finite decimal number; write it like -0.4213 or 1.5e-3.`,
    );
  }
  return v;
}

// String(x) is the shortest text that reads back to the same double; only −0 needs help to keep its sign.
const num = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/**
 * Write a dataset CSV: the header, then the training rows, then the test rows, `\n` line ends and a final
 * newline. Numbers are written so that {@link parseDatasetCsv} reads back the same float64 bits.
 */
export function datasetCsvText(data: DatasetCsv): string {
  const rows: string[][] = [[...DATASET_CSV_HEADER]];
  for (const [split, p] of [
    ['train', data.train],
    ['test', data.test],
  ] as const) {
    for (let i = 0; i < p.y.length; i++) {
      const a = p.x[2 * i]!;
      const b = p.x[2 * i + 1]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        throw new RangeError(`Cannot write ${split} point ${i}: (${a}, ${b}) is not finite.`);
      }
      rows.push([num(a), num(b), String(p.y[i]), split]);
    }
  }
  return csvFormatRows(rows) + '\n';
}
