/**
 * The playground engine: the one stateful owner of data, models, trainers and tensors behind the app. It runs
 * unchanged in a Web Worker (src/engine/worker.ts) and on the main thread or in Node (the fallback and the
 * tests). It trains every panel from the same data, seed and initial weights, in chunks of at most MAX_TICK_MS,
 * pushes each chunk's progress through `emit`, and draws pictures only when the views ask (`frames`).
 *
 * Every entry point runs under one lock: on GPU backends `await data()` yields to the event loop, and a request
 * arriving mid-step must not dispose a model the step is using.
 *
 * The points are the configured source plus the hand edits (core/datasets/edits.ts). Every change of the points
 * gets a new data version, numbered when the call arrives (configure and setEdits alike), so the engines of a pool
 * agree on it however each coalesces a burst of edits; the dataset event and every metric name the version.
 */
import { Rng } from '../core/rng.ts';
import type { Box } from '../core/types.ts';
import type { Dataset } from '../core/datasets/index.ts';
import { EditError, type PointEdit } from '../core/datasets/edits.ts';
import { separation } from '../core/geometry.ts';
import { nearestNeighbourConstruction } from '../core/theorem.ts';
import { exactRobustness } from '../core/exactRobustness.ts';
import { Mlp, type PlainLayer } from '../ml/model.ts';
import { METHODS } from '../ml/methods/index.ts';
import { Trainer } from '../ml/trainer.ts';
import { NearestNeighbourClassifier } from '../ml/nnClassifier.ts';
import { marginLipschitzBound } from '../ml/lipschitzBound.ts';
import type { Classifier } from '../ml/classifier.ts';
import { accuracy, exactRobustAccuracy, gridPoints } from '../ml/metrics.ts';
import { modelFromJson, modelToJsonText } from '../ml/modelIo.ts';
import { activeWebGpuDevice, BACKENDS, pickBackend, type BackendName } from '../ml/backend.ts';
import { NN_ID, parseMethodSpec, type MethodSpec } from './methodSpec.ts';
import { checkConfig, checkDataset, checkField, checkPanels } from './configLimits.ts';
import { LIMITS } from '../core/limits.ts';
import { engineMemory, type EngineMemory } from './workerHooks.ts';
import { buildDataset, editedDataset, importedMethodSpec, panelInfo, specText } from './panelSetup.ts';
import {
  datasetInfo,
  panelMetrics,
  pgdPaths,
  picture,
  pictureResolution,
  pointProbe,
} from './panelEvaluation.ts';
import {
  fineTuneEpochs,
  IMPORTED_METHOD,
  type BackendInfo,
  type CurveEvent,
  type EngineApi,
  type EngineConfig,
  type EngineEvent,
  type EvalSettings,
  type FieldSettings,
  type FrameEvent,
  type FrameRequest,
  type FramesReply,
  type PanelProgress,
  type MetricsEvent,
  type PanelInfo,
  type PanelSpec,
  type PathsReply,
  type PointInfo,
  type Speed,
} from './protocol.ts';

/** Sends an event to the views; `transfer` lists buffers that may be moved rather than copied. */
export type Emit = (event: EngineEvent, transfer: readonly ArrayBuffer[]) => void;

/** The 1-NN check radius, as a fraction of r (float32 queries cannot resolve a tie at exactly r). */
const NN_CHECK_RADIUS = 1 - 1e-3;
/**
 * Steps of every panel per tick, by speed (the panels move in lockstep); `max` instead gives every panel an equal
 * share of the tick's time, so a cheap method (natural) runs many steps while an expensive one (TRADES) runs few —
 * the cost of robust training shows as it is.
 */
const STEPS_PER_TICK: Record<Speed, number> = { slow: 1, normal: 4, fast: 16, max: Infinity };
/** A chunk of training between two chances to answer the views (a picture request waits at most this long). */
const MAX_TICK_MS = 60;
/** Pause between ticks at `slow`, so the boundary visibly moves step by step. */
const SLOW_TICK_MS = 120;
/** Metrics (a PGD attack with restarts and an exact search) of one training panel at a time, and training gets
 * at least this many times the time they took before the next. */
const METRICS_COST_FACTOR = 4;
/** …but never waits longer than this (the 1-NN construction's attack alone takes seconds). */
const MAX_METRICS_WAIT_MS = 3000;
/** Room for retrains (a new panel setting, a reset) between two configurations' generations. */
const GENERATIONS_PER_CONFIGURATION = 1_000_000;
/** After a new configuration the first pictures come before the first attack: the loop holds metrics this long. */
const FIRST_METRICS_DELAY_MS = 1000;

interface Panel {
  spec: PanelSpec;
  method: MethodSpec;
  info: PanelInfo;
  generation: number;
  model: Mlp | null;
  trainer: Trainer | null;
  nn: NearestNeighbourClassifier | null;
  nnCheck: MetricsEvent['nn'];
  /** What the last picture sent showed (generation, step, field, resolution, threat model where it matters). */
  frameKey: string;
  metricsStep: number;
  metricsKey: string;
  metricsAt: number;
  /** Cached L2 Lipschitz bound of the margin, by step. */
  bound: { step: number; value: number } | null;
  /** Why the panel has no classifier (an imported model that does not fit the data), or null. */
  setupError: string | null;
}

/** One setEdits call waiting for the lock: its list, its data version, and the configuration it edits. */
interface PendingEdits {
  readonly edits: readonly PointEdit[];
  readonly version: number;
  /** configure calls made before this one: edits apply to the source of the configuration they followed. */
  readonly epoch: number;
}

export class PlaygroundEngine implements EngineApi {
  private readonly emit: Emit;
  private readonly inWorker: boolean;
  private backend: BackendInfo | null = null;
  private config: EngineConfig | null = null;
  /** The configured points before the hand edits, and after them (`data`, what everything uses). */
  private source: Dataset | null = null;
  private data: Dataset | null = null;
  /** The version of `data`, and the last version handed out (a call's number, see the module comment). */
  private dataVersion = 0;
  private versions = 0;
  private configureCalls = 0;
  private pendingEdits: PendingEdits[] = [];
  private initialWeights: PlainLayer[] | null = null;
  private panels: Panel[] = [];
  private playing = false;
  private pendingEvaluation: EvalSettings | null = null;
  /**
   * Commands queued behind the lock that make the metrics being computed stale or that the user waits on (a
   * configure, a step, a reset): a metrics refresh stops early for them, and they refresh the metrics themselves.
   */
  private commandsWaiting = 0;
  private speed: Speed = 'max';
  private disposed = false;
  private deviceLost = false;
  private loopRunning = false;
  private nextMetricsAt = 0;
  /** Picture requests queued behind the lock. */
  private framesWaiting = 0;
  private configurations = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private gridCache: { key: string; xy: Float32Array } | null = null;

  constructor(emit: Emit, inWorker: boolean) {
    this.emit = emit;
    this.inWorker = inWorker;
  }

  /** `skipped`: backends left out before trying (e.g. a software GPU adapter), reported beside the refused. */
  async init(
    order: readonly BackendName[],
    detail = '',
    skipped: BackendInfo['refused'] = [],
  ): Promise<BackendInfo> {
    const choice = await pickBackend(order);
    const refused = [...skipped, ...choice.refused].sort(
      (a, b) => BACKENDS.indexOf(a.name) - BACKENDS.indexOf(b.name),
    );
    this.backend = { name: choice.name, refused, detail, worker: this.inWorker };
    this.emit({ type: 'backend', backend: this.backend }, []);
    this.watchDevice();
    return this.backend;
  }

  configure(config: EngineConfig): Promise<void> {
    const version = ++this.versions;
    this.configureCalls++;
    this.commandsWaiting++;
    return this.exclusive(async () => {
      this.commandsWaiting--;
      // Everything is checked before anything is let go of: a refused configuration leaves the page running.
      checkConfig(config);
      const source = buildDataset(config.data);
      // An invalid edit list rejects the configuration like any invalid setting (the lock reports it).
      const data = editedDataset(source, config.edits);
      checkDataset(data);
      this.disposePanels();
      this.config = config;
      this.source = source;
      this.data = data;
      this.dataVersion = version;
      this.gridCache = null;
      const initial = Mlp.init(
        {
          inputDim: 2,
          hidden: config.train.hidden,
          outputDim: data.nClasses,
          activation: config.train.activation,
          dropout: 0,
        },
        new Rng(config.train.seed),
      );
      this.initialWeights = await initial.toPlain();
      initial.dispose();
      this.emitDataset();
      // Every configuration starts a new run of generations, so the views drop the previous data's numbers (a
      // panel keeps its id across a dataset change). It counts configure calls, the same in every engine of a pool.
      this.configurations++;
      const generation = this.configurations * GENERATIONS_PER_CONFIGURATION;
      for (const spec of config.panels) this.panels.push(this.createPanel(spec, generation));
      this.emitPanels();
      this.emitSetupErrors(this.panels);
      // The pictures come when the views ask; the metrics from the training loop (play) or from pause().
      this.emitProgress();
      this.nextMetricsAt = now() + FIRST_METRICS_DELAY_MS;
    });
  }

  setEdits(edits: readonly PointEdit[]): Promise<void> {
    // A drag sends edits faster than the engine applies them: the first queued task of a configuration applies the
    // latest list of that configuration, later tasks find theirs taken and no-op.
    const entry: PendingEdits = { edits, version: ++this.versions, epoch: this.configureCalls };
    this.pendingEdits.push(entry);
    return this.exclusive(async () => {
      if (!this.pendingEdits.includes(entry)) return;
      const batch = this.pendingEdits.filter((e) => e.epoch === entry.epoch);
      this.pendingEdits = this.pendingEdits.filter((e) => e.epoch !== entry.epoch);
      await this.applyEdits(batch);
    });
  }

  setEvaluation(evaluation: EvalSettings): Promise<void> {
    // Slider moves arrive faster than a re-evaluation: the first queued task applies the latest, the rest no-op.
    this.pendingEvaluation = evaluation;
    return this.exclusive(async () => {
      const next = this.pendingEvaluation;
      if (!next) return;
      this.pendingEvaluation = null;
      const config = this.requireConfig();
      const normChanged = next.norm !== config.evaluation.norm;
      if (!normChanged && next.eps === config.evaluation.eps) return;
      this.config = { ...config, evaluation: next };
      if (normChanged) {
        this.emitDataset();
        // The construction measures distance in the attack's norm: a new norm is a new classifier.
        for (const p of this.panels) if (p.spec.method === NN_ID) this.rebuildPanel(p);
      }
      await this.refreshMetrics();
    });
  }

  setField(field: FieldSettings): Promise<void> {
    return this.exclusive(() => {
      checkField(field);
      this.config = { ...this.requireConfig(), field };
      return Promise.resolve();
    });
  }

  frames(request: FrameRequest): Promise<FramesReply> {
    this.framesWaiting++;
    return this.exclusive(async () => {
      this.framesWaiting--;
      const start = now();
      const frames: FrameEvent[] = [];
      const resolution = Math.max(2, Math.min(LIMITS.resolution, Math.round(request.resolution) || 2));
      for (const id of request.panelIds) {
        const panel = this.panels.find((p) => p.spec.id === id);
        const key = panel ? this.frameKey(panel, resolution) : '';
        if (!panel || panel.frameKey === key) continue;
        const frame = await this.frameOf(panel, resolution, key);
        if (frame) frames.push(frame);
      }
      return { frames, costMs: now() - start };
    });
  }

  upsertPanel(spec: PanelSpec): Promise<void> {
    return this.exclusive(async () => {
      const config = this.requireConfig();
      const index = this.panels.findIndex((p) => p.spec.id === spec.id);
      checkPanels([...this.panels.filter((p) => p.spec.id !== spec.id).map((p) => p.spec), spec]);
      const generation =
        index >= 0 ? this.panels[index]!.generation + 1 : this.configurations * GENERATIONS_PER_CONFIGURATION;
      const panel = this.createPanel(spec, generation);
      if (index >= 0) {
        disposePanel(this.panels[index]!);
        this.panels[index] = panel;
      } else this.panels.push(panel);
      this.config = { ...config, panels: this.panels.map((p) => p.spec) };
      this.emitPanels();
      this.emitSetupErrors([panel]);
      this.emitProgress();
      if (!this.playing) await this.emitMetrics(panel);
      this.ensureLoop();
    });
  }

  removePanel(id: string): Promise<void> {
    return this.exclusive(() => {
      const index = this.panels.findIndex((p) => p.spec.id === id);
      if (index < 0) return Promise.resolve();
      disposePanel(this.panels[index]!);
      this.panels.splice(index, 1);
      this.config = { ...this.requireConfig(), panels: this.panels.map((p) => p.spec) };
      this.emitPanels();
      return Promise.resolve();
    });
  }

  play(): Promise<void> {
    this.playing = true;
    this.emit({ type: 'running', running: true }, []);
    this.ensureLoop();
    return Promise.resolve();
  }

  pause(): Promise<void> {
    this.playing = false;
    // Said only once the tick in flight has finished and its pictures are out, so "paused" means the steps shown are final.
    return this.exclusive(async () => {
      this.emitProgress();
      this.emit({ type: 'running', running: false }, []);
      await this.refreshMetrics();
    });
  }

  step(): Promise<void> {
    this.playing = false;
    this.emit({ type: 'running', running: false }, []);
    this.commandsWaiting++;
    return this.exclusive(async () => {
      this.commandsWaiting--;
      for (const p of this.panels) await p.trainer?.trainStep();
      await this.finishDone();
      this.emitProgress();
      await this.refreshMetrics();
    });
  }

  reset(): Promise<void> {
    this.playing = false;
    this.emit({ type: 'running', running: false }, []);
    this.commandsWaiting++;
    return this.exclusive(async () => {
      this.commandsWaiting--;
      this.panels = this.panels.map((p) => {
        disposePanel(p);
        return this.createPanel(p.spec, p.generation + 1);
      });
      this.emitPanels();
      this.emitSetupErrors(this.panels);
      this.emitProgress();
      this.nextMetricsAt = now() + FIRST_METRICS_DELAY_MS;
      await this.refreshMetrics();
    });
  }

  recover(panelId: string): Promise<void> {
    this.commandsWaiting++;
    return this.exclusive(async () => {
      this.commandsWaiting--;
      const panel = this.panels.find((p) => p.spec.id === panelId);
      if (!panel?.trainer?.stopped) return;
      panel.trainer.recover();
      // A new generation: the views drop the diverged model's pictures and numbers for the restored one's.
      panel.generation++;
      panel.frameKey = '';
      panel.metricsStep = -1;
      panel.bound = null;
      this.emitProgress([panel]);
      if (!this.playing) await this.emitMetrics(panel);
      this.ensureLoop();
    });
  }

  setSpeed(speed: Speed): Promise<void> {
    this.speed = speed;
    return Promise.resolve();
  }

  pointInfo(panelId: string, split: 'train' | 'test', index: number): Promise<PointInfo | null> {
    return this.exclusive(async () => {
      const panel = this.panels.find((p) => p.spec.id === panelId);
      const data = this.data;
      const config = this.config;
      const classifier = panel && classifierOf(panel);
      if (!panel || !data || !config || !classifier) return null;
      const bound = await this.boundOf(panel);
      const probe = await pointProbe(
        classifier,
        data,
        config.evaluation,
        config.train.seed,
        bound,
        split,
        index,
      );
      return probe && { panelId, ...probe };
    });
  }

  paths(panelId: string): Promise<PathsReply | null> {
    return this.exclusive(async () => {
      const panel = this.panels.find((p) => p.spec.id === panelId);
      const data = this.data;
      const config = this.config;
      const classifier = panel && classifierOf(panel);
      if (!panel || !data || !config || !classifier || data.test.y.length === 0) return null;
      const { steps, path } = await pgdPaths(classifier, data, config.evaluation, config.train.seed);
      return { panelId, generation: panel.generation, steps, path };
    });
  }

  requestCurves(eps: readonly number[]): Promise<void> {
    return this.exclusive(async () => {
      const data = this.data;
      const config = this.config;
      if (!data || !config || data.test.y.length === 0) return;
      const { norm } = config.evaluation;
      for (const panel of this.panels) {
        // Curves take seconds per panel: a queued command (new data, a step, a reset, edits) goes first; the
        // views ask again for the curves of the page it leaves.
        if (this.commandsWaiting > 0 || this.pendingEdits.length > 0) break;
        const classifier = classifierOf(panel);
        if (!classifier) continue;
        const bound = await this.boundOf(panel);
        const acc = new Float64Array(eps.length);
        for (const [k, e] of eps.entries()) {
          // A search can take seconds (a net with a huge Lipschitz bound spends the whole budget at each radius).
          if (this.commandsWaiting > 0 || this.pendingEdits.length > 0) return;
          acc[k] =
            e === 0
              ? await accuracy(classifier, data.test, data.nClasses)
              : (await exactRobustAccuracy(classifier, data.test, data.nClasses, e, norm, bound))
                  .robustAccuracy;
        }
        const event: CurveEvent = {
          type: 'curve',
          panelId: panel.spec.id,
          generation: panel.generation,
          step: stepOf(panel),
          norm,
          eps: Float64Array.from(eps),
          robustAcc: acc,
        };
        this.emit(event, [event.eps.buffer as ArrayBuffer, event.robustAcc.buffer as ArrayBuffer]);
      }
    });
  }

  exportModel(panelId: string): Promise<string | null> {
    return this.exclusive(async () => {
      const panel = this.panels.find((p) => p.spec.id === panelId);
      if (!panel?.model) return null;
      const imported = panel.spec.method === IMPORTED_METHOD ? panel.spec.imported : undefined;
      // An imported model goes back out as it came in: its own method and settings, the weights it holds.
      if (imported) return modelToJsonText(panel.model, imported.model.method, imported.model.hyper);
      const config = this.requireConfig();
      return modelToJsonText(panel.model, panel.spec.method, {
        ...panel.method.hyper,
        eps: config.train.trainEps,
        norm: config.train.trainNorm,
        ...(panel.method.variant ? { variant: panel.method.variant } : {}),
        ...(panel.method.dropout > 0 ? { dropout: panel.method.dropout } : {}),
      });
    });
  }

  memory(): Promise<EngineMemory> {
    // Under the lock: a reading between two tasks, never one that catches a step's or a picture's temporaries.
    return this.exclusive(() => Promise.resolve(engineMemory()));
  }

  /** Frees every tensor the engine holds. */
  dispose(): void {
    this.playing = false;
    this.disposed = true;
    this.disposePanels();
  }

  /** Whether the engine lost its WebGPU device (it has said so in a `fault` event and can do nothing more). */
  get faulted(): boolean {
    return this.deviceLost;
  }

  /**
   * A lost WebGPU device (a driver reset, the GPU process restarted, `device.destroy()`) takes every tensor with
   * it: the engine stops and says so, and the page starts a new engine without WebGPU.
   */
  private watchDevice(): void {
    const device = activeWebGpuDevice();
    if (!device) return;
    void device.lost.then((info) => {
      if (this.disposed) return;
      this.deviceLost = true;
      this.playing = false;
      const why = [info.reason, info.message].filter(Boolean).join(': ');
      this.emit(
        {
          type: 'fault',
          fault: {
            kind: 'device-lost',
            backend: 'webgpu',
            message: `the WebGPU device was lost${why ? ` (${why})` : ''}`,
          },
        },
        [],
      );
    });
  }

  // ---- the training loop ----

  private ensureLoop(): void {
    if (this.loopRunning || !this.playing) return;
    this.loopRunning = true;
    void this.loop().finally(() => {
      this.loopRunning = false;
    });
  }

  private async loop(): Promise<void> {
    while (this.playing) {
      const busy = await this.exclusive(() => this.tick());
      if (!busy) {
        this.playing = false;
        this.emit({ type: 'running', running: false }, []);
        break;
      }
      // Let queued requests (pause, a new ε) in: on cpu and wasm `await data()` never yields to the event loop.
      await sleep(this.speed === 'slow' ? SLOW_TICK_MS : 0);
    }
  }

  /** Train every unfinished panel for one tick; returns false when nothing is left to train. */
  private async tick(): Promise<boolean> {
    const training = this.panels.filter((p) => p.trainer && !p.trainer.done);
    if (training.length === 0) {
      await this.refreshMetrics();
      return false;
    }
    const perTick = STEPS_PER_TICK[this.speed];
    if (Number.isFinite(perTick)) {
      const start = now();
      for (let k = 0; k < perTick; k++) {
        for (const p of training) if (!p.trainer!.done) await p.trainer!.trainStep();
        if (now() - start > MAX_TICK_MS) break;
      }
    } else {
      const slice = MAX_TICK_MS / training.length;
      for (const p of training) {
        const start = now();
        do await p.trainer!.trainStep();
        while (!p.trainer!.done && now() - start < slice);
      }
    }
    await this.finishDone();
    this.emitProgress(training);
    // Metrics of one stale panel at a time, the stalest first, so the table keeps up without stalling training —
    // but never while the views wait for pictures (the first pictures of a page come before any attack runs).
    if (this.framesWaiting > 0) return true;
    const stale = this.panels
      .filter((p) => this.metricsStale(p) && (p.trainer?.done || now() >= this.nextMetricsAt))
      .sort((a, b) => Number(a.nn !== null) - Number(b.nn !== null) || a.metricsAt - b.metricsAt)[0];
    if (stale) {
      const t = now();
      await this.emitMetrics(stale);
      this.nextMetricsAt = now() + Math.min(MAX_METRICS_WAIT_MS, METRICS_COST_FACTOR * (now() - t));
    }
    return true;
  }

  private async finishDone(): Promise<void> {
    for (const p of this.panels) if (p.trainer?.done) await p.trainer.finish();
  }

  /** Fresh metrics of every panel whose metrics are stale. */
  private async refreshMetrics(): Promise<void> {
    // The trained panels first: the 1-NN construction's attack is the slowest (a distance to every training point).
    const order = [...this.panels].sort((a, b) => Number(a.nn !== null) - Number(b.nn !== null));
    for (const p of order) {
      if (!this.metricsStale(p)) continue;
      // On cpu and wasm `await data()` never yields to the event loop, so in a worker the calls sent meanwhile
      // (the next ε of a slider held down, a reset, a new seed) would wait, unseen, for every panel's metrics and
      // then each cost a full refresh: a turn of the event loop lets them arrive and cut this refresh short.
      await sleep(0);
      // Queued work makes these metrics stale on arrival (a newer threat model, edits, new data), or the user
      // waits on it (a step, a reset): it goes first.
      if (this.pendingEvaluation || this.pendingEdits.length > 0 || this.commandsWaiting > 0) break;
      await this.emitMetrics(p);
    }
  }

  private metricsStale(p: Panel): boolean {
    return p.metricsStep !== stepOf(p) || p.metricsKey !== this.evalKey();
  }

  /** What metrics depend on besides the step: the threat model and the points. */
  private evalKey(): string {
    const e = this.requireConfig().evaluation;
    return `${e.norm}:${e.eps}:${this.dataVersion}`;
  }

  // ---- hand edits ----

  /**
   * Apply the newest valid list of `batch` (one configuration's queued setEdits calls, in call order). An invalid
   * list is reported as an error event and changes nothing; an older valid list of the same burst applies instead,
   * so every engine of a pool ends on the same points however it coalesced the burst.
   *
   * Models keep their weights and optimizer state and train on from there on the new points. Fine-tune rule
   * (protocol.ts `fineTuneEpochs`): a panel whose budget was spent (not one stopped by divergence) gets
   * `max(1, ⌈epochs / 4⌉)` more epochs from its current step, so the views show it adapting. The 1-NN
   * construction is rebuilt at once. Generations stay: the views keep the last numbers until metrics with the
   * new data version arrive.
   */
  private async applyEdits(batch: readonly PendingEdits[]): Promise<void> {
    const config = this.requireConfig();
    const source = this.source!;
    let applied: { entry: PendingEdits; data: Dataset } | null = null;
    let problem: string | null = null;
    for (let k = batch.length - 1; k >= 0 && !applied; k--) {
      const entry = batch[k]!;
      try {
        applied = { entry, data: editedDataset(source, entry.edits) };
      } catch (e) {
        if (!(e instanceof EditError)) throw e;
        problem ??= e.message;
      }
    }
    if (problem) this.emit({ type: 'error', panelId: null, message: problem }, []);
    if (!applied) return;
    const data = applied.data;
    this.data = data;
    this.config = { ...config, edits: applied.entry.edits };
    this.dataVersion = applied.entry.version;
    this.emitDataset();
    const extra = fineTuneEpochs(config.train.epochs);
    for (const p of this.panels) {
      if (p.spec.method === NN_ID) this.rebuildPanel(p);
      else if (p.trainer) {
        const finished = p.trainer.done && !p.trainer.stopped;
        p.trainer.replaceData(data.train);
        if (finished) p.trainer.extend(extra);
      }
    }
    this.emitProgress();
    // Every metric is stale now (they depend on the points): the loop refreshes them while playing.
    if (this.playing) this.ensureLoop();
    else await this.refreshMetrics();
  }

  // ---- panels ----

  private createPanel(spec: PanelSpec, generation: number): Panel {
    const config = this.requireConfig();
    const data = this.data!;
    const imported = spec.method === IMPORTED_METHOD;
    const method = imported ? importedMethodSpec(spec.imported) : parseMethodSpec(specText(spec));
    const info = panelInfo(spec, method);
    const panel: Panel = {
      spec,
      method,
      info,
      generation,
      model: null,
      trainer: null,
      nn: null,
      nnCheck: null,
      frameKey: '',
      metricsStep: -1,
      metricsKey: '',
      metricsAt: -Infinity,
      bound: null,
      setupError: null,
    };
    if (spec.method === NN_ID) {
      this.rebuildPanel(panel);
      return panel;
    }
    if (imported) {
      // Evaluated with its own architecture, never trained (no trainer, like the 1-NN construction).
      const file = spec.imported?.fileName ?? 'The imported panel';
      try {
        if (!spec.imported) throw new Error('no model file was given; open a robust-mlp/1 file.');
        panel.model = modelFromJson(spec.imported.model, { inputDim: 2, nClasses: data.nClasses }).model;
      } catch (e) {
        panel.setupError = `${file}: ${errorText(e)}`;
      }
      return panel;
    }
    const model = Mlp.fromPlain(
      {
        inputDim: 2,
        hidden: config.train.hidden,
        outputDim: data.nClasses,
        activation: config.train.activation,
        dropout: method.dropout,
      },
      this.initialWeights!,
    );
    panel.model = model;
    panel.trainer = new Trainer(model, METHODS[spec.method]!, data.train, data.nClasses, {
      optimizer: config.train.optimizer,
      lr: config.train.lr,
      momentum: 0,
      schedule: 'constant',
      epochs: config.train.epochs,
      batchSize: config.train.batchSize,
      seed: config.train.seed,
      eps: config.train.trainEps,
      norm: config.train.trainNorm,
      box: data.meta.box,
      hyper: method.hyper,
      variant: method.variant,
    });
    return panel;
  }

  /** (Re)build the 1-NN construction in the evaluation norm. */
  private rebuildPanel(panel: Panel): void {
    const config = this.requireConfig();
    const data = this.data!;
    const norm = config.evaluation.norm;
    panel.nn?.dispose();
    const sep = separation(data.train, data.test, norm).trainTrain.minExcludingConflicts;
    const r = panel.spec.r ?? sep / 2;
    panel.nn = new NearestNeighbourClassifier(data.train, data.nClasses, norm, r);
    panel.nnCheck = null;
    panel.bound = null;
    panel.frameKey = '';
    panel.metricsStep = -1;
  }

  private async nnCheck(panel: Panel): Promise<MetricsEvent['nn']> {
    if (!panel.nn) return null;
    if (panel.nnCheck) return panel.nnCheck;
    const data = this.data!;
    const norm = this.requireConfig().evaluation.norm;
    const r = panel.nn.r;
    // The theorem's promise, checked in float64 on the pure construction.
    const exact = nearestNeighbourConstruction(data.train, data.nClasses, norm, r);
    const atR = await exactRobustness(
      (xy) => Promise.resolve(exact.logits(xy)),
      data.train,
      data.nClasses,
      r * NN_CHECK_RADIUS,
      norm,
      { lipschitz: exact.marginLipschitzL2, maxDepth: 12 },
    );
    panel.nnCheck = { r, checkedRadius: r * NN_CHECK_RADIUS, robustTrainAccAtR: atR.robustAccuracy };
    return panel.nnCheck;
  }

  private async boundOf(panel: Panel): Promise<number> {
    if (panel.nn) return panel.nn.marginLipschitzL2;
    const step = stepOf(panel);
    if (panel.bound?.step !== step) panel.bound = { step, value: await marginLipschitzBound(panel.model!) };
    return panel.bound.value;
  }

  private disposePanels(): void {
    for (const p of this.panels) disposePanel(p);
    this.panels = [];
  }

  // ---- events ----

  private emitDataset(): void {
    const config = this.requireConfig();
    const info = datasetInfo(this.data!, config.evaluation.norm, this.dataVersion, config.edits.length);
    this.emit({ type: 'dataset', dataset: info }, [
      info.trainX.buffer as ArrayBuffer,
      info.trainY.buffer as ArrayBuffer,
      info.testX.buffer as ArrayBuffer,
      info.testY.buffer as ArrayBuffer,
      info.separation.trainPerPoint.buffer as ArrayBuffer,
      info.separation.testPerPoint.buffer as ArrayBuffer,
    ]);
  }

  private emitPanels(): void {
    this.emit({ type: 'panels', panels: this.panels.map((p) => p.info) }, []);
  }

  /** Why a panel has no classifier (after the panels event, so the views know the panel). */
  private emitSetupErrors(panels: readonly Panel[]): void {
    for (const p of panels)
      if (p.setupError) this.emit({ type: 'error', panelId: p.spec.id, message: p.setupError }, []);
  }

  private emitProgress(panels: readonly Panel[] = this.panels): void {
    const progress: PanelProgress[] = panels.map((p) => ({
      panelId: p.spec.id,
      generation: p.generation,
      step: stepOf(p),
      epoch: p.trainer?.epoch ?? 0,
      totalSteps: p.trainer?.totalSteps ?? 0,
      done: !p.trainer || p.trainer.done,
      stopped: p.trainer?.stopped?.message ?? null,
      lastGood: p.trainer?.stopped ? p.trainer.lastGood : null,
      lr: p.trainer ? p.trainer.learningRate : null,
      recoveries: p.trainer?.recoveries ?? 0,
      epochLosses: Float64Array.from(p.trainer?.epochLosses ?? []),
    }));
    this.emit(
      { type: 'progress', progress },
      progress.map((p) => p.epochLosses.buffer as ArrayBuffer),
    );
  }

  private frameKey(panel: Panel, requested: number): string {
    const { field, evaluation } = this.requireConfig();
    const resolution = pictureResolution(field.kind, requested);
    const ball =
      field.kind === 'gradient' || field.kind === 'ratio' ? `${evaluation.norm}:${evaluation.eps}` : '';
    // The 1-NN picture is a function of the points; a network's changes only when it trains (a step).
    const points = panel.spec.method === NN_ID ? this.dataVersion : '';
    return `${panel.generation}:${points}:${stepOf(panel)}:${field.kind}:${resolution}:${ball}`;
  }

  /** A fresh picture of `panel`, remembered as sent under `key` (its {@link frameKey}). */
  private async frameOf(panel: Panel, requested: number, key: string): Promise<FrameEvent | null> {
    const classifier = classifierOf(panel);
    if (!classifier) return null;
    const data = this.data!;
    const { field, evaluation, train } = this.requireConfig();
    const resolution = pictureResolution(field.kind, requested);
    const xy = this.gridXy(data.meta.box, resolution);
    const drawn = await picture(
      classifier,
      field.kind,
      xy,
      data.nClasses,
      data.meta.box,
      evaluation,
      train.seed,
    );
    panel.frameKey = key;
    return {
      type: 'frame',
      panelId: panel.spec.id,
      generation: panel.generation,
      step: stepOf(panel),
      field: { kind: field.kind, resolution },
      ...drawn,
    };
  }

  private async emitMetrics(panel: Panel): Promise<void> {
    const classifier = classifierOf(panel);
    if (!classifier) return;
    const config = this.requireConfig();
    const step = stepOf(panel);
    const dataVersion = this.dataVersion;
    panel.metricsStep = step;
    panel.metricsKey = this.evalKey();
    panel.metricsAt = now();
    try {
      const metrics = await panelMetrics(classifier, this.data!, config.evaluation, config.train.seed, () =>
        this.boundOf(panel),
      );
      const event: MetricsEvent = {
        type: 'metrics',
        panelId: panel.spec.id,
        generation: panel.generation,
        step,
        dataVersion,
        ...metrics,
        nn: await this.nnCheck(panel),
      };
      this.emit(event, [
        event.advX.buffer as ArrayBuffer,
        event.advSuccess.buffer as ArrayBuffer,
        event.ballStatus.buffer as ArrayBuffer,
        event.lipschitzPerPoint.buffer as ArrayBuffer,
      ]);
    } catch (e) {
      this.emit({ type: 'error', panelId: panel.spec.id, message: errorText(e) }, []);
    }
  }

  private gridXy(box: Box, resolution: number): Float32Array {
    const key = `${box.xMin},${box.xMax},${box.yMin},${box.yMax},${resolution}`;
    if (this.gridCache?.key !== key) this.gridCache = { key, xy: gridPoints(box, resolution) };
    return this.gridCache.xy;
  }

  private requireConfig(): EngineConfig {
    if (!this.config) throw new Error('The engine has no configuration yet: call configure() first.');
    return this.config;
  }

  /** Runs `task` after every earlier task has settled; errors reach the caller and the views. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch((e: unknown) => {
      this.emit({ type: 'error', panelId: null, message: errorText(e) }, []);
    });
    return run;
  }
}

// ---- helpers ----

function classifierOf(p: Panel): Classifier | null {
  return p.model ?? p.nn;
}

function stepOf(p: Panel): number {
  return p.trainer?.step ?? 0;
}

function disposePanel(p: Panel): void {
  p.trainer?.dispose();
  p.model?.dispose();
  p.nn?.dispose();
  p.trainer = null;
  p.model = null;
  p.nn = null;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function now(): number {
  return performance.now();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
