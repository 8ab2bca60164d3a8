/**
 * The messages between the app and the playground engine, in one file shared by both sides. Everything here is
 * plain data (typed arrays travel as transferred buffers); nothing holds a tensor. Every panel event carries the
 * panel's `generation`, bumped whenever that panel is retrained, so a view drops results of a model it no longer
 * shows.
 */
import type { Box, Norm } from '../core/types.ts';
import type { DatasetName } from '../core/datasets/index.ts';
import type { Activation } from '../ml/model.ts';
import type { OptimizerName } from '../ml/optimizer.ts';
import type { BackendName } from '../ml/backend.ts';
import type { PointEdit } from '../core/datasets/edits.ts';
import type { ModelJson } from '../core/formats/modelJson.ts';

/** Where the points come from: a generator with its parameters, or points the app already holds (a CSV). */
/** Labelled points as flat arrays (`x` as `[n, 2]` row-major), in their data box. */
export interface PointArrays {
  readonly name: string;
  readonly nClasses: number;
  readonly trainX: Float64Array;
  readonly trainY: Int32Array;
  readonly testX: Float64Array;
  readonly testY: Int32Array;
  readonly box: Box;
}

export type DataSource =
  | {
      readonly kind: 'generator';
      readonly name: DatasetName;
      readonly nTrain: number;
      readonly nTest: number;
      readonly seed: number;
      /** Generator parameters (`noise` and the generator's own); missing ones take their defaults. */
      readonly params: Readonly<Record<string, number>>;
    }
  | ({ readonly kind: 'points' } & PointArrays);

/** Settings shared by every trained panel; changing one retrains every panel. */
export interface TrainSettings {
  readonly hidden: readonly number[];
  readonly activation: Activation;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** Seed of the initial weights, the minibatch order and every attack's random start. */
  readonly seed: number;
  /** The threat model the robust methods train against. */
  readonly trainEps: number;
  readonly trainNorm: Norm;
}

/** The threat model of the views and metrics; changing it never retrains. */
export interface EvalSettings {
  readonly eps: number;
  readonly norm: Norm;
}

/** The `method` of a panel that shows an imported `robust-mlp/1` model: evaluated, never trained. */
export const IMPORTED_METHOD = 'imported';

/** A model file opened in the app, with what the runner reported for it when it came from a results folder. */
export interface ImportedModel {
  /** The file's name, shown in the panel's title. */
  readonly fileName: string;
  readonly model: ModelJson;
  /** The runner's own figures for this model (robust-results/1), shown beside the app's recomputed ones. */
  readonly reported: {
    readonly trainAcc: number;
    readonly testAcc: number;
    readonly advTestAcc: number;
    readonly lipschitz: number;
    readonly eps: number;
    readonly norm: Norm;
  } | null;
}

/**
 * One panel: a training method (or the theorem's 1-NN construction, `method: 'nn'`, or an imported model,
 * `method: 'imported'`) with its own settings.
 */
export interface PanelSpec {
  /** Unique within the page, stable across retraining. */
  readonly id: string;
  readonly method: string;
  readonly variant: string;
  readonly hyper: Readonly<Record<string, number>>;
  readonly dropout: number;
  /** For `nn`: the radius r, or null for half the measured separation in the evaluation norm. */
  readonly r: number | null;
  /** For `imported`: the model (its own architecture; the shared training settings do not apply). */
  readonly imported?: ImportedModel;
}

/** What the heatmap shows. */
export type FieldKind =
  /** p(class 1) for two classes; the winning probability otherwise. */
  | 'probability'
  /** z₁ − z₀ for two classes; the top-two logit gap otherwise. */
  | 'margin'
  /** ‖∇ₓ margin‖ in the dual norm of the evaluation norm (L1 for L∞, L2 for L2): the local slope. */
  | 'gradient'
  /** The paper's local Lipschitz ratio, searched in the ε-ball around each cell (coarser grid). */
  | 'ratio';

export interface FieldSettings {
  readonly kind: FieldKind;
  /** Cells per side of the heatmap grid (the `ratio` field uses at most 48). */
  readonly resolution: number;
}

/**
 * The fine-tune rule: when hand edits change the points of a panel whose training had finished (its budget spent,
 * not stopped by divergence), the panel trains `max(1, ⌈epochs / 4⌉)` more epochs over the edited points from its
 * current weights and optimizer state, so the views show the network adapting. A panel still training just goes
 * on with its budget. (Plain so the main thread can import it: no tfjs here.)
 */
export const FINE_TUNE_FRACTION = 0.25;

/** Extra epochs a finished panel trains after an edit of the points (see {@link FINE_TUNE_FRACTION}). */
export function fineTuneEpochs(epochs: number): number {
  return Math.max(1, Math.ceil(epochs * FINE_TUNE_FRACTION));
}

/** Hand edits may not take the training split above this many points (edits that add beyond it are refused). */
export const MAX_EDITED_TRAIN_POINTS = 5000;

export interface EngineConfig {
  readonly data: DataSource;
  /** Hand edits of the source's points, applied in order (core/datasets/edits.ts). */
  readonly edits: readonly PointEdit[];
  readonly train: TrainSettings;
  readonly evaluation: EvalSettings;
  readonly field: FieldSettings;
  readonly panels: readonly PanelSpec[];
}

/** Training pace: steps of every panel per tick (`max`: as many as fit in the tick's time budget). */
export type Speed = 'slow' | 'normal' | 'fast' | 'max';

export interface BackendInfo {
  readonly name: BackendName;
  readonly refused: readonly { readonly name: BackendName; readonly reason: string }[];
  /** e.g. "SwiftShader (software)" when a GPU adapter was refused as a software fallback. */
  readonly detail: string;
  /** Whether the engine runs in a Web Worker (false: on the main thread, the fallback). */
  readonly worker: boolean;
}

/** The points and their separation, sent once per dataset. */
export interface DatasetInfo extends PointArrays {
  /** Bumped by every change of the points (a configuration or an edit); metrics name the version they saw. */
  readonly version: number;
  /** How many hand edits the points carry. */
  readonly edits: number;
  /** Separation in the evaluation norm. */
  readonly separation: {
    readonly norm: Norm;
    /** min over train of the distance to the nearest other-class training point (0 with conflicts). */
    readonly trainTrain: number;
    readonly trainTrainExcludingConflicts: number;
    readonly testTrain: number;
    /** `[nTrain]` each training point's distance to the nearest other-class training point. */
    readonly trainPerPoint: Float64Array;
    /** `[nTest]` each test point's distance to the nearest other-class training point. */
    readonly testPerPoint: Float64Array;
    /** Same position, different label (train–train and test–train pairs). */
    readonly conflicts: number;
  };
}

export interface PanelInfo {
  readonly id: string;
  /** Display name with the settings that differ from the defaults, e.g. "TRADES (β = 6)". */
  readonly label: string;
  readonly method: string;
  readonly summary: string;
  readonly formula: string;
  readonly source: string;
  readonly variantLabel: string;
}

/** Where one panel's training stands; pushed for every panel after each training chunk. */
export interface PanelProgress {
  readonly panelId: string;
  readonly generation: number;
  readonly step: number;
  readonly epoch: number;
  readonly totalSteps: number;
  readonly done: boolean;
  /** Why training stopped early (divergence), with what to do; null otherwise. */
  readonly stopped: string | null;
  /** Where {@link EngineApi.recover} would go back to (the last good weights), while stopped; null otherwise. */
  readonly lastGood: { readonly step: number; readonly epoch: number } | null;
  /** The learning rate the panel trains at now (the setting, halved once per recovery); null without training. */
  readonly lr: number | null;
  /** How many times the panel was recovered from a divergence since it last started from its initial weights. */
  readonly recoveries: number;
  /** Mean training loss of each completed epoch (the sparkline). */
  readonly epochLosses: Float64Array;
}

/** A picture of one panel, answered to {@link EngineApi.frames}. */
export interface FrameEvent {
  readonly type: 'frame';
  readonly panelId: string;
  readonly generation: number;
  /** The training step the picture shows. */
  readonly step: number;
  readonly field: FieldSettings;
  /** `[resolution²]` row-major from the top-left cell (xMin, yMax). */
  readonly grid: Float32Array;
  /** The margin on the same grid, whatever the field shows: for two classes the boundary is its 0 contour. */
  readonly margin: Float32Array;
  /** `[resolution²]` the predicted class of each cell (boundaries between several classes). */
  readonly classes: Uint8Array;
}

/** The views ask for pictures at most once per displayed frame, for every panel they can see, in one call. */
export interface FrameRequest {
  readonly panelIds: readonly string[];
  /** Cells per side; lower while training, the configured field resolution when paused. */
  readonly resolution: number;
}

export interface FramesReply {
  /** Only the panels whose picture changed since the last reply (new step, field, resolution or ε). */
  readonly frames: readonly FrameEvent[];
  /** Time the engine spent on the pictures, so the views can pace their next request. */
  readonly costMs: number;
}

export type BallStatusCode = 0 | 1 | 2;
/** Ball verdicts in `MetricsEvent.ballStatus`. */
export const BALL = { robust: 0, notRobust: 1, undecided: 2 } as const;

/** Metrics of one panel at one threat model. */
export interface MetricsEvent {
  readonly type: 'metrics';
  readonly panelId: string;
  readonly generation: number;
  /** The training step the metrics describe. */
  readonly step: number;
  /** The {@link DatasetInfo.version} of the points they were computed on. */
  readonly dataVersion: number;
  readonly eps: number;
  readonly norm: Norm;
  readonly trainAcc: number;
  readonly testAcc: number;
  /** Accuracy on the test set under `attack`. */
  readonly advTestAcc: number;
  /** e.g. "PGD-10 (L∞, α = ε/4, 10 restarts)". */
  readonly attack: string;
  /** `[nTest, 2]` the attack point PGD returned for each test point. */
  readonly advX: Float32Array;
  /** `[nTest]` 1 where the attack point is misclassified. */
  readonly advSuccess: Uint8Array;
  /** `[nTest]` exact 2D search of each test ball: {@link BALL} codes. */
  readonly ballStatus: Uint8Array;
  readonly robustCount: number;
  readonly undecidedCount: number;
  /** The finest cell side the exact search used, in data units. */
  readonly robustResolution: number;
  /** The paper's average local Lipschitz estimate on the test set (its code's search). */
  readonly lipschitz: number;
  /** `[nTest]` each test point's ratio. */
  readonly lipschitzPerPoint: Float64Array;
  readonly lipschitzLabel: string;
  /** For the 1-NN construction: its r and its exact robust accuracy at (just under) r on the training points. */
  readonly nn: {
    readonly r: number;
    readonly checkedRadius: number;
    readonly robustTrainAccAtR: number;
  } | null;
}

/** Robust accuracy (exact 2D search) of one panel at several radii. */
export interface CurveEvent {
  readonly type: 'curve';
  readonly panelId: string;
  readonly generation: number;
  readonly step: number;
  readonly norm: Norm;
  readonly eps: Float64Array;
  readonly robustAcc: Float64Array;
}

/**
 * The engine cannot go on where it runs: the page restarts it (a new worker) with its settings, leaving the
 * failed backend out.
 */
export interface EngineFault {
  readonly kind: 'device-lost';
  readonly backend: BackendName;
  /** What happened, in words, for the notice and the backend badge. */
  readonly message: string;
}

export type EngineEvent =
  | { readonly type: 'backend'; readonly backend: BackendInfo }
  | { readonly type: 'dataset'; readonly dataset: DatasetInfo }
  | { readonly type: 'panels'; readonly panels: readonly PanelInfo[] }
  | { readonly type: 'progress'; readonly progress: readonly PanelProgress[] }
  | FrameEvent
  | MetricsEvent
  | CurveEvent
  | { readonly type: 'running'; readonly running: boolean }
  | { readonly type: 'fault'; readonly fault: EngineFault }
  | { readonly type: 'error'; readonly panelId: string | null; readonly message: string };

/** One point's local picture, answered on hover. */
export interface PointInfo {
  readonly panelId: string;
  readonly split: 'train' | 'test';
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  /** z_y − max_{c≠y} z_c: positive when correctly classified. */
  readonly margin: number;
  /** ‖∇ₓ margin‖ in the dual norm of the evaluation norm. */
  readonly gradientNorm: number;
  /** The paper's ratio searched in the point's ε-ball. */
  readonly lipschitz: number;
  /**
   * Distance (evaluation norm) from the point to the nearest point of another predicted class, found by
   * bisection on the exact 2D ball search; 0 when misclassified, `radiusCap` when robust up to the cap.
   */
  readonly robustRadius: number;
  /** Half-width of the bisection bracket: the radius is exact to ± this. */
  readonly robustRadiusTolerance: number;
  readonly radiusCap: number;
}

/** PGD paths of the test points: `[steps + 1, nTest, 2]`, the run that produced each attack point. */
export interface PathsReply {
  readonly panelId: string;
  readonly generation: number;
  readonly steps: number;
  readonly path: Float32Array;
}

/** What tfjs holds: live tensors, their bytes and data buffers on the active backend (a pool: summed over its parts). */
export interface EngineMemory {
  readonly backend: string;
  readonly numTensors: number;
  readonly numBytes: number;
  readonly numDataBuffers: number;
}

/** The engine's API, the same in the worker (through Comlink) and on the main thread. */
export interface EngineApi {
  /** Replace everything: data, settings, panels. Every panel restarts from the shared initial weights. */
  configure(config: EngineConfig): Promise<void>;
  /**
   * New hand edits of the configured source's points (the whole list, not a diff). Keeps every model's weights:
   * the 1-NN construction is rebuilt at once, network panels go on training on the edited points from their
   * current weights (a finished panel gets a few more epochs), and every metric is recomputed. Calls faster than
   * the engine can follow (a drag) coalesce: the latest list wins.
   */
  setEdits(edits: readonly PointEdit[]): Promise<void>;
  /** A new threat model for the views and metrics: re-evaluates, never retrains. */
  setEvaluation(evaluation: EvalSettings): Promise<void>;
  setField(field: FieldSettings): Promise<void>;
  /** Fresh pictures of these panels (between training chunks); their buffers are transferred. */
  frames(request: FrameRequest): Promise<FramesReply>;
  /** Add a panel or replace one with the same id (that panel alone retrains). */
  upsertPanel(panel: PanelSpec): Promise<void>;
  removePanel(id: string): Promise<void>;
  play(): Promise<void>;
  pause(): Promise<void>;
  /** One training step of every panel (paused), then fresh pictures and metrics. */
  step(): Promise<void>;
  /** Every panel back to the initial weights, paused. */
  reset(): Promise<void>;
  setSpeed(speed: Speed): Promise<void>;
  pointInfo(panelId: string, split: 'train' | 'test', index: number): Promise<PointInfo | null>;
  paths(panelId: string): Promise<PathsReply | null>;
  /** The robust-accuracy-vs-ε curve of every panel at these radii (events follow). */
  requestCurves(eps: readonly number[]): Promise<void>;
  /**
   * A panel stopped by a divergence goes back to its last good weights and trains on at half its learning rate
   * (the other panels are not touched; nothing happens to a panel that is not stopped).
   */
  recover(panelId: string): Promise<void>;
  /** The panel's model as `robust-mlp/1` JSON text (null for the 1-NN construction). */
  exportModel(panelId: string): Promise<string | null>;
  /** tfjs's live tensors and bytes, read between two engine tasks (never mid-step): the memory tests' probe. */
  memory(): Promise<EngineMemory>;
}
