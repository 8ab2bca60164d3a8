/**
 * The dataset CSV of design/formats.md: header `x1,x2,label,split`, one point per row, coordinates in the
 * data's own units. Reading is strict and all-or-nothing: the whole text is checked before anything is
 * returned, and the first bad row is reported with its 1-based line number and the value that failed (cut to
 * a few dozen characters: a message never repeats a whole line of the file). The sizes are the playground's
 * (core/limits.ts): too many rows are refused after counting the lines, before any field is parsed.
 */
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { LIMITS, limitText } from '../limits.ts';
import type { LabelledPoints } from '../types.ts';
import { quoted } from './quote.ts';

export const DATASET_CSV_HEADER = ['x1', 'x2', 'label', 'split'] as const;

/** Labels above this are refused: the playground shows at most {@link LIMITS.classes} classes. */
export const MAX_CSV_LABEL = LIMITS.classes - 1;

/** Train and test points as read from (or to be written to) a dataset CSV. */
export interface DatasetCsv {
  readonly train: LabelledPoints;
  readonly test: LabelledPoints;
}

export type CsvErrorCode =
  'binary' | 'empty' | 'header' | 'too-many-rows' | 'field-count' | 'number' | 'range' | 'label' | 'split';

/** A CSV that cannot be read. `line` is 1-based (the header is line 1). The message says what to do. */
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

// Plain decimals only: `Number()` alone would also take '', ' ', '0x1f' and 'Infinity'. Written so that no two
// parts can match the same digits: `\d+\.?\d*` could, and backtracked quadratically (a 100,000-digit field: 20 s).
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

// Text has no NUL and few control characters; U+FFFD is what a lenient UTF-8 decoder makes of binary bytes.
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000e-\u001f\uFFFD]/;

const SAMPLE_DOWN =
  `Sample the data down to at most ${limitText(LIMITS.trainPoints)} training and ` +
  `${limitText(LIMITS.testPoints)} test points`;

/** 1-based line of the character at `index`. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Parse a dataset CSV.
 *
 * Accepted: `\n` or `\r\n` line ends, a trailing newline, a UTF-8 byte-order mark, spaces around a field.
 * Refused with a {@link CsvError} whose message names the line, the value (cut short) and what to do: binary data
 * (a NUL or other control character, or U+FFFD from undecodable bytes); a header other than `x1,x2,label,split`;
 * more than {@link LIMITS.trainPoints} training or {@link LIMITS.testPoints} test rows (counted before the fields
 * are parsed when the file has more rows than both together); a row with a missing or extra field (a blank line
 * counts); a coordinate that is not a finite decimal number, or whose magnitude is over {@link LIMITS.coordinate}
 * (the engine trains in float32); a label that is not an integer in 0 … {@link MAX_CSV_LABEL}; a split other than
 * `train` or `test`.
 *
 * @returns points `[n, 2]` per split, in file order
 */
export function parseDatasetCsv(text: string): DatasetCsv {
  const body = text.replace(/^\uFEFF/, '');
  const junk = BINARY.exec(body);
  if (junk) {
    throw new CsvError(
      'binary',
      lineAt(body, junk.index),
      'This is not a text file (it holds binary data); a dataset CSV is text with the header ' +
        'x1,x2,label,split. Save the data as CSV text and open that.',
    );
  }
  // Count the rows before splitting or parsing anything: 200,000 rows are refused at once.
  let newlines = 0;
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) newlines++;
  const dataRows = body.endsWith('\n') ? newlines - 1 : newlines;
  const maxRows = LIMITS.trainPoints + LIMITS.testPoints;
  if (dataRows > maxRows) {
    throw new CsvError(
      'too-many-rows',
      maxRows + 2,
      `The file has ${limitText(dataRows)} rows of points; the app takes at most ` +
        `${limitText(LIMITS.trainPoints)} training and ${limitText(LIMITS.testPoints)} test points. ` +
        `${SAMPLE_DOWN} and open it again.`,
    );
  }
  const lines = body.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const fieldsOf = (line: string) => csvParseRows(line.endsWith('\r') ? line.slice(0, -1) : line)[0] ?? [];
  const header = fieldsOf(lines[0] ?? '').map((f) => f.trim());
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
      `Line 1 must be the header x1,x2,label,split, found ${quoted(lines[0]?.trim() ?? '')}. ` +
        'Rename or reorder the columns to match.',
    );
  }
  const tx: number[] = [];
  const ty: number[] = [];
  const sx: number[] = [];
  const sy: number[] = [];
  for (let r = 1; r < lines.length; r++) {
    const line = r + 1;
    const fields = fieldsOf(lines[r]!).map((f) => f.trim());
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
        `Line ${line}: label ${quoted(fl)} is not a class index; use a whole number from 0 to ${MAX_CSV_LABEL} ` +
          `(the app shows at most ${LIMITS.classes} classes).`,
      );
    }
    if (fs === 'train') {
      if (ty.length === LIMITS.trainPoints) throw tooMany('training', line);
      tx.push(a, b);
      ty.push(label);
    } else if (fs === 'test') {
      if (sy.length === LIMITS.testPoints) throw tooMany('test', line);
      sx.push(a, b);
      sy.push(label);
    } else {
      throw new CsvError('split', line, `Line ${line}: split ${quoted(fs)} is unknown; use train or test.`);
    }
  }
  return {
    train: { x: Float64Array.from(tx), y: Int32Array.from(ty) },
    test: { x: Float64Array.from(sx), y: Int32Array.from(sy) },
  };
}

function tooMany(split: 'training' | 'test', line: number): CsvError {
  const limit = split === 'training' ? LIMITS.trainPoints : LIMITS.testPoints;
  return new CsvError(
    'too-many-rows',
    line,
    `Line ${line} is ${split} point ${limitText(limit + 1)}; the app takes at most ` +
      `${limitText(LIMITS.trainPoints)} training and ${limitText(LIMITS.testPoints)} test points. ` +
      `${SAMPLE_DOWN} and open it again.`,
  );
}

function coordinate(field: string, column: string, line: number): number {
  const v = Number(field);
  if (!DECIMAL.test(field) || !Number.isFinite(v)) {
    throw new CsvError(
      'number',
      line,
      `Line ${line}: ${column} ${quoted(field)} is not a finite decimal number; write it like -0.4213 or 1.5e-3.`,
    );
  }
  if (Math.abs(v) > LIMITS.coordinate) {
    throw new CsvError(
      'range',
      line,
      `Line ${line}: ${column} ${quoted(field)} is outside ±${limitText(LIMITS.coordinate)}, the range the app ` +
        'trains in (32-bit floats). Rescale the data, e.g. standardise each column.',
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
