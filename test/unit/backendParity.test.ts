/**
 * Backend parity in Node: the same seeded weights and inputs give the same logits, input gradients (∇ₓ CE by the
 * hand-written backward, ∇ₓ margin by autodiff) and parameter gradients (mean CE, and the GR penalty
 * mean ‖∇ₓ CE‖²) on `wasm` as on `cpu`, the numeric reference.
 *
 * Tolerance: every entry within 1e-5, relative for entries larger than 1 in magnitude and absolute below
 * (|a − b| ≤ 1e-5 · max(|b|, 1)); src/diagnostics/parity.ts, which the diagnostics page uses too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend, type NodeBackend } from '../../src/cli/nodeBackend.ts';
import { ACTIVATIONS } from '../../src/ml/model.ts';
import {
  compareProbes,
  diff,
  PARITY_TOLERANCE,
  parityInputs,
  probe,
  type ParityCase,
  type ParityInputs,
  type Probe,
} from '../../src/diagnostics/parity.ts';
import * as tf from '@tensorflow/tfjs';

async function probeOn(backend: NodeBackend, inputs: ParityInputs): Promise<Probe> {
  expect((await startNodeBackend(backend)).name).toBe(backend);
  return probe(inputs);
}

const maxAbsOf = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

const CASES: ParityCase[] = ACTIVATIONS.flatMap((activation) =>
  [2, 3].flatMap((classes) =>
    [[12], [12, 10]].map((hidden) => ({ activation, hidden, classes, points: 24, seed: 7 + classes })),
  ),
);

let tensorsBefore = 0;
beforeAll(async () => {
  await startNodeBackend('cpu');
  tensorsBefore = tf.memory().numTensors;
});
afterAll(async () => {
  await startNodeBackend('cpu');
});

describe('cpu and wasm agree on identical weights', () => {
  it.each(CASES.map((c) => [`${c.activation}, ${c.classes} classes, depth ${c.hidden.length}`, c] as const))(
    '%s',
    async (_name, c) => {
      const inputs = await parityInputs(c);
      const ref = await probeOn('cpu', inputs);
      const got = await probeOn('wasm', inputs);

      // The probe is not vacuous: every quantity has the expected size and is non-zero somewhere.
      const widths = [2, ...c.hidden, c.classes];
      const nParams = widths.slice(1).reduce((s, nOut, k) => s + (widths[k]! + 1) * nOut, 0);
      expect(ref.logits).toHaveLength(c.points * c.classes);
      expect(ref.inputGradCE).toHaveLength(2 * c.points);
      expect(ref.inputGradMargin).toHaveLength(2 * c.points);
      expect(ref.paramGrad).toHaveLength(nParams);
      expect(ref.penaltyGrad).toHaveLength(nParams);
      for (const [what, v] of Object.entries(ref))
        expect(maxAbsOf(v as Float32Array), what).toBeGreaterThan(1e-3);

      const r = compareProbes('wasm', 'cpu', c, got, ref);
      expect(r.maxRelLogits, 'logits').toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(r.maxRelInputGrad, 'input gradients (CE and margin)').toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(r.maxRelParamGrad, 'parameter gradients of the CE').toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(r.maxRelPenaltyGrad, 'parameter gradients of ‖∇ₓ CE‖²').toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(r.maxAbsLogits).toBeLessThanOrEqual(r.maxRelLogits * Math.max(1, maxAbsOf(ref.logits)));
      expect(r.ok).toBe(true);
      expect(tf.memory().numTensors, 'tensors left behind').toBe(tensorsBefore);
    },
  );
});

describe('the comparison can fail', () => {
  it('flags a perturbed weight, a NaN and a shape mismatch', async () => {
    const c: ParityCase = { activation: 'tanh', hidden: [12, 10], classes: 3, points: 24, seed: 1 };
    const inputs = await parityInputs(c);
    const ref = await probeOn('cpu', inputs);
    const w = inputs.weights.map((l) => ({ W: l.W.map((row) => [...row]), b: [...l.b] }));
    w[0]!.W[1]![3]! += 1e-3;
    const perturbed = await probeOn('wasm', { ...inputs, weights: w });
    const r = compareProbes('wasm', 'cpu', c, perturbed, ref);
    expect(r.ok).toBe(false);
    expect(r.maxRelLogits).toBeGreaterThan(PARITY_TOLERANCE);
    expect(r.maxRelInputGrad).toBeGreaterThan(PARITY_TOLERANCE);
    expect(r.maxRelParamGrad).toBeGreaterThan(PARITY_TOLERANCE);

    expect(diff([1, NaN], [1, 2])).toEqual({ maxAbs: Infinity, maxRel: Infinity });
    expect(diff([1, 2], [1, 2, 3]).maxRel).toBe(Infinity);
    // Relative above 1, absolute below.
    expect(diff([100.001], [100]).maxRel).toBeCloseTo(1e-5, 9);
    expect(diff([0.50001], [0.5]).maxRel).toBeCloseTo(1e-5, 9);
  });
});
