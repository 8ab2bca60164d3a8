/**
 * The theorem's construction as a tfjs classifier, so that the same attacks, Lipschitz estimates and grids run
 * on it as on the networks. Logits in the margin form of core/theorem.ts:
 * `f_c(x) = (min_{c'≠c} d_{c'}(x) − d_c(x)) / (2r)`, with `d_c` the distance to the nearest training point of
 * class c in the attack's norm — for two classes exactly the notebook's `[−f, f]`,
 * `f = (d(x, X₀) − d(x, X₁)) / (2r)` (paper-algorithms.md §9). Differentiable almost everywhere (min/max/abs),
 * which is all a first-order attack needs.
 */
import * as tf from '@tensorflow/tfjs';
import type { LabelledPoints, Norm } from '../core/types.ts';
import type { Classifier } from './classifier.ts';

/** Inputs per chunk: keeps the `[B, N, 2]` difference tensor small. */
const CHUNK = 1024;
const FAR = 1e6;

export class NearestNeighbourClassifier implements Classifier {
  readonly r: number;
  readonly norm: Norm;
  readonly nClasses: number;
  private readonly support: tf.Tensor3D;
  /** `[C, N]`: 0 where training point n has class c, FAR elsewhere. */
  private readonly classPenalty: tf.Tensor2D;

  constructor(train: LabelledPoints, nClasses: number, norm: Norm, r: number) {
    if (!(r > 0 && Number.isFinite(r))) throw new RangeError(`The construction needs r > 0, got ${r}.`);
    this.r = r;
    this.norm = norm;
    this.nClasses = nClasses;
    const n = train.y.length;
    this.support = tf.tensor3d(Float32Array.from(train.x), [1, n, 2]);
    const penalty = new Float32Array(nClasses * n);
    for (let c = 0; c < nClasses; c++)
      for (let j = 0; j < n; j++) penalty[c * n + j] = train.y[j] === c ? 0 : FAR;
    this.classPenalty = tf.tensor2d(penalty, [nClasses, n]);
  }

  /** An upper bound, in the L2 input norm, on the Lipschitz constant of every logit difference f_a − f_b. */
  get marginLipschitzL2(): number {
    // Each f_c is 1/r-Lipschitz (a difference of two 1-Lipschitz distances over 2r; ‖·‖∞ ≤ ‖·‖₂ covers L∞).
    return 2 / this.r;
  }

  forward(x: tf.Tensor2D): tf.Tensor2D {
    const b = x.shape[0];
    if (b <= CHUNK) return tf.tidy(() => this.forwardChunk(x));
    const parts: tf.Tensor2D[] = [];
    for (let s = 0; s < b; s += CHUNK) {
      parts.push(tf.tidy(() => this.forwardChunk(tf.slice(x, [s, 0], [Math.min(CHUNK, b - s), 2]))));
    }
    const out = tf.concat(parts, 0);
    tf.dispose(parts);
    return out;
  }

  dispose(): void {
    this.support.dispose();
    this.classPenalty.dispose();
  }

  private forwardChunk(x: tf.Tensor2D): tf.Tensor2D {
    const diff = tf.sub(tf.expandDims(x, 1), this.support); // [B, N, 2]
    const dist =
      this.norm === 'linf'
        ? tf.max(tf.abs(diff), 2)
        : // The tiny term keeps the gradient finite when x sits on a training point.
          tf.sqrt(tf.add(tf.sum(tf.square(diff), 2), 1e-12)); // [B, N]
    // d_c(x) for every class: [B, C].
    const perClass = tf.min(tf.add(tf.expandDims(dist, 1), tf.expandDims(this.classPenalty, 0)), 2);
    const cols = Array.from({ length: this.nClasses }, (_, c) => {
      const others = tf.concat(
        [tf.slice(perClass, [0, 0], [-1, c]), tf.slice(perClass, [0, c + 1], [-1, this.nClasses - c - 1])],
        1,
      );
      return tf.sub(tf.min(others, 1), tf.squeeze(tf.slice(perClass, [0, c], [-1, 1]), [1]));
    });
    return tf.div<tf.Tensor2D>(tf.stack(cols, 1), 2 * this.r);
  }
}
