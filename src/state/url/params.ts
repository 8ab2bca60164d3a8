/**
 * The URL parameters of the page: the scheme's constants (version, length and panel limits, workers), the UI
 * flags and launch settings a link carries beside the state (`UiFlags`, `HideKey`, `LaunchFlags`), the ranges of
 * the panels' settings, and the parameter tables (`*_ROWS`), typed over the fields of the state they carry so
 * that a new field does not compile until it is given a row; `DATA_SCALARS` and `SCALAR_ROWS` flatten them into
 * the rows a link writes and reads in order.
 */
import { z } from 'zod';
import type { BackendName } from '../../ml/backendNames.ts';
import { METHOD_INFO } from '../../ml/methods/catalog.ts';
import { COMMON_PARAMS, DATASETS, type DatasetName, type ParamSpec } from '../../core/datasets/index.ts';
import { LIMITS } from '../../core/limits.ts';
import type { Norm } from '../../core/types.ts';
import type { EvalSettings, FieldKind, FieldSettings, Speed, TrainSettings } from '../../engine/protocol.ts';
import {
  ACTIVATION_OPTIONS,
  NN_METHOD,
  OPTIMIZER_OPTIONS,
  type DataSettings,
  type DemoState,
  type ViewSettings,
} from '../settings.ts';
import { enumCodec, intCodec, intSchema, listCodec, numCodec, type Codec } from './valueCodecs.ts';

/** The schema version this code writes. */
export const URL_VERSION = 1;
/** Longest query string a link may be (16 kB): longer ones open the default page. */
export const MAX_SEARCH_LENGTH = 16 * 1024;
/** Most panels a link may carry ({@link LIMITS.panels}). */
export const MAX_PANELS = LIMITS.panels;

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
export const HIDE_KEY_LIST = Object.keys(HIDE_KEYS) as HideKey[];

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

export const MAX_HIDDEN_LAYERS = LIMITS.hiddenLayers;
export const MAX_WIDTH = LIMITS.width;

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
export const VIEW_SCHEMA = z.strictObject({
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
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
const [N_TRAIN, N_TEST, DATA_SEED] = COMMON_PARAMS as [ParamSpec, ParamSpec, ParamSpec];
const SEED_MAX = 0xffffffff;

// ─── the parameter tables, typed over the state they carry ───────────────────────────────────────────────────

export interface RowSpec<T> {
  readonly key: string;
  readonly meaning: string;
  readonly codec: Codec<T>;
}
export type RowsOf<S> = { readonly [K in keyof S]-?: RowSpec<S[K]> };

export const DATA_ROWS: RowsOf<Pick<DataSettings, 'nTrain' | 'nTest' | 'seed'>> = {
  nTrain: { key: 'n', meaning: 'training points', codec: intCodec(N_TRAIN.min, N_TRAIN.max) },
  nTest: { key: 'nt', meaning: 'test points', codec: intCodec(N_TEST.min, N_TEST.max) },
  seed: { key: 'dseed', meaning: 'seed of the data draw', codec: intCodec(DATA_SEED.min, DATA_SEED.max) },
};

export const TRAIN_ROWS: RowsOf<TrainSettings> = {
  hidden: { key: 'arch', meaning: 'hidden layer widths, e.g. 64x64', codec: ARCH },
  activation: { key: 'act', meaning: 'activation', codec: enumCodec(ACTIVATION_OPTIONS) },
  optimizer: { key: 'opt', meaning: 'optimizer', codec: enumCodec(OPTIMIZER_OPTIONS) },
  lr: { key: 'lr', meaning: 'learning rate', codec: numCodec(0, LIMITS.lr, true) },
  batchSize: { key: 'bs', meaning: 'batch size', codec: intCodec(1, LIMITS.batchSize) },
  epochs: { key: 'epochs', meaning: 'training epochs', codec: intCodec(1, LIMITS.epochs) },
  seed: {
    key: 'seed',
    meaning: 'training seed (weights, batches, attacks)',
    codec: intCodec(0, SEED_MAX),
  },
  trainEps: { key: 'teps', meaning: 'ε_train, the radius robust methods train for', codec: numCodec(0, 1) },
  trainNorm: { key: 'tnorm', meaning: 'norm of ε_train', codec: enumCodec(NORMS) },
};

export const EVAL_ROWS: RowsOf<EvalSettings> = {
  eps: { key: 'eps', meaning: 'ε of the views and numbers', codec: numCodec(0, 1) },
  norm: { key: 'norm', meaning: 'norm of ε', codec: enumCodec(NORMS) },
};

export const FIELD_ROWS: RowsOf<FieldSettings> = {
  kind: { key: 'field', meaning: 'heatmap', codec: enumCodec(FIELD_KINDS) },
  resolution: { key: 'res', meaning: 'heatmap cells per side', codec: intCodec(16, LIMITS.resolution) },
};

const VIEW_ROW: RowSpec<ViewSettings> = {
  key: 'layers',
  meaning: `visible layers: ${LAYER_NAMES.join(', ')}`,
  codec: LAYERS,
};
export const SPEED_ROW: RowSpec<Speed> = { key: 'speed', meaning: 'training pace', codec: enumCodec(SPEEDS) };

/** A row of the flat table: one URL parameter of the state, read and written through `get` and `set`. */
export interface Row {
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

export const DATA_SCALARS = section(
  DATA_ROWS,
  (s) => s.data,
  (s, data) => ({ ...s, data: { ...s.data, ...data } }),
);
/** The scalar rows after the data's, in the order a link writes them. */
export const SCALAR_ROWS: readonly Row[] = [
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

// ─── panel settings ──────────────────────────────────────────────────────────────────────────────────────────

/** The 1-NN construction's radius r when set (null: half the separation), as the panel's settings allow. */
export const NN_R_RANGE = { min: 1e-6, max: 10 } as const;
export const DROPOUT_RANGE = { min: 0, max: 0.9 } as const;
export const METHOD_IDS = [...Object.keys(METHOD_INFO), NN_METHOD];
