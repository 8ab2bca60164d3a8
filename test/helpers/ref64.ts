/**
 * An independent float64 MLP in plain JS: the reference every tfjs gradient is checked against.
 * Weights are a flat Float64Array in the order W₁ (row-major nIn×nOut), b₁, W₂, b₂, …
 */
import type { Activation, PlainLayer } from '../../src/ml/model.ts';

export interface Net64 {
  readonly widths: readonly number[];
  readonly activation: Activation;
}

export function flatten(plain: readonly PlainLayer[]): Float64Array {
  const out: number[] = [];
  for (const l of plain) {
    for (const row of l.W) out.push(...row);
    out.push(...l.b);
  }
  return Float64Array.from(out);
}

export function unflatten(net: Net64, theta: Float64Array): PlainLayer[] {
  const layers: PlainLayer[] = [];
  let o = 0;
  for (let k = 0; k + 1 < net.widths.length; k++) {
    const nIn = net.widths[k]!;
    const nOut = net.widths[k + 1]!;
    const W = Array.from({ length: nIn }, (_, i) =>
      Array.from(theta.subarray(o + i * nOut, o + (i + 1) * nOut)),
    );
    o += nIn * nOut;
    const b = Array.from(theta.subarray(o, o + nOut));
    o += nOut;
    layers.push({ W, b });
  }
  return layers;
}

const act = (a: Activation, z: number) =>
  a === 'relu' ? Math.max(0, z) : a === 'tanh' ? Math.tanh(z) : softplus(z);
const slope = (a: Activation, z: number) =>
  a === 'relu' ? (z > 0 ? 1 : 0) : a === 'tanh' ? 1 - Math.tanh(z) ** 2 : 1 / (1 + Math.exp(-z));
function softplus(z: number): number {
  return z > 30 ? z : Math.log1p(Math.exp(z));
}

/** Masks: per hidden layer, a row-major [B, width] array of multipliers (or undefined). */
export type Masks64 = readonly Float64Array[] | undefined;

export interface Forward64 {
  readonly logits: number[][];
  readonly pre: number[][][];
}

/** Forward pass for each row of `x` (`[B][2]`). */
export function forward64(
  net: Net64,
  theta: Float64Array,
  x: readonly number[][],
  masks?: Masks64,
): Forward64 {
  const layers = unflatten(net, theta);
  const pre: number[][][] = layers.slice(0, -1).map(() => []);
  const logits = x.map((row, i) => {
    let a = row.slice();
    layers.forEach((l, k) => {
      const z = l.b.map((bj, j) => bj + a.reduce((s, ai, r) => s + ai * l.W[r]![j]!, 0));
      if (k === layers.length - 1) {
        a = z;
        return;
      }
      pre[k]!.push(z);
      const m = masks?.[k];
      a = z.map((zj, j) => act(net.activation, zj) * (m ? m[i * z.length + j]! : 1));
    });
    return a;
  });
  return { logits, pre };
}

export function logSoftmax64(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
}

export function ce64(z: readonly number[], y: number): number {
  return -logSoftmax64(z)[y]!;
}

/** KL(softmax(p) ‖ softmax(q)). */
export function kl64(p: readonly number[], q: readonly number[]): number {
  const lp = logSoftmax64(p);
  const lq = logSoftmax64(q);
  return lp.reduce((s, v, c) => s + Math.exp(v) * (v - lq[c]!), 0);
}

/** ∇ₓ Σ_i φ_i given dLogits[i] = ∂φ_i/∂z_i, per row. */
export function backprop64(
  net: Net64,
  theta: Float64Array,
  fwd: Forward64,
  dLogits: readonly number[][],
  masks?: Masks64,
): number[][] {
  const layers = unflatten(net, theta);
  return dLogits.map((d, i) => {
    let g = d.slice();
    for (let k = layers.length - 1; k >= 0; k--) {
      const W = layers[k]!.W;
      const gin = W.map((row) => row.reduce((s, w, j) => s + w * g[j]!, 0));
      if (k === 0) return gin;
      const z = fwd.pre[k - 1]![i]!;
      const m = masks?.[k - 1];
      g = gin.map((v, j) => v * slope(net.activation, z[j]!) * (m ? m[i * z.length + j]! : 1));
    }
    return g;
  });
}

/** Per-example CE and its input gradient. */
export function inputGradCE64(
  net: Net64,
  theta: Float64Array,
  x: readonly number[][],
  y: readonly number[],
  masks?: Masks64,
): { logits: number[][]; ce: number[]; grad: number[][] } {
  const fwd = forward64(net, theta, x, masks);
  const ce = fwd.logits.map((z, i) => ce64(z, y[i]!));
  const dLogits = fwd.logits.map((z, i) => {
    const ls = logSoftmax64(z);
    return ls.map((v, c) => Math.exp(v) - (c === y[i] ? 1 : 0));
  });
  return { logits: fwd.logits, ce, grad: backprop64(net, theta, fwd, dLogits, masks) };
}

/** Central finite differences of a float64 scalar function of the weights. */
export function finiteDiff(f: (theta: Float64Array) => number, theta: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(theta.length);
  const t = Float64Array.from(theta);
  for (let i = 0; i < theta.length; i++) {
    const v = t[i]!;
    t[i] = v + h;
    const fp = f(t);
    t[i] = v - h;
    const fm = f(t);
    t[i] = v;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** ‖a − b‖₂ / max(‖b‖₂, tiny): the relative error of a whole gradient vector. NaN anywhere gives Infinity. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    num += d * d;
    den += b[i]! * b[i]!;
  }
  const r = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
  return Number.isFinite(r) ? r : Infinity;
}
