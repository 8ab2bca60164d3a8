/**
 * The MLP on raw `tf.variable` weights (no `tf.layers`: its tanh and fused ops are wrong at second order,
 * reference/seed-methods.md §0). Row-vector convention, as in the `robust-mlp/1` format:
 * `z₁ = x·W₁ + b₁, a₁ = σ(z₁)·m₁, …, logits = a_{L−1}·W_L + b_L`, where `m_l` is an optional inverted-dropout
 * mask after each hidden layer.
 *
 * Second-order losses (GR, LLR, CURE) never nest `tf.grad`: they call {@link Mlp.backpropToInput}, a hand-written
 * backward pass in ordinary tf ops, so the outer `tf.variableGrads` differentiates it at first order only.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.ts';

export type Activation = 'relu' | 'tanh' | 'softplus';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'softplus'];

export interface MlpSpec {
  /** Input dimension (2 for the playground). */
  readonly inputDim: number;
  /** Widths of the hidden layers, e.g. `[64, 64]`. */
  readonly hidden: readonly number[];
  /** Number of classes. */
  readonly outputDim: number;
  readonly activation: Activation;
  /** Dropout probability after every hidden layer while training (0 = off). Evaluation never drops. */
  readonly dropout: number;
}

export interface Layer {
  readonly W: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
}

/** Plain float64 weights: `W[k]` is `nIn × nOut` row-major, `b[k]` has `nOut` entries. */
export interface PlainLayer {
  readonly W: number[][];
  readonly b: number[];
}

/**
 * One inverted-dropout mask per hidden layer, `[B, width]`, entries `0` or `1/(1−p)`;
 * `undefined` means no dropout (evaluation mode or p = 0).
 */
export type DropoutMasks = readonly tf.Tensor2D[] | undefined;

/** The forward pass with everything the hand-written backward needs. */
export interface ForwardCache {
  readonly logits: tf.Tensor2D;
  /** Pre-activations `z_l` of the hidden layers. */
  readonly pre: readonly tf.Tensor2D[];
}

let nextId = 0;

export class Mlp {
  readonly spec: MlpSpec;
  readonly layers: readonly Layer[];

  private constructor(spec: MlpSpec, layers: Layer[]) {
    this.spec = spec;
    this.layers = layers;
  }

  /**
   * PyTorch's default `nn.Linear` initialisation, which the paper's code uses: `W, b ~ U(±1/√fan_in)`
   * (kaiming_uniform with a = √5). Drawn from `rng` in JS, so a seed gives the same weights on every backend.
   */
  static init(spec: MlpSpec, rng: Rng): Mlp {
    validateSpec(spec);
    const widths = [spec.inputDim, ...spec.hidden, spec.outputDim];
    const plain: PlainLayer[] = [];
    for (let k = 0; k + 1 < widths.length; k++) {
      const nIn = widths[k]!;
      const nOut = widths[k + 1]!;
      const bound = 1 / Math.sqrt(nIn);
      const W = Array.from({ length: nIn }, () =>
        Array.from({ length: nOut }, () => rng.uniform(-bound, bound)),
      );
      const b = Array.from({ length: nOut }, () => rng.uniform(-bound, bound));
      plain.push({ W, b });
    }
    return Mlp.fromPlain(spec, plain);
  }

  static fromPlain(spec: MlpSpec, plain: readonly PlainLayer[]): Mlp {
    validateSpec(spec);
    const widths = [spec.inputDim, ...spec.hidden, spec.outputDim];
    if (plain.length !== widths.length - 1) {
      throw new Error(`Expected ${widths.length - 1} layers for this architecture, got ${plain.length}.`);
    }
    const id = nextId++;
    const layers = plain.map((layer, k) => {
      const nIn = widths[k]!;
      const nOut = widths[k + 1]!;
      if (layer.W.length !== nIn || layer.W.some((row) => row.length !== nOut) || layer.b.length !== nOut) {
        throw new Error(`Layer ${k + 1} should be ${nIn}×${nOut} with ${nOut} biases.`);
      }
      // tidy frees the initial-value tensors; the variables survive it.
      return tf.tidy(() => ({
        W: tf.variable(tf.tensor2d(layer.W, [nIn, nOut], 'float32'), true, `mlp${id}_W${k + 1}`),
        b: tf.variable(tf.tensor1d(layer.b, 'float32'), true, `mlp${id}_b${k + 1}`),
      }));
    });
    return new Mlp(spec, layers);
  }

  /** The trainable variables, in layer order `W₁, b₁, W₂, b₂, …`. */
  variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.W, l.b]);
  }

  /** Logits `[B, C]` for inputs `[B, 2]`. */
  forward(x: tf.Tensor2D, masks?: DropoutMasks): tf.Tensor2D {
    return this.forwardCache(x, masks).logits;
  }

  forwardCache(x: tf.Tensor2D, masks?: DropoutMasks): ForwardCache {
    const pre: tf.Tensor2D[] = [];
    let a = x;
    const last = this.layers.length - 1;
    this.layers.forEach((layer, k) => {
      const z = tf.add<tf.Tensor2D>(tf.matMul(a, layer.W), layer.b);
      if (k === last) {
        a = z;
        return;
      }
      pre.push(z);
      const act = activate(z, this.spec.activation);
      const mask = masks?.[k];
      a = mask ? tf.mul(act, mask) : act;
    });
    return { logits: a, pre };
  }

  /**
   * The input gradient `∂/∂x Σ_i φ_i(logits_i)` given `dLogits = ∂φ/∂logits` (`[B, C]`), by a hand-written
   * backward pass: `g ← (g·W_lᵀ) ⊙ σ′(z_{l−1}) ⊙ m_{l−1}`, finally `∇ₓ = g·W₁ᵀ`. Every op here is first-order
   * safe, so the result is differentiable with respect to the weights — and to `dLogits` — inside
   * `tf.variableGrads`. Row `i` is the gradient of example `i` alone.
   */
  backpropToInput(cache: ForwardCache, dLogits: tf.Tensor2D, masks?: DropoutMasks): tf.Tensor2D {
    let g = dLogits;
    for (let k = this.layers.length - 1; k >= 1; k--) {
      g = tf.matMul(g, this.layers[k]!.W, false, true);
      g = tf.mul(g, activationSlope(cache.pre[k - 1]!, this.spec.activation));
      const mask = masks?.[k - 1];
      if (mask) g = tf.mul(g, mask);
    }
    return tf.matMul(g, this.layers[0]!.W, false, true);
  }

  /** Fresh dropout masks for a batch of `batch` rows, drawn in JS from `rng`; `undefined` when p = 0. */
  dropoutMasks(batch: number, rng: Rng): DropoutMasks {
    const p = this.spec.dropout;
    if (p <= 0) return undefined;
    const keep = 1 / (1 - p);
    return this.spec.hidden.map((width) => {
      const m = new Float32Array(batch * width);
      for (let i = 0; i < m.length; i++) m[i] = rng.random() < p ? 0 : keep;
      return tf.tensor2d(m, [batch, width]);
    });
  }

  /** The weights as float64 arrays (read back from the backend). */
  async toPlain(): Promise<PlainLayer[]> {
    return Promise.all(
      this.layers.map(async (layer) => {
        const [nIn, nOut] = layer.W.shape;
        const w = await layer.W.data();
        const b = await layer.b.data();
        const W = Array.from({ length: nIn }, (_, i) => Array.from(w.subarray(i * nOut, (i + 1) * nOut)));
        return { W, b: Array.from(b) };
      }),
    );
  }

  /** Overwrite the weights with those of `other` (same architecture). */
  assignFrom(other: Mlp): void {
    this.layers.forEach((layer, k) => {
      layer.W.assign(other.layers[k]!.W);
      layer.b.assign(other.layers[k]!.b);
    });
  }

  /** An independent copy with its own variables. */
  clone(): Mlp {
    const id = nextId++;
    const layers = this.layers.map((l, k) =>
      tf.tidy(() => ({
        W: tf.variable(l.W.clone(), true, `mlp${id}_W${k + 1}`),
        b: tf.variable(l.b.clone(), true, `mlp${id}_b${k + 1}`),
      })),
    );
    return new Mlp(this.spec, layers);
  }

  dispose(): void {
    for (const l of this.layers) {
      l.W.dispose();
      l.b.dispose();
    }
  }
}

export function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'softplus':
      return tf.softplus(z);
  }
}

/** σ′(z), written from z so that it is differentiated once only (tanh's own gradient saves its output). */
export function activationSlope(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.step(z);
    case 'tanh':
      return tf.sub(1, tf.square(tf.tanh(z)));
    case 'softplus':
      return tf.sigmoid(z);
  }
}

function validateSpec(spec: MlpSpec): void {
  const bad = (msg: string) => new Error(`Invalid architecture: ${msg}`);
  if (!Number.isInteger(spec.inputDim) || spec.inputDim < 1) throw bad(`input dimension ${spec.inputDim}.`);
  if (!Number.isInteger(spec.outputDim) || spec.outputDim < 2) throw bad(`needs at least 2 classes.`);
  if (
    spec.hidden.length < 1 ||
    spec.hidden.length > 8 ||
    spec.hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 1024)
  ) {
    throw bad(`give 1 to 8 hidden widths, each an integer from 1 to 1024; got [${spec.hidden.join(', ')}].`);
  }
  if (!ACTIVATIONS.includes(spec.activation))
    throw bad(`activation must be one of ${ACTIVATIONS.join(', ')}.`);
  if (!(spec.dropout >= 0 && spec.dropout < 1)) throw bad(`dropout must be in [0, 1), got ${spec.dropout}.`);
}
