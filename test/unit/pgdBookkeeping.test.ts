/**
 * PGD's bookkeeping (src/ml/attacks.ts): keepBest and restarts against single-restart replays, determinism under
 * a seed, paths, dropout masks per forward pass, tensor leaks, validation messages and the UI labels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.ts';
import { Mlp } from '../../src/ml/model.ts';
import { randomBallOffsets } from '../../src/ml/ball.ts';
import { describePgd, EVAL_PGD, fgsm, pgd, TRAIN_PGD, type PgdOptions } from '../../src/ml/attacks.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

const oneHot = (y: number[], c: number) =>
  tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), c).toFloat() as tf.Tensor2D);
const predicted = (model: Mlp, pts: tf.Tensor2D) =>
  tf.tidy(() => tf.argMax(model.forward(pts), 1)).dataSync();

/** A sharp random MLP and points for the restart / keepBest bookkeeping. */
function bumpyCase(seed: number, n = 200) {
  const rng = new Rng(seed);
  const spec = { inputDim: 2, hidden: [16, 16], outputDim: 2, activation: 'relu', dropout: 0 } as const;
  const model = Mlp.init(spec, rng);
  tf.tidy(() => model.variables().forEach((v) => v.assign(tf.mul(v, 3))));
  const x = tf.tensor2d(
    Float32Array.from({ length: 2 * n }, () => rng.uniform(-1, 1)),
    [n, 2],
  );
  const clean = predicted(model, x);
  // Labels = the clean prediction, so every point starts correctly classified.
  const yh = oneHot(Array.from(clean), 2);
  return { model, x, yh, y: Array.from(clean), n };
}

describe('PGD bookkeeping', () => {
  it('keepBest returns the first misclassified iterate over steps and restarts, else the best final point', () => {
    const { model, x, yh, y, n } = bumpyCase(23); // 77 of 200 points in class 1
    const eps = 0.15;
    const K = 6;
    const R = 3;
    // Overshooting steps (1.5ε) make iterates jump back and forth across the boundary.
    const base: PgdOptions = {
      eps,
      norm: 'linf',
      steps: K,
      stepSize: 1.5 * eps,
      randomStart: 'uniform',
      rng: new Rng(0),
    };
    // Replays: R single-restart runs on one generator draw the same starts as one call with R restarts.
    const replayRng = new Rng(77);
    const runs = Array.from({ length: R }, () =>
      pgd(model, x, yh, { ...base, rng: replayRng, keepPath: true }),
    );
    const paths = runs.map((r) => r.path!.dataSync());
    const predPaths = runs.map((r) =>
      tf.tidy(() => predicted(model, tf.reshape<tf.Rank.R2>(r.path!, [-1, 2]))),
    );
    const scores = runs.map((r) =>
      tf.tidy(() => tf.matMul(model.forward(r.xAdv), tf.tensor2d([[1], [-1]])).dataSync()),
    );
    const full = pgd(model, x, yh, {
      ...base,
      rng: new Rng(77),
      restarts: R,
      keepBest: true,
      keepPath: true,
    });
    const got = full.xAdv.dataSync();
    const gotPath = full.path!.dataSync();
    const gotPred = predicted(model, full.xAdv);
    let hits = 0;
    let hitsBeforeFinal = 0;
    for (let i = 0; i < n; i++) {
      let first: [number, number] | null = null;
      for (let r = 0; r < R && !first; r++) {
        for (let k = 0; k <= K && !first; k++) if (predPaths[r]![k * n + i] !== y[i]) first = [r, k];
      }
      const pick = (r: number, k: number) => [paths[r]![(k * n + i) * 2], paths[r]![(k * n + i) * 2 + 1]];
      let run: number;
      if (first) {
        hits++;
        if (predPaths[first[0]]![K * n + i] === y[i]) hitsBeforeFinal++;
        expect(gotPred[i]).not.toBe(y[i]);
        expect([got[2 * i], got[2 * i + 1]]).toEqual(pick(first[0], first[1]));
        run = first[0];
      } else {
        // Fallback: the final point of highest CE (for two classes, of highest z_other − z_y).
        const s = scores.map((sc) => (y[i] === 0 ? -1 : 1) * sc[i]!);
        run = s.indexOf(Math.max(...s));
        expect(gotPred[i]).toBe(y[i]);
        expect([got[2 * i], got[2 * i + 1]]).toEqual(pick(run, K));
      }
      for (let k = 0; k <= K; k++) {
        expect([gotPath[(k * n + i) * 2], gotPath[(k * n + i) * 2 + 1]]).toEqual(pick(run, k));
      }
    }
    // The case must exercise all three branches.
    expect(hits).toBeGreaterThan(10);
    expect(hitsBeforeFinal).toBeGreaterThan(0);
    expect(n - hits).toBeGreaterThan(10);
    tf.dispose([x, yh, full.xAdv, full.path!, ...runs.flatMap((r) => [r.xAdv, r.path!])]);
    model.dispose();
  });

  it('is deterministic under a seed and differs under another', () => {
    const { model, x, yh } = bumpyCase(5, 40);
    const opts = (seed: number): PgdOptions => ({
      ...EVAL_PGD(0.1),
      eps: 0.1,
      norm: 'l2',
      rng: new Rng(seed),
    });
    const [a, b, c] = [1, 1, 2].map((s) => pgd(model, x, yh, opts(s)).xAdv);
    expect(Array.from(a!.dataSync())).toEqual(Array.from(b!.dataSync()));
    expect(Array.from(a!.dataSync())).not.toEqual(Array.from(c!.dataSync()));
    tf.dispose([x, yh, a!, b!, c!]);
    model.dispose();
  });

  it('returns a path [K+1, B, 2] from the start to the returned point', () => {
    const { model, x, yh, n } = bumpyCase(6, 30);
    const eps = 0.1;
    for (const norm of ['linf', 'l2'] as const) {
      const { xAdv, path } = pgd(model, x, yh, {
        ...TRAIN_PGD(eps),
        eps,
        norm,
        rng: new Rng(8),
        keepPath: true,
      });
      expect(path!.shape).toEqual([11, n, 2]);
      const p = path!.dataSync();
      const xs = x.dataSync();
      const offsets = randomBallOffsets(n, eps, norm, new Rng(8));
      for (let i = 0; i < 2 * n; i++) expect(Math.abs(p[i]! - (xs[i]! + offsets[i]!))).toBeLessThan(1e-6);
      expect(Array.from(p.subarray(10 * 2 * n))).toEqual(Array.from(xAdv.dataSync()));
      const none = pgd(model, x, yh, {
        ...TRAIN_PGD(eps),
        randomStart: 'none',
        eps,
        norm,
        rng: new Rng(8),
        keepPath: true,
      });
      expect(Array.from(none.path!.dataSync().subarray(0, 2 * n))).toEqual(Array.from(xs));
      tf.dispose([xAdv, path!, none.xAdv, none.path!]);
    }
    tf.dispose([x, yh]);
    model.dispose();
  });

  it('draws one fresh dropout mask per forward pass and leaks no tensor', () => {
    const rng = new Rng(12);
    const spec = { inputDim: 2, hidden: [6, 6], outputDim: 3, activation: 'tanh', dropout: 0.3 } as const;
    const model = Mlp.init(spec, rng);
    const n = 10;
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(
      Float32Array.from({ length: 2 * n }, () => rng.uniform(-1, 1)),
      [n, 2],
    );
    const yh = oneHot(
      Array.from({ length: n }, () => rng.int(3)),
      3,
    );
    let calls = 0;
    const masks = () => {
      calls++;
      return model.dropoutMasks(n, rng);
    };
    const train = pgd(model, x, yh, { ...TRAIN_PGD(0.1), eps: 0.1, norm: 'linf', rng, masks });
    expect(calls).toBe(10); // one forward per step
    calls = 0;
    const evalRun = pgd(model, x, yh, { ...EVAL_PGD(0.1), eps: 0.1, norm: 'l2', rng, masks, keepPath: true });
    expect(calls).toBe(10 * 11); // per restart: 10 steps + the final point's check
    const f = fgsm(model, x, yh, { eps: 0.1, norm: 'linf', box: { xMin: -1, xMax: 1, yMin: -1, yMax: 1 } });
    tf.dispose([x, yh, train.xAdv, evalRun.xAdv, evalRun.path!, f]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects impossible settings with a message that names the value', () => {
    const { model, x, yh } = bumpyCase(1, 4);
    const base: PgdOptions = { ...TRAIN_PGD(0.1), eps: 0.1, norm: 'linf', rng: new Rng(0) };
    expect(() => pgd(model, x, yh, { ...base, steps: -1 })).toThrow(/steps must be an integer ≥ 0, got -1/);
    expect(() => pgd(model, x, yh, { ...base, restarts: 0 })).toThrow(/restarts/);
    expect(() => pgd(model, x, yh, { ...base, eps: NaN })).toThrow(/ε/);
    tf.dispose([x, yh]);
    model.dispose();
  });

  it('labels the presets for the UI', () => {
    expect(describePgd({ ...EVAL_PGD(0.1), eps: 0.1, norm: 'linf' })).toBe(
      'PGD-10 (L∞, α = ε/4, 10 restarts)',
    );
    expect(describePgd({ ...TRAIN_PGD(0.3), eps: 0.3, norm: 'l2' })).toBe('PGD-10 (L2, α = ε/5)');
    expect(
      describePgd({
        eps: 0.1,
        norm: 'linf',
        steps: 7,
        stepSize: 0.03,
        randomStart: 'none',
        objective: 'margin',
      }),
    ).toBe('PGD-7 (L∞, α = 0.3ε, no random start, margin loss)');
    expect(describePgd({ eps: 0.1, norm: 'linf', steps: 1, stepSize: 0.2 })).toBe('PGD-1 (L∞, α = 2ε)');
  });
});
