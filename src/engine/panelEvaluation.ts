/**
 * What the engine computes about a dataset and a panel's classifier for the views: the dataset's points and
 * separation, a picture (the field on a grid), the metrics at one threat model, one point's probe and the PGD
 * paths. Stateless: the engine
 * decides when, and owns the panels.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.ts';
import type { Box, LabelledPoints, Norm } from '../core/types.ts';
import type { Dataset } from '../core/datasets/index.ts';
import { separation } from '../core/geometry.ts';
import type { Classifier } from '../ml/classifier.ts';
import { pgd, EVAL_PGD } from '../ml/attacks.ts';
import {
  accuracy,
  adversarialAccuracy,
  argmaxRows,
  exactRobustAccuracy,
  gridFields,
  logitsOf,
  predict,
} from '../ml/metrics.ts';
import { localLipschitz } from '../ml/localLipschitz.ts';
import { gradientNorms, marginOf, robustRadius } from './pointProbes.ts';
import {
  BALL,
  type DatasetInfo,
  type EvalSettings,
  type FieldKind,
  type MetricsEvent,
  type PointInfo,
} from './protocol.ts';

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

/**
 * One point's local picture (the hover tooltip): prediction, margin, slope, the paper's ratio in its ε-ball, and
 * its exact robust radius by bisection under the margin's Lipschitz `bound`. Null for an index out of range.
 */
export async function pointProbe(
  classifier: Classifier,
  data: Dataset,
  evaluation: EvalSettings,
  seed: number,
  bound: number,
  split: 'train' | 'test',
  index: number,
): Promise<Omit<PointInfo, 'panelId'> | null> {
  const points = data[split];
  if (!(index >= 0 && index < points.y.length)) return null;
  const { eps, norm } = evaluation;
  const xy = Float32Array.from(points.x.subarray(2 * index, 2 * index + 2));
  const label = points.y[index]!;
  const single: LabelledPoints = { x: Float64Array.from(xy), y: Int32Array.of(label) };
  const logits = await logitsOf(classifier, xy);
  const predicted = argmaxRows(logits, data.nClasses)[0]!;
  const margin = marginOf(logits, label, data.nClasses);
  const slope = await gradientNorms(classifier, xy, data.nClasses, norm, label);
  const lip = await localLipschitz(classifier, single, {
    eps,
    norm,
    box: data.meta.box,
    seed,
    direction: 'repo',
  });
  const cap = Math.max(4 * eps, 0.5 * (data.meta.box.xMax - data.meta.box.xMin));
  const radius = await robustRadius(classifier, single, data.nClasses, norm, bound, cap, margin);
  return {
    split,
    index,
    label,
    predicted,
    margin,
    gradientNorm: slope[0]!,
    lipschitz: lip.perPoint[0]!,
    robustRadius: radius.radius,
    robustRadiusTolerance: radius.tolerance,
    radiusCap: cap,
  };
}

/** PGD paths of every test point (`[steps + 1, nTest, 2]`): one run each, from the evaluation attack's first start. */
export async function pgdPaths(
  classifier: Classifier,
  data: Dataset,
  evaluation: EvalSettings,
  seed: number,
): Promise<{ steps: number; path: Float32Array }> {
  const { eps, norm } = evaluation;
  const n = data.test.y.length;
  const preset = EVAL_PGD(eps);
  // One run per point, from the evaluation attack's first random start: a path to draw, not the verdict.
  const path = tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(data.test.x), [n, 2]);
    const y = tf.oneHot(tf.tensor1d(data.test.y, 'int32'), data.nClasses).toFloat() as tf.Tensor2D;
    const run = pgd(classifier, x, y, {
      ...preset,
      restarts: 1,
      keepBest: false,
      keepPath: true,
      eps,
      norm,
      box: data.meta.box,
      rng: new Rng(seed),
    });
    return run.path!;
  });
  const values = Float32Array.from(await path.data());
  path.dispose();
  return { steps: preset.steps, path: values };
}
