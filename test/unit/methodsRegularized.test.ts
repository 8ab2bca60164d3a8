/**
 * GR, CURE and LLR: every loss's weight gradient (tf.variableGrads on the cpu backend, with the prepared
 * constants held fixed) against central finite differences of an independent float64 re-implementation
 * (test/helpers/regularizedRef64.ts); their detached inner steps against float64 replays; closed forms.
 *
 * Tolerances: values to 1e-5·(1 + |L|) (float32 vs float64 on ~10 ops); gradients to a relative error of 1e-3
 * measured against the *penalty's* share of the gradient, ‖∇L_tf − ∇L_64‖ / ‖∇L_64 − ∇CE_64‖, so that a wrong
 * second-order term cannot hide behind a correct CE term. NaN anywhere makes relativeError return Infinity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../src/ml/model.ts';
import { gr } from '../../src/ml/methods/gr.ts';
import { cure } from '../../src/ml/methods/cure.ts';
import { llr } from '../../src/ml/methods/llr.ts';
import { relativeError } from '../helpers/index.ts';
import { cureLoss64, grLoss64, llrQinLoss64, llrRepoLoss64 } from '../helpers/regularizedRef64.ts';
import { checkLoss, masksOf, meanCe64, rows, setup } from '../helpers/regularizedSetup.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

describe.each(ACTIVATIONS)('with %s activations', (activation) => {
  describe.each([
    ['l2sq', 'linf'],
    ['dual', 'linf'],
    ['dual', 'l2'],
  ] as const)('GR %s (%s ball)', (variant, norm) => {
    it('has the weight gradient of the float64 reference', async () => {
      const s = await setup(activation, 11, { eps: 0.5, norm });
      const lambda = 20;
      await checkLoss(
        s,
        gr,
        variant,
        { lambda },
        (t) => grLoss64(s.net, t, s.x, s.y, { variant, lambda, eps: 0.5, norm }),
        (t) => meanCe64(s, s.x, t),
      );
      s.dispose();
    });
  });

  describe.each([
    ['paper', 2],
    ['repo', 1],
  ] as const)('CURE %s (p = %d)', (variant, p) => {
    it('has the weight gradient of the float64 reference', async () => {
      const s = await setup(activation, 12, { eps: 0.3 });
      const gamma = 50;
      await checkLoss(
        s,
        cure,
        variant,
        { gamma },
        (t, r) => cureLoss64(s.net, t, s.x, rows(r.xz!), s.y, gamma, p),
        (t) => meanCe64(s, s.x, t),
      );
      s.dispose();
    });
  });

  describe.each(['qin', 'repo'] as const)('LLR %s', (variant) => {
    it('has the weight gradient of the float64 reference', async () => {
      const s = await setup(activation, 13, { eps: 0.5 });
      const [lambda, mu] = [4, 3];
      await checkLoss(
        s,
        llr,
        variant,
        { lambda, mu, steps: 5 },
        (t, r) =>
          variant === 'qin'
            ? llrQinLoss64(s.net, t, s.x, rows(r.xAdv!), s.y, lambda, mu)
            : llrRepoLoss64(s.net, t, s.x, rows(r.xAdv!), s.y, lambda),
        (t) => meanCe64(s, s.x, t),
      );
      s.dispose();
    });
  });
});

describe('with dropout (fixed masks drawn in prepare)', () => {
  it('GR l2sq differentiates through the masked input gradient', async () => {
    const s = await setup('tanh', 21, { dropout: 0.3 });
    const { read } = await checkLoss(
      s,
      gr,
      'l2sq',
      { lambda: 20 },
      (t, r) =>
        grLoss64(
          s.net,
          t,
          s.x,
          s.y,
          { variant: 'l2sq', lambda: 20, eps: 0.1, norm: 'linf' },
          masksOf(r, 'mask'),
        ),
      (t, r) => meanCe64(s, s.x, t, masksOf(r, 'mask')),
    );
    // Inverted dropout: entries 0 or 1/(1 − 0.3), and some of each.
    const m = read.mask0!;
    expect(m.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(m.some((v) => v === 0) && m.some((v) => v > 0)).toBe(true);
    s.dispose();
  });

  it('LLR qin uses one mask set for x and x + δ', async () => {
    const s = await setup('softplus', 22, { dropout: 0.3, eps: 0.5 });
    await checkLoss(
      s,
      llr,
      'qin',
      { lambda: 4, mu: 3, steps: 3 },
      (t, r) => llrQinLoss64(s.net, t, s.x, rows(r.xAdv!), s.y, 4, 3, masksOf(r, 'mask')),
      (t, r) => meanCe64(s, s.x, t, masksOf(r, 'mask')),
    );
    s.dispose();
  });

  it('LLR repo draws independent masks for its two forward passes', async () => {
    const s = await setup('relu', 23, { dropout: 0.3, eps: 0.5 });
    const { read } = await checkLoss(
      s,
      llr,
      'repo',
      { lambda: 4 },
      (t, r) =>
        llrRepoLoss64(s.net, t, s.x, rows(r.xAdv!), s.y, 4, masksOf(r, 'maskClean'), masksOf(r, 'maskAdv')),
      (t, r) => meanCe64(s, s.x, t, masksOf(r, 'maskClean')),
    );
    expect(relativeError(read.maskClean0!, read.maskAdv0!)).toBeGreaterThan(0.1);
    s.dispose();
  });

  it('CURE masks the CE term only (its gradients are taken in eval mode, as CURE.py)', async () => {
    const s = await setup('relu', 24, { dropout: 0.3, eps: 0.3 });
    await checkLoss(
      s,
      cure,
      'paper',
      { gamma: 50 },
      (t, r) => cureLoss64(s.net, t, s.x, rows(r.xz!), s.y, 50, 2, masksOf(r, 'mask')),
      (t, r) => meanCe64(s, s.x, t, masksOf(r, 'mask')),
    );
    s.dispose();
  });
});
