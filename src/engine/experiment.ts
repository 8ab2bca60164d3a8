/**
 * One experiment: one dataset, one seed and one set of initial weights, trained by every requested method in
 * turn and evaluated identically — the paper's table for 2D data. Runs the same in Node (the runner) and in a
 * worker. Progress is reported per step; nothing here prints.
 */
import { Rng } from '../core/rng.ts';
import type { Dataset } from '../core/datasets/index.ts';
import type { Norm } from '../core/types.ts';
import { separation } from '../core/geometry.ts';
import { nearestNeighbourConstruction } from '../core/theorem.ts';
import { exactRobustness } from '../core/exactRobustness.ts';
import { Mlp, type Activation, type PlainLayer } from '../ml/model.ts';
import { METHODS } from '../ml/methods/index.ts';
import { Trainer } from '../ml/trainer.ts';
import type { OptimizerName, ScheduleName } from '../ml/optimizer.ts';
import { NearestNeighbourClassifier } from '../ml/nnClassifier.ts';
import { marginLipschitzBound } from '../ml/lipschitzBound.ts';
import type { Classifier } from '../ml/classifier.ts';
import { accuracy, adversarialAccuracy, exactRobustAccuracy } from '../ml/metrics.ts';
import { localLipschitz } from '../ml/localLipschitz.ts';
import { NN_ID, type MethodSpec } from './methodSpec.ts';

/** The 1-NN check radius, as a fraction of r. */
const NN_CHECK_RADIUS = 1 - 1e-3;

export interface ExperimentConfig {
  readonly methods: readonly MethodSpec[];
  readonly eps: number;
  readonly norm: Norm;
  readonly hidden: readonly number[];
  readonly activation: Activation;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly momentum: number;
  readonly schedule: ScheduleName;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Clip attack points to the data box. */
  readonly clip: boolean;
}

export interface ModelResult {
  readonly spec: MethodSpec;
  readonly trainAcc: number;
  readonly testAcc: number;
  readonly advTestAcc: number;
  readonly robustTestAcc: number;
  /** Balls the exact search could neither certify nor break (counted as not robust). */
  readonly robustUndecided: number;
  readonly robustResolution: number;
  /** The paper's estimate, as its code searches (descending). */
  readonly testLipschitz: number;
  /** The corrected ascent (a lower bound of the defined max). */
  readonly testLipschitzMax: number;
  readonly steps: number;
  /** Wall-clock seconds to train (to build, for the 1-NN construction); evaluation excluded. */
  readonly seconds: number;
  readonly epochLosses: readonly number[];
  readonly stopped: string | null;
  /** Trained weights (absent for the 1-NN construction). */
  readonly weights?: PlainLayer[];
  /** For the 1-NN construction: its r and its exact robust accuracy at r on the training points. */
  readonly nn?: { readonly r: number; readonly checkedRadius: number; readonly robustTrainAccAtR: number };
}

export interface ExperimentResult {
  readonly separationLinf: number;
  readonly separationL2: number;
  readonly attack: string;
  readonly lipschitzLabel: string;
  readonly models: readonly ModelResult[];
}

export type ProgressEvent =
  | {
      readonly kind: 'train';
      readonly model: number;
      readonly label: string;
      readonly step: number;
      readonly total: number;
      readonly loss: number;
    }
  | { readonly kind: 'evaluate'; readonly model: number; readonly label: string };

export async function runExperiment(
  data: Dataset,
  config: ExperimentConfig,
  onProgress: (e: ProgressEvent) => void = () => {},
): Promise<ExperimentResult> {
  const sepLinf = separation(data.train, data.test, 'linf');
  const sepL2 = separation(data.train, data.test, 'l2');
  const box = config.clip ? data.meta.box : null;
  // One set of initial weights for every method, so the panels differ only by how they were trained.
  const initial = Mlp.init(
    {
      inputDim: 2,
      hidden: config.hidden,
      outputDim: data.nClasses,
      activation: config.activation,
      dropout: 0,
    },
    new Rng(config.seed),
  );
  const initialWeights = await initial.toPlain();
  initial.dispose();
  const models: ModelResult[] = [];
  let attack = '';
  let lipschitzLabel = '';
  for (const [index, spec] of config.methods.entries()) {
    const t0 = performance.now();
    let classifier: Classifier;
    let dispose: () => void;
    let bound: number | undefined;
    let trained: Pick<ModelResult, 'steps' | 'epochLosses' | 'stopped' | 'weights'>;
    let nnResult: ModelResult['nn'];
    let seconds: number;
    if (spec.id === NN_ID) {
      const sep = config.norm === 'linf' ? sepLinf : sepL2;
      const r = spec.r ?? sep.trainTrain.minExcludingConflicts / 2;
      const nn = new NearestNeighbourClassifier(data.train, data.nClasses, config.norm, r);
      classifier = nn;
      dispose = () => nn.dispose();
      bound = nn.marginLipschitzL2;
      trained = { steps: 0, epochLosses: [], stopped: null };
      seconds = (performance.now() - t0) / 1000;
      onProgress({ kind: 'evaluate', model: index, label: spec.label });
      // The theorem's promise, checked in float64 on the pure construction: every training ball of radius
      // just under r is robust (at exactly r a tie is possible; float32 queries cannot resolve closer than 1e-3).
      const exact = nearestNeighbourConstruction(data.train, data.nClasses, config.norm, r);
      const atR = await exactRobustness(
        (xy) => Promise.resolve(exact.logits(xy)),
        data.train,
        data.nClasses,
        r * NN_CHECK_RADIUS,
        config.norm,
        { lipschitz: exact.marginLipschitzL2, maxDepth: 12 },
      );
      nnResult = { r, checkedRadius: r * NN_CHECK_RADIUS, robustTrainAccAtR: atR.robustAccuracy };
    } else {
      const method = METHODS[spec.id]!;
      const model = Mlp.fromPlain(
        {
          inputDim: 2,
          hidden: config.hidden,
          outputDim: data.nClasses,
          activation: config.activation,
          dropout: spec.dropout,
        },
        initialWeights,
      );
      const trainer = new Trainer(model, method, data.train, data.nClasses, {
        optimizer: config.optimizer,
        lr: config.lr,
        momentum: config.momentum,
        schedule: config.schedule,
        epochs: config.epochs,
        batchSize: config.batchSize,
        seed: config.seed,
        eps: config.eps,
        norm: config.norm,
        box,
        hyper: spec.hyper,
        variant: spec.variant,
      });
      const total = trainer.totalSteps;
      await trainer.run((r) =>
        onProgress({ kind: 'train', model: index, label: spec.label, step: r.step, total, loss: r.loss }),
      );
      trainer.dispose();
      seconds = (performance.now() - t0) / 1000;
      onProgress({ kind: 'evaluate', model: index, label: spec.label });
      classifier = model;
      dispose = () => model.dispose();
      bound = await marginLipschitzBound(model);
      trained = {
        steps: trainer.step,
        epochLosses: trainer.epochLosses.slice(),
        stopped: trainer.stopped?.message ?? null,
        weights: await model.toPlain(),
      };
    }
    const trainAcc = await accuracy(classifier, data.train, data.nClasses);
    const testAcc = await accuracy(classifier, data.test, data.nClasses);
    const adv = await adversarialAccuracy(classifier, data.test, data.nClasses, {
      eps: config.eps,
      norm: config.norm,
      box,
      seed: config.seed,
    });
    attack = adv.attack;
    const exact = await exactRobustAccuracy(
      classifier,
      data.test,
      data.nClasses,
      config.eps,
      config.norm,
      bound,
    );
    const lipOpts = { eps: config.eps, norm: config.norm, box, seed: config.seed };
    const lipRepo = await localLipschitz(classifier, data.test, { ...lipOpts, direction: 'repo' });
    const lipMax = await localLipschitz(classifier, data.test, { ...lipOpts, direction: 'max' });
    lipschitzLabel = lipRepo.label;
    dispose();
    models.push({
      spec,
      trainAcc,
      testAcc,
      advTestAcc: adv.accuracy,
      robustTestAcc: exact.robustAccuracy,
      robustUndecided: exact.undecided,
      robustResolution: exact.resolution,
      testLipschitz: lipRepo.mean,
      testLipschitzMax: lipMax.mean,
      seconds,
      ...trained,
      nn: nnResult,
    });
  }
  return {
    separationLinf: sepLinf.trainTrain.min,
    separationL2: sepL2.trainTrain.min,
    attack,
    lipschitzLabel,
    models,
  };
}
