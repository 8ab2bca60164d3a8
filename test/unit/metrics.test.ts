/**
 * Metrics against closed forms on an exactly linear model (the boundary's distance is known), the 1-NN
 * construction's tfjs port against the float64 core one, and the local Lipschitz estimators against their
 * definitions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeDataset } from '../../src/core/datasets/index.ts';
import { nearestNeighbourConstruction } from '../../src/core/theorem.ts';
import type { LabelledPoints, Norm } from '../../src/core/types.ts';
import { Rng } from '../../src/core/rng.ts';
import {
  accuracy,
  adversarialAccuracy,
  certifiedRadii,
  evaluateGrid,
  exactRobustAccuracy,
  gridPoints,
} from '../../src/ml/metrics.ts';
import { modelFromJsonText, modelToJsonText } from '../../src/ml/modelIo.ts';
import { localLipschitz } from '../../src/ml/localLipschitz.ts';
import { NearestNeighbourClassifier } from '../../src/ml/nnClassifier.ts';
import { marginLipschitzBound } from '../../src/ml/lipschitzBound.ts';
import { linearModel } from '../helpers/models.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

const w: [number, number] = [1.5, -0.5];
const b = 0.1;
/** Points with labels from the linear rule, so the clean accuracy is 1. */
function linearPoints(n: number, seed: number): LabelledPoints {
  const rng = new Rng(seed);
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = rng.uniform(-1, 1);
    x[2 * i + 1] = rng.uniform(-1, 1);
    const s = w[0] * x[2 * i]! + w[1] * x[2 * i + 1]! + b;
    y[i] = s > 0 ? 1 : 0;
  }
  return { x, y };
}
const distance = (p: LabelledPoints, i: number, norm: Norm) =>
  Math.abs(w[0] * p.x[2 * i]! + w[1] * p.x[2 * i + 1]! + b) /
  (norm === 'linf' ? Math.abs(w[0]) + Math.abs(w[1]) : Math.hypot(w[0], w[1]));

describe.each(['linf', 'l2'] as const)('metrics of a linear model in %s', (norm) => {
  const pts = linearPoints(300, 11);
  const eps = 0.12;
  // Points within 1e-4 of ε are left out of the closed-form count: the float32 attack cannot resolve them.
  const margin = Array.from({ length: 300 }, (_, i) => distance(pts, i, norm) - eps);
  const clear = margin.map((m) => Math.abs(m) > 1e-4);
  const expected = margin.filter((m, i) => clear[i] && m > 0).length / clear.filter(Boolean).length;

  it('has clean accuracy 1 and adversarial accuracy equal to the fraction farther than ε from the boundary', async () => {
    const model = linearModel(w, b);
    expect(await accuracy(model, pts, 2)).toBe(1);
    const adv = await adversarialAccuracy(model, pts, 2, { eps, norm, box: null, seed: 0 });
    const pred = await (async () => {
      const t = model.forward(tf.tensor2d(adv.xAdv, [300, 2]));
      const z = await t.data();
      t.dispose();
      return Array.from({ length: 300 }, (_, i) => (z[2 * i + 1]! > z[2 * i]! ? 1 : 0));
    })();
    const robustAmongClear =
      pred.filter((p, i) => clear[i] && p === pts.y[i]).length / clear.filter(Boolean).length;
    expect(robustAmongClear).toBeCloseTo(expected, 12);
    expect(adv.attack).toMatch(/^PGD-\d+/);
    model.dispose();
  });

  it('has exact robust accuracy equal to the closed form', async () => {
    const model = linearModel(w, b);
    const bound = await marginLipschitzBound(model);
    // The product-of-norms bound of this net is ≥ ‖w‖₂ (the true Lipschitz constant of the margin).
    expect(bound).toBeGreaterThanOrEqual(Math.hypot(w[0], w[1]) - 1e-6);
    const res = await exactRobustAccuracy(model, pts, 2, eps, norm, bound);
    res.perPoint.forEach((v, i) => {
      if (!clear[i]) return;
      expect(v.status).toBe(margin[i]! > 0 ? 'robust' : 'not-robust');
    });
    model.dispose();
  });

  it("finds the linear model's Lipschitz ratio by ascent: close to ‖w‖_*, never far above it", async () => {
    const model = linearModel(w, b);
    const res = await localLipschitz(model, pts, { eps, norm, direction: 'max', seed: 1 });
    // Δz = [0, w·Δx], so ‖Δz‖₁ = |w·Δx| ≤ ‖w‖_*‖Δx‖ (dual norm), with equality along the best direction.
    // Above: float32 cancellation and the code's elementwise 1e-6 at the 0.001-sized start allow ~1e-3.
    // Below: ten sign steps of ε/10 reach the best direction to within about a step: sign steps oscillate around the best direction, so this is an estimate and a lower bound (≥ 85 % here).
    const dual = norm === 'linf' ? Math.abs(w[0]) + Math.abs(w[1]) : Math.hypot(w[0], w[1]);
    for (const v of res.perPoint) {
      expect(v).toBeLessThanOrEqual(dual * (1 + 5e-3));
      expect(v).toBeGreaterThan(dual * 0.85);
    }
    model.dispose();
  });
});

describe('the local Lipschitz estimators', () => {
  const data = makeDataset({ name: 'spiral', nTrain: 200, nTest: 100, seed: 2 });

  it("'repo' descends to a lower average than the ascent, which never falls below its start", async () => {
    const nn = new NearestNeighbourClassifier(data.train, 2, 'linf', 0.04);
    const repo = await localLipschitz(nn, data.test, { eps: 0.05, norm: 'linf', direction: 'repo', seed: 3 });
    const max = await localLipschitz(nn, data.test, { eps: 0.05, norm: 'linf', direction: 'max', seed: 3 });
    const start = await localLipschitz(nn, data.test, {
      eps: 0.05,
      norm: 'linf',
      direction: 'max',
      steps: 0,
      seed: 3,
    });
    for (let i = 0; i < 100; i++) expect(max.perPoint[i]).toBeGreaterThanOrEqual(start.perPoint[i]!);
    expect(max.mean).toBeGreaterThan(1.5 * repo.mean);
    expect(repo.mean).toBeLessThan(start.mean);
    expect(repo.label).toMatch(/descending/);
    nn.dispose();
  });

  it("bounds the 1-NN construction's ratio by 2/r (L1 over its two logits, each 1/r-Lipschitz)", async () => {
    const r = 0.04;
    const nn = new NearestNeighbourClassifier(data.train, 2, 'linf', r);
    const max = await localLipschitz(nn, data.test, { eps: 0.05, norm: 'linf', direction: 'max', seed: 4 });
    // 1 % slack: the code's elementwise 1e-6 in the denominator at the 0.001-sized start, and float32.
    for (const v of max.perPoint) expect(v).toBeLessThanOrEqual((2 / r) * 1.01);
    expect(Math.max(...max.perPoint)).toBeGreaterThan(0.5 * (2 / r));
    nn.dispose();
  });
});

describe('the 1-NN construction on tfjs', () => {
  it.each(['linf', 'l2'] as const)('matches the float64 core construction (%s)', async (norm) => {
    const data = makeDataset({ name: 'gaussians', nTrain: 120, nTest: 60, seed: 4, classes: 4 });
    const core = nearestNeighbourConstruction(data.train, 4, norm, 0.05);
    const nn = new NearestNeighbourClassifier(data.train, 4, norm, 0.05);
    const t = nn.forward(tf.tensor2d(Float32Array.from(data.test.x), [60, 2]));
    const got = await t.data();
    t.dispose();
    const want = core.logits(Float32Array.from(data.test.x));
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 3);
    nn.dispose();
  });
});

describe('grid evaluation', () => {
  it('runs row-major from the top-left corner (xMin, yMax), one value per cell centre', async () => {
    const box = { xMin: -1, xMax: 1, yMin: -2, yMax: 2 };
    const xy = gridPoints(box, 4);
    expect([xy[0], xy[1]]).toEqual([-0.75, 1.5]);
    expect([xy[6], xy[7]]).toEqual([0.75, 1.5]);
    expect([xy[30], xy[31]]).toEqual([0.75, -1.5]);
    // z₁ − z₀ = x₁ (w = [1, 0], b = 0): the margin field equals the cell's x coordinate.
    const model = linearModel([1, 0], 0);
    const field = await evaluateGrid(model, box, 4, 2, 'margin');
    expect(Array.from(field.slice(0, 4))).toEqual([-0.75, -0.25, 0.25, 0.75]);
    const prob = await evaluateGrid(model, box, 4, 2, 'probability');
    expect(prob[3]).toBeCloseTo(1 / (1 + Math.exp(-0.75)), 6);
    model.dispose();
  });
});

describe('certified radii', () => {
  it('are the margin over the Lipschitz bound, and never exceed the true distance to the boundary', async () => {
    const model = linearModel(w, b);
    const pts = linearPoints(50, 12);
    const bound = await marginLipschitzBound(model);
    for (const norm of ['linf', 'l2'] as const) {
      const res = await certifiedRadii(model, pts, 2, 0.05, norm, bound);
      for (let i = 0; i < 50; i++) {
        const m = Math.abs(w[0] * pts.x[2 * i]! + w[1] * pts.x[2 * i + 1]! + b);
        expect(res.radii[i]).toBeCloseTo(m / bound / (norm === 'linf' ? Math.SQRT2 : 1), 5);
        expect(res.radii[i]).toBeLessThanOrEqual(distance(pts, i, norm) + 1e-6);
      }
      expect(res.certifiedAccuracy).toBe(Array.from(res.radii).filter((r) => r >= 0.05).length / 50);
    }
    model.dispose();
  });
});

describe('model files', () => {
  it('round-trip a trained model through robust-mlp/1 and reject one of the wrong shape', async () => {
    const model = linearModel([0.3, -0.7], 0.2);
    const text = await modelToJsonText(model, 'natural', { eps: 0.1 });
    const back = modelFromJsonText(text, { inputDim: 2, nClasses: 2 });
    expect(await back.model.toPlain()).toEqual(await model.toPlain());
    expect(back.method).toBe('natural');
    expect(() => modelFromJsonText(text, { nClasses: 3 })).toThrow(
      /has 2 classes \(outputs\) but the data has 3/,
    );
    back.model.dispose();
    model.dispose();
  });
});
