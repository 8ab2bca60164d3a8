/**
 * The page's state in its URL: one typed, versioned schema, so that a link reproduces the figure (data, seeds,
 * training settings, panels, hand edits, what is shown) and a link made today still opens in later versions.
 * Plain data: no tfjs, no DOM.
 *
 * ## The scheme (version 1)
 *
 * `?v=1&name=value&…`. Only values that differ from the page the link starts from are written, so the default
 * page's link is just `?v=1`. The page a link starts from is the default page, or — with `preset=KEY` — that
 * lecture preset applied to the default page (presets.ts); every other parameter then overrides it. Each row of
 * {@link URL_PARAMS} names one parameter, its meaning and its default; the parameter tables below (`*_ROWS`)
 * are typed over the fields of the state they carry, so a new field does not compile until it is given a row.
 *
 * Values are written readably: numbers as the shortest text that reads back to the same double, lists with
 * `,`, a panel as `method[:variant=v][:key=value…][:dropout=d]` (`nn[:r=0.05]` for the 1-NN construction), and
 * the hand edits of the points as `~`-separated edits (see {@link encodeEdits}): `mt12.-4213.7719` moves
 * training point 12 to (−0.4213, 0.7719), `as-1200.3400.1` adds a test point of class 1 at (−0.12, 0.34),
 * `dt5` deletes training point 5 (coordinates in units of 10⁻⁴, the precision edits keep).
 *
 * What a link cannot carry — an imported CSV dataset, imported model panels (their weights), or edits that would
 * make the link longer than {@link MAX_SEARCH_LENGTH} — {@link encodeState} leaves out and names in `omitted`.
 *
 * ## Reading a link never throws
 *
 * Every parameter is checked against its schema (zod; ranges from the dataset and hyperparameter tables). An
 * unknown parameter, a malformed or out-of-range value, an unknown method, variant or panel setting, or edits
 * that do not apply to the data each give one notice that says what was wrong and what is used instead, and
 * the value falls back to the starting page's. A link longer than {@link MAX_SEARCH_LENGTH} opens the default
 * page with a notice.
 *
 * ## Versions
 *
 * `v` is the schema version. A link without `v` predates the schema: the app then knew only `backend`,
 * `workers` and `epochs`, which mean the same in version 1, so such links read as version 1 (and so does a
 * hand-written `?preset=theorem`). {@link MIGRATIONS}[k] rewrites the parameters of a version-k link into
 * version k + 1; a future version 2 adds `MIGRATIONS[1]`. A link from a newer version than this code is read
 * as far as it is understood, with a notice.
 */
import { z } from 'zod';
import { BACKENDS, type BackendName } from '../ml/backendNames.ts';
import { METHOD_INFO } from '../ml/methods/catalog.ts';
import { defaultFor, type HyperSpec, type MethodInfo } from '../ml/methods/info.ts';
import {
  COMMON_PARAMS,
  DATASETS,
  makeDataset,
  type DatasetName,
  type ParamSpec,
} from '../core/datasets/index.ts';
import {
  applyEdits,
  EDIT_DECIMALS,
  MAX_EDITS,
  placeInBox,
  type PointEdit,
  type Split,
} from '../core/datasets/edits.ts';
import type { Box, Norm } from '../core/types.ts';
import {
  IMPORTED_METHOD,
  type EvalSettings,
  type FieldKind,
  type FieldSettings,
  type PanelSpec,
  type Speed,
  type TrainSettings,
} from '../engine/protocol.ts';
import {
  ACTIVATION_OPTIONS,
  DEFAULT_STATE,
  NN_METHOD,
  OPTIMIZER_OPTIONS,
  type DataSettings,
  type DemoState,
  type ViewSettings,
} from './settings.ts';
import { PRESETS } from './presets.ts';

/** The schema version this code writes. */
export const URL_VERSION = 1;
/** Longest query string a link may be (16 kB): longer ones open the default page. */
export const MAX_SEARCH_LENGTH = 16 * 1024;
/** Most panels a link may carry. */
export const MAX_PANELS = 24;

/** Web Workers that train: a count, or one per panel. */
export type WorkerSetting = number | 'panel';
/**
 * One worker for all panels: on the 2-core machine of the benchmark (`npm run bench`) it trained the default
 * page as fast as a pool did and kept the page's frames shorter.
 */
export const DEFAULT_WORKERS: WorkerSetting = 1;
export const MAX_WORKERS = 8;

/** Parts of the page a link can hide (`hide=controls,table`). */
export type HideKey = 'controls' | 'table' | 'curve' | 'data' | 'explain' | 'transport' | 'title' | 'legend';

/** Each hideable part with its name in words, in the page's order. */
export const HIDE_KEYS: Readonly<Record<HideKey, string>> = {
  title: 'page title and header',
  controls: 'settings sidebar',
  transport: 'play, pause and step buttons',
  table: "paper's table",
  curve: 'robust accuracy vs ε chart',
  data: 'separation of the data',
  legend: 'colour legend',
  explain: 'explanations',
};
const HIDE_KEY_LIST = Object.keys(HIDE_KEYS) as HideKey[];

/** How the page is shown, beside its state: embedded, presenting, parts hidden, the lecture preset opened. */
export interface UiFlags {
  /** Embedded in another page (e.g. an iframe in lecture notes): a compact page without the header's links. */
  readonly embed: boolean;
  /** Presentation mode: large type for a projector. */
  readonly present: boolean;
  readonly hide: readonly HideKey[];
  /** The lecture preset the page started from (presets.ts), or null. */
  readonly preset: string | null;
}

export const DEFAULT_UI: UiFlags = { embed: false, present: false, hide: [], preset: null };

/** Launch settings that are not part of the page's state. */
export interface LaunchFlags {
  readonly pinned: BackendName | null;
  readonly workers: WorkerSetting;
}

export interface Encoded {
  /** The query string, starting `?v=1`. */
  readonly search: string;
  /** What the link cannot carry, in words for the Share dialog (empty when it carries everything). */
  readonly omitted: readonly string[];
}

export interface Decoded extends LaunchFlags {
  readonly state: DemoState;
  readonly ui: UiFlags;
  /** One sentence per rejected parameter: what was wrong and what is used instead. */
  readonly notices: readonly string[];
}

// ─── codecs: one value type each, its schema, how it reads and writes ───────────────────────────────────────

interface Codec<T> {
  readonly schema: z.ZodType<T>;
  /** The raw text as the schema's input (a number, a list …); anything the schema then rejects. */
  read(raw: string): unknown;
  /** Why `raw` was rejected, e.g. "outside 1–2000". */
  problem(raw: string): string;
  write(v: T): string;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INT_RE = /^[+-]?\d+$/;

/** `v` as the shortest text that reads back to the same double; −0 keeps its sign. */
function num(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function readNumber(raw: string): number {
  return NUMBER_RE.test(raw) ? Number(raw) : NaN;
}

function range(min: number, max: number): string {
  return `${num(min)}–${num(max)}`;
}

function intSchema(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

function intCodec(min: number, max: number): Codec<number> {
  return {
    schema: intSchema(min, max),
    read: readNumber,
    problem: (raw) =>
      !NUMBER_RE.test(raw)
        ? `not a number (use a whole number in ${range(min, max)})`
        : Number(raw) >= min && Number(raw) <= max
          ? `not a whole number`
          : `outside ${range(min, max)}`,
    write: num,
  };
}

/** A finite number in [min, max], or in (min, max] with `aboveMin`. */
function numberSchema(min: number, max: number, aboveMin = false) {
  return aboveMin ? z.number().gt(min).max(max) : z.number().min(min).max(max);
}

function numCodec(min: number, max: number, aboveMin = false): Codec<number> {
  return {
    schema: numberSchema(min, max, aboveMin),
    read: readNumber,
    problem: (raw) =>
      !NUMBER_RE.test(raw)
        ? `not a number (use one in ${range(min, max)})`
        : `outside ${aboveMin ? `${num(min)} (exclusive)–${num(max)}` : range(min, max)}`,
    write: num,
  };
}

function enumCodec<T extends string>(values: readonly T[]): Codec<T> {
  return {
    schema: z.enum(values as unknown as [T, ...T[]]),
    read: (raw) => raw,
    problem: () => `not one of ${values.join(', ')}`,
    write: (v) => v,
  };
}

/** A comma-separated list of distinct names from `values` (empty: none). */
function listCodec<T extends string>(values: readonly T[]): Codec<readonly T[]> {
  return {
    schema: z.array(z.enum(values as unknown as [T, ...T[]])).refine((a) => new Set(a).size === a.length),
    read: (raw) => (raw === '' ? [] : [...new Set(raw.split(','))]),
    problem: () => `not a comma-separated list of ${values.join(', ')}`,
    write: (v) => v.join(','),
  };
}

/** `embed`, `embed=1` or `embed=true` for true; `embed=0` or `embed=false` for false. */
const FLAG: Codec<boolean> = {
  schema: z.boolean(),
  read: (raw) =>
    raw === '' || raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : raw,
  problem: () => 'not 1 or 0',
  write: (v) => (v ? '' : '0'),
};

export const MAX_HIDDEN_LAYERS = 4;
export const MAX_WIDTH = 256;

/** Hidden layer widths joined by `x`, e.g. `64x64`. */
const ARCH: Codec<readonly number[]> = {
  schema: z.array(intSchema(1, MAX_WIDTH)).min(1).max(MAX_HIDDEN_LAYERS),
  read: (raw) => raw.split('x').map((w) => (/^\d+$/.test(w) ? Number(w) : NaN)),
  problem: () => `not 1–${MAX_HIDDEN_LAYERS} hidden layer widths of 1–${MAX_WIDTH} joined by x (e.g. 64x64)`,
  write: (v) => v.join('x'),
};

/** Visible layers of every panel, e.g. `train,test,balls`. */
const LAYER_NAMES = ['train', 'test', 'balls', 'paths'] as const;
const LAYER_FIELDS: Readonly<Record<(typeof LAYER_NAMES)[number], keyof ViewSettings>> = {
  train: 'showTrain',
  test: 'showTest',
  balls: 'showBalls',
  paths: 'showPaths',
};
const LAYER_LIST = listCodec(LAYER_NAMES);
const VIEW_SCHEMA = z.strictObject({
  showTrain: z.boolean(),
  showTest: z.boolean(),
  showBalls: z.boolean(),
  showPaths: z.boolean(),
});
const LAYERS: Codec<ViewSettings> = {
  schema: VIEW_SCHEMA,
  read: (raw) => {
    const r = LAYER_LIST.schema.safeParse(LAYER_LIST.read(raw));
    if (!r.success) return null;
    return Object.fromEntries(LAYER_NAMES.map((n) => [LAYER_FIELDS[n], r.data.includes(n)]));
  },
  problem: (raw) => LAYER_LIST.problem(raw),
  write: (v) => LAYER_NAMES.filter((n) => v[LAYER_FIELDS[n]]).join(','),
};

const NORMS: readonly Norm[] = ['linf', 'l2'];
const FIELD_KINDS: readonly FieldKind[] = ['probability', 'margin', 'gradient', 'ratio'];
const SPEEDS: readonly Speed[] = ['slow', 'normal', 'fast', 'max'];
const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
const [N_TRAIN, N_TEST, DATA_SEED] = COMMON_PARAMS as [ParamSpec, ParamSpec, ParamSpec];
const SEED_MAX = 0xffffffff;

// ─── the parameter tables, typed over the state they carry ───────────────────────────────────────────────────

interface RowSpec<T> {
  readonly key: string;
  readonly meaning: string;
  readonly codec: Codec<T>;
}
type RowsOf<S> = { readonly [K in keyof S]-?: RowSpec<S[K]> };

const DATA_ROWS: RowsOf<Pick<DataSettings, 'nTrain' | 'nTest' | 'seed'>> = {
  nTrain: { key: 'n', meaning: 'training points', codec: intCodec(N_TRAIN.min, N_TRAIN.max) },
  nTest: { key: 'nt', meaning: 'test points', codec: intCodec(N_TEST.min, N_TEST.max) },
  seed: { key: 'dseed', meaning: 'seed of the data draw', codec: intCodec(DATA_SEED.min, DATA_SEED.max) },
};

const TRAIN_ROWS: RowsOf<TrainSettings> = {
  hidden: { key: 'arch', meaning: 'hidden layer widths, e.g. 64x64', codec: ARCH },
  activation: { key: 'act', meaning: 'activation', codec: enumCodec(ACTIVATION_OPTIONS) },
  optimizer: { key: 'opt', meaning: 'optimizer', codec: enumCodec(OPTIMIZER_OPTIONS) },
  lr: { key: 'lr', meaning: 'learning rate', codec: numCodec(0, 10, true) },
  batchSize: { key: 'bs', meaning: 'batch size', codec: intCodec(1, 5000) },
  epochs: { key: 'epochs', meaning: 'training epochs', codec: intCodec(1, 2000) },
  seed: {
    key: 'seed',
    meaning: 'training seed (weights, batches, attacks)',
    codec: intCodec(0, SEED_MAX),
  },
  trainEps: { key: 'teps', meaning: 'ε_train, the radius robust methods train for', codec: numCodec(0, 1) },
  trainNorm: { key: 'tnorm', meaning: 'norm of ε_train', codec: enumCodec(NORMS) },
};

const EVAL_ROWS: RowsOf<EvalSettings> = {
  eps: { key: 'eps', meaning: 'ε of the views and numbers', codec: numCodec(0, 1) },
  norm: { key: 'norm', meaning: 'norm of ε', codec: enumCodec(NORMS) },
};

const FIELD_ROWS: RowsOf<FieldSettings> = {
  kind: { key: 'field', meaning: 'heatmap', codec: enumCodec(FIELD_KINDS) },
  resolution: { key: 'res', meaning: 'heatmap cells per side', codec: intCodec(16, 256) },
};

const VIEW_ROW: RowSpec<ViewSettings> = {
  key: 'layers',
  meaning: `visible layers: ${LAYER_NAMES.join(', ')}`,
  codec: LAYERS,
};
const SPEED_ROW: RowSpec<Speed> = { key: 'speed', meaning: 'training pace', codec: enumCodec(SPEEDS) };

/** A row of the flat table: one URL parameter of the state, read and written through `get` and `set`. */
interface Row {
  readonly key: string;
  readonly meaning: string;
  readonly codec: Codec<unknown>;
  get(s: DemoState): unknown;
  set(s: DemoState, v: unknown): DemoState;
}

function section<S extends object>(
  rows: RowsOf<S>,
  get: (s: DemoState) => S,
  put: (s: DemoState, v: S) => DemoState,
): Row[] {
  return (Object.keys(rows) as (keyof S & string)[]).map((f) => {
    const r = rows[f] as RowSpec<unknown>;
    return {
      key: r.key,
      meaning: r.meaning,
      codec: r.codec,
      get: (s) => get(s)[f],
      set: (s, v) => put(s, { ...get(s), [f]: v }),
    };
  });
}

const DATA_SCALARS = section(
  DATA_ROWS,
  (s) => s.data,
  (s, data) => ({ ...s, data: { ...s.data, ...data } }),
);
/** The scalar rows after the data's, in the order a link writes them. */
const SCALAR_ROWS: readonly Row[] = [
  ...section(
    TRAIN_ROWS,
    (s) => s.train,
    (s, train) => ({ ...s, train }),
  ),
  ...section(
    EVAL_ROWS,
    (s) => s.evaluation,
    (s, evaluation) => ({ ...s, evaluation }),
  ),
  ...section(
    FIELD_ROWS,
    (s) => s.field,
    (s, field) => ({ ...s, field }),
  ),
  {
    ...VIEW_ROW,
    codec: VIEW_ROW.codec,
    get: (s) => s.view,
    set: (s, v) => ({ ...s, view: v as ViewSettings }),
  },
  {
    ...SPEED_ROW,
    codec: SPEED_ROW.codec,
    get: (s) => s.speed,
    set: (s, v) => ({ ...s, speed: v as Speed }),
  },
];

/** Which URL parameters carry each part of the state (a new part does not compile until it is listed here). */
export const STATE_IN_URL: { readonly [K in keyof DemoState]-?: string } = {
  data: 'data, d.*, n, nt, dseed, edits (an imported CSV is not carried)',
  train: Object.values(TRAIN_ROWS)
    .map((r) => r.key)
    .join(', '),
  evaluation: 'eps, norm',
  field: 'field, res',
  view: 'layers',
  speed: 'speed',
  panels: 'panels (imported models are not carried)',
  nextId: 'not carried: the panels are numbered p0, p1, … and nextId is their count',
};

// ─── hand edits ──────────────────────────────────────────────────────────────────────────────────────────────

const COORD_SCALE = 10 ** EDIT_DECIMALS;
const SPLIT_CODE = { train: 't', test: 's' } as const;
/** A coordinate of a point dragged against the data box's edge: the box's low or high edge on that axis. */
type Coord = number | 'L' | 'H';

/** The data box of generated `data` (the box edits stay in), or null for imported data. */
function dataBox(data: DataSettings): Box | null {
  if (data.name === 'csv') return null;
  return makeDataset({
    name: data.name,
    nTrain: data.nTrain,
    nTest: data.nTest,
    seed: data.seed,
    ...data.params[data.name],
  }).meta.box;
}

/**
 * One coordinate in units of 10⁻⁴ (edits keep 4 decimals), or `L`/`H` for the box's low/high edge on its axis:
 * a point dragged against a box edge that is not on the 10⁻⁴ grid sits exactly on that edge (placeInBox).
 */
function coord(v: number, lo: number | undefined, hi: number | undefined): string {
  const k = Math.round(v * COORD_SCALE);
  if (!Object.is(k / COORD_SCALE, v)) {
    if (v === lo) return 'L';
    if (v === hi) return 'H';
  }
  return num(k);
}

/**
 * The edits as `~`-separated items: `m<split><index>.<x>.<y>` (move), `a<split><x>.<y>.<label>` (add),
 * `d<split><index>` (delete); split `t` = train, `s` = test; coordinates in units of 10⁻⁴, or `L`/`H` for a
 * point on the low/high edge of `box` when that edge is off the 10⁻⁴ grid.
 */
export function encodeEdits(edits: readonly PointEdit[], box?: Box | null): string {
  return edits
    .map((e) => {
      const head = `${e.op[0]!}${SPLIT_CODE[e.split]}`;
      if (e.op === 'delete') return `${head}${e.index}`;
      const x = coord(e.x, box?.xMin, box?.xMax);
      const y = coord(e.y, box?.yMin, box?.yMax);
      return e.op === 'move' ? `${head}${e.index}.${x}.${y}` : `${head}${x}.${y}.${e.label}`;
    })
    .join('~');
}

const EDIT_RE = /^([mad])([ts])(.*)$/;
const UINT_RE = /^\d{1,9}$/;
const COORD_RE = /^(-?\d{1,12}|L|H)$/;

type RawEdit =
  | {
      readonly op: 'move';
      readonly split: Split;
      readonly index: number;
      readonly x: Coord;
      readonly y: Coord;
    }
  | {
      readonly op: 'add';
      readonly split: Split;
      readonly x: Coord;
      readonly y: Coord;
      readonly label: number;
    }
  | { readonly op: 'delete'; readonly split: Split; readonly index: number };

/** The edits of {@link encodeEdits}'s text, or why it cannot be read. Indices and the box are checked later. */
function parseEdits(raw: string): RawEdit[] | string {
  if (raw === '') return [];
  const items = raw.split('~');
  if (items.length > MAX_EDITS) return `it holds ${items.length} edits, more than ${MAX_EDITS}`;
  const out: RawEdit[] = [];
  for (const [k, item] of items.entries()) {
    const bad = `edit ${k + 1} ("${short(item, 24)}") is not m/a/d, t/s and dot-separated numbers`;
    const m = EDIT_RE.exec(item);
    if (!m) return bad;
    const split: Split = m[2] === 't' ? 'train' : 'test';
    const f = m[3]!.split('.');
    const ok = (i: number, re: RegExp) => f[i] !== undefined && re.test(f[i]);
    const c = (i: number): Coord => (f[i] === 'L' || f[i] === 'H' ? f[i] : Number(f[i]) / COORD_SCALE);
    if (m[1] === 'm') {
      if (f.length !== 3 || !ok(0, UINT_RE) || !ok(1, COORD_RE) || !ok(2, COORD_RE)) return bad;
      out.push({ op: 'move', split, index: Number(f[0]), x: c(1), y: c(2) });
    } else if (m[1] === 'a') {
      if (f.length !== 3 || !ok(0, COORD_RE) || !ok(1, COORD_RE) || !ok(2, UINT_RE)) return bad;
      out.push({ op: 'add', split, x: c(0), y: c(1), label: Number(f[2]) });
    } else {
      if (f.length !== 1 || !ok(0, UINT_RE)) return bad;
      out.push({ op: 'delete', split, index: Number(f[0]) });
    }
  }
  return out;
}

/**
 * `raw` edits placed on the generated data of `data` (box edges resolved), or why they do not apply. Pure and
 * cheap: the generators draw a few thousand points in milliseconds.
 */
function fitEdits(data: DataSettings, raw: readonly RawEdit[]): PointEdit[] | string {
  if (raw.length === 0) return [];
  if (data.name === 'csv') return 'they belong to imported data';
  try {
    const source = makeDataset({
      name: data.name,
      nTrain: data.nTrain,
      nTest: data.nTest,
      seed: data.seed,
      ...data.params[data.name],
    });
    const box = source.meta.box;
    const at = (c: Coord, lo: number, hi: number) => (c === 'L' ? lo : c === 'H' ? hi : c);
    const edits = raw.map((e): PointEdit =>
      e.op === 'delete' ? e : { ...e, x: at(e.x, box.xMin, box.xMax), y: at(e.y, box.yMin, box.yMax) },
    );
    applyEdits(source, edits);
    for (const [k, e] of edits.entries()) {
      if (e.op === 'delete') continue;
      const [x, y] = placeInBox(e.x, e.y, box);
      if (!Object.is(x, e.x) || !Object.is(y, e.y))
        return `edit ${k + 1} puts a point at (${e.x}, ${e.y}), not on the ${EDIT_DECIMALS}-decimal grid`;
    }
    return edits;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
  }
}

/** The edits of an `edits=` value on `data`, or why they cannot be used. */
export function decodeEdits(data: DataSettings, raw: string): PointEdit[] | string {
  const parsed = parseEdits(raw);
  return typeof parsed === 'string' ? parsed : fitEdits(data, parsed);
}

// ─── panels ──────────────────────────────────────────────────────────────────────────────────────────────────

/** The 1-NN construction's radius r when set (null: half the separation), as the panel's settings allow. */
export const NN_R_RANGE = { min: 1e-6, max: 10 } as const;
export const DROPOUT_RANGE = { min: 0, max: 0.9 } as const;
const METHOD_IDS = [...Object.keys(METHOD_INFO), NN_METHOD];

/** Whether a hyperparameter takes whole numbers only (attack steps), as the panel's slider does. */
function integerHyper(h: HyperSpec): boolean {
  return h.key === 'steps';
}

function hyperSchema(h: HyperSpec) {
  return integerHyper(h) ? intSchema(h.min, h.max) : numberSchema(h.min, h.max);
}

function firstVariant(m: MethodInfo): string {
  return m.variants?.[0]?.id ?? '';
}

/** One panel as `method[:variant=v][:key=value…][:dropout=d]`; settings at their defaults are left out. */
function encodePanel(p: PanelSpec): string {
  const parts = [p.method];
  if (p.method === NN_METHOD) {
    if (p.r !== null) parts.push(`r=${num(p.r)}`);
    return parts.join(':');
  }
  const m = METHOD_INFO[p.method];
  if (!m) return parts.join(':');
  if (p.variant !== firstVariant(m)) parts.push(`variant=${p.variant}`);
  for (const h of m.hyper) {
    const v = p.hyper[h.key];
    if (v !== undefined && num(v) !== num(defaultFor(h, p.variant))) parts.push(`${h.key}=${num(v)}`);
  }
  if (num(p.dropout) !== '0') parts.push(`dropout=${num(p.dropout)}`);
  return parts.join(':');
}

export function encodePanels(panels: readonly PanelSpec[]): string {
  return panels.map(encodePanel).join(',');
}

/** The panels of a `panels=` value, numbered p0, p1, …; every problem gives a notice and a safe choice. */
function decodePanels(raw: string, notices: string[]): PanelSpec[] {
  if (raw === '') return [];
  let entries = raw.split(',');
  if (entries.length > MAX_PANELS) {
    notices.push(
      `This link has ${entries.length} panels, more than ${MAX_PANELS}; keeping the first ${MAX_PANELS}.`,
    );
    entries = entries.slice(0, MAX_PANELS);
  }
  const out: PanelSpec[] = [];
  for (const [i, entry] of entries.entries()) {
    const who = `This link's panel ${i + 1} ("${short(entry, 40)}")`;
    const [method = '', ...rest] = entry.split(':');
    if (method === IMPORTED_METHOD) {
      notices.push(`${who} is an imported model, which a link cannot carry; leaving it out.`);
      continue;
    }
    const info = METHOD_INFO[method];
    if (!info && method !== NN_METHOD) {
      notices.push(`${who} names no known method; use one of ${METHOD_IDS.join(', ')}. Leaving it out.`);
      continue;
    }
    const settings = new Map<string, string>();
    for (const kv of rest) {
      const eq = kv.indexOf('=');
      if (eq <= 0) notices.push(`${who} has "${short(kv, 24)}", not key=value; ignoring it.`);
      else settings.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    const id = `p${out.length}`;
    if (!info) {
      out.push({
        id,
        method: NN_METHOD,
        variant: '',
        hyper: {},
        dropout: 0,
        r: decodeR(who, settings, notices),
      });
      continue;
    }
    const known = [...(info.variants ? ['variant'] : []), ...info.hyper.map((h) => h.key), 'dropout'];
    for (const key of settings.keys()) {
      if (!known.includes(key))
        notices.push(
          `${who} sets "${short(key, 24)}", which ${info.name} does not have (its settings: ${known.join(', ')}); ignoring it.`,
        );
    }
    let variant = firstVariant(info);
    const v = settings.get('variant');
    if (v !== undefined && info.variants) {
      if (info.variants.some((x) => x.id === v)) variant = v;
      else
        notices.push(
          `${who} asks for variant "${short(v, 24)}" of ${info.name}; use one of ${info.variants.map((x) => x.id).join(', ')}. Using ${variant}.`,
        );
    }
    const hyper: Record<string, number> = {};
    for (const h of info.hyper) {
      const fallback = defaultFor(h, variant);
      const raw = settings.get(h.key);
      hyper[h.key] =
        raw === undefined
          ? fallback
          : checked(`${who} sets ${h.key}`, raw, hyperSchema(h), fallback, h.min, h.max, notices);
    }
    const d = settings.get('dropout');
    const dropout =
      d === undefined
        ? 0
        : checked(
            `${who} sets dropout`,
            d,
            numberSchema(DROPOUT_RANGE.min, DROPOUT_RANGE.max),
            0,
            DROPOUT_RANGE.min,
            DROPOUT_RANGE.max,
            notices,
          );
    out.push({ id, method: info.id, variant, hyper, dropout, r: null });
  }
  return out;
}

function decodeR(who: string, settings: Map<string, string>, notices: string[]): number | null {
  for (const key of settings.keys())
    if (key !== 'r')
      notices.push(
        `${who} sets "${short(key, 24)}", which the 1-NN construction does not have (only r); ignoring it.`,
      );
  const raw = settings.get('r');
  if (raw === undefined) return null;
  const r = numberSchema(NN_R_RANGE.min, NN_R_RANGE.max).safeParse(readNumber(raw));
  if (r.success) return r.data;
  notices.push(
    `${who} sets r = ${short(raw, 24)}, ${NUMBER_RE.test(raw) ? `outside ${range(NN_R_RANGE.min, NN_R_RANGE.max)}` : 'not a number'}; using half the separation.`,
  );
  return null;
}

/** `raw` as a number the schema accepts, or `fallback` with a notice. */
function checked(
  what: string,
  raw: string,
  schema: z.ZodType<number>,
  fallback: number,
  min: number,
  max: number,
  notices: string[],
): number {
  const r = schema.safeParse(readNumber(raw));
  if (r.success) return r.data;
  const why = !NUMBER_RE.test(raw)
    ? 'not a number'
    : Number(raw) >= min && Number(raw) <= max
      ? 'not a whole number'
      : `outside ${range(min, max)}`;
  notices.push(`${what} = ${short(raw, 24)}, ${why}; using ${num(fallback)}.`);
  return fallback;
}

// ─── the whole state's schema (what a link can carry exactly) ────────────────────────────────────────────────

function paramSchema(p: ParamSpec) {
  return p.integer ? intSchema(p.min, p.max) : numberSchema(p.min, p.max);
}

const EDIT_SCHEMA = z.union([
  z.strictObject({
    op: z.literal('move'),
    split: z.enum(['train', 'test']),
    index: z.number().int().min(0),
    x: z.number(),
    y: z.number(),
  }),
  z.strictObject({
    op: z.literal('add'),
    split: z.enum(['train', 'test']),
    x: z.number(),
    y: z.number(),
    label: z.number().int().min(0),
  }),
  z.strictObject({
    op: z.literal('delete'),
    split: z.enum(['train', 'test']),
    index: z.number().int().min(0),
  }),
]);

const PANEL_SCHEMA = z
  .strictObject({
    id: z.string(),
    method: z.enum(METHOD_IDS as [string, ...string[]]),
    variant: z.string(),
    hyper: z.record(z.string(), z.number()),
    dropout: numberSchema(DROPOUT_RANGE.min, DROPOUT_RANGE.max),
    r: numberSchema(NN_R_RANGE.min, NN_R_RANGE.max).nullable(),
  })
  .superRefine((p, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (p.method === NN_METHOD) {
      if (p.variant !== '' || Object.keys(p.hyper).length > 0 || p.dropout !== 0)
        fail(`panel ${p.id}: the 1-NN construction takes no variant, hyperparameters or dropout`);
      return;
    }
    if (p.r !== null) fail(`panel ${p.id}: r is the 1-NN construction's alone`);
    const m = METHOD_INFO[p.method]!;
    if (p.variant !== firstVariant(m) && !m.variants?.some((v) => v.id === p.variant))
      fail(`panel ${p.id}: ${m.name} has no variant "${p.variant}"`);
    const keys = Object.keys(p.hyper);
    if (keys.length !== m.hyper.length || !m.hyper.every((h) => keys.includes(h.key)))
      fail(`panel ${p.id}: hyperparameters ${keys.join(', ')} are not ${m.name}'s`);
    for (const h of m.hyper) {
      const v = p.hyper[h.key];
      if (v !== undefined && !hyperSchema(h).safeParse(v).success)
        fail(`panel ${p.id}: ${h.key} = ${v} is outside ${range(h.min, h.max)}`);
    }
  });

function schemaOf<S>(rows: RowsOf<S>) {
  return z.strictObject(
    Object.fromEntries(Object.entries<RowSpec<unknown>>(rows).map(([f, r]) => [f, r.codec.schema])),
  );
}

/** The schema of a DemoState that a link carries exactly (generated data, no imported panels). */
export const DEMO_STATE_SCHEMA = z
  .strictObject({
    data: z.strictObject({
      name: z.enum(DATASET_NAMES as [DatasetName, ...DatasetName[]]),
      ...schemaOf(DATA_ROWS).shape,
      params: z.strictObject(
        Object.fromEntries(
          DATASET_NAMES.map((ds) => [
            ds,
            z.strictObject(Object.fromEntries(DATASETS[ds].params.map((p) => [p.name, paramSchema(p)]))),
          ]),
        ),
      ),
      csv: z.null(),
      edits: z.array(EDIT_SCHEMA).max(MAX_EDITS),
    }),
    train: schemaOf(TRAIN_ROWS),
    evaluation: schemaOf(EVAL_ROWS),
    field: schemaOf(FIELD_ROWS),
    view: VIEW_SCHEMA,
    speed: SPEED_ROW.codec.schema,
    panels: z.array(PANEL_SCHEMA).max(MAX_PANELS),
    nextId: z.number().int().min(0),
  })
  .superRefine((s, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    const ids = s.panels.map((p) => p.id);
    if (new Set(ids).size !== ids.length) fail('panel ids repeat');
    for (const id of ids) {
      const m = /^p(\d+)$/.exec(id);
      if (m && Number(m[1]) >= s.nextId) fail(`panel id ${id} is not below nextId ${s.nextId}`);
    }
    const why = fitEdits(s.data as unknown as DataSettings, s.data.edits);
    if (typeof why === 'string') fail(`the edits do not apply: ${why}`);
  });

/** Why `state` cannot be carried exactly by a link (empty when it can): the URL schema's verdict. */
export function stateProblems(state: DemoState): string[] {
  const r = DEMO_STATE_SCHEMA.safeParse(state);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || 'state'}: ${i.message}`);
}

/** Why `ui` is not a valid set of UI flags (empty when it is). */
export function uiProblems(ui: UiFlags): string[] {
  const out: string[] = [];
  if (!listCodec(HIDE_KEY_LIST).schema.safeParse(ui.hide).success) out.push('hide: not distinct part names');
  if (ui.preset !== null && !PRESETS.some((p) => p.key === ui.preset))
    out.push(`preset: no preset "${ui.preset}"`);
  return out;
}

// ─── versions ────────────────────────────────────────────────────────────────────────────────────────────────

/** A link's parameters by name (each once), in the link's order. */
export type ParamMap = ReadonlyMap<string, string>;

/**
 * `MIGRATIONS[k]` rewrites a version-k link's parameters as version k + 1. Version 0 is a link without `v`,
 * from before the schema: its `backend`, `workers` and `epochs` mean the same in version 1.
 */
export const MIGRATIONS: Readonly<Record<number, (params: ParamMap) => ParamMap>> = {
  0: (params) => params,
};

// ─── encoding ────────────────────────────────────────────────────────────────────────────────────────────────

/** Characters a query value keeps as they are (readable links); others are percent-encoded. */
const SAFE_VALUE = /[^A-Za-z0-9\-._~,:=!*()@/]/g;

function escapeValue(v: string): string {
  return v.replace(SAFE_VALUE, (c) => encodeURIComponent(c));
}

function presetBase(key: string | null): { state: DemoState; ui: UiFlags } {
  const preset = key === null ? undefined : PRESETS.find((p) => p.key === key);
  if (!preset) return { state: DEFAULT_STATE, ui: DEFAULT_UI };
  return {
    state: preset.apply(DEFAULT_STATE),
    ui: { ...DEFAULT_UI, ...preset.ui, preset: preset.key },
  };
}

/**
 * The link of `state` (with the page's UI flags and launch settings): the query string, writing only what differs
 * from the default page — or, when `ui.preset` names a lecture preset, from that preset's page, which the link
 * then names. What the link cannot carry is left out and listed in `omitted`.
 */
export function encodeState(state: DemoState, ui: UiFlags, launch: LaunchFlags): Encoded {
  const omitted: string[] = [];
  const base = presetBase(ui.preset);
  let s = state;
  if (s.data.name === 'csv') {
    const name = s.data.csv?.name ?? 'CSV';
    const edits = s.data.edits.length;
    const fallback = base.state.data.name === 'csv' ? 'moons' : base.state.data.name;
    omitted.push(
      `the imported data "${name}"${edits > 0 ? ` and its ${edits} hand edits` : ''}: a link carries only generated data, so it opens with the ${fallback} dataset`,
    );
    s = { ...s, data: { ...s.data, name: fallback, edits: [] } };
  }
  const imported = s.panels.filter((p) => p.method === IMPORTED_METHOD);
  for (const p of imported)
    omitted.push(
      `the imported model${p.imported ? ` "${p.imported.fileName}"` : ''}: a link cannot carry a model's weights`,
    );
  if (imported.length > 0) s = { ...s, panels: s.panels.filter((p) => p.method !== IMPORTED_METHOD) };

  // The box is needed only for points on a box edge off the 10⁻⁴ grid (see coord).
  const offGrid = s.data.edits.some((e) => e.op !== 'delete' && (!onGrid(e.x) || !onGrid(e.y)));
  const box = offGrid ? safeBox(s.data) : null;
  const write = (withEdits: boolean): string => {
    const out: [string, string | null][] = [['v', String(URL_VERSION)]];
    const b = base.state;
    if (base.ui.preset !== null) out.push(['preset', base.ui.preset]);
    const name = s.data.name as DatasetName;
    if (name !== b.data.name) out.push(['data', name]);
    for (const ds of [name, ...DATASET_NAMES.filter((d) => d !== name)]) {
      for (const p of DATASETS[ds].params) {
        const v = s.data.params[ds]?.[p.name];
        const bv = b.data.params[ds]?.[p.name];
        if (v !== undefined && (bv === undefined || num(v) !== num(bv)))
          out.push([ds === name ? `d.${p.name}` : `d.${ds}.${p.name}`, num(v)]);
      }
    }
    for (const row of [...DATA_SCALARS, ...SCALAR_ROWS]) {
      const v = row.codec.write(row.get(s));
      if (v !== row.codec.write(row.get(b))) out.push([row.key, v]);
    }
    const panels = encodePanels(s.panels);
    if (s.panels.length !== b.panels.length || panels !== encodePanels(b.panels))
      out.push(['panels', panels]);
    if (launch.pinned !== null) out.push(['backend', launch.pinned]);
    if (launch.workers !== DEFAULT_WORKERS) out.push(['workers', String(launch.workers)]);
    for (const flag of ['embed', 'present'] as const)
      if (ui[flag] !== base.ui[flag]) out.push([flag, FLAG.write(ui[flag])]);
    if (ui.hide.join(',') !== base.ui.hide.join(',')) out.push(['hide', ui.hide.join(',')]);
    if (withEdits && !sameEdits(s.data.edits, b.data.edits))
      out.push(['edits', encodeEdits(s.data.edits, box)]);
    return (
      '?' +
      out
        .map(([k, v]) => (v === null || (v === '' && FLAG_KEYS.has(k)) ? k : `${k}=${escapeValue(v)}`))
        .join('&')
    );
  };
  let search = write(true);
  if (search.length > MAX_SEARCH_LENGTH) {
    const withEdits = search.length;
    search = write(false);
    omitted.push(
      `the ${s.data.edits.length} hand edits of the points: with them the link would be ${(withEdits / 1024).toFixed(1)} kB, over the ${MAX_SEARCH_LENGTH / 1024} kB a link may hold`,
    );
  }
  return { search, omitted };
}

const FLAG_KEYS = new Set(['embed', 'present']);

function onGrid(v: number): boolean {
  return Object.is(Math.round(v * COORD_SCALE) / COORD_SCALE, v);
}

function safeBox(data: DataSettings): Box | null {
  try {
    return dataBox(data);
  } catch {
    return null;
  }
}

function sameEdits(a: readonly PointEdit[], b: readonly PointEdit[]): boolean {
  return a.length === b.length && a.every((e, i) => sameEdit(e, b[i]!));
}

function sameEdit(a: PointEdit, b: PointEdit): boolean {
  const ka = Object.keys(a) as (keyof PointEdit)[];
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is(a[k], b[k]));
}

// ─── decoding ────────────────────────────────────────────────────────────────────────────────────────────────

function short(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function defaults(notices: string[]): Decoded {
  return {
    state: DEFAULT_STATE,
    ui: DEFAULT_UI,
    pinned: null,
    workers: DEFAULT_WORKERS,
    notices,
  };
}

/** The parameters of `search`, each once (the last of repeated ones, with a notice). */
function readParams(search: string, notices: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [k, v] of new URLSearchParams(search)) {
    if (out.has(k)) repeated.add(k);
    out.delete(k);
    out.set(k, v);
  }
  for (const k of repeated)
    notices.push(
      `This link gives "${short(k, 24)}" more than once; using the last (${short(out.get(k)!, 40)}).`,
    );
  return out;
}

/**
 * The page a link describes: its state, UI flags, launch settings and one notice per rejected parameter. Never
 * throws; the state always passes {@link stateProblems}.
 */
export function decodeState(search: string): Decoded {
  const notices: string[] = [];
  if (search.length > MAX_SEARCH_LENGTH) {
    notices.push(
      `This link is ${(search.length / 1024).toFixed(1)} kB long, more than the ${MAX_SEARCH_LENGTH / 1024} kB a link may hold; opening the default page.`,
    );
    return defaults(notices);
  }
  try {
    const decoded = decodeParams(readParams(search, notices), notices);
    const problems = stateProblems(decoded.state);
    if (problems.length === 0 && uiProblems(decoded.ui).length === 0) return decoded;
    // Not reached by any link the tests found; a guard so that a bug here never breaks the page.
    notices.push(
      `This link's settings do not fit together (${problems.join('; ')}); opening the default page.`,
    );
  } catch (e) {
    notices.push(
      `This link could not be read (${e instanceof Error ? e.message : String(e)}); opening the default page.`,
    );
  }
  return defaults(notices);
}

function decodeParams(input: Map<string, string>, notices: string[]): Decoded {
  let params: ParamMap = input;
  // Version.
  let version = 0;
  const v = input.get('v');
  if (v !== undefined) {
    if (/^\d{1,6}$/.test(v)) version = Number(v);
    else
      notices.push(
        `This link sets v = ${short(v, 24)}, not a version number; reading it as version ${URL_VERSION}.`,
      );
    if (version > URL_VERSION)
      notices.push(
        `This link was made by a newer version of the page (v${version}); some settings may be ignored.`,
      );
  }
  for (let k = version; k < URL_VERSION; k++) params = (MIGRATIONS[k] ?? ((p: ParamMap) => p))(params);
  const rest = new Map(params);
  rest.delete('v');
  const take = (key: string): string | undefined => {
    const raw = rest.get(key);
    rest.delete(key);
    return raw;
  };
  const reject = (key: string, raw: string, problem: string, fallback: string) =>
    notices.push(`This link sets ${key} = ${short(raw, 40)}, ${problem}; using ${fallback}.`);

  // The starting page: a preset or the default.
  let start = presetBase(null);
  const presetKey = take('preset');
  if (presetKey !== undefined) {
    if (PRESETS.some((p) => p.key === presetKey)) start = presetBase(presetKey);
    else
      notices.push(
        `This link asks for the preset "${short(presetKey, 24)}"; there are ${PRESETS.map((p) => p.key).join(', ')}. Opening the default page.`,
      );
  }
  let state = start.state;

  // Data: the dataset, its parameters (of the current dataset as d.name, of others as d.dataset.name), size, seed.
  const dataRaw = take('data');
  if (dataRaw !== undefined) {
    if ((DATASET_NAMES as string[]).includes(dataRaw))
      state = { ...state, data: { ...state.data, name: dataRaw as DatasetName } };
    else
      reject(
        'data',
        dataRaw,
        dataRaw === 'csv'
          ? 'imported data, which a link cannot carry'
          : `not one of ${DATASET_NAMES.join(', ')}`,
        String(state.data.name),
      );
  }
  if (state.data.name === 'csv') state = { ...state, data: { ...state.data, name: 'moons' } };
  const current = state.data.name as DatasetName;
  const dataKeys = [...rest.keys()].filter((k) => k.startsWith('d.'));
  // The other datasets' parameters first, so that d.noise wins over d.moons.noise on moons.
  dataKeys.sort((a, b) => b.split('.').length - a.split('.').length);
  for (const key of dataKeys) {
    const raw = take(key)!;
    const parts = key.slice(2).split('.');
    const ds = (parts.length === 2 ? parts[0] : current) as DatasetName;
    const name = parts[parts.length - 1]!;
    const spec = parts.length <= 2 ? DATASETS[ds]?.params.find((p) => p.name === name) : undefined;
    if (!spec) {
      notices.push(
        parts.length === 2 && !DATASETS[ds]
          ? `This link sets ${short(key, 40)}, but there is no dataset "${short(parts[0]!, 24)}"; ignoring it.`
          : `This link sets ${short(key, 40)}, but the ${ds} dataset has no parameter "${short(name, 24)}" (it has ${DATASETS[ds]?.params.map((p) => p.name).join(', ') ?? 'none'}); ignoring it.`,
      );
      continue;
    }
    const fallback = state.data.params[ds][name]!;
    const value = checkedRow(key, raw, paramSchema(spec), spec.min, spec.max, fallback, notices);
    state = {
      ...state,
      data: {
        ...state.data,
        params: { ...state.data.params, [ds]: { ...state.data.params[ds], [name]: value } },
      },
    };
  }

  // Scalar rows.
  for (const row of [...DATA_SCALARS, ...SCALAR_ROWS]) {
    const raw = take(row.key);
    if (raw === undefined) continue;
    const r = row.codec.schema.safeParse(row.codec.read(raw));
    if (r.success) state = row.set(state, r.data);
    else reject(row.key, raw, row.codec.problem(raw), row.codec.write(row.get(state)));
  }

  // Panels.
  const panelsRaw = take('panels');
  if (panelsRaw !== undefined) {
    const panels = decodePanels(panelsRaw, notices);
    state = { ...state, panels, nextId: panels.length };
  }

  // Edits, checked against the data they edit.
  const editsRaw = take('edits');
  if (editsRaw !== undefined) {
    const edits = decodeEdits(state.data, editsRaw);
    if (typeof edits !== 'string') state = { ...state, data: { ...state.data, edits } };
    else {
      notices.push(
        `This link's hand edits of the points cannot be used (${edits}); showing the points as generated.`,
      );
      state = { ...state, data: { ...state.data, edits: [] } };
    }
  } else if (state.data.edits.length > 0 && typeof fitEdits(state.data, state.data.edits) === 'string') {
    notices.push(`The preset's hand edits do not fit this link's data; showing the points as generated.`);
    state = { ...state, data: { ...state.data, edits: [] } };
  }

  // Launch settings (the wording of the links from before the schema).
  let pinned: BackendName | null = null;
  const backend = take('backend');
  if (backend !== undefined) {
    if ((BACKENDS as readonly string[]).includes(backend)) pinned = backend as BackendName;
    else
      notices.push(
        `This link asks for backend "${short(backend, 24)}"; use one of ${BACKENDS.join(', ')}. Choosing automatically.`,
      );
  }
  let workers: WorkerSetting = DEFAULT_WORKERS;
  const w = take('workers');
  if (w !== undefined) {
    const n = Number(w);
    if (w === 'panel') workers = 'panel';
    else if (INT_RE.test(w) && n >= 1 && n <= MAX_WORKERS) workers = n;
    else
      notices.push(
        `This link asks for workers = ${short(w, 24)}; use a number from 1 to ${MAX_WORKERS} or "panel". Using ${String(DEFAULT_WORKERS)}.`,
      );
  }

  // UI flags.
  let ui = start.ui;
  for (const flag of ['embed', 'present'] as const) {
    const raw = take(flag);
    if (raw === undefined) continue;
    const r = FLAG.schema.safeParse(FLAG.read(raw));
    if (r.success) ui = { ...ui, [flag]: r.data };
    else reject(flag, raw, FLAG.problem(raw), ui[flag] ? '1' : '0');
  }
  const hideRaw = take('hide');
  if (hideRaw !== undefined) {
    const codec = listCodec(HIDE_KEY_LIST);
    const r = codec.schema.safeParse(codec.read(hideRaw));
    if (r.success) ui = { ...ui, hide: r.data };
    else
      reject('hide', hideRaw, codec.problem(hideRaw), ui.hide.length ? ui.hide.join(',') : 'nothing hidden');
  }

  for (const key of rest.keys())
    notices.push(`This link has an unknown parameter "${short(key, 40)}"; ignoring it.`);
  return { state, ui, pinned, workers, notices };
}

function checkedRow(
  key: string,
  raw: string,
  schema: z.ZodType<number>,
  min: number,
  max: number,
  fallback: number,
  notices: string[],
): number {
  return checked(`This link sets ${short(key, 40)}`, raw, schema, fallback, min, max, notices);
}

/** Every URL parameter: its name, meaning and default (the default page's value), for documentation. */
export const URL_PARAMS: readonly {
  readonly name: string;
  readonly meaning: string;
  readonly default: string;
}[] = [
  {
    name: 'v',
    meaning: `schema version (this code writes ${URL_VERSION})`,
    default: 'none: before the schema',
  },
  { name: 'preset', meaning: 'lecture preset the link starts from (presets.ts)', default: 'none' },
  { name: 'data', meaning: `dataset: ${DATASET_NAMES.join(', ')}`, default: DEFAULT_STATE.data.name },
  {
    name: 'd.<param>',
    meaning: 'a parameter of the dataset (d.noise, d.gap …); d.<dataset>.<param> for another dataset',
    default: DATASET_NAMES.map(
      (ds) =>
        `${ds}: ${Object.entries(DEFAULT_STATE.data.params[ds])
          .map(([k, v]) => `${k} ${num(v)}`)
          .join(', ')}`,
    ).join('; '),
  },
  ...[...DATA_SCALARS, ...SCALAR_ROWS].map((r) => ({
    name: r.key,
    meaning: r.meaning,
    default: r.codec.write(r.get(DEFAULT_STATE)),
  })),
  {
    name: 'panels',
    meaning: 'panels: method[:variant=v][:key=value…][:dropout=d] or nn[:r=…], comma-separated',
    default: encodePanels(DEFAULT_STATE.panels),
  },
  { name: 'backend', meaning: `pin the backend: ${BACKENDS.join(', ')}`, default: 'automatic' },
  { name: 'workers', meaning: `Web Workers: 1–${MAX_WORKERS} or panel`, default: String(DEFAULT_WORKERS) },
  { name: 'embed', meaning: 'embedded page (embed or embed=1)', default: 'off' },
  { name: 'present', meaning: 'presentation mode (present or present=1)', default: 'off' },
  { name: 'hide', meaning: `parts to hide: ${HIDE_KEY_LIST.join(', ')}`, default: 'none' },
  { name: 'edits', meaning: 'hand edits of the points, ~-separated (see encodeEdits)', default: 'none' },
];
