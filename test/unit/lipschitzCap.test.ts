/**
 * The Lipschitz-cap training method (src/ml/methods/lipschitz.ts): its per-step cap holds the product of exact
 * spectral norms at the target, torch's one-iteration power iteration would not, and finalize certifies the
 * stored weights exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.ts';
import { Mlp } from '../../src/ml/model.ts';
import { logitLipschitzBound, spectralNorm, spectralNorms } from '../../src/ml/lipschitzBound.ts';
import { capExactly, layerCap, lipschitz, spectralNormUpperBound } from '../../src/ml/methods/lipschitz.ts';
import type { Batch, StepContext } from '../../src/ml/methods/types.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

describe('the Lipschitz cap method', () => {
  const spec = { inputDim: 2, hidden: [16, 16], outputDim: 2, activation: 'tanh', dropout: 0 } as const;

  type Cap = (model: Mlp, target: number, ctx: StepContext) => void;
  const methodCap: Cap = (model, target, ctx) => lipschitz.afterUpdate!(model, { targetL: target }, ctx, '');

  /**
   * torch.nn.utils.spectral_norm's estimate, for comparison: one power iteration per step on a persistent u
   * (50 on the first call), σ̂ = ‖W v‖ ≤ σ. Test-only.
   */
  function torchStyleCap(): { cap: Cap; dispose: () => void } {
    let us: tf.Tensor2D[] | null = null;
    const cap: Cap = (model, target, ctx) => {
      const c = layerCap(target, model.layers.length);
      const first = us === null;
      const prev: tf.Tensor2D[] =
        us ??
        model.layers.map((l) =>
          tf.tensor2d(
            Float32Array.from({ length: l.W.shape[0] }, () => ctx.rng.normal()),
            [1, l.W.shape[0]],
          ),
        );
      us = model.layers.map((l, k) =>
        tf.tidy(() => {
          const unit = (t: tf.Tensor2D) => tf.div<tf.Tensor2D>(t, tf.maximum(tf.norm(t), 1e-12));
          let u = prev[k]!;
          let sigma: tf.Tensor = tf.scalar(0);
          for (let i = 0; i < (first ? 50 : 1); i++) {
            const wv: tf.Tensor2D = tf.matMul(unit(tf.matMul(u, l.W)), l.W, false, true);
            sigma = tf.norm(wv);
            u = unit(wv);
          }
          l.W.assign(tf.mul(l.W, tf.minimum(1, tf.div(c, sigma))));
          return u;
        }),
      );
      tf.dispose(prev);
    };
    return { cap, dispose: () => tf.dispose(us ?? []) };
  }

  /** Adam steps on random two-class data with `cap` after each; returns the exact σ product per step. */
  async function train(model: Mlp, target: number, steps: number, cap: Cap = methodCap): Promise<number[]> {
    const rng = new Rng(3);
    const n = 64;
    const xs = Array.from({ length: n }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]);
    const ys = xs.map((p) => (p[0]! * p[1]! > 0 ? 1 : 0));
    const batch: Batch = {
      x: tf.tensor2d(xs),
      y: tf.tensor1d(ys, 'int32'),
      yOneHot: tf.tensor2d(ys.map((c) => [1 - c, c])),
      size: n,
    };
    const ctx: StepContext = {
      eps: 0.1,
      norm: 'l2',
      box: null,
      rng: new Rng(4),
      progress: 0,
      dropout: () => undefined,
    };
    const opt: tf.Optimizer = tf.train.adam(0.01);
    const hyper = { targetL: target };
    const products: number[] = [];
    for (let s = 0; s < steps; s++) {
      tf.tidy(() => {
        const prepared = lipschitz.prepare(model, batch, hyper, ctx, '');
        const { grads } = tf.variableGrads(
          () => lipschitz.loss(model, batch, prepared, hyper, ctx, ''),
          model.variables(),
        );
        opt.applyGradients(grads);
      });
      const n0 = tf.memory().numTensors;
      cap(model, target, ctx);
      if (cap === methodCap) expect(tf.memory().numTensors).toBe(n0); // the cap allocates nothing that stays
      products.push((await spectralNorms(model)).reduce((p, v) => p * v, 1));
    }
    opt.dispose();
    tf.dispose([batch.x, batch.y, batch.yOneHot]);
    return products;
  }

  it('keeps ∏σ within 1 % of the target while training and exactly below it after finalize', async () => {
    const model = Mlp.init(spec, new Rng(5));
    const target = 0.4;
    const initial = await logitLipschitzBound(model);
    expect(initial).toBeGreaterThan(2 * target); // the cap is active from the first step (initial ≈ 1.17)
    const products = await train(model, target, 25);
    // The spec asks for 1 %; the upper-bound cap holds it to float32 rounding (measured max 1 + 1.3e-8).
    for (const p of products) expect(p).toBeLessThanOrEqual(target * (1 + 1e-5));
    // Adam pushes the weights up every step, so the cap binds: the product sits at the target, not far below.
    expect(products[products.length - 1]!).toBeGreaterThan(target * 0.9);
    const before = tf.memory().numTensors;
    await lipschitz.finalize!(model, { targetL: target }, '');
    expect(tf.memory().numTensors).toBe(before);
    const sig = await spectralNorms(model);
    const product = sig.reduce((p, v) => p * v, 1);
    expect(product).toBeLessThanOrEqual(target * (1 + 1e-6));
    expect(product).toBeGreaterThan(target * 0.9);
    for (const s of sig) expect(s).toBeLessThanOrEqual(layerCap(target, 3) * (1 + 1e-6));
    model.dispose();
  });

  it('beats torch’s one-iteration power iteration, which lets the product overshoot on the same run', async () => {
    // Same init, data and optimizer as above; only the σ estimate differs. A power iteration estimates σ from
    // below and lags when another singular direction overtakes the tracked one (here layer 2, steps 9–16).
    const model = Mlp.init(spec, new Rng(5));
    const torch = torchStyleCap();
    const products = await train(model, 0.4, 25, torch.cap);
    torch.dispose();
    expect(Math.max(...products) / 0.4).toBeGreaterThan(1.2); // measured 1.31
    model.dispose();
  });

  it('bounds σ from above within n^(1/2048) by repeated squaring of the Gram matrix', async () => {
    const rng = new Rng(9);
    for (const [r, c] of [
      [2, 64],
      [64, 64],
      [64, 2],
      [16, 16],
    ] as const) {
      const W = Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal()));
      const t = tf.tensor2d(W);
      const bound = spectralNormUpperBound(t);
      const exact = spectralNorm(await t.array());
      const ratio = (await bound.data())[0]! / exact;
      expect(ratio).toBeGreaterThanOrEqual(1 - 1e-6); // an upper bound, up to float32 rounding
      expect(ratio).toBeLessThanOrEqual(Math.min(r, c) ** (1 / 2048) + 1e-6);
      tf.dispose([t, bound]);
    }
    // A zero matrix gives a tiny bound, not NaN (the cap factor is then 1).
    const zero = tf.zeros<tf.Rank.R2>([3, 3]);
    const b = spectralNormUpperBound(zero);
    expect((await b.data())[0]!).toBeLessThan(1e-10);
    tf.dispose([zero, b]);
  });

  it('capExactly certifies the stored float32 weights, including a product already under the target', async () => {
    const model = Mlp.init(spec, new Rng(6));
    const initial = await logitLipschitzBound(model);
    const certified = await capExactly(model, initial / 3);
    expect(certified).toBeLessThanOrEqual(initial / 3);
    expect(certified).toBe(await logitLipschitzBound(model));
    // Under a loose target nothing changes.
    const plain = await model.toPlain();
    expect(await capExactly(model, 1e6)).toBe(certified);
    expect(await model.toPlain()).toEqual(plain);
    model.dispose();
  });

  it('has a default target inside its range and a per-layer cap c = L^(1/nLayers)', () => {
    const h = lipschitz.hyper[0]!;
    expect(h.key).toBe('targetL');
    expect(h.default >= h.min && h.default <= h.max).toBe(true);
    expect(layerCap(8, 3)).toBeCloseTo(2, 14);
  });
});
