/**
 * Attacks on the MLP inside an ε-ball: PGD (Madry et al. 2018) and FGSM (Goodfellow et al. 2015), L∞ or L2.
 * Pure, synchronous functions of `(model, x, yOneHot, options)`: no readbacks, so the worker can run them inside
 * a training step; the caller owns (and disposes) the returned tensors.
 *
 * Step rules (reference/seed-methods.md §2): L∞ `x ← Π(x + α·sign(∇))` (Madry; the paper's code,
 * `lolip/attacks/torch/projected_gradient_descent.py:92-204`), L2 `x ← Π(x + α·∇/‖∇‖₂)` (torchattacks PGDL2),
 * Π = projection onto the ball (ball.ts), then onto the data box. Adaptations from the paper's code: the [0, 1]
 * image clamps become the optional data box; the L2 random start is uniform in the disc.
 *
 * Guarantee: every returned point (and path iterate) lies in the ε-ball around its `x` and in the box, exactly
 * when measured in float64 from the float32 values (ball.ts shrinks the radius; {@link innerFloat32Box}
 * rounds the box inward).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.ts';
import type { Box, Norm } from '../core/types.ts';
import { ascentDirection, innerFloat32Box, projectToBall, randomBallOffsets } from './ball.ts';
import type { Classifier } from './classifier.ts';
import type { DropoutMasks } from './model.ts';

export interface PgdOptions {
  readonly eps: number;
  readonly norm: Norm;
  /** K, the number of gradient steps. */
  readonly steps: number;
  /** Absolute step size α (callers pass e.g. eps/5). */
  readonly stepSize: number;
  /** `uniform`: start uniformly in the ball (ball.ts randomBallOffsets), projected into the box; `none`: at x. */
  readonly randomStart: 'uniform' | 'none';
  /** Independent runs, each from a new random start drawn from `rng` in order (default 1). */
  readonly restarts?: number;
  /** Clip to the data box too. */
  readonly box?: Box | null;
  readonly rng: Rng;
  /** `ce` (default): CE with the true labels; `margin`: −(z_y − max_{c≠y} z_c). */
  readonly objective?: 'ce' | 'margin';
  /** Fresh dropout masks, called once per forward pass (the paper's AT attacks in train mode). */
  readonly masks?: () => DropoutMasks;
  /** Also return every iterate of the run that produced each point. */
  readonly keepPath?: boolean;
  /**
   * Evaluation mode: per point, return the first misclassified iterate (start included) over all steps and
   * restarts, else the final point with the highest objective. Without it the candidates are the final points.
   */
  readonly keepBest?: boolean;
}

export interface PgdResult {
  /** `[B, 2]` attack points. */
  readonly xAdv: tf.Tensor2D;
  /**
   * `[steps + 1, B, 2]`: start … final iterate of the run that produced each point. Without `keepBest`,
   * `path[steps]` is `xAdv`; with it, `xAdv` is the iterate `path[k]` where the point was first misclassified.
   */
  readonly path?: tf.Tensor3D;
}

/** The settings a preset fixes; the caller adds eps, norm, rng (and box, masks, keepPath). */
export type PgdSetting = Pick<
  PgdOptions,
  'steps' | 'stepSize' | 'randomStart' | 'restarts' | 'keepBest' | 'objective'
>;

/**
 * AT's and RST's inner attack as the paper's code runs it (paper-algorithms.md §2): `nb_iter = 10`,
 * `eps_iter = eps/5`, uniform random start, true labels, CE, no restarts, last iterate.
 */
export const TRAIN_PGD = (eps: number): PgdSetting => ({
  steps: 10,
  stepSize: eps / 5,
  randomStart: 'uniform',
  restarts: 1,
  keepBest: false,
  objective: 'ce',
});

/**
 * The evaluation attack behind every robust-accuracy figure: PGD-10, α = ε/4, 10 random restarts, CE, first
 * misclassified iterate (keepBest). 10 steps of ε/4 travel 2.5ε, enough to reach any point of the ball from any
 * start; the points a weaker preset missed were found by more restarts, not by more steps. Measured on 16 trained 2D MLPs (moons ε = 0.1 and spiral ε = 0.05 in
 * [−1, 1]²; natural relu/tanh, AT, TRADES; L∞ and L2; 300 test points each): this preset broke every point that a
 * 41×41 grid search of the ball or PGD-100 (α = ε/10, 10 restarts) broke, at a tenth of the latter's cost;
 * PGD-20 (ε/4, 5 restarts, the same cost) missed 2 points in all, and the paper's evaluation (PGD-10, ε/5, one
 * run, §7) missed 0–11 points per model, overstating robust accuracy by up to 3.7 percentage points.
 */
export const EVAL_PGD = (eps: number): PgdSetting => ({
  steps: 10,
  stepSize: eps / 4,
  randomStart: 'uniform',
  restarts: 10,
  keepBest: true,
  objective: 'ce',
});

/** A label for the UI and the runner, e.g. "PGD-10 (L∞, α = ε/4, 10 restarts)". */
export function describePgd(
  opts: Pick<PgdOptions, 'eps' | 'norm' | 'steps' | 'stepSize'> &
    Partial<Pick<PgdOptions, 'restarts' | 'randomStart' | 'objective'>>,
): string {
  const parts = [opts.norm === 'linf' ? 'L∞' : 'L2', `α = ${stepLabel(opts.stepSize, opts.eps)}`];
  const restarts = opts.restarts ?? 1;
  if (restarts > 1) parts.push(`${restarts} restarts`);
  if (opts.randomStart === 'none') parts.push('no random start');
  if (opts.objective === 'margin') parts.push('margin loss');
  return `PGD-${opts.steps} (${parts.join(', ')})`;
}

function stepLabel(alpha: number, eps: number): string {
  if (!(eps > 0)) return `${alpha}`;
  const ratio = alpha / eps;
  const inv = 1 / ratio;
  if (Math.abs(ratio - 1) < 1e-9) return 'ε';
  if (Math.abs(inv - Math.round(inv)) < 1e-6 * inv) return `ε/${Math.round(inv)}`;
  if (Math.abs(ratio - Math.round(ratio)) < 1e-6 * ratio) return `${Math.round(ratio)}ε`;
  return `${Number(ratio.toPrecision(3))}ε`;
}

/**
 * PGD. Restart r draws its start from `opts.rng` after restart r − 1 did (so one call with R restarts equals
 * R single-restart calls on the same generator). The step direction is the CE gradient up to a positive factor
 * per point (see {@link objectiveGrad}), which neither step rule can see.
 *
 * @param x `[B, 2]` clean points (inside the box when one is given); @param yOneHot `[B, C]` true labels.
 */
export function pgd(model: Classifier, x: tf.Tensor2D, yOneHot: tf.Tensor2D, opts: PgdOptions): PgdResult {
  validate(opts);
  const restarts = opts.restarts ?? 1;
  if (restarts === 1 && !opts.keepBest) {
    const run = runOnce(model, x, yOneHot, opts, false);
    return { xAdv: run.final as tf.Tensor2D, path: run.path as tf.Tensor3D | undefined };
  }
  // Per point: the first misclassified candidate so far (earliest restart wins), and the final point of
  // highest objective as the fallback, each with its run's path. Every update is a tf.where on per-point
  // masks: no readback. (Entries may alias one another; disposing a tensor twice is a no-op.)
  let best: Choice | null = null;
  for (let r = 0; r < restarts; r++) {
    const run = runOnce(model, x, yOneHot, opts, true);
    const { final, path, found, hit, score } = run as Required<typeof run>;
    const next: Choice = {
      found,
      hit,
      score,
      fallback: final,
      ...(path ? { hitPath: path, fallbackPath: path } : {}),
    };
    if (best) {
      const prev: Choice = best;
      best = tf.tidy(() => merge(prev, next));
      tf.dispose([...Object.values(prev), ...Object.values(next)]);
    } else best = next;
  }
  const b = best!;
  const out = tf.tidy(() => ({
    xAdv: tf.where(rows(b.found, 2), b.hit, b.fallback) as tf.Tensor2D,
    ...(opts.keepPath
      ? { path: tf.where(rows(b.found, 3), b.hitPath!, b.fallbackPath!) as tf.Tensor3D }
      : {}),
  }));
  tf.dispose(Object.values(b));
  return out;
}

/** The running choice per point (a type alias, so that tf.tidy accepts it as a tensor container). */
type Choice = Record<'found' | 'hit' | 'score' | 'fallback', tf.Tensor> &
  Partial<Record<'hitPath' | 'fallbackPath', tf.Tensor>>;

/**
 * One run from a new start. Returns `final` (and `path`); with `compare`, also `found` (some candidate was
 * misclassified), `hit` (the first such) and `score` (the objective at the final point). Candidates are all
 * iterates with keepBest, else the final point only.
 */
function runOnce(
  model: Classifier,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  opts: PgdOptions,
  compare: boolean,
): Partial<Record<'final' | 'path' | 'found' | 'hit' | 'score', tf.Tensor>> {
  const { eps, norm, steps, stepSize } = opts;
  const box = opts.box ? innerFloat32Box(opts.box) : null;
  const objective = opts.objective ?? 'ce';
  const keepBest = opts.keepBest === true;
  const n = x.shape[0];
  let cur = tf.tidy(() => {
    if (opts.randomStart === 'none') return box ? projectToBall(x, x, eps, norm, box) : x.clone();
    const offsets = tf.tensor2d(randomBallOffsets(n, eps, norm, opts.rng), [n, 2]);
    return projectToBall(tf.add(x, offsets), x, eps, norm, box);
  });
  const iterates: tf.Tensor2D[] = opts.keepPath ? [cur] : [];
  let state: Record<string, tf.Tensor> = keepBest ? { found: tf.fill([n], 0, 'bool'), hit: cur.clone() } : {};
  // Iterate k = 0 … steps; one forward at iterate k serves the step, the keepBest check and the final score.
  for (let k = 0; k <= steps; k++) {
    const last = k === steps;
    if (last && !compare) break;
    const { next, ...rest } = tf.tidy(() => {
      const masks = opts.masks?.();
      const o: Record<string, tf.Tensor> = {};
      let logits: tf.Tensor2D;
      if (last) {
        logits = model.forward(cur, masks);
        o.score = objectiveScore(logits, yOneHot, objective);
      } else {
        const step = objectiveGrad(model, cur, yOneHot, objective, masks);
        logits = step.logits;
        const moved = tf.add<tf.Tensor2D>(cur, tf.mul(ascentDirection(step.grad, norm), stepSize));
        o.next = projectToBall(moved, x, eps, norm, box);
      }
      if (keepBest || last) {
        const mis = misclassified(logits, yOneHot);
        const found = state.found ?? tf.fill([n], 0, 'bool');
        o.hit = state.hit ? tf.where(rows(tf.logicalAnd(mis, tf.logicalNot(found)), 2), cur, state.hit) : cur;
        o.found = tf.logicalOr(found, mis);
      }
      logits.dispose(); // kept out of tf.grad's scope by objectiveGrad
      return o;
    });
    tf.dispose(Object.values(state));
    state = rest;
    if (next) {
      if (!opts.keepPath) cur.dispose();
      cur = next as tf.Tensor2D;
      if (opts.keepPath) iterates.push(cur);
    }
  }
  const path = opts.keepPath ? tf.stack(iterates) : undefined;
  if (opts.keepPath) tf.dispose(iterates.slice(0, -1));
  return { final: cur, path, ...state };
}

/** A later restart folded into the running choice. Returns new tensors only. */
function merge(best: Choice, run: Choice): Choice {
  const fresh = tf.logicalAnd(run.found, tf.logicalNot(best.found));
  // Strictly greater: ties keep the earlier restart; a NaN score never replaces a number.
  const better = tf.greater(run.score, best.score);
  return {
    found: tf.logicalOr(best.found, run.found),
    hit: tf.where(rows(fresh, 2), run.hit, best.hit),
    score: tf.where(better, run.score, best.score),
    fallback: tf.where(rows(better, 2), run.fallback, best.fallback),
    ...(run.hitPath && run.fallbackPath
      ? {
          hitPath: tf.where(rows(fresh, 3), run.hitPath, best.hitPath!),
          fallbackPath: tf.where(rows(better, 3), run.fallbackPath, best.fallbackPath!),
        }
      : {}),
  };
}

/** A per-point mask `[B]` shaped to broadcast over `[B, 2]` (rank 2) or `[K+1, B, 2]` (rank 3). */
function rows(mask: tf.Tensor, rank: 2 | 3): tf.Tensor {
  return rank === 2 ? tf.expandDims(mask, 1) : tf.reshape(mask, [1, -1, 1]);
}

/** `argmax z ≠ y` per point (ties go to the lowest class index, as in the accuracy metric). */
function misclassified(logits: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Tensor1D {
  return tf.notEqual(tf.argMax(logits, 1), tf.argMax(yOneHot, 1));
}

/**
 * The logits with the true class pushed to −10³⁰ (exp underflows to exactly 0), so that max and logsumexp run
 * over c ≠ y only; finite, so that no gradient meets ∞ − ∞.
 */
function otherClasses(logits: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(logits, tf.mul(yOneHot, 1e30));
}

/**
 * The gradient `[B, 2]` of Σ_i φ_i(x_i) and the logits at `x` (one forward pass, kept for the caller to dispose).
 * φ is {@link objectiveScore}, not the CE itself: for `ce` its gradient in the logits is q − y, with q the
 * softmax over the classes c ≠ y, while CE's is p − y = (1 − p_y)(q − y) — the same direction per point, which
 * neither step rule can tell apart. In float32 p − y loses its true-class entry once p_y rounds to 1 (a logit
 * margin of about 17), and the attack would stall at confident points; q − y never vanishes.
 */
function objectiveGrad(
  model: Classifier,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  objective: 'ce' | 'margin',
  masks?: DropoutMasks,
): { grad: tf.Tensor2D; logits: tf.Tensor2D } {
  const held: { logits?: tf.Tensor2D } = {};
  const grad = tf.grad((xi: tf.Tensor) => {
    const logits = model.forward(xi as tf.Tensor2D, masks);
    held.logits = tf.keep(logits);
    return tf.sum(objectiveScore(logits, yOneHot, objective));
  })(x) as tf.Tensor2D;
  return { grad, logits: held.logits! };
}

/**
 * The attack objective per point, `[B]`, in a form that does not saturate in float32: for `ce`,
 * logsumexp_{c≠y} z_c − z_y (CE = softplus of it: the same order and ascent direction); for `margin`,
 * max_{c≠y} z_c − z_y.
 */
function objectiveScore(logits: tf.Tensor2D, yOneHot: tf.Tensor2D, objective: 'ce' | 'margin'): tf.Tensor1D {
  const others = otherClasses(logits, yOneHot);
  const zy = tf.sum(tf.mul(logits, yOneHot), 1);
  return tf.sub(objective === 'ce' ? tf.logSumExp(others, 1) : tf.max(others, 1), zy);
}

/**
 * FGSM: one step of size ε along sign(∇ₓCE) (L∞) or ∇ₓCE/‖∇ₓCE‖₂ (L2), projected into the ball and box.
 * `[B, 2]`, owned by the caller.
 */
export function fgsm(
  model: Classifier,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  opts: { readonly eps: number; readonly norm: Norm; readonly box?: Box | null },
): tf.Tensor2D {
  if (!(opts.eps >= 0 && Number.isFinite(opts.eps))) {
    throw new RangeError(`FGSM needs a finite ε ≥ 0, got ${opts.eps}.`);
  }
  const box = opts.box ? innerFloat32Box(opts.box) : null;
  return tf.tidy(() => {
    const { grad, logits } = objectiveGrad(model, x, yOneHot, 'ce');
    logits.dispose();
    const moved = tf.add<tf.Tensor2D>(x, tf.mul(ascentDirection(grad, opts.norm), opts.eps));
    return projectToBall(moved, x, opts.eps, opts.norm, box);
  });
}

export { innerFloat32Box };

function validate(o: PgdOptions): void {
  const fail = (what: string) => {
    throw new RangeError(`Invalid PGD setting: ${what}`);
  };
  if (!(o.eps >= 0 && Number.isFinite(o.eps))) fail(`ε must be a finite number ≥ 0, got ${o.eps}.`);
  if (!Number.isInteger(o.steps) || o.steps < 0) fail(`steps must be an integer ≥ 0, got ${o.steps}.`);
  if (!(o.stepSize >= 0 && Number.isFinite(o.stepSize))) fail(`step size must be ≥ 0, got ${o.stepSize}.`);
  const r = o.restarts ?? 1;
  if (!Number.isInteger(r) || r < 1) fail(`restarts must be an integer ≥ 1, got ${r}.`);
}
