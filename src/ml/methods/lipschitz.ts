/**
 * Lipschitz-bounded training after Pauli, Koch, Berberich, Kohler & Allgöwer, "Training robust neural networks
 * using Lipschitz bounds" (IEEE L-CSS 2021, arXiv 2005.02929; code `ppauli/Robust_Lipschitz-NNs`), their variant 2,
 * "enforce L ≤ L_des at all times during training" — realised here as a spectral-norm cap, because the paper's
 * ADMM step is a semidefinite program over the weights and no JS SDP solver exists (reference/seed-methods.md
 * §7.2, §7.3 (c)).
 *
 * ```
 * loss:         L = mean_i CE_i                                   (plain cross-entropy; mean over the batch)
 * afterUpdate:  W_l ← W_l · min(1, c / σ̂(W_l)),  c = L_target^(1/nLayers),  σ̂ ≥ σ (below)
 * finalize:     the same cap with the exact σ(W_l), so that ∏_l σ(W_l) ≤ c^nLayers = L_target holds exactly
 * ```
 * `∏_l σ(W_l)` bounds the L2 Lipschitz constant of the logit map x ↦ f(x) (relu/tanh/softplus are 1-Lipschitz;
 * lipschitzBound.ts), so capping every σ(W_l) at c caps that bound at L_target. Biases are not touched.
 *
 * σ̂: an upper bound from power iteration on the Gram matrix G = W Wᵀ (or WᵀW, the smaller side) run by repeated
 * squaring: with Ĝ₀ = G/tr G and Ĝ_j = Ĝ_{j−1}²/tr(Ĝ_{j−1}²), λ_max(G) = tr G · ∏_{j≤k} tr(Ĝ_{j−1}²)^(2^−j) ·
 * λ_max(Ĝ_k)^(2^−k), and λ_max(Ĝ_k) ≤ tr Ĝ_k = 1 gives `σ̂ ≥ σ`, over by at most n^(2^−(k+1)) (≤ 0.21 % for
 * n ≤ 64 at k = {@link GRAM_SQUARINGS}): 2^k power-iteration steps in k − 1 matMuls, with no vector to keep.
 * A Gram matrix of size ≤ 2 (the input layer; the output layer of 2 classes) uses the exact closed form.
 * Why not torch's `spectral_norm` (one power iteration per step on a persistent vector, seed-methods §7.3 (a)):
 * a power iteration estimates σ from below and lags when another singular direction overtakes the tracked one.
 * Measured on a 2→16→16→2 tanh net under Adam 1e-2 with the cap binding (test/unit/lipschitzCap.test.ts), the
 * exact product reached 1.31 × L_target with 1 iteration per step (a layer's σ still reached 1.06·c with 5); the
 * upper bound keeps it ≤ L_target at every step (measured max 1 + 1.3e-8: float32 rounding). Cost: ~8 ms per
 * step for a 64×64 layer on the tfjs cpu backend (≈ 0.7 of a natural step), nothing on the 2-wide layers.
 * `finalize` recomputes the exact σ (float64 Jacobi on the stored weights) and applies the cap once more, so the
 * certificate ∏σ_l ≤ L_target holds for the float32 weights as stored.
 *
 * Scale of L_target (default 500). Measured on the spiral (400 points in [−1, 1]², 2→64→64→2 ReLU, Adam 1e-2,
 * batch 64, 3 000 steps; train / test accuracy, certified ∏σ): natural training 1.00 / 0.995 with ∏σ = 1995;
 * L = 1000: 1.00 / 0.995; 500: 0.99 / 0.97; 300: 0.945 / 0.915; 200: 0.935 / 0.90; 100: 0.84 / 0.80;
 * 30: 0.70 / 0.64; 10: 0.64 / 0.53. Moons (noise 0.1) fits at L = 100 (1.00 / 0.998). 500 still fits the spiral
 * with a certificate 4× below natural training's; the range 1 … 10 000 spans "underfits everything" to "no cap".
 */
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../losses.ts';
import { spectralNorms } from '../lipschitzBound.ts';
import type { Mlp } from '../model.ts';
import type { Hyper, TrainingMethod } from './types.ts';
import { LIPSCHITZ_INFO, LIPSCHITZ_TARGET } from './lipschitz.info.ts';
import { hyperValue } from './shared.ts';
import { masksFromPrepared, masksToPrepared } from './shared.ts';

export { LIPSCHITZ_TARGET } from './lipschitz.info.ts';

/** Squarings of a Gram matrix larger than 2×2 per cap: 2^10 power-iteration steps; within n^(1/2048) of σ. */
export const GRAM_SQUARINGS = 10;

/** Relative slack of the exact final cap, absorbing float32 rounding of the rescaled weights. */
const FINAL_SLACK = 1e-6;

/** Per-layer cap `c` for a product target over `nLayers` layers. */
export function layerCap(target: number, nLayers: number): number {
  return target ** (1 / nLayers);
}

/**
 * An upper bound on σ_max(W) (`[]`) from the smaller Gram matrix G (`n × n`), not differentiated; `W` is
 * `nIn × nOut`. n ≤ 2 (the input and 2-class output layers): exact, by the closed form
 * λ_max([[a, b], [b, d]]) = (a + d)/2 + √(((a − d)/2)² + b²). Larger n: k normalised squarings (module comment),
 * over by at most n^(2^−(k+1)).
 */
export function spectralNormUpperBound(W: tf.Tensor2D, squarings = GRAM_SQUARINGS): tf.Scalar {
  return tf.tidy(() => {
    const [nIn, nOut] = W.shape;
    const n = Math.min(nIn, nOut);
    if (n === 1) return tf.norm(W) as tf.Scalar;
    const G = nIn <= nOut ? tf.matMul(W, W, false, true) : tf.matMul(W, W, true, false);
    if (n === 2) {
      const [a, b, , d] = tf.split(tf.reshape(G, [4]), 4);
      const half = tf.div(tf.sub(a!, d!), 2);
      const lambda = tf.add(tf.div(tf.add(a!, d!), 2), tf.sqrt(tf.add(tf.square(half), tf.square(b!))));
      return tf.sqrt(tf.reshape(lambda, []));
    }
    const trace = tf.maximum(tf.sum(tf.square(W)), 1e-30); // tr G = ‖W‖_F²
    let logLambda: tf.Tensor = tf.log(trace);
    let g: tf.Tensor2D = tf.div(G, trace);
    for (let j = 1; j <= squarings; j++) {
      // tr(Ĝ²) = ‖Ĝ‖_F² for a symmetric Ĝ; it lies in [1/n, 1], so nothing over- or underflows.
      const t = tf.maximum(tf.sum(tf.square(g)), 1e-30);
      logLambda = tf.add(logLambda, tf.mul(tf.log(t), 2 ** -j));
      if (j < squarings) g = tf.div(tf.matMul(g, g), t); // Ĝ_k itself is not needed: λ_max(Ĝ_k) ≤ tr Ĝ_k = 1
    }
    return tf.exp<tf.Scalar>(tf.mul(logLambda, 0.5));
  });
}

export const lipschitz: TrainingMethod = {
  ...LIPSCHITZ_INFO,
  prepare(_model, batch, _hyper, ctx) {
    return masksToPrepared('mask', ctx.dropout(batch.size));
  },
  loss(model, batch, prepared) {
    const masks = masksFromPrepared(prepared, 'mask', model.spec.hidden.length);
    return tf.mean(crossEntropy(model.forward(batch.x, masks), batch.yOneHot));
  },
  afterUpdate(model: Mlp, hyper: Hyper) {
    const c = layerCap(hyperValue(hyper, LIPSCHITZ_TARGET), model.layers.length);
    tf.tidy(() => {
      for (const l of model.layers)
        l.W.assign(tf.mul(l.W, tf.minimum(1, tf.div(c, spectralNormUpperBound(l.W)))));
    });
  },
  async finalize(model: Mlp, hyper: Hyper) {
    await capExactly(model, hyperValue(hyper, LIPSCHITZ_TARGET));
  },
};

/**
 * Scale every `W_l` with exact σ_l > c down to c(1 − slack), re-measure the stored float32 weights, and repeat
 * (with more slack) until ∏σ_l ≤ target. Returns the certified product.
 */
export async function capExactly(model: Mlp, target: number): Promise<number> {
  const c = layerCap(target, model.layers.length);
  let slack = FINAL_SLACK;
  for (let attempt = 0; attempt < 8; attempt++) {
    const sigmas = await spectralNorms(model);
    const product = sigmas.reduce((p, s) => p * s, 1);
    const capped = sigmas.every((s) => s <= c);
    if (product <= target && (capped || attempt > 0)) return product;
    const limit = c * (1 - slack);
    model.layers.forEach((l, k) => {
      const s = sigmas[k]!;
      if (s > limit) tf.tidy(() => l.W.assign(tf.mul(l.W, limit / s)));
    });
    slack *= 4;
  }
  throw new Error(
    `The Lipschitz cap could not reach ∏σ ≤ ${target} (float32 rounding); lower the target or report this.`,
  );
}
