/**
 * PGD and FGSM (src/ml/attacks.ts): the ball-and-box invariant as a property over random models and settings,
 * closed forms on an exactly linear model (PGD finds exactly the points within ε of the boundary; FGSM), FGSM
 * against float64 input gradients. The bookkeeping (keepBest, restarts, paths) is in pgdBookkeeping.test.ts.
 *
 * Distances are measured in float64 from the float32 values that tfjs returns, with no tolerance: the
 * guarantee is exact.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.ts';
import type { Box, Norm } from '../../src/core/types.ts';
import { ACTIVATIONS, Mlp } from '../../src/ml/model.ts';
import { projectionRadius } from '../../src/ml/ball.ts';
import { EVAL_PGD, fgsm, innerFloat32Box, pgd, TRAIN_PGD, type PgdOptions } from '../../src/ml/attacks.ts';
import { tradesAttack } from '../../src/ml/methods/trades.ts';
import { flatten, inputGradCE64 } from '../helpers/index.ts';
import { useCpu } from '../helpers/tf.ts';
import { linearModel } from '../helpers/models.ts';

beforeAll(useCpu);

/** Largest violation of the ball (in `norm`) and of the box, over all rows; both must be ≤ 0. */
function violation(pts: ArrayLike<number>, x: ArrayLike<number>, eps: number, norm: Norm, box: Box | null) {
  let ball = -Infinity;
  let out = -Infinity;
  const n = x.length / 2;
  for (let t = 0; t < pts.length / 2; t++) {
    const i = t % n;
    const dx = pts[2 * t]! - x[2 * i]!;
    const dy = pts[2 * t + 1]! - x[2 * i + 1]!;
    const d = norm === 'linf' ? Math.max(Math.abs(dx), Math.abs(dy)) : Math.hypot(dx, dy);
    ball = Math.max(ball, Number.isFinite(d) ? d - eps : Infinity);
    if (box) {
      const [px, py] = [pts[2 * t]!, pts[2 * t + 1]!];
      const o = Math.max(box.xMin - px, px - box.xMax, box.yMin - py, py - box.yMax);
      out = Math.max(out, Number.isNaN(o) ? Infinity : o);
    }
  }
  return { ball, box: out };
}

const oneHot = (y: number[], c: number) =>
  tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), c).toFloat() as tf.Tensor2D);
const predicted = (model: Mlp, pts: tf.Tensor2D) =>
  tf.tidy(() => tf.argMax(model.forward(pts), 1)).dataSync();

describe('the ball-and-box invariant', () => {
  it('holds for every PGD point and path iterate, every FGSM point and every TRADES iterate', () => {
    const setting = fc.record({
      seed: fc.integer({ min: 0, max: 1e6 }),
      hidden: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 2 }),
      activation: fc.constantFrom(...ACTIVATIONS),
      classes: fc.integer({ min: 2, max: 4 }),
      eps: fc.double({ min: 0, max: 1, noNaN: true }),
      norm: fc.constantFrom<Norm>('linf', 'l2'),
      box: fc.option(
        fc.record({
          xMin: fc.double({ min: -2, max: -0.1, noNaN: true }),
          xMax: fc.double({ min: 0.1, max: 2, noNaN: true }),
          yMin: fc.double({ min: -2, max: -0.1, noNaN: true }),
          yMax: fc.double({ min: 0.1, max: 2, noNaN: true }),
        }),
      ),
      steps: fc.integer({ min: 0, max: 6 }),
      stepFrac: fc.double({ min: 0, max: 3, noNaN: true }),
      restarts: fc.integer({ min: 1, max: 3 }),
      keepBest: fc.boolean(),
      randomStart: fc.constantFrom<'uniform' | 'none'>('uniform', 'none'),
      objective: fc.constantFrom<'ce' | 'margin'>('ce', 'margin'),
    });
    fc.assert(
      fc.property(setting, (s) => {
        const rng = new Rng(s.seed);
        const spec = {
          inputDim: 2,
          hidden: s.hidden,
          outputDim: s.classes,
          activation: s.activation,
          dropout: 0,
        };
        // Weights ×4: sharp boundaries and saturated softmaxes, the hard case for the arithmetic.
        const model = Mlp.init(spec, rng);
        tf.tidy(() => model.variables().forEach((v) => v.assign(tf.mul(v, 4))));
        const box = s.box;
        const n = 12;
        // Points inside the box as float32, the first two on its corners (inner float32 bounds).
        const ib = innerFloat32Box(box ?? { xMin: -2, xMax: 2, yMin: -2, yMax: 2 });
        const xs = new Float32Array(2 * n);
        xs.set([ib.xMin, ib.yMin, ib.xMax, ib.yMax]);
        for (let i = 4; i < 2 * n; i++)
          xs[i] = rng.uniform(i % 2 ? ib.yMin : ib.xMin, i % 2 ? ib.yMax : ib.xMax);
        const before = tf.memory().numTensors;
        const x = tf.tensor2d(xs, [n, 2]);
        const y = oneHot(
          Array.from({ length: n }, () => rng.int(s.classes)),
          s.classes,
        );
        const opts: PgdOptions = { ...s, box, stepSize: s.stepFrac * s.eps, rng, keepPath: true };
        const res = pgd(model, x, y, opts);
        const f = fgsm(model, x, y, { eps: s.eps, norm: s.norm, box });
        const tr = tradesAttack(model, x, {
          eps: s.eps,
          norm: s.norm,
          box,
          steps: Math.max(1, s.steps),
          rng,
          keepPath: true,
        });
        // TRADES' start x + 0.001·N(0, I) is not projected (as in the paper's code); its iterates 1…K are.
        const trIterates = tf.tidy(() => tr.path!.slice([1, 0, 0], [-1, -1, -1]));
        const checks = [res.xAdv, res.path!, f, tr.xAdv, trIterates].map((t) =>
          violation(t.dataSync(), xs, s.eps, s.norm, box),
        );
        expect(res.path!.shape).toEqual([s.steps + 1, n, 2]);
        tf.dispose([x, y, res.xAdv, res.path!, f, tr.xAdv, tr.path!, trIterates]);
        expect(tf.memory().numTensors).toBe(before);
        model.dispose();
        for (const c of checks) {
          expect(c.ball).toBeLessThanOrEqual(0);
          if (box) expect(c.box).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 60, seed: 20200302 },
    );
  });

  it('rounds a box bound inward to float32 (fround(0.1) lies above 0.1)', () => {
    const b = innerFloat32Box({ xMin: -0.1, xMax: 0.1, yMin: 0.3, yMax: 1 });
    expect(Math.fround(0.1)).toBeGreaterThan(0.1);
    for (const v of [b.xMin, b.xMax, b.yMin, b.yMax]) expect(Math.fround(v)).toBe(v);
    expect(b.xMax).toBeLessThanOrEqual(0.1);
    expect(b.xMax).toBeGreaterThan(0.1 - 1e-8);
    expect(b.xMin).toBeGreaterThanOrEqual(-0.1);
    expect(b.yMin).toBeGreaterThanOrEqual(0.3);
    expect(b.yMax).toBe(1);
  });
});

describe('PGD on an exactly linear model', () => {
  const w: [number, number] = [1.5, -0.7];
  const bias = 0.05;
  const eps = 0.2;
  /** Points whose boundary distance is clearly inside (≤ 0.9ε) or outside (≥ 1.1ε) the ball. */
  function points(norm: Norm, scale: number) {
    const rng = new Rng(3);
    const dual = norm === 'linf' ? Math.abs(w[0]) + Math.abs(w[1]) : Math.hypot(w[0], w[1]);
    const xs: [number, number][] = [];
    const near: boolean[] = [];
    while (xs.length < 60) {
      const p = [rng.uniform(-0.6, 0.6), rng.uniform(-0.6, 0.6)].map(Math.fround) as [number, number];
      // Distance to the boundary w·x + b = 0 in `norm`: |w·x + b| / ‖w‖_dual.
      const d = Math.abs(w[0] * p[0] + w[1] * p[1] + bias) / dual;
      if (d > 0.9 * eps && d < 1.1 * eps) continue;
      xs.push(p);
      near.push(d < eps);
    }
    const y = xs.map((p) => (scale * (w[0] * p[0] + w[1] * p[1] + bias) > 0 ? 1 : 0));
    return { xs, y, near, model: linearModel([scale * w[0], scale * w[1]], scale * bias) };
  }

  it.each([
    ['linf', 'TRAIN_PGD', 1],
    ['l2', 'TRAIN_PGD', 1],
    ['linf', 'EVAL_PGD', 1],
    ['l2', 'EVAL_PGD', 1],
    // Logits of order 10³: the softmax is one-hot in float32, so a plain p − y gradient would be 0.
    ['linf', 'TRAIN_PGD', 1000],
    ['l2', 'TRAIN_PGD', 1000],
  ] as const)(
    '(%s, %s, weights ×%d) misclassifies exactly the points within ε of the boundary',
    (norm, preset, scale) => {
      const { xs, y, near, model } = points(norm, scale);
      const setting = (preset === 'EVAL_PGD' ? EVAL_PGD : TRAIN_PGD)(eps);
      for (const randomStart of ['uniform', 'none'] as const) {
        for (const objective of ['ce', 'margin'] as const) {
          const x = tf.tensor2d(xs);
          const yh = oneHot(y, 2);
          const { xAdv } = pgd(model, x, yh, {
            ...setting,
            randomStart,
            objective,
            eps,
            norm,
            rng: new Rng(4),
          });
          const pred = predicted(model, xAdv);
          expect(near.some(Boolean) && near.some((v) => !v)).toBe(true);
          near.forEach((isNear, i) =>
            expect(pred[i] !== y[i], `point ${i}, ${randomStart}, ${objective}`).toBe(isNear),
          );
          tf.dispose([x, yh, xAdv]);
        }
      }
      model.dispose();
    },
  );

  it.each(['linf', 'l2'] as const)(
    'gives the closed-form FGSM point (%s), even with a one-hot softmax',
    (norm) => {
      for (const scale of [1, 1000]) {
        const { xs, y, model } = points(norm, scale);
        const x = tf.tensor2d(xs);
        const yh = oneHot(y, 2);
        const got = fgsm(model, x, yh, { eps, norm }).dataSync();
        // CE grows as the true logit margin s·(w·x + b) shrinks, s = ±1: the step is −s·sign(w) (L∞) or
        // −s·w/‖w‖₂ (L2), of length ε, clipped to the projection radius r = ε − 2⁻²¹.
        const r = projectionRadius(eps);
        const len = Math.hypot(w[0], w[1]);
        xs.forEach((p, i) => {
          const s = y[i] === 1 ? 1 : -1;
          for (let j = 0; j < 2; j++) {
            const dir = norm === 'linf' ? Math.sign(w[j]!) : w[j]! / len;
            expect(Math.abs(got[2 * i + j]! - (p[j]! - s * r * dir))).toBeLessThan(3e-7);
          }
        });
        tf.dispose([x, yh]);
        model.dispose();
      }
    },
  );
});

describe('FGSM on a random MLP', () => {
  it.each(ACTIVATIONS)('steps along the float64 CE input gradient (%s)', async (activation) => {
    const rng = new Rng(9);
    const spec = { inputDim: 2, hidden: [5, 4], outputDim: 3, activation, dropout: 0 } as const;
    const model = Mlp.init(spec, rng);
    const xs = Array.from({ length: 8 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)].map(Math.fround));
    const y = xs.map(() => rng.int(3));
    const g64 = inputGradCE64(
      { widths: [2, 5, 4, 3], activation },
      flatten(await model.toPlain()),
      xs,
      y,
    ).grad;
    const eps = 0.05;
    const r = projectionRadius(eps);
    for (const norm of ['linf', 'l2'] as const) {
      const x = tf.tensor2d(xs);
      const yh = oneHot(y, 3);
      const got = fgsm(model, x, yh, { eps, norm }).dataSync();
      xs.forEach((p, i) => {
        const g = g64[i]!;
        const len = Math.hypot(g[0]!, g[1]!);
        for (let j = 0; j < 2; j++) {
          const expected = norm === 'linf' ? Math.sign(g[j]!) * r : (g[j]! / len) * r;
          // Components below 1e-4 of the row's norm could flip sign at float32 precision: skip them for L∞.
          if (norm === 'linf' && Math.abs(g[j]!) < 1e-4 * len) continue;
          expect(Math.abs(got[2 * i + j]! - p[j]! - expected)).toBeLessThan(1e-5 * eps + 3e-7);
        }
      });
      tf.dispose([x, yh]);
    }
    model.dispose();
  });
});
