/** Certified Lipschitz bounds (src/ml/lipschitzBound.ts) against closed forms and an independent SVD. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { Rng } from '../../src/core/rng.ts';
import { Mlp, type PlainLayer } from '../../src/ml/model.ts';
import {
  certifiedRadius,
  logitLipschitzBound,
  marginLipschitzBound,
  spectralNorm,
  spectralNorms,
  symmetricMaxEigenvalue,
} from '../../src/ml/lipschitzBound.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

const PHI = (1 + Math.sqrt(5)) / 2;

describe('spectralNorm (float64 Jacobi on the Gram matrix)', () => {
  it('is max |d_i| for a diagonal matrix', () => {
    expect(
      spectralNorm([
        [3, 0],
        [0, -5],
      ]),
    ).toBeCloseTo(5, 14);
    expect(
      spectralNorm([
        [-2, 0, 0],
        [0, 0.5, 0],
      ]),
    ).toBeCloseTo(2, 14);
  });

  it('is ‖u‖‖v‖ for a rank-1 matrix u vᵀ', () => {
    // u = (1, 2, 2), ‖u‖ = 3; v = (3, 4), ‖v‖ = 5.
    const W = [1, 2, 2].map((a) => [3, 4].map((b) => a * b));
    expect(spectralNorm(W)).toBeCloseTo(15, 13);
    expect(spectralNorm(W[0]!.map((_, j) => W.map((r) => r[j]!)))).toBeCloseTo(15, 13);
  });

  it('is the golden ratio for [[1, 1], [0, 1]] and 3 for [[2, 1], [1, 2]]', () => {
    // [[1,1],[0,1]]ᵀ[[1,1],[0,1]] = [[1,1],[1,2]]: λ = (3 ± √5)/2, √λ_max = (1 + √5)/2.
    expect(
      Math.abs(
        spectralNorm([
          [1, 1],
          [0, 1],
        ]) - PHI,
      ),
    ).toBeLessThan(1e-15);
    expect(
      Math.abs(
        spectralNorm([
          [2, 1],
          [1, 2],
        ]) - 3,
      ),
    ).toBeLessThan(1e-14);
    expect(
      spectralNorm([
        [0, 0],
        [0, 0],
      ]),
    ).toBe(0);
  });

  it('agrees with ml-matrix’s SVD on random 2×64, 64×64 and 64×3 matrices', () => {
    const rng = new Rng(7);
    for (const [r, c] of [
      [2, 64],
      [64, 64],
      [64, 3],
    ] as const) {
      const W = Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal()));
      const ref = new SingularValueDecomposition(new Matrix(W), { autoTranspose: true }).norm2;
      expect(Math.abs(spectralNorm(W) - ref) / ref).toBeLessThan(1e-12);
    }
  });

  it('finds the largest eigenvalue of a symmetric matrix with a negative dominant one', () => {
    // Eigenvalues of [[0, 2], [2, 3]] are 4 and −1.
    expect(
      symmetricMaxEigenvalue([
        [0, 2],
        [2, 3],
      ]),
    ).toBeCloseTo(4, 14);
  });
});

describe('the bounds of an Mlp', () => {
  const spec = { inputDim: 2, hidden: [2], outputDim: 2, activation: 'relu', dropout: 0 } as const;

  it('multiply the layers’ exact σ (logits) and use the widest column difference (margins)', async () => {
    const model = Mlp.fromPlain(spec, [
      {
        W: [
          [1, 1],
          [0, 1],
        ],
        b: [0.5, -0.5],
      },
      {
        W: [
          [3, 0],
          [0, -5],
        ],
        b: [1, 2],
      },
    ]);
    const sig = await spectralNorms(model);
    expect(Math.abs(sig[0]! - PHI)).toBeLessThan(1e-7); // float32 weights are exact here; φ to float64
    expect(sig[1]).toBeCloseTo(5, 12);
    expect(await logitLipschitzBound(model)).toBeCloseTo(5 * PHI, 6);
    // Columns (3, 0) and (0, −5): difference (3, 5), ‖·‖ = √34; times σ(W₁) = φ.
    expect(await marginLipschitzBound(model)).toBeCloseTo(Math.sqrt(34) * PHI, 6);
    model.dispose();
  });

  // A linear margin: hidden units relu(x + 10) are active on the whole region |x| < 10, so there
  // f(x) = [0, w·(x + 10) + c]; σ(W₁) = 1, σ(W₂) = ‖w‖ — the product bound is exact for this net.
  const linear = (w: number[], c: number): PlainLayer[] => [
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: [10, 10],
    },
    {
      W: [
        [0, w[0]!],
        [0, w[1]!],
      ],
      b: [0, c],
    },
  ];

  it.each([
    [[0.75, -1.5], -2],
    [[2, 2], -39],
  ])('give a certified radius equal to the exact distance for a linear margin (w = %j)', async (w, c) => {
    const model = Mlp.fromPlain(spec, linear(w, c));
    const bound = await marginLipschitzBound(model);
    const wNorm = Math.hypot(w[0]!, w[1]!);
    expect(bound).toBeCloseTo(wNorm, 6);
    expect(await logitLipschitzBound(model)).toBeCloseTo(wNorm, 6);
    const pts = [
      [0.5, -0.25],
      [-0.8, 0.9],
      [0.1, 0.1],
    ];
    const logits = tf.tidy(() => model.forward(tf.tensor2d(pts)));
    const z = await logits.data();
    logits.dispose();
    pts.forEach((p, i) => {
      const u = w[0]! * (p[0]! + 10) + w[1]! * (p[1]! + 10) + c; // z₁ − z₀
      const margin = z[2 * i + 1]! - z[2 * i]!; // margin of class 1
      expect(margin).toBeCloseTo(u, 4);
      const dist2 = u / wNorm; // signed L2 distance to the line u = 0
      const distInf = u / (Math.abs(w[0]!) + Math.abs(w[1]!)); // exact L∞ distance (dual norm ‖w‖₁)
      expect(certifiedRadius(margin, bound, 'l2')).toBeCloseTo(dist2, 4);
      expect(certifiedRadius(margin, bound, 'linf')).toBeCloseTo(dist2 / Math.SQRT2, 4);
      // Sound: never above the exact L∞ distance; equal to it when |w₁| = |w₂|.
      expect(Math.abs(certifiedRadius(margin, bound, 'linf'))).toBeLessThanOrEqual(Math.abs(distInf) + 1e-6);
      if (w[0] === w[1]) expect(certifiedRadius(margin, bound, 'linf')).toBeCloseTo(distInf, 4);
    });
    model.dispose();
  });

  it('certifiedRadius handles a zero bound and rejects a negative one', () => {
    expect(certifiedRadius(1, 0, 'l2')).toBe(Infinity);
    expect(certifiedRadius(-1, 0, 'l2')).toBe(-Infinity);
    expect(certifiedRadius(0, 0, 'linf')).toBe(0);
    expect(() => certifiedRadius(1, -1, 'l2')).toThrow(/non-negative/);
    expect(() => certifiedRadius(1, NaN, 'l2')).toThrow(/non-negative/);
  });
});
