/**
 * Evaluation metrics. None of them mutates a model; all run in evaluation mode (no dropout).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.ts';
import type { Box, LabelledPoints, Norm } from '../core/types.ts';
import { exactRobustness, type ExactRobustnessResult } from '../core/exactRobustness.ts';
import { describePgd, EVAL_PGD, pgd, type PgdOptions } from './attacks.ts';
import type { Classifier } from './classifier.ts';
import { certifiedRadius } from './lipschitzBound.ts';

/**
 * Margin withheld before a cell is certified: float32 logits of these small nets are accurate to ~1e-5, so a
 * certificate never rests on rounding error (a cell this close to the boundary is refined or left undecided).
 */
const FLOAT32_LOGIT_TOLERANCE = 1e-3;

/** Rows per forward call when evaluating many points (grids, dense ball searches). */
const EVAL_CHUNK = 8192;

/** Logits `[m, C]` of the points `xy` (`[m, 2]` row-major), evaluated in chunks. */
export async function logitsOf(model: Classifier, xy: Float32Array | Float64Array): Promise<Float32Array> {
  const m = xy.length / 2;
  const parts: Float32Array[] = [];
  for (let s = 0; s < m; s += EVAL_CHUNK) {
    const rows = Math.min(EVAL_CHUNK, m - s);
    const t = tf.tidy(() =>
      model.forward(tf.tensor2d(Float32Array.from(xy.subarray(2 * s, 2 * (s + rows))), [rows, 2])),
    );
    parts.push((await t.data()) as Float32Array);
    t.dispose();
  }
  if (parts.length === 1) return parts[0]!;
  const width = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float32Array(width);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** argmax of each row of a `[m, C]` logit array. */
export function argmaxRows(logits: ArrayLike<number>, nClasses: number): Int32Array {
  const m = logits.length / nClasses;
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (logits[i * nClasses + c]! > logits[i * nClasses + best]!) best = c;
    out[i] = best;
  }
  return out;
}

export async function predict(
  model: Classifier,
  xy: Float32Array | Float64Array,
  nClasses: number,
): Promise<Int32Array> {
  return argmaxRows(await logitsOf(model, xy), nClasses);
}

/** Fraction of points whose predicted class is their label. */
export async function accuracy(model: Classifier, points: LabelledPoints, nClasses: number): Promise<number> {
  const pred = await predict(model, points.x, nClasses);
  return fractionEqual(pred, points.y);
}

function fractionEqual(a: Int32Array, b: Int32Array): number {
  if (a.length === 0) return NaN;
  let k = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) k++;
  return k / a.length;
}

export interface AdversarialAccuracy {
  /** Accuracy on the attacked points. */
  readonly accuracy: number;
  /** The attack points, `[n, 2]`. */
  readonly xAdv: Float32Array;
  /** Which attack, e.g. "PGD-50 (L∞, α = ε/10, 5 restarts)". */
  readonly attack: string;
}

export interface AttackSettings {
  readonly eps: number;
  readonly norm: Norm;
  readonly box: Box | null;
  readonly seed?: number;
  /** Overrides of the evaluation preset. */
  readonly pgd?: Partial<Pick<PgdOptions, 'steps' | 'stepSize' | 'restarts' | 'objective'>>;
}

/** Accuracy under the project's evaluation PGD (untargeted, true labels, eval mode). */
export async function adversarialAccuracy(
  model: Classifier,
  points: LabelledPoints,
  nClasses: number,
  settings: AttackSettings,
): Promise<AdversarialAccuracy> {
  const n = points.y.length;
  const opts: PgdOptions = {
    ...EVAL_PGD(settings.eps),
    ...settings.pgd,
    eps: settings.eps,
    norm: settings.norm,
    box: settings.box,
    rng: new Rng(settings.seed ?? 0),
  };
  const adv = tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(points.x), [n, 2]);
    const yOneHot = tf.oneHot(tf.tensor1d(points.y, 'int32'), nClasses).toFloat() as tf.Tensor2D;
    return pgd(model, x, yOneHot, opts).xAdv;
  });
  const xAdv = Float32Array.from(await adv.data());
  adv.dispose();
  const pred = await predict(model, xAdv, nClasses);
  return { accuracy: fractionEqual(pred, points.y), xAdv, attack: describePgd(opts) };
}

/**
 * Most network evaluations one exact search may spend. A trained net needs 30–80 thousand for 400 test balls
 * (moons, 64×64, ε up to 0.2); a net whose weights blew up (a diverged run) has a Lipschitz bound so large that
 * no cell ever certifies, and would ask for 64·4⁸ cells per ball. Past the budget, the balls still open are
 * reported undecided, never robust.
 */
export const EXACT_SEARCH_BUDGET = 1_000_000;

/**
 * Exact robust accuracy in 2D: every ε-ball searched densely and certified cell by cell with `marginLipschitzL2`,
 * an L2 Lipschitz bound of every logit difference (core/exactRobustness.ts), within {@link EXACT_SEARCH_BUDGET}
 * evaluations.
 */
export async function exactRobustAccuracy(
  model: Classifier,
  points: LabelledPoints,
  nClasses: number,
  eps: number,
  norm: Norm,
  marginLipschitzL2: number | undefined,
): Promise<ExactRobustnessResult> {
  return exactRobustness((xy) => logitsOf(model, xy), points, nClasses, eps, norm, {
    lipschitz: marginLipschitzL2,
    logitTolerance: FLOAT32_LOGIT_TOLERANCE,
    maxEvaluations: EXACT_SEARCH_BUDGET,
  });
}

export interface CertifiedRadii {
  /** Each point's certified radius in the ball norm (negative when it is misclassified). */
  readonly radii: Float64Array;
  /** Fraction of points whose certified radius is at least ε: robust by the certificate alone. */
  readonly certifiedAccuracy: number;
}

/**
 * Certified radii from a Lipschitz bound: margin / bound (L2), margin / (√2·bound) for L∞ (lipschitzBound.ts).
 * A lower bound of each point's distance to the decision boundary, loose by the bound's looseness.
 */
export async function certifiedRadii(
  model: Classifier,
  points: LabelledPoints,
  nClasses: number,
  eps: number,
  norm: Norm,
  marginLipschitzL2: number,
): Promise<CertifiedRadii> {
  const logits = await logitsOf(model, points.x);
  const n = points.y.length;
  const radii = new Float64Array(n);
  let certified = 0;
  for (let i = 0; i < n; i++) {
    const y = points.y[i]!;
    let other = -Infinity;
    for (let c = 0; c < nClasses; c++) if (c !== y) other = Math.max(other, logits[i * nClasses + c]!);
    radii[i] = certifiedRadius(logits[i * nClasses + y]! - other, marginLipschitzL2, norm);
    if (radii[i]! >= eps) certified++;
  }
  return { radii, certifiedAccuracy: n > 0 ? certified / n : NaN };
}

/** What a heatmap shows at each grid cell. */
export type FieldKind = 'probability' | 'margin';

/**
 * The model on a `resolution × resolution` grid over `box`, row-major from (xMin, yMax) at the top-left, so the
 * array maps straight onto canvas pixels: `probability` = p(class 1) for two classes, else the max probability;
 * `margin` = z₁ − z₀ for two classes, else the top-two logit gap.
 */
export async function evaluateGrid(
  model: Classifier,
  box: Box,
  resolution: number,
  nClasses: number,
  kind: FieldKind,
): Promise<Float32Array> {
  const logits = await logitsOf(model, gridPoints(box, resolution));
  const fields = gridFields(logits, nClasses);
  return kind === 'margin' ? fields.margin : fields.probability;
}

export interface GridFields {
  /** z₁ − z₀ for two classes, else the top-two logit gap. */
  readonly margin: Float32Array;
  /** p(class 1) for two classes, else the winning probability. */
  readonly probability: Float32Array;
  /** The predicted class (argmax). */
  readonly classes: Uint8Array;
}

/** What a heatmap can show at each row of a `[m, C]` logit array. */
export function gridFields(logits: Float32Array, nClasses: number): GridFields {
  const m = logits.length / nClasses;
  const margin = new Float32Array(m);
  const probability = new Float32Array(m);
  const classes = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const z = logits.subarray(i * nClasses, (i + 1) * nClasses);
    let a = 0;
    for (let c = 1; c < nClasses; c++) if (z[c]! > z[a]!) a = c;
    classes[i] = a;
    if (nClasses === 2) {
      const d = z[1]! - z[0]!;
      margin[i] = d;
      probability[i] = 1 / (1 + Math.exp(-d));
      continue;
    }
    let b = a === 0 ? 1 : 0;
    for (let c = 0; c < nClasses; c++) if (c !== a && z[c]! > z[b]!) b = c;
    margin[i] = z[a]! - z[b]!;
    let s = 0;
    for (let c = 0; c < nClasses; c++) s += Math.exp(z[c]! - z[a]!);
    probability[i] = 1 / s;
  }
  return { margin, probability, classes };
}

/** Cell centres of a `resolution²` grid over `box`, row-major from the top-left (y decreasing downwards). */
export function gridPoints(box: Box, resolution: number): Float32Array {
  const xy = new Float32Array(resolution * resolution * 2);
  const dx = (box.xMax - box.xMin) / resolution;
  const dy = (box.yMax - box.yMin) / resolution;
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      xy[2 * i] = box.xMin + (c + 0.5) * dx;
      xy[2 * i + 1] = box.yMax - (r + 0.5) * dy;
    }
  }
  return xy;
}
