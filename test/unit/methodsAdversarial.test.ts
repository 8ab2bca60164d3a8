/**
 * Natural, AT, RST and TRADES (src/ml/methods/): each loss's weight gradient (tf.variableGrads on the cpu
 * backend, the prepared x_adv held fixed) against central finite differences of a float64 re-implementation
 * written here from the formulas in reference/paper-algorithms.md §1–§3; the dropout masks the loss draws are
 * recorded and fed to the float64 side; TRADES' attack and KL direction; tensor leaks.
 *
 * Tolerances: values to 1e-5·(1 + |L|) (float32 against float64 over ~10 ops); gradients to a relative error of
 * 1e-3, for RST and TRADES measured against the *robust term's* share of the gradient,
 * ‖∇L_tf − ∇L_64‖ / ‖∇L_64 − ∇CE_64‖, so that a wrong adversarial term cannot hide behind a correct CE term.
 * NaN anywhere makes relativeError return Infinity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.ts';
import type { Norm } from '../../src/core/types.ts';
import { ACTIVATIONS, Mlp, type Activation, type DropoutMasks } from '../../src/ml/model.ts';
import { gaussianOffsets, projectionRadius } from '../../src/ml/ball.ts';
import { pgd, TRAIN_PGD } from '../../src/ml/attacks.ts';
import type { Batch, Hyper, StepContext, TrainingMethod } from '../../src/ml/methods/types.ts';
import { natural } from '../../src/ml/methods/natural.ts';
import { at } from '../../src/ml/methods/at.ts';
import { rst } from '../../src/ml/methods/rst.ts';
import { trades, tradesAttack } from '../../src/ml/methods/trades.ts';
import {
  ce64,
  finiteDiff,
  flatGrads,
  flatten,
  forward64,
  kl64,
  relativeError,
  type Net64,
} from '../helpers/index.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

const B = 8;
const WIDTHS = [2, 5, 4, 3];

/** ctx.dropout that draws masks from a seeded Rng and records their values, in draw order. */
function maskTape(p: number, rng: Rng) {
  const drawn: Float64Array[][] = [];
  const draw = (rows: number): DropoutMasks => {
    if (p === 0) return undefined;
    const plain = WIDTHS.slice(1, -1).map((w) => {
      const m = new Float32Array(rows * w);
      for (let i = 0; i < m.length; i++) m[i] = rng.random() < p ? 0 : 1 / (1 - p);
      return m;
    });
    drawn.push(plain.map((m) => Float64Array.from(m)));
    return plain.map((m, k) => tf.tensor2d(m, [rows, WIDTHS[k + 1]!]));
  };
  return { draw, drawn };
}

async function setup(
  activation: Activation,
  seed: number,
  o: { dropout?: number; eps?: number; norm?: Norm } = {},
) {
  const rng = new Rng(seed);
  const spec = { inputDim: 2, hidden: [5, 4], outputDim: 3, activation, dropout: o.dropout ?? 0 } as const;
  // Weights 3× PyTorch's init: a sharper net, so the adversarial terms carry real weight.
  const init = Mlp.init(spec, rng);
  const plain = (await init.toPlain()).map((l) => ({
    W: l.W.map((r) => r.map((v) => 3 * v)),
    b: l.b.map((v) => 3 * v),
  }));
  init.dispose();
  const model = Mlp.fromPlain(spec, plain);
  const x = Array.from({ length: B }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)].map(Math.fround));
  const y = Array.from({ length: B }, () => rng.int(3));
  const batch: Batch = {
    x: tf.tensor2d(x),
    y: tf.tensor1d(y, 'int32'),
    yOneHot: tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), 3).toFloat() as tf.Tensor2D),
    size: B,
  };
  const ctxRng = new Rng(seed + 1000);
  const tape = maskTape(o.dropout ?? 0, ctxRng);
  const ctx: StepContext = {
    eps: o.eps ?? 0.1,
    norm: o.norm ?? 'linf',
    box: null,
    rng: ctxRng,
    progress: 0.5,
    dropout: tape.draw,
  };
  const net: Net64 = { widths: WIDTHS, activation };
  const theta = flatten(await model.toPlain());
  const dispose = () => {
    tf.dispose([batch.x, batch.y, batch.yOneHot]);
    model.dispose();
  };
  return { model, net, theta, x, y, batch, ctx, tape, dispose };
}

type Masks = readonly (readonly Float64Array[])[];
const rowsOf = (t: tf.Tensor) =>
  Array.from({ length: t.shape[0] }, (_, i) => Array.from(t.dataSync().subarray(2 * i, 2 * i + 2)));

/** The float64 losses, written from paper-algorithms.md §1–§3 with mean reduction. `m[j]` is the j-th mask drawn. */
function reference(
  id: string,
  net: Net64,
  x: number[][],
  y: number[],
  xAdv: number[][] | null,
  hyper: Hyper,
) {
  const logits = (t: Float64Array, pts: number[][], m?: readonly Float64Array[]) =>
    forward64(net, t, pts, m).logits;
  const meanCe = (z: number[][]) => z.reduce((s, zi, i) => s + ce64(zi, y[i]!), 0) / z.length;
  return (t: Float64Array, m: Masks): number => {
    switch (id) {
      case 'natural':
        return meanCe(logits(t, x, m[0]));
      case 'at':
        return meanCe(logits(t, xAdv!, m[0]));
      case 'rst':
        return meanCe(logits(t, x, m[0])) + (hyper.lambda ?? 2) * meanCe(logits(t, xAdv!, m[1]));
      case 'trades': {
        // Order of the code (trades.py:81, 84): f(x) for the CE, f(x_adv), then f(x) for the KL target.
        const zAdv = logits(t, xAdv!, m[1]);
        const zTarget = logits(t, x, m[2] ?? m[0]);
        const kl = zTarget.reduce((s, zp, i) => s + kl64(zp, zAdv[i]!), 0) / x.length;
        return meanCe(logits(t, x, m[0])) + (hyper.beta ?? 6) * kl;
      }
      default:
        throw new Error(id);
    }
  };
}

const CASES: [TrainingMethod, Hyper, number][] = [
  [natural, {}, 1],
  [at, { steps: 10, stepFrac: 0.2 }, 1],
  [rst, { lambda: 3, steps: 10, stepFrac: 0.2 }, 2],
  [trades, { beta: 4, steps: 10 }, 3],
];

describe.each(CASES)('the %s loss', (method, hyper, passes) => {
  const id = method.id;
  it.each([
    ...ACTIVATIONS.map((a) => [a, 0, 'linf'] as const),
    ['tanh', 0, 'l2'] as const,
    ['relu', 0.3, 'linf'] as const,
    ['softplus', 0.5, 'l2'] as const,
  ])('has the float64 value and weight gradient (%s, dropout %d, %s)', async (activation, dropout, norm) => {
    const s = await setup(activation, 31, { dropout, norm });
    const prepared = method.prepare(s.model, s.batch, hyper, s.ctx, '');
    // AT and RST attack in train mode (one mask per PGD step); TRADES attacks in eval mode.
    const attackDraws = dropout > 0 && (id === 'at' || id === 'rst') ? 10 : 0;
    expect(s.tape.drawn.length).toBe(attackDraws);
    const xAdv = prepared.xAdv ? rowsOf(prepared.xAdv) : null;
    s.tape.drawn.length = 0;
    const { value, grads } = tf.variableGrads(
      () => method.loss(s.model, s.batch, prepared, hyper, s.ctx, ''),
      s.model.variables(),
    );
    const masks = s.tape.drawn.slice();
    expect(masks.length).toBe(dropout > 0 ? passes : 0);
    const ref = reference(id, s.net, s.x, s.y, xAdv, hyper);
    const f = (t: Float64Array) => ref(t, masks);
    const v = (await value.data())[0]!;
    expect(Math.abs(v - f(s.theta))).toBeLessThan(1e-5 * (1 + Math.abs(f(s.theta))));
    const g = await flatGrads(grads, s.model.variables());
    const g64 = finiteDiff(f, s.theta);
    // For RST and TRADES, compare against the robust term's share of the gradient.
    const ceOnly = finiteDiff((t) => reference('natural', s.net, s.x, s.y, null, {})(t, masks), s.theta);
    const scale = id === 'rst' || id === 'trades' ? g64.map((gi, i) => gi - ceOnly[i]!) : g64;
    const err = relativeError(g, g64) * (Math.hypot(...g64) / Math.max(Math.hypot(...scale), 1e-12));
    expect(err).toBeLessThan(1e-3);
    if (id === 'trades') {
      // Detaching the clean branch of the KL (a common port error) would give a clearly different gradient.
      const fixedTarget = (t: Float64Array) =>
        reference('natural', s.net, s.x, s.y, null, {})(t, masks) +
        (hyper.beta ?? 6) *
          (forward64(s.net, s.theta, s.x, masks[2] ?? masks[0]).logits.reduce(
            (acc, zp, i) => acc + kl64(zp, forward64(s.net, t, xAdv!, masks[1]).logits[i]!),
            0,
          ) /
            B);
      expect(relativeError(g, finiteDiff(fixedTarget, s.theta))).toBeGreaterThan(1e-2);
    }
    tf.dispose([value, ...Object.values(grads), ...Object.values(prepared).filter((t) => t !== undefined)]);
    s.dispose();
  });

  it('leaves no tensor behind after a training step', async () => {
    const s = await setup('relu', 5, { dropout: 0.2 });
    const before = tf.memory().numTensors;
    const value = tf.tidy(() => {
      const prepared = method.prepare(s.model, s.batch, hyper, s.ctx, '');
      const { value, grads } = tf.variableGrads(
        () => method.loss(s.model, s.batch, prepared, hyper, s.ctx, ''),
        s.model.variables(),
      );
      tf.dispose(Object.values(grads));
      return value;
    });
    expect(Number.isFinite((await value.data())[0])).toBe(true);
    value.dispose();
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });
});

describe('the methods', () => {
  it('state their hyperparameters with the paper defaults', () => {
    const h = (m: TrainingMethod) =>
      Object.fromEntries(m.hyper.map((x) => [x.key, [x.default, x.min, x.max]]));
    expect(h(natural)).toEqual({});
    expect(h(at)).toEqual({ steps: [10, 1, 40], stepFrac: [0.2, 0.05, 1] });
    expect(h(rst)).toEqual({ lambda: [2, 0.5, 8], steps: [10, 1, 40], stepFrac: [0.2, 0.05, 1] });
    expect(h(trades)).toEqual({ beta: [6, 0.5, 20], steps: [10, 1, 40] });
    for (const m of [natural, at, rst, trades]) {
      expect(m.usesAttack).toBe(m.id !== 'natural');
      for (const text of [m.name, m.summary, m.formula, m.source]) expect(text.length).toBeGreaterThan(3);
    }
  });

  it("AT's attack is PGD-10, α = ε/5, uniform start, CE on the true labels (the paper's code)", async () => {
    const s = await setup('tanh', 8, { eps: 0.2 });
    const mine = at.prepare(s.model, s.batch, {}, s.ctx, '').xAdv!;
    const ref = pgd(s.model, s.batch.x, s.batch.yOneHot, {
      ...TRAIN_PGD(0.2),
      eps: 0.2,
      norm: 'linf',
      rng: new Rng(8 + 1000),
    });
    expect(Array.from(mine.dataSync())).toEqual(Array.from(ref.xAdv.dataSync()));
    tf.dispose([mine, ref.xAdv]);
    s.dispose();
  });
});

describe("TRADES' inner maximisation", () => {
  it('ascends KL(p_clean ‖ p_adv), not the reverse, and the loss uses that direction', async () => {
    // A wide ball on a sharp net, so that the two directions of the KL clearly differ.
    const s = await setup('softplus', 12, { eps: 0.5 });
    const prepared = trades.prepare(s.model, s.batch, { beta: 2 }, s.ctx, '');
    const xAdv = rowsOf(prepared.xAdv!);
    const value = (await trades.loss(s.model, s.batch, prepared, { beta: 2 }, s.ctx, '').data())[0]!;
    const zc = forward64(s.net, s.theta, s.x).logits;
    const za = forward64(s.net, s.theta, xAdv).logits;
    const ce = zc.reduce((acc, z, i) => acc + ce64(z, s.y[i]!), 0) / B;
    const forward = ce + (2 * zc.reduce((acc, z, i) => acc + kl64(z, za[i]!), 0)) / B;
    const reverse = ce + (2 * zc.reduce((acc, z, i) => acc + kl64(za[i]!, z), 0)) / B;
    expect(Math.abs(forward - reverse)).toBeGreaterThan(1e-3);
    expect(Math.abs(value - forward)).toBeLessThan(1e-5 * (1 + forward));
    // The attack raised the KL well above its value at the Gaussian start.
    const start = s.x.map((p, i) =>
      p.map((v, j) => v + gaussianOffsets(B, 0.001, new Rng(12 + 1000))[2 * i + j]!),
    );
    const zs = forward64(s.net, s.theta, start).logits;
    const klAt = (z: number[][]) => zc.reduce((acc, zp, i) => acc + kl64(zp, z[i]!), 0);
    expect(klAt(za)).toBeGreaterThan(10 * klAt(zs));
    prepared.xAdv!.dispose();
    s.dispose();
  });

  it('starts at x + 0.001·N(0, I), runs in eval mode, and steps 2ε/K', async () => {
    const s = await setup('relu', 14, { dropout: 0.5 });
    const { xAdv, path } = tradesAttack(s.model, s.batch.x, {
      eps: 0.1,
      norm: 'linf',
      steps: 4,
      rng: new Rng(3),
      keepPath: true,
    });
    expect(s.tape.drawn.length).toBe(0);
    const p = path!.dataSync();
    const noise = gaussianOffsets(B, 0.001, new Rng(3));
    s.x.flat().forEach((v, i) => expect(Math.abs(p[i]! - (v + noise[i]!))).toBeLessThan(1e-7));
    // Each L∞ step moves a coordinate by at most 2ε/K = 0.05 (less where the projection clips it).
    for (let k = 1; k <= 4; k++) {
      for (let i = 0; i < 2 * B; i++)
        expect(Math.abs(p[k * 2 * B + i]! - p[(k - 1) * 2 * B + i]!)).toBeLessThanOrEqual(0.05 + 1e-6);
    }
    expect(() =>
      tradesAttack(s.model, s.batch.x, { eps: 0.1, norm: 'linf', steps: 0, rng: new Rng(3) }),
    ).toThrow(/at least one/);
    tf.dispose([xAdv, path!]);
    s.dispose();
  });

  it.each(['linf', 'l2'] as const)(
    'does not stall where the clean softmax is one-hot in float32 (%s)',
    (norm) => {
      // z = [0, 40·(w·x + b)]: logit margins up to ~60, where float32 rounds p to one-hot and q − p to 0.
      const w = [1.5, -0.7];
      const spec = { inputDim: 2, hidden: [4], outputDim: 2, activation: 'relu', dropout: 0 } as const;
      const model = Mlp.fromPlain(spec, [
        {
          W: [
            [1, -1, 0, 0],
            [0, 0, 1, -1],
          ],
          b: [0, 0, 0, 0],
        },
        {
          W: [
            [0, 40 * w[0]!],
            [0, -40 * w[0]!],
            [0, 40 * w[1]!],
            [0, -40 * w[1]!],
          ],
          b: [0, 40 * 0.05],
        },
      ]);
      const rng = new Rng(2);
      const xs = Array.from({ length: 30 }, () =>
        [rng.uniform(-0.6, 0.6), rng.uniform(-0.6, 0.6)].map(Math.fround),
      );
      const margins = xs.map((p) => 40 * (w[0]! * p[0]! + w[1]! * p[1]! + 0.05));
      expect(margins.filter((m) => Math.abs(m) > 17).length).toBeGreaterThan(10);
      const x = tf.tensor2d(xs);
      const { xAdv } = tradesAttack(model, x, { eps: 0.2, norm, steps: 10, rng });
      const got = xAdv.dataSync();
      // Along the line through x in the direction w, KL(p ‖ q) is convex with its minimum at x, so from the
      // Gaussian start the ascent runs to the ball's extreme point on the noise's side: x ± r·sign(w) (L∞) or
      // x ± r·w/‖w‖₂ (L2). A stalled attack stays within ~0.003 of x. L2 reaches the extreme point only
      // geometrically (the start's sideways part shrinks by r/(r + α) per step), hence its looser tolerance.
      const r = projectionRadius(0.2);
      const tol = norm === 'linf' ? 1e-6 : 2e-3;
      xs.forEach((p, i) => {
        const err = [1, -1].map((sign) =>
          Math.max(
            ...[0, 1].map((j) => {
              const dir = norm === 'linf' ? Math.sign(w[j]!) : w[j]! / Math.hypot(w[0]!, w[1]!);
              return Math.abs(got[2 * i + j]! - (p[j]! + sign * r * dir));
            }),
          ),
        );
        expect(Math.min(...err), `point ${i}, margin ${margins[i]}`).toBeLessThan(tol);
      });
      tf.dispose([x, xAdv]);
      model.dispose();
    },
  );
});
