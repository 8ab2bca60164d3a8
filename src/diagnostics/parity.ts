/**
 * Backend parity: the same plain weights and inputs evaluated on two tfjs backends, compared element by element.
 * Shared by the Node unit test (cpu against wasm) and the diagnostics page (cpu against any backend). It imports
 * only `@tensorflow/tfjs` and the engine's model code, so it runs unchanged in Node and in the browser.
 *
 * What is compared (each read back with `await data()`):
 * - the logits;
 * - the input gradients ∇ₓ CE (the model's hand-written backward, {@link inputGradCE}) and ∇ₓ margin (tf's autodiff
 *   through `max`);
 * - the parameter gradients of the mean cross-entropy, and of the GR-style penalty mean ‖∇ₓ CE‖² (first-order
 *   autodiff through the hand-written backward, as GR, LLR and CURE train).
 *
 * Error measures, per quantity: `maxAbs = max |a − b|` and `maxRel = max |a − b| / max(|b|, 1)`, `b` the reference:
 * relative for entries larger than 1 in magnitude, absolute below. {@link PARITY_TOLERANCE} bounds `maxRel`.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.ts';
import { Mlp, type Activation, type MlpSpec, type PlainLayer } from '../ml/model.ts';
import { crossEntropy, inputGradCE, margin } from '../ml/losses.ts';

/** The bound on every `maxRel*`: float32 kernels of these small nets agree to ~1e-7. */
export const PARITY_TOLERANCE = 1e-5;

export interface ParityCase {
  readonly activation: Activation;
  /** Hidden widths, e.g. `[16, 16]` (depth 2). */
  readonly hidden: readonly number[];
  readonly classes: number;
  /** Number of input points. */
  readonly points: number;
  /** Seed of the weights (`Mlp.init`) and of the inputs. */
  readonly seed: number;
}

export const DEFAULT_PARITY_CASE: ParityCase = {
  activation: 'relu',
  hidden: [16, 16],
  classes: 2,
  points: 32,
  seed: 0,
};

/** Everything a probe needs, as plain numbers: identical on every backend. */
export interface ParityInputs {
  readonly spec: MlpSpec;
  readonly weights: readonly PlainLayer[];
  /** `[points, 2]` row-major. */
  readonly x: Float32Array;
  readonly y: Int32Array;
}

/** What one backend computed. */
export interface Probe {
  readonly logits: Float32Array;
  /** ∇ₓ CE_i, `[points, 2]`. */
  readonly inputGradCE: Float32Array;
  /** ∇ₓ margin_i, `[points, 2]`. */
  readonly inputGradMargin: Float32Array;
  /** ∂ mean CE / ∂θ, flattened in the order W₁, b₁, W₂, b₂, … */
  readonly paramGrad: Float32Array;
  /** ∂ mean ‖∇ₓ CE‖² / ∂θ, same order. */
  readonly penaltyGrad: Float32Array;
}

export interface Diff {
  /** max |a − b|. */
  readonly maxAbs: number;
  /** max |a − b| / max(|b|, 1). */
  readonly maxRel: number;
}

export interface ParityResult {
  readonly backend: string;
  readonly reference: string;
  readonly case: ParityCase;
  readonly maxAbsLogits: number;
  readonly maxRelLogits: number;
  /** Over ∇ₓ CE and ∇ₓ margin. */
  readonly maxAbsInputGrad: number;
  readonly maxRelInputGrad: number;
  /** ∂ mean CE / ∂θ. */
  readonly maxAbsParamGrad: number;
  readonly maxRelParamGrad: number;
  /** ∂ mean ‖∇ₓ CE‖² / ∂θ. */
  readonly maxAbsPenaltyGrad: number;
  readonly maxRelPenaltyGrad: number;
  readonly tolerance: number;
  /** Every `maxRel*` is at most `tolerance`. */
  readonly ok: boolean;
}

/**
 * Draws the weights (`Mlp.init` with `Rng(seed)`, PyTorch's initialisation) and the inputs (uniform in
 * [−1.5, 1.5]², labels uniform) of a case. The weights are drawn in JS, so any current backend gives the same.
 */
export async function parityInputs(c: ParityCase): Promise<ParityInputs> {
  const spec: MlpSpec = {
    inputDim: 2,
    hidden: c.hidden,
    outputDim: c.classes,
    activation: c.activation,
    dropout: 0,
  };
  const rng = new Rng(c.seed);
  const model = Mlp.init(spec, rng);
  const weights = await model.toPlain();
  model.dispose();
  const x = new Float32Array(2 * c.points);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1.5, 1.5);
  const y = Int32Array.from({ length: c.points }, () => rng.int(c.classes));
  return { spec, weights, x, y };
}

/** Evaluates a probe on the current backend; disposes every tensor it made. */
export async function probe(inputs: ParityInputs): Promise<Probe> {
  const { spec, weights, y } = inputs;
  const n = y.length;
  const model = Mlp.fromPlain(spec, weights);
  try {
    const vars = model.variables();
    const out = tf.tidy(() => {
      const x = tf.tensor2d(inputs.x, [n, 2]);
      const yOneHot = tf.oneHot(tf.tensor1d(y, 'int32'), spec.outputDim).toFloat() as tf.Tensor2D;
      const ce = inputGradCE(model, x, yOneHot);
      const marginGrad = tf.grad((xi) => tf.sum(margin(model.forward(xi as tf.Tensor2D), yOneHot)))(x);
      const flat = (g: tf.NamedTensorMap) => tf.concat(vars.map((v) => tf.reshape(g[v.name]!, [-1])));
      const paramGrad = flat(
        tf.variableGrads(() => tf.mean(crossEntropy(model.forward(x), yOneHot)), vars).grads,
      );
      const penaltyGrad = flat(
        tf.variableGrads(() => {
          const g = inputGradCE(model, x, yOneHot).grad;
          return tf.mean(tf.sum(tf.square(g), 1));
        }, vars).grads,
      );
      return [ce.logits, ce.grad, marginGrad, paramGrad, penaltyGrad];
    });
    const [logits, gradCE, gradMargin, paramGrad, penaltyGrad] = await Promise.all(
      out.map(async (t) => Float32Array.from(await t.data())),
    );
    tf.dispose(out);
    return {
      logits: logits!,
      inputGradCE: gradCE!,
      inputGradMargin: gradMargin!,
      paramGrad: paramGrad!,
      penaltyGrad: penaltyGrad!,
    };
  } finally {
    model.dispose();
  }
}

/** Element-wise difference of `a` from the reference `b`; Infinity for a length mismatch or a non-finite entry. */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>): Diff {
  if (a.length !== b.length) return { maxAbs: Infinity, maxRel: Infinity };
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!Number.isFinite(d)) return { maxAbs: Infinity, maxRel: Infinity };
    maxAbs = Math.max(maxAbs, d);
    maxRel = Math.max(maxRel, d / Math.max(Math.abs(b[i]!), 1));
  }
  return { maxAbs, maxRel };
}

/** Compares a probe with the reference probe. */
export function compareProbes(
  backend: string,
  reference: string,
  c: ParityCase,
  got: Probe,
  ref: Probe,
): ParityResult {
  const logits = diff(got.logits, ref.logits);
  const gCE = diff(got.inputGradCE, ref.inputGradCE);
  const gMargin = diff(got.inputGradMargin, ref.inputGradMargin);
  const param = diff(got.paramGrad, ref.paramGrad);
  const penalty = diff(got.penaltyGrad, ref.penaltyGrad);
  const result = {
    backend,
    reference,
    case: c,
    maxAbsLogits: logits.maxAbs,
    maxRelLogits: logits.maxRel,
    maxAbsInputGrad: Math.max(gCE.maxAbs, gMargin.maxAbs),
    maxRelInputGrad: Math.max(gCE.maxRel, gMargin.maxRel),
    maxAbsParamGrad: param.maxAbs,
    maxRelParamGrad: param.maxRel,
    maxAbsPenaltyGrad: penalty.maxAbs,
    maxRelPenaltyGrad: penalty.maxRel,
    tolerance: PARITY_TOLERANCE,
  };
  const ok = [logits, gCE, gMargin, param, penalty].every((d) => d.maxRel <= PARITY_TOLERANCE);
  return { ...result, ok };
}
