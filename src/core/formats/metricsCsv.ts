/**
 * The page's live metrics table as CSV: one row per panel, numbers as fractions (never %), a missing number as an
 * empty field, and the page's share link on every row so that opening the file restores the setup that made it.
 * Quoting is d3-dsv's (RFC 4180): a field with a comma, a quote or a line break is quoted, quotes doubled. Reading
 * is strict and all-or-nothing, like the dataset CSV.
 */
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import type { Norm } from '../types.ts';

export const METRICS_CSV_HEADER = [
  'panel',
  'method',
  'variant',
  'hyper',
  'step',
  'train_acc',
  'test_acc',
  'adv_test_acc',
  'attack',
  'robust_test_acc',
  'undecided',
  'lipschitz',
  'lipschitz_label',
  'eps',
  'norm',
  'backend',
  'link',
] as const;

/** A method's settings; in the CSV `key=value;…` (see {@link hyperText}). */
export type MetricsHyper = Readonly<Record<string, number | string | boolean>>;

/** One panel's row of the table. Accuracies are fractions in [0, 1]; `null` is a number not (yet) measured. */
export interface MetricsRow {
  /** The panel's title as the page shows it, e.g. "TRADES (β = 6)". */
  readonly panel: string;
  /** Method id, e.g. "trades"; "nn" for the 1-NN construction, "imported" for an opened model. */
  readonly method: string;
  /** Method variant id, "" for none. */
  readonly variant: string;
  readonly hyper: MetricsHyper;
  /** Training steps taken (a whole number). */
  readonly step: number | null;
  readonly trainAcc: number | null;
  readonly testAcc: number | null;
  /** Accuracy under the attack named in `attack`. */
  readonly advTestAcc: number | null;
  /** The attack behind `advTestAcc`, e.g. "PGD-10 (L∞, α = ε/4, 10 restarts)". */
  readonly attack: string;
  /** Exact robust test accuracy from the 2D ball search (undecided balls count as not robust). */
  readonly robustTestAcc: number | null;
  /** Balls the exact search left undecided (a whole number). */
  readonly undecided: number | null;
  /** The local Lipschitz estimate named by `lipschitzLabel`. */
  readonly lipschitz: number | null;
  /** What `lipschitz` is, e.g. "test Lip (paper's sign descent)". */
  readonly lipschitzLabel: string;
  /** Evaluation radius, data units. */
  readonly eps: number;
  readonly norm: Norm;
  /** The tfjs backend the page trained on, e.g. "webgpu". */
  readonly backend: string;
  /** The page's share link (a URL), "" for none. */
  readonly link: string;
}

export type MetricsCsvErrorCode = 'empty' | 'header' | 'field-count' | 'number' | 'hyper' | 'norm';

/** A metrics CSV that cannot be read. `row` is the 1-based record number (the header is record 1). */
export class MetricsCsvError extends Error {
  override readonly name = 'MetricsCsvError';
  constructor(
    readonly code: MetricsCsvErrorCode,
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

// `\d+(\.\d*)?`, not `\d+\.?\d*`: the latter backtracks quadratically on a long run of digits.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NUMBER_TEXT = /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?Infinity|NaN)$/;

// String(x) is the shortest text that reads back to the same double; only −0 needs help to keep its sign.
const num = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/** `%`, `;`, `=` and `"` percent-encoded, so that `;` and `=` only ever separate. */
const escapePart = (s: string) =>
  s.replace(/[%;="]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const unescapePart = (s: string) =>
  s.replace(/%(25|3B|3D|22)/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/**
 * A method's settings as `key=value;…` in key order as given: numbers as JavaScript writes them, `true` / `false`,
 * strings bare unless they would read as a number or boolean (then in double quotes). `%`, `;`, `=` and `"` inside
 * keys and strings are percent-encoded.
 */
export function hyperText(hyper: MetricsHyper): string {
  return Object.entries(hyper)
    .map(([k, v]) => {
      let value: string;
      if (typeof v === 'number') value = num(v);
      else if (typeof v === 'boolean') value = String(v);
      else {
        const bare = escapePart(v);
        value = NUMBER_TEXT.test(v) || v === 'true' || v === 'false' ? `"${bare}"` : bare;
      }
      return `${escapePart(k)}=${value}`;
    })
    .join(';');
}

/**
 * Read {@link hyperText} back.
 *
 * @throws MetricsCsvError (`hyper`) for a part without `=`
 */
export function parseHyperText(text: string, row = 0): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  if (text === '') return out;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      throw new MetricsCsvError(
        'hyper',
        row,
        `Row ${row}: hyper part "${part}" is not key=value; write the settings as key=value;key=value.`,
      );
    }
    const key = unescapePart(part.slice(0, eq));
    const raw = part.slice(eq + 1);
    let value: number | string | boolean;
    if (NUMBER_TEXT.test(raw)) value = Number(raw);
    else if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"'))
      value = unescapePart(raw.slice(1, -1));
    else value = unescapePart(raw);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function checkNumber(
  v: number | null,
  what: string,
  panel: string,
  kind: 'fraction' | 'count' | 'any',
): string {
  if (v === null || Number.isNaN(v)) return '';
  if (kind === 'fraction' && !(v >= 0 && v <= 1)) {
    throw new RangeError(
      `Cannot write the metrics of "${panel}": ${what} = ${v} is not a fraction in [0, 1] (write 0.975, not 97.5).`,
    );
  }
  if (kind === 'count' && !(Number.isInteger(v) && v >= 0)) {
    throw new RangeError(`Cannot write the metrics of "${panel}": ${what} = ${v} is not a whole number ≥ 0.`);
  }
  return num(v);
}

/**
 * The table as CSV text: the header {@link METRICS_CSV_HEADER}, one row per entry, `\n` line ends and a final
 * newline. `null` and NaN numbers are written as empty fields. With `bom`, a UTF-8 byte-order mark goes first
 * (spreadsheets then read "β" and "∞" correctly).
 *
 * @throws RangeError for an accuracy outside [0, 1], a step or undecided count that is not a whole number ≥ 0, or
 *   a non-finite ε
 */
export function metricsCsvText(rows: readonly MetricsRow[], options: { bom?: boolean } = {}): string {
  const out: string[][] = [[...METRICS_CSV_HEADER]];
  for (const r of rows) {
    if (!Number.isFinite(r.eps)) {
      throw new RangeError(
        `Cannot write the metrics of "${r.panel}": eps = ${r.eps} is not a finite number.`,
      );
    }
    out.push([
      r.panel,
      r.method,
      r.variant,
      hyperText(r.hyper),
      checkNumber(r.step, 'step', r.panel, 'count'),
      checkNumber(r.trainAcc, 'train_acc', r.panel, 'fraction'),
      checkNumber(r.testAcc, 'test_acc', r.panel, 'fraction'),
      checkNumber(r.advTestAcc, 'adv_test_acc', r.panel, 'fraction'),
      r.attack,
      checkNumber(r.robustTestAcc, 'robust_test_acc', r.panel, 'fraction'),
      checkNumber(r.undecided, 'undecided', r.panel, 'count'),
      checkNumber(r.lipschitz, 'lipschitz', r.panel, 'any'),
      r.lipschitzLabel,
      num(r.eps),
      r.norm,
      r.backend,
      r.link,
    ]);
  }
  return (options.bom ? '\uFEFF' : '') + csvFormatRows(out) + '\n';
}

/** Does this text start with the metrics header? (For sniffing an opened file; reading checks everything.) */
export function looksLikeMetricsCsv(text: string): boolean {
  const first = csvParseRows(text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '')[0] ?? [];
  return first.map((f) => f.trim()).join(',') === METRICS_CSV_HEADER.join(',');
}

/**
 * Read a metrics CSV written by {@link metricsCsvText}.
 *
 * Accepted: `\n` or `\r\n` line ends, trailing blank lines, a UTF-8 byte-order mark, quoted fields spanning lines.
 * Refused with a {@link MetricsCsvError}: a header other than {@link METRICS_CSV_HEADER}; a row with a missing or
 * extra field; a number field that is neither empty nor a decimal number; an accuracy outside [0, 1]; a step or
 * undecided count that is not a whole number; an empty or non-finite eps; a norm other than linf or l2; a malformed
 * hyper field.
 */
export function parseMetricsCsv(text: string): MetricsRow[] {
  const body = text.replace(/^\uFEFF/, '');
  const records = csvParseRows(body);
  // d3 reads a final line break as the end of the last record; blank lines after it (one empty field each) go.
  while (
    records.length > 1 &&
    records[records.length - 1]!.join('') === '' &&
    records[records.length - 1]!.length === 1
  ) {
    records.pop();
  }
  const header = records[0]?.map((f) => f.trim()) ?? [];
  if (header.length === 0 || (header.length === 1 && header[0] === '')) {
    throw new MetricsCsvError(
      'empty',
      1,
      `The file is empty. A metrics CSV starts with the header ${METRICS_CSV_HEADER.join(',')}.`,
    );
  }
  if (header.join(',') !== METRICS_CSV_HEADER.join(',')) {
    throw new MetricsCsvError(
      'header',
      1,
      `Row 1 must be the header ${METRICS_CSV_HEADER.join(',')}, found "${header.join(',').slice(0, 200)}". ` +
        'Export the metrics table from the app again.',
    );
  }
  const out: MetricsRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const row = i + 1;
    const f = records[i]!;
    if (f.length !== METRICS_CSV_HEADER.length) {
      throw new MetricsCsvError(
        'field-count',
        row,
        `Row ${row} has ${f.length} fields; every row needs ${METRICS_CSV_HEADER.length} (${METRICS_CSV_HEADER.join(',')}). ` +
          'Fix or delete the row.',
      );
    }
    const field = (k: (typeof METRICS_CSV_HEADER)[number]) => f[METRICS_CSV_HEADER.indexOf(k)]!;
    const number = (
      k: (typeof METRICS_CSV_HEADER)[number],
      kind: 'fraction' | 'count' | 'any',
    ): number | null => {
      const s = field(k).trim();
      if (s === '') return null;
      const v = Number(s);
      const ok =
        (DECIMAL.test(s) || /^[+-]?Infinity$/.test(s)) &&
        (kind !== 'fraction' || (v >= 0 && v <= 1)) &&
        (kind !== 'count' || (Number.isInteger(v) && v >= 0));
      if (!ok) {
        const want =
          kind === 'fraction'
            ? 'a fraction from 0 to 1'
            : kind === 'count'
              ? 'a whole number ≥ 0'
              : 'a decimal number';
        throw new MetricsCsvError(
          'number',
          row,
          `Row ${row}: ${k} "${s}" is not ${want}; leave it empty if unknown.`,
        );
      }
      return v;
    };
    const eps = number('eps', 'any');
    if (eps === null || !Number.isFinite(eps)) {
      throw new MetricsCsvError('number', row, `Row ${row}: eps "${field('eps')}" must be a finite number.`);
    }
    const norm = field('norm').trim();
    if (norm !== 'linf' && norm !== 'l2') {
      throw new MetricsCsvError('norm', row, `Row ${row}: norm "${norm}" is unknown; use linf or l2.`);
    }
    out.push({
      panel: field('panel'),
      method: field('method'),
      variant: field('variant'),
      hyper: parseHyperText(field('hyper'), row),
      step: number('step', 'count'),
      trainAcc: number('train_acc', 'fraction'),
      testAcc: number('test_acc', 'fraction'),
      advTestAcc: number('adv_test_acc', 'fraction'),
      attack: field('attack'),
      robustTestAcc: number('robust_test_acc', 'fraction'),
      undecided: number('undecided', 'count'),
      lipschitz: number('lipschitz', 'any'),
      lipschitzLabel: field('lipschitz_label'),
      eps,
      norm,
      backend: field('backend'),
      link: field('link'),
    });
  }
  return out;
}
