import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.ts';
import { ACTIVATIONS, Mlp } from '../../src/ml/model.ts';
import { inputGradCE } from '../../src/ml/losses.ts';
import { finiteDiff, flatGrads, flatten, forward64, inputGradCE64, relativeError } from '../helpers/index.ts';
import { useCpu } from '../helpers/tf.ts';

beforeAll(useCpu);

function tinyBatch(rng: Rng, n: number) {
  const x = Array.from({ length: n }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]);
  const y = Array.from({ length: n }, () => rng.int(3));
  return { x, y };
}

describe.each(ACTIVATIONS)('the %s MLP', (activation) => {
  const spec = { inputDim: 2, hidden: [5, 4], outputDim: 3, activation, dropout: 0 } as const;
  const net = { widths: [2, 5, 4, 3], activation };

  it('computes the same logits and input gradients as the float64 reference', async () => {
    const rng = new Rng(1);
    const model = Mlp.init(spec, rng);
    const { x, y } = tinyBatch(rng, 6);
    const theta = flatten(await model.toPlain());
    const ref = inputGradCE64(net, theta, x, y);
    const [logits, grad] = tf.tidy(() => {
      const r = inputGradCE(model, tf.tensor2d(x), tf.oneHot(y, 3).toFloat() as tf.Tensor2D);
      return [r.logits, r.grad];
    });
    expect(relativeError(await logits.data(), ref.logits.flat())).toBeLessThan(1e-5);
    expect(relativeError(await grad.data(), ref.grad.flat())).toBeLessThan(1e-5);
    expect(forward64(net, theta, x).logits.length).toBe(6);
    model.dispose();
  });

  it('differentiates a penalty on the input gradient correctly (second order through the explicit backward)', async () => {
    const rng = new Rng(2);
    const model = Mlp.init(spec, rng);
    const { x, y } = tinyBatch(rng, 8);
    const theta = flatten(await model.toPlain());
    // P(θ) = Σ_i CE_i + Σ_i ‖∇ₓCE_i‖²: the GR structure, where nested tf.grad is silently wrong.
    const ref = (t: Float64Array) => {
      const r = inputGradCE64(net, t, x, y);
      return r.ce.reduce((s, v) => s + v, 0) + r.grad.flat().reduce((s, v) => s + v * v, 0);
    };
    const xs = tf.tensor2d(x);
    const yh = tf.oneHot(y, 3).toFloat() as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => {
      const r = inputGradCE(model, xs, yh);
      return tf.add<tf.Scalar>(tf.sum(r.ce), tf.sum(tf.square(r.grad)));
    }, model.variables());
    expect(Math.abs((await value.data())[0]! - ref(theta))).toBeLessThan(1e-4);
    const g = await flatGrads(grads, model.variables());
    expect(relativeError(g, finiteDiff(ref, theta))).toBeLessThan(1e-3);
    model.dispose();
  });
});
