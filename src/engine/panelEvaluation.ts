/**
 * What the engine computes about a dataset and a panel's classifier for the views: the dataset's points and
 * separation, a picture (the field on a grid), and the metrics at one threat model. Stateless: the engine
 * decides when, and owns the panels.
 */
import type { Box, Norm } from '../core/types.ts';
import type { Dataset } from '../core/datasets/index.ts';
import { separation } from '../core/geometry.ts';
import type { Classifier } from '../ml/classifier.ts';
import {
  accuracy,
  adversarialAccuracy,
  exactRobustAccuracy,
  gridFields,
  logitsOf,
  predict,
} from '../ml/metrics.ts';
import { localLipschitz } from '../ml/localLipschitz.ts';
import { gradientNorms } from './pointProbes.ts';
import { BALL, type DatasetInfo, type EvalSettings, type FieldKind, type MetricsEvent } from './protocol.ts';

/** Most cells per side of the `ratio` field: it runs a 10-step search per cell. */
const RATIO_MAX_RESOLUTION = 48;

/** The resolution a picture of `kind` is drawn at when `requested` cells per side are asked for. */
export function pictureResolution(kind: FieldKind, requested: number): number {
  return kind === 'ratio' ? Math.min(requested, RATIO_MAX_RESOLUTION) : requested;
}

/** The points and their separation in `norm`; `version` and `edits` say which points these are. */
export function datasetInfo(data: Dataset, norm: Norm, version: number, edits: number): DatasetInfo {
  const sep = separation(data.train, data.test, norm);
  return {
    version,
    edits,
    name: data.name,
    nClasses: data.nClasses,
    trainX: Float64Array.from(data.train.x),
    trainY: Int32Array.from(data.train.y),
    testX: Float64Array.from(data.test.x),
    testY: Int32Array.from(data.test.y),
    box: data.meta.box,
    separation: {
      norm,
      trainTrain: sep.trainTrain.min,
      trainTrainExcludingConflicts: sep.trainTrain.minExcludingConflicts,
      testTrain: sep.testTrain.min,
      trainPerPoint: Float64Array.from(sep.trainTrain.perPoint),
      testPerPoint: Float64Array.from(sep.testTrain.perPoint),
      conflicts: sep.conflicts.length,
    },
  };
}

export interface Picture {
  readonly grid: Float32Array;
  readonly margin: Float32Array;
  readonly classes: Uint8Array;
}

/** The field `kind` at the grid points `xy` (row-major, `resolution²` cells of `box`). */
export async function picture(
  classifier: Classifier,
  kind: FieldKind,
  xy: Float32Array,
  nClasses: number,
  box: Box,
  evaluation: EvalSettings,
  seed: number,
): Promise<Picture> {
  const logits = await logitsOf(classifier, xy);
  const { margin, classes, probability } = gridFields(logits, nClasses);
  let grid: Float32Array;
  if (kind === 'probability') grid = probability;
  else if (kind === 'margin') grid = margin;
  else if (kind === 'gradient')
    grid = Float32Array.from(await gradientNorms(classifier, xy, nClasses, evaluation.norm, null));
  else {
    const cells = xy.length / 2;
    const lip = await localLipschitz(
      classifier,
      { x: Float64Array.from(xy), y: new Int32Array(cells) },
      { eps: evaluation.eps, norm: evaluation.norm, box, seed, direction: 'repo' },
    );
    grid = Float32Array.from(lip.perPoint);
  }
  return { grid, margin, classes };
}

/** The metrics fields of a MetricsEvent: everything but the panel's identity, step, data version and 1-NN check. */
export type PanelMetrics = Omit<
  MetricsEvent,
  'type' | 'panelId' | 'generation' | 'step' | 'dataVersion' | 'nn'
>;

/**
 * Clean, adversarial (the evaluation PGD) and exact robust accuracy, and the paper's local Lipschitz estimate, on
 * the test set at the threat model `evaluation`. `bound` is an L2 Lipschitz bound of the margin for the exact search.
 */
export async function panelMetrics(
  classifier: Classifier,
  data: Dataset,
  evaluation: EvalSettings,
  seed: number,
  bound: () => Promise<number>,
): Promise<PanelMetrics> {
  const { eps, norm } = evaluation;
  const box = data.meta.box;
  const n = data.test.y.length;
  const trainAcc = await accuracy(classifier, data.train, data.nClasses);
  const empty: PanelMetrics = {
    eps,
    norm,
    trainAcc,
    testAcc: NaN,
    advTestAcc: NaN,
    attack: '',
    advX: new Float32Array(0),
    advSuccess: new Uint8Array(0),
    ballStatus: new Uint8Array(0),
    robustCount: 0,
    undecidedCount: 0,
    robustResolution: NaN,
    lipschitz: NaN,
    lipschitzPerPoint: new Float64Array(0),
    lipschitzLabel: '',
  };
  if (n === 0) return empty;
  const testAcc = await accuracy(classifier, data.test, data.nClasses);
  const adv = await adversarialAccuracy(classifier, data.test, data.nClasses, { eps, norm, box, seed });
  const pred = await predict(classifier, adv.xAdv, data.nClasses);
  const exact = await exactRobustAccuracy(classifier, data.test, data.nClasses, eps, norm, await bound());
  const lip = await localLipschitz(classifier, data.test, { eps, norm, box, seed, direction: 'repo' });
  return {
    ...empty,
    testAcc,
    advTestAcc: adv.accuracy,
    attack: adv.attack,
    advX: adv.xAdv,
    advSuccess: Uint8Array.from(pred, (p, i) => (p === data.test.y[i] ? 0 : 1)),
    ballStatus: Uint8Array.from(exact.perPoint, (v) =>
      v.status === 'robust' ? BALL.robust : v.status === 'not-robust' ? BALL.notRobust : BALL.undecided,
    ),
    robustCount: exact.robust,
    undecidedCount: exact.undecided,
    robustResolution: exact.resolution,
    lipschitz: lip.mean,
    lipschitzPerPoint: lip.perPoint,
    lipschitzLabel: lip.label,
  };
}
