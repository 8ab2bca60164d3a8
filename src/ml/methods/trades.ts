/**
 * TRADES (Zhang et al. 2019), the "strades" form the paper uses:
 * `L = mean_i CE(f(x_i), y_i) + β · mean_i KL(p(x_i) ‖ p(x_adv,i))`, p = softmax ∘ f, with
 * `x_adv ≈ argmax_{x′ ∈ B(x, ε)} KL(p(x) ‖ p(x′))` found by K sign steps of 2ε/K from `x + 0.001·N(0, I)`.
 *
 * Source: Yang et al., NeurIPS 2020, code `lolip/models/torch_utils/trades.py:15-89` (a copy of Zhang et al.'s
 * `trades.py`), called from `lolip/models/torch_model.py:132-159` (reference/paper-algorithms.md §3,
 * seed-methods.md §3). As there:
 * - the attack runs in eval mode (no dropout) and ascends Σ_i KL(p(x_i) ‖ p(x_adv,i)), no labels; the start is
 *   not projected; each step projects into the ball (and box);
 * - the KL direction is KL(p_clean ‖ p_adv) (clean softmax as the target);
 * - only x_adv is a constant: the gradient flows through both softmax(f(x)) and log_softmax(f(x_adv));
 * - in train mode f(x) is evaluated twice with independent dropout masks, in the code's order: f(x) for the CE,
 *   then f(x_adv), then f(x) for the KL target (`trades.py:81, 84`).
 * Adaptations: mean instead of the code's sums (`CE_sum + β·KL_sum`; the same under Adam up to its ε, under SGD
 * it divides the learning rate by B); the [0, 1] clamps become the optional data box; for L2 the step is the
 * normalised gradient `2ε/K · ∇/‖∇‖₂` with the same projection (the code's L2 branch, an SGD on δ with `renorm`,
 * only works on images and no paper table uses it); the KL's gradient in the logits is computed so that it does not
 * vanish in float32 at confident points (see klLogitGrad; the same direction, a more accurate number).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng.ts';
import type { Box, Norm } from '../../core/types.ts';
import { innerFloat32Box } from '../attacks.ts';
import { ascentDirection, gaussianOffsets, projectToBall } from '../ball.ts';
import { crossEntropy, klDivergence } from '../losses.ts';
import type { Mlp } from '../model.ts';
import { hyperValue } from './shared.ts';
import type { TrainingMethod } from './types.ts';
import { BETA_HYPER, TRADES_INFO, TRADES_STEPS_HYPER } from './trades.info.ts';

export { BETA_HYPER, TRADES_STEPS_HYPER } from './trades.info.ts';

/** Scale of the Gaussian start `x + 0.001·N(0, I)`: the KL gradient is exactly 0 at x itself. */
export const TRADES_START_NOISE = 0.001;

export interface TradesAttackOptions {
  readonly eps: number;
  readonly norm: Norm;
  readonly steps: number;
  readonly box?: Box | null;
  readonly rng: Rng;
  /** Also return `[steps + 1, B, 2]`: the unprojected start, then every projected iterate. */
  readonly keepPath?: boolean;
}

/**
 * TRADES' inner maximisation in eval mode (no dropout). `x` `[B, 2]`; returns `xAdv` `[B, 2]`, owned by the caller.
 */
export function tradesAttack(
  model: Mlp,
  x: tf.Tensor2D,
  opts: TradesAttackOptions,
): { xAdv: tf.Tensor2D; path?: tf.Tensor3D } {
  const { eps, norm, steps } = opts;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(
      `TRADES needs at least one attack step (its start is not in the ball), got ${steps}.`,
    );
  }
  const box = opts.box ? innerFloat32Box(opts.box) : null;
  const n = x.shape[0];
  const stepSize = (2 * eps) / steps;
  const pClean = tf.tidy(() => tf.softmax(model.forward(x)));
  let cur = tf.tidy(() =>
    tf.add<tf.Tensor2D>(x, tf.tensor2d(gaussianOffsets(n, TRADES_START_NOISE, opts.rng), [n, 2])),
  );
  const iterates: tf.Tensor2D[] = [cur];
  for (let k = 0; k < steps; k++) {
    const next = tf.tidy(() => {
      const cache = model.forwardCache(cur);
      const g = model.backpropToInput(cache, klLogitGrad(cache.logits, pClean));
      const moved = tf.add<tf.Tensor2D>(cur, tf.mul(ascentDirection(g, norm), stepSize));
      return projectToBall(moved, x, eps, norm, box);
    });
    if (!opts.keepPath) cur.dispose();
    cur = next;
    if (opts.keepPath) iterates.push(cur);
  }
  pClean.dispose();
  if (!opts.keepPath) return { xAdv: cur };
  const path = tf.stack(iterates) as tf.Tensor3D;
  tf.dispose(iterates.slice(0, -1));
  return { xAdv: cur, path };
}

/**
 * `∂KL(p ‖ softmax(z))/∂z = softmax(z) − p` per row, up to a positive factor per row (which neither step rule
 * sees), computed so that confident points do not stall the attack in float32:
 * - the entry of p's top class is recomputed as minus the sum of the others (the entries add to 0 exactly):
 *   near one-hot p and q the direct (1 − ·) − (1 − ·) rounds to 0;
 * - each row is divided by its largest entry: the gradient of a confident point can be ~1e-18, which the L2
 *   step's 1e-12 guard in ball.ts `ascentDirection` would swamp. Rows that are exactly 0 stay 0.
 */
function klLogitGrad(logits: tf.Tensor2D, pClean: tf.Tensor2D): tf.Tensor2D {
  const d = tf.sub(tf.softmax(logits), pClean);
  const top = tf.oneHot(tf.argMax(pClean, 1), pClean.shape[1]).toFloat();
  const rest = tf.mul(d, tf.sub(1, top));
  const exact = tf.sub(rest, tf.mul(top, tf.sum(rest, 1, true)));
  return tf.divNoNan(exact, tf.max(tf.abs(exact), 1, true));
}

export const trades: TrainingMethod = {
  ...TRADES_INFO,
  prepare(model, batch, hyper, ctx) {
    const steps = Math.round(hyperValue(hyper, TRADES_STEPS_HYPER));
    const { xAdv } = tradesAttack(model, batch.x, {
      eps: ctx.eps,
      norm: ctx.norm,
      steps,
      box: ctx.box,
      rng: ctx.rng,
    });
    return { xAdv };
  },
  loss(model, batch, prepared, hyper, ctx) {
    const xAdv = prepared.xAdv as tf.Tensor2D;
    const beta = hyperValue(hyper, BETA_HYPER);
    return tf.tidy(() => {
      // Three train-mode passes with independent masks, in the code's order (trades.py:81, 84).
      const maskCe = ctx.dropout(batch.size);
      const maskAdv = ctx.dropout(batch.size);
      const maskKl = ctx.dropout(batch.size);
      const zClean = model.forward(batch.x, maskCe);
      const zAdv = model.forward(xAdv, maskAdv);
      const zTarget = maskKl ? model.forward(batch.x, maskKl) : zClean;
      const ce = tf.mean(crossEntropy(zClean, batch.yOneHot));
      return tf.add(ce, tf.mul(beta, tf.mean(klDivergence(zTarget, zAdv))));
    });
  },
};

export default trades;
