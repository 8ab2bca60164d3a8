/**
 * GR, CURE and LLR beyond their gradients: the detached inner steps (CURE's z, both LLR attacks) against float64
 * replays and invariants, LLR-repo's value identity, GR's closed form on a linear model, and the method objects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.ts';
import type { Box } from '../../src/core/types.ts';
import { Mlp } from '../../src/ml/model.ts';
import { gaussianOffsets, projectionRadius, randomBallOffsets } from '../../src/ml/ball.ts';
import { defaultFor, type Batch, type StepContext } from '../../src/ml/methods/types.ts';
import { gr } from '../../src/ml/methods/gr.ts';
import { cure, cureH } from '../../src/ml/methods/cure.ts';
import { llr, LLR_REPO_STEPS } from '../../src/ml/methods/llr.ts';
import {
  cureZ64,
  llrGamma64,
  llrQinAttack64,
  llrRepoAttack64,
  llrRepoLoss64,
} from '../helpers/regularizedRef64.ts';
import { B, maxDiff, prepareRead, rows, setup } from '../helpers/regularizedSetup.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

describe('CURE’s detached step z', () => {
  it.each(['linf', 'l2'] as const)(
    'is h·sign(∇ℓ)/‖sign(∇ℓ)‖₂ with h = √2ε (L∞) or ε (L2): %s',
    async (norm) => {
      const s = await setup('tanh', 31, { eps: 0.2, norm, progress: 0.5 });
      const read = await prepareRead(s, cure, 'paper', {});
      const z = rows(read.xz!).map((p, i) => p.map((v, c) => v - s.x[i]![c]!));
      const h = norm === 'linf' ? Math.SQRT2 * 0.2 : 0.2;
      expect(cureH(0.2, norm, 0.5)).toBeCloseTo(h, 12);
      expect(maxDiff(z, cureZ64(s.net, s.theta, s.x, s.y, h))).toBeLessThan(1e-6);
      for (const d of z) {
        // L∞: x + z is the FGSM corner, |z_c| = ε; L2: ‖z‖₂ = ε.
        if (norm === 'linf') d.forEach((v) => expect(Math.abs(Math.abs(v) - 0.2)).toBeLessThan(1e-6));
        else expect(Math.abs(Math.hypot(d[0]!, d[1]!) - 0.2)).toBeLessThan(1e-6);
      }
      s.dispose();
    },
  );

  it('ramps h linearly from 0.1·h to h over the first 20 % of training, then holds it', () => {
    const h = Math.SQRT2 * 0.1;
    expect(cureH(0.1, 'linf', 0)).toBeCloseTo(0.1 * h, 12);
    expect(cureH(0.1, 'linf', 0.1)).toBeCloseTo(0.55 * h, 12);
    expect(cureH(0.1, 'linf', 0.2)).toBeCloseTo(h, 12);
    expect(cureH(0.1, 'linf', 0.9)).toBeCloseTo(h, 12);
    expect(cureH(0.1, 'l2', 0.05)).toBeCloseTo(0.1 * (0.1 + 0.9 * 0.25), 12);
  });
});

describe('LLR’s inner attack', () => {
  const box: Box = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };

  it.each(['linf', 'l2'] as const)('(qin, %s) stays in the ε-ball and the data box', async (norm) => {
    const s = await setup('relu', 44, { eps: norm === 'linf' ? 0.4 : 0.6, norm, box });
    const xAdv = rows((await prepareRead(s, llr, 'qin', { steps: 10 })).xAdv!);
    const lens = xAdv.map((p, i) => {
      const d = p.map((v, c) => v - s.x[i]![c]!);
      return norm === 'linf' ? Math.max(...d.map(Math.abs)) : Math.hypot(d[0]!, d[1]!);
    });
    lens.forEach((len) => expect(len).toBeLessThanOrEqual(s.ctx.eps));
    xAdv.flat().forEach((v) => expect(Math.abs(v)).toBeLessThanOrEqual(1));
    // Both constraints were active somewhere: a point on the sphere, a point on the box edge.
    expect(lens.some((len) => len > s.ctx.eps - 1e-5)).toBe(true);
    expect(xAdv.flat().some((v) => Math.abs(v) === 1)).toBe(true);
    s.dispose();
  });

  it.each(['linf', 'l2'] as const)(
    '(qin, %s) matches a float64 replay and raises γ above its random start',
    async (norm) => {
      const s = await setup('tanh', 42, { eps: 0.3, norm });
      const xAdv = rows((await prepareRead(s, llr, 'qin', { steps: 5 })).xAdv!);
      const start = rows(randomBallOffsets(B, 0.3, norm, new Rng(s.ctxSeed)));
      const o = { eps: 0.3, radius: projectionRadius(0.3), norm, box: null, start, steps: 5 };
      expect(maxDiff(xAdv, llrQinAttack64(s.net, s.theta, s.x, s.y, o))).toBeLessThan(1e-5);
      const gammaAt = (p: number[][]) => llrGamma64(s.net, s.theta, s.x, p, s.y).reduce((a, v) => a + v, 0);
      const fromStart = llrQinAttack64(s.net, s.theta, s.x, s.y, { ...o, steps: 0 });
      expect(gammaAt(xAdv)).toBeGreaterThan(1.5 * gammaAt(fromStart));
      s.dispose();
    },
  );

  it.each(['linf', 'l2'] as const)(
    '(repo, %s) replays lolip’s 2 normalised steps of ε/2 with the whole-δ renorm',
    async (norm) => {
      // PyTorch-scale weights: no confident points, whose 1 − p_y loses digits in float32 (softmax − y).
      const s = await setup('softplus', 43, { eps: 0.1, norm, box, scale: 1 });
      const xAdv = rows((await prepareRead(s, llr, 'repo', {})).xAdv!);
      // Draw order in prepare: 0.001·N(0, I) start, then one N(0, I) matrix per step.
      const r = new Rng(s.ctxSeed);
      const init = rows(gaussianOffsets(B, 0.001, r));
      const noise = Array.from({ length: LLR_REPO_STEPS }, () => rows(gaussianOffsets(B, 1, r)));
      const o = { eps: 0.1, radius: projectionRadius(0.1), norm, box, init, noise };
      const replay = llrRepoAttack64(s.net, s.theta, s.x, s.y, o);
      expect(maxDiff(xAdv, replay)).toBeLessThan(1e-6);
      // The renorm shortened some δ that overshot ε (by the 0.001 start); a coordinate clip would differ.
      if (norm === 'linf') {
        const clipped = llrRepoAttack64(s.net, s.theta, s.x, s.y, { ...o, clip: true });
        expect(maxDiff(clipped, replay)).toBeGreaterThan(1e-5);
      }
      s.dispose();
    },
  );
});

describe('LLR repo’s loss', () => {
  it('is exactly mean CE(x) + 4·mean CE(x + δ): no linearity term, μ ignored', async () => {
    const s = await setup('relu', 51, { eps: 0.2 });
    const hyper = { lambda: 4, mu: 3, steps: 7 };
    const prepared = llr.prepare(s.model, s.batch, hyper, s.ctx, 'repo');
    const [value, direct] = tf.tidy((): tf.Tensor[] => {
      const xAdv = prepared.xAdv as tf.Tensor2D;
      const ce = (p: tf.Tensor2D) =>
        tf.mean(tf.neg(tf.sum(tf.mul(s.batch.yOneHot, tf.logSoftmax(s.model.forward(p))), 1)));
      return [
        llr.loss(s.model, s.batch, prepared, hyper, s.ctx, 'repo'),
        tf.add(ce(s.batch.x), tf.mul(ce(xAdv), 4)),
      ];
    });
    const v = (await value!.data())[0]!;
    expect(v).toBe((await direct!.data())[0]!);
    const xAdv = rows(await prepared.xAdv!.data());
    expect(Math.abs(v - llrRepoLoss64(s.net, s.theta, s.x, xAdv, s.y, 4))).toBeLessThan(1e-6 * (1 + v));
    tf.dispose([value!, direct!, ...Object.values(prepared).filter((t) => t !== undefined)]);
    s.dispose();
  });
});

describe('GR on a linear model z = [0, w·x + b] (a ReLU pair hidden layer)', () => {
  // W₁ = [[w₁, −w₁], [w₂, −w₂]], b₁ = [b, −b]: relu(u) − relu(−u) = u, so z₁ − z₀ = u = w·x + b exactly.
  // CE_i = softplus(∓u_i) and ∇ₓCE_i = −(1 − p_{y_i})·(±w), hence ‖∇ₓCE_i‖ = (1 − p_{y_i})·‖w‖.
  const w = [0.75, -1.5];
  const b = 0.25;
  const plain = [
    {
      W: [
        [w[0]!, -w[0]!],
        [w[1]!, -w[1]!],
      ],
      b: [b, -b],
    },
    {
      W: [
        [0, 1],
        [0, -1],
      ],
      b: [0, 0],
    },
  ];
  const x = [
    [0.5, -0.5],
    [-0.25, 0.75],
    [1, 1],
    [-1, 0.125],
    [0.3, 0.2],
    [-0.6, -0.9],
  ];
  const y = [1, 0, 0, 1, 1, 0];
  const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
  const softplus = (t: number) => Math.log1p(Math.exp(t));

  it.each([
    ['l2sq', 'linf', (q: number) => (0.5 / 2) * q * q * (w[0]! ** 2 + w[1]! ** 2)],
    ['dual', 'linf', (q: number) => 0.2 * q * (Math.abs(w[0]!) + Math.abs(w[1]!))],
    ['dual', 'l2', (q: number) => 0.2 * q * Math.hypot(w[0]!, w[1]!)],
  ] as const)('%s (%s) has the closed-form penalty', async (variant, norm, penalty) => {
    const spec = { inputDim: 2, hidden: [2], outputDim: 2, activation: 'relu', dropout: 0 } as const;
    const model = Mlp.fromPlain(spec, plain);
    const ctx: StepContext = {
      eps: 0.2,
      norm,
      box: null,
      rng: new Rng(0),
      progress: 0,
      dropout: () => undefined,
    };
    const batch: Batch = {
      x: tf.tensor2d(x),
      y: tf.tensor1d(y, 'int32'),
      yOneHot: tf.tensor2d(y.map((c) => [1 - c, c])),
      size: x.length,
    };
    const value = tf.tidy(() =>
      gr.loss(
        model,
        batch,
        gr.prepare(model, batch, { lambda: 0.5 }, ctx, variant),
        { lambda: 0.5 },
        ctx,
        variant,
      ),
    );
    const expected =
      x.reduce((acc, p, i) => {
        const u = w[0]! * p[0]! + w[1]! * p[1]! + b;
        const ce = y[i] === 1 ? softplus(-u) : softplus(u);
        const q = y[i] === 1 ? sigmoid(-u) : sigmoid(u); // 1 − p_y
        return acc + ce + penalty(q);
      }, 0) / x.length;
    expect(Math.abs((await value.data())[0]! - expected)).toBeLessThan(1e-6);
    tf.dispose([value, batch.x, batch.y, batch.yOneHot]);
    model.dispose();
  });
});

describe('the method objects', () => {
  it('reject an unknown variant with a readable message', async () => {
    const s = await setup('relu', 61);
    for (const m of [gr, cure, llr]) {
      expect(() => m.prepare(s.model, s.batch, {}, s.ctx, 'nope')).toThrow(
        /Unknown .* variant "nope"; use one of/,
      );
    }
    s.dispose();
  });

  it('list their default variant first and give defaults inside their ranges', () => {
    expect(gr.variants?.[0]?.id).toBe('l2sq');
    expect(cure.variants?.[0]?.id).toBe('paper');
    expect(llr.variants?.[0]?.id).toBe('qin');
    for (const m of [gr, cure, llr])
      for (const h of m.hyper) expect(h.default >= h.min && h.default <= h.max).toBe(true);
    // The Qin variant's 2D defaults; the repo variant keeps the code's λ = 4.
    expect(Object.fromEntries(llr.hyper.map((h) => [h.key, h.default]))).toEqual({
      lambda: 1,
      mu: 0.3,
      steps: 5,
    });
    expect(llr.hyper.map((h) => defaultFor(h, 'repo'))).toEqual([4, 0.3, 5]);
    expect(cure.hyper[0]?.default).toBe(0.01);
    expect(gr.hyper[0]?.default).toBe(0.01);
  });
});
