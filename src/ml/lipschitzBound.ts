/**
 * Certified Lipschitz bounds of an {@link Mlp} from the spectral norms of its weight matrices
 * (reference/seed-methods.md §7.3 (a)). Everything here is float64 plain JS on the weights read back with
 * `await t.data()`: the numbers are a certificate for the float32 weights as stored, not an estimate.
 *
 * Why the product of norms is a valid bound: with `z_l = a_{l−1}·W_l + b_l` and `a_l = σ(z_l)`, each affine map
 * is ‖W_l‖₂-Lipschitz in L2 and relu, tanh and softplus are 1-Lipschitz coordinate-wise, so the logit map is
 * `∏_l ‖W_l‖₂`-Lipschitz in L2. Dropout is off at evaluation, so masks do not enter. Biases do not enter.
 */
import type { Norm } from '../core/types.ts';
import type { Mlp } from './model.ts';

/** Cyclic Jacobi sweeps stop when the off-diagonal mass is below this fraction of the whole (float64 limit). */
const JACOBI_TOL = 1e-30;
const JACOBI_MAX_SWEEPS = 100;

/**
 * Largest eigenvalue of a symmetric matrix `A` (`n × n`, row-major arrays), by the cyclic Jacobi method in float64.
 * `A` is copied, not modified. Jacobi rotations are orthogonal, so the eigenvalues come out to float64 accuracy
 * relative to ‖A‖.
 */
export function symmetricMaxEigenvalue(A: readonly (readonly number[])[]): number {
  const n = A.length;
  if (n === 0) return 0;
  const a = A.map((row) => Float64Array.from(row));
  let total = 0;
  for (const row of a) for (const v of row) total += v * v;
  for (let sweep = 0; sweep < JACOBI_MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * a[p]![q]! ** 2;
    if (off <= JACOBI_TOL * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const app = a[p]![p]!;
        const aqq = a[q]![q]!;
        // Rotation angle that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1, symmetric Schur 2×2).
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, a[i]![i]!);
  return max;
}

/**
 * The exact spectral norm σ_max(W) = √λ_max(G) of a dense matrix `W` (`rows × cols`, row-major arrays), where `G`
 * is the Gram matrix of the smaller side (`W·Wᵀ` or `Wᵀ·W`), in float64.
 */
export function spectralNorm(W: readonly (readonly number[])[]): number {
  const rows = W.length;
  const cols = rows ? W[0]!.length : 0;
  if (rows === 0 || cols === 0) return 0;
  const small = Math.min(rows, cols);
  const G: number[][] = Array.from({ length: small }, () => new Array<number>(small).fill(0));
  for (let i = 0; i < small; i++) {
    for (let j = i; j < small; j++) {
      let s = 0;
      if (rows <= cols) for (let k = 0; k < cols; k++) s += W[i]![k]! * W[j]![k]!;
      else for (let k = 0; k < rows; k++) s += W[k]![i]! * W[k]![j]!;
      G[i]![j] = s;
      G[j]![i] = s;
    }
  }
  return Math.sqrt(Math.max(0, symmetricMaxEigenvalue(G)));
}

/** σ_max of every weight matrix `W_l`, in layer order, from the weights as stored (float32 read back as float64). */
export async function spectralNorms(model: Mlp): Promise<number[]> {
  const plain = await model.toPlain();
  return plain.map((layer) => spectralNorm(layer.W));
}

/**
 * `∏_l σ_max(W_l)`: a certified L2 Lipschitz constant of the logit map `x ↦ f(x)` (`R² → R^C`).
 */
export async function logitLipschitzBound(model: Mlp): Promise<number> {
  return (await spectralNorms(model)).reduce((p, s) => p * s, 1);
}

/**
 * A certified L2 Lipschitz constant valid for every logit difference `z_a − z_b` at once:
 * `max_{a<b} ‖W_L[:, a] − W_L[:, b]‖₂ · ∏_{l<L} σ_max(W_l)`. Since `z_a − z_b = a_{L−1}·(W_L[:,a] − W_L[:,b]) + const`,
 * this is never larger than `√2 · ∏_l σ_l` and is usually smaller. The margin `z_y − max_{c≠y} z_c` is a minimum
 * of such differences, so it has the same constant.
 */
export async function marginLipschitzBound(model: Mlp): Promise<number> {
  const plain = await model.toPlain();
  const last = plain[plain.length - 1]!.W;
  const classes = last[0]!.length;
  let best = 0;
  for (let a = 0; a < classes; a++) {
    for (let b = a + 1; b < classes; b++) {
      let s = 0;
      for (const row of last) s += (row[a]! - row[b]!) ** 2;
      best = Math.max(best, Math.sqrt(s));
    }
  }
  const inner = plain.slice(0, -1).reduce((p, layer) => p * spectralNorm(layer.W), 1);
  return best * inner;
}

/**
 * The certified radius of a point whose margin is `margin` (`z_y − max_{c≠y} z_c`), given a Lipschitz constant
 * `bound` of the logit differences in L2 (e.g. {@link marginLipschitzBound}, or √2 × {@link logitLipschitzBound}).
 * L2 balls: `margin / bound`. L∞ balls in 2D: `margin / (√2 · bound)`, since ‖δ‖₂ ≤ √2‖δ‖∞ — exact for a linear
 * margin whose weights have equal magnitude, conservative otherwise. Signed: negative for a misclassified point
 * (then `|value|` lower-bounds its distance to the boundary).
 */
export function certifiedRadius(margin: number, bound: number, norm: Norm): number {
  if (!(bound >= 0)) throw new RangeError(`A Lipschitz bound must be a non-negative number, got ${bound}.`);
  const r = bound === 0 ? (margin === 0 ? 0 : Math.sign(margin) * Infinity) : margin / bound;
  return norm === 'l2' ? r : r / Math.SQRT2;
}
