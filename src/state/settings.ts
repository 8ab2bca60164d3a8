/**
 * The page's settings as one plain object, changed only by named actions (`reduce`), and the mapping from it to
 * the engine's configuration. No tensors, no DOM.
 */
import type { Box, Norm } from '../core/types.ts';
import type { Dataset } from '../core/datasets/dataset.ts';
import { DATASETS, type DatasetName } from '../core/datasets/index.ts';
import type { Activation } from '../ml/model.ts';
import type { OptimizerName } from '../ml/optimizer.ts';
import { METHOD_INFO } from '../ml/methods/catalog.ts';
import { defaultFor } from '../ml/methods/info.ts';
import type { PointEdit } from '../core/datasets/edits.ts';
import { IMPORTED_METHOD } from '../engine/protocol.ts';
import type {
  ImportedModel,
  DataSource,
  PointArrays,
  EngineConfig,
  EvalSettings,
  FieldKind,
  FieldSettings,
  PanelSpec,
  Speed,
  TrainSettings,
} from '../engine/protocol.ts';

/** Points imported from a CSV file, held by the page so that a reset never loses them. */
export type ImportedPoints = PointArrays;

/** A dataset's points in the shape the page holds (and the engine's `points` source takes). */
export function importedPoints(ds: Dataset, box: Box = ds.meta.box): ImportedPoints {
  return {
    name: ds.name,
    nClasses: ds.nClasses,
    trainX: ds.train.x,
    trainY: ds.train.y,
    testX: ds.test.x,
    testY: ds.test.y,
    box,
  };
}

export interface DataSettings {
  readonly name: DatasetName | 'csv';
  readonly nTrain: number;
  readonly nTest: number;
  readonly seed: number;
  /** Generator parameters by dataset (noise and the generator's own), so switching back keeps them. */
  readonly params: Readonly<Record<DatasetName, Readonly<Record<string, number>>>>;
  readonly csv: ImportedPoints | null;
  /** Hand edits of the points (moved, added, deleted), in order; any other data change clears them. */
  readonly edits: readonly PointEdit[];
}

export interface ViewSettings {
  readonly showTrain: boolean;
  readonly showTest: boolean;
  readonly showBalls: boolean;
  readonly showPaths: boolean;
}

export interface DemoState {
  readonly data: DataSettings;
  readonly train: TrainSettings;
  readonly evaluation: EvalSettings;
  readonly field: FieldSettings;
  readonly view: ViewSettings;
  readonly speed: Speed;
  readonly panels: readonly PanelSpec[];
  /** Next panel id suffix. */
  readonly nextId: number;
}

/** Panels a user can add: each method (with its default variant) and the dropout variants of the paper's v3. */
export interface PanelPreset {
  readonly key: string;
  readonly label: string;
  readonly method: string;
  readonly dropout: number;
  readonly hyper?: Readonly<Record<string, number>>;
}

export const NN_METHOD = 'nn';
const DROPOUT = 0.5;

export const PANEL_PRESETS: readonly PanelPreset[] = [
  { key: 'natural', label: 'Natural', method: 'natural', dropout: 0 },
  { key: 'at', label: 'AT (PGD)', method: 'at', dropout: 0 },
  { key: 'trades', label: 'TRADES (β = 6)', method: 'trades', dropout: 0, hyper: { beta: 6 } },
  { key: 'llr', label: 'LLR', method: 'llr', dropout: 0 },
  { key: 'gr', label: 'Gradient regularization', method: 'gr', dropout: 0 },
  { key: 'nn', label: '1-NN construction', method: NN_METHOD, dropout: 0 },
  { key: 'cure', label: 'CURE', method: 'cure', dropout: 0 },
  { key: 'lipschitz', label: 'Lipschitz-bounded', method: 'lipschitz', dropout: 0 },
  { key: 'rst', label: 'RST', method: 'rst', dropout: 0 },
  { key: 'natural+dropout', label: 'Natural + dropout', method: 'natural', dropout: DROPOUT },
  { key: 'at+dropout', label: 'AT + dropout', method: 'at', dropout: DROPOUT },
  {
    key: 'trades+dropout',
    label: 'TRADES + dropout',
    method: 'trades',
    dropout: DROPOUT,
    hyper: { beta: 6 },
  },
];

const DEFAULT_PANELS = ['natural', 'at', 'trades', 'llr', 'gr', 'nn'];

/** A panel of `preset` with every setting at its default. */
export function panelFromPreset(preset: PanelPreset, id: string): PanelSpec {
  if (preset.method === NN_METHOD)
    return { id, method: NN_METHOD, variant: '', hyper: {}, dropout: 0, r: null };
  const m = METHOD_INFO[preset.method]!;
  const variant = m.variants?.[0]?.id ?? '';
  const hyper: Record<string, number> = {};
  for (const h of m.hyper) hyper[h.key] = preset.hyper?.[h.key] ?? defaultFor(h, variant);
  return { id, method: m.id, variant, hyper, dropout: preset.dropout, r: null };
}

/** Every hyperparameter of `method` at its default under `variant`. */
export function defaultHyper(method: string, variant: string): Record<string, number> {
  const m = METHOD_INFO[method];
  const out: Record<string, number> = {};
  for (const h of m?.hyper ?? []) out[h.key] = defaultFor(h, variant);
  return out;
}

function defaultParams(): Record<DatasetName, Record<string, number>> {
  const out = {} as Record<DatasetName, Record<string, number>>;
  for (const [name, spec] of Object.entries(DATASETS) as [DatasetName, (typeof DATASETS)[DatasetName]][]) {
    out[name] = Object.fromEntries(spec.params.map((p) => [p.name, p.default]));
  }
  // Noisy moons: natural training overfits the overlap and the robust methods visibly pay for smoothness
  // (measured: natural 68 %, TRADES 80 % exact robust test accuracy at ε = 0.1).
  out.moons = { ...out.moons, noise: 0.2 };
  return out;
}

export const DEFAULT_STATE: DemoState = {
  data: { name: 'moons', nTrain: 400, nTest: 400, seed: 0, params: defaultParams(), csv: null, edits: [] },
  train: {
    hidden: [64, 64],
    activation: 'relu',
    optimizer: 'adam',
    lr: 0.01,
    batchSize: 128,
    epochs: 200,
    seed: 0,
    trainEps: 0.1,
    trainNorm: 'linf',
  },
  evaluation: { eps: 0.1, norm: 'linf' },
  field: { kind: 'probability', resolution: 128 },
  view: { showTrain: true, showTest: true, showBalls: true, showPaths: false },
  speed: 'max',
  panels: DEFAULT_PANELS.map((key, i) =>
    panelFromPreset(
      PANEL_PRESETS.find((p) => p.key === key)!,
      `p${i}`,
    ),
  ),
  nextId: DEFAULT_PANELS.length,
};

export type Action =
  | { readonly type: 'setDataset'; readonly name: DatasetName | 'csv' }
  | { readonly type: 'setData'; readonly patch: Partial<Pick<DataSettings, 'nTrain' | 'nTest' | 'seed'>> }
  | { readonly type: 'setDataParam'; readonly key: string; readonly value: number }
  | { readonly type: 'importCsv'; readonly points: ImportedPoints }
  | { readonly type: 'setEdits'; readonly edits: readonly PointEdit[] }
  | { readonly type: 'setTrain'; readonly patch: Partial<TrainSettings> }
  | { readonly type: 'setEval'; readonly patch: Partial<EvalSettings> }
  | { readonly type: 'setField'; readonly kind: FieldKind }
  | { readonly type: 'setView'; readonly patch: Partial<ViewSettings> }
  | { readonly type: 'setSpeed'; readonly speed: Speed }
  | { readonly type: 'addPanel'; readonly preset: string }
  /** A panel showing an opened model file (evaluated, not trained). */
  | { readonly type: 'addImportedPanel'; readonly imported: ImportedModel }
  | { readonly type: 'removePanel'; readonly id: string }
  | { readonly type: 'updatePanel'; readonly id: string; readonly patch: Partial<Omit<PanelSpec, 'id'>> };

export function reduce(state: DemoState, action: Action): DemoState {
  switch (action.type) {
    case 'setDataset':
      if (action.name === 'csv' && !state.data.csv) return state;
      if (action.name === state.data.name) return state;
      return { ...state, data: { ...state.data, name: action.name, edits: [] } };
    case 'setData':
      return { ...state, data: { ...state.data, ...action.patch, edits: [] } };
    case 'setDataParam': {
      const name = state.data.name;
      if (name === 'csv') return state;
      const params = {
        ...state.data.params,
        [name]: { ...state.data.params[name], [action.key]: action.value },
      };
      return { ...state, data: { ...state.data, params, edits: [] } };
    }
    case 'importCsv':
      return { ...state, data: { ...state.data, name: 'csv', csv: action.points, edits: [] } };
    case 'setEdits':
      return { ...state, data: { ...state.data, edits: action.edits } };
    case 'setTrain':
      return { ...state, train: { ...state.train, ...action.patch } };
    case 'setEval':
      return { ...state, evaluation: { ...state.evaluation, ...action.patch } };
    case 'setField':
      return { ...state, field: { ...state.field, kind: action.kind } };
    case 'setView':
      return { ...state, view: { ...state.view, ...action.patch } };
    case 'setSpeed':
      return { ...state, speed: action.speed };
    case 'addPanel': {
      const preset = PANEL_PRESETS.find((p) => p.key === action.preset);
      if (!preset) return state;
      const panel = panelFromPreset(preset, `p${state.nextId}`);
      return { ...state, panels: [...state.panels, panel], nextId: state.nextId + 1 };
    }
    case 'addImportedPanel': {
      const panel: PanelSpec = {
        id: `p${state.nextId}`,
        method: IMPORTED_METHOD,
        variant: '',
        hyper: {},
        dropout: 0,
        r: null,
        imported: action.imported,
      };
      return { ...state, panels: [...state.panels, panel], nextId: state.nextId + 1 };
    }
    case 'removePanel':
      return { ...state, panels: state.panels.filter((p) => p.id !== action.id) };
    case 'updatePanel':
      return {
        ...state,
        panels: state.panels.map((p) => {
          if (p.id !== action.id) return p;
          const next = { ...p, ...action.patch };
          // A new variant brings its own defaults (e.g. LLR's λ differs between the two forms).
          if (action.patch.variant !== undefined && action.patch.variant !== p.variant && !action.patch.hyper)
            return { ...next, hyper: defaultHyper(p.method, action.patch.variant) };
          return next;
        }),
      };
  }
}

export function dataSource(data: DataSettings): DataSource {
  if (data.name === 'csv' && data.csv) return { kind: 'points', ...data.csv };
  const name = data.name === 'csv' ? 'moons' : data.name;
  return {
    kind: 'generator',
    name,
    nTrain: data.nTrain,
    nTest: data.nTest,
    seed: data.seed,
    params: data.params[name],
  };
}

export function engineConfig(state: DemoState): EngineConfig {
  return {
    data: dataSource(state.data),
    edits: state.data.edits,
    train: state.train,
    evaluation: state.evaluation,
    field: state.field,
    panels: state.panels,
  };
}

/**
 * Whether going from `a` to `b` needs every panel retrained (new source data or shared training settings). New
 * hand edits alone do not: the engine applies them to the models it has.
 */
export function needsReconfigure(a: DemoState, b: DemoState): boolean {
  return !sameJson(dataSource(a.data), dataSource(b.data)) || !sameJson(a.train, b.train);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, typedArrayAware) === JSON.stringify(b, typedArrayAware);
}

/** Typed arrays as plain arrays, and object keys in sorted order: equal settings compare equal however built. */
function typedArrayAware(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return value;
}

/** The norm's symbol for labels. */
export function normLabel(norm: Norm): string {
  return norm === 'linf' ? 'L∞' : 'L2';
}

export const ACTIVATION_OPTIONS: readonly Activation[] = ['relu', 'tanh', 'softplus'];
export const OPTIMIZER_OPTIONS: readonly OptimizerName[] = ['adam', 'sgd'];
