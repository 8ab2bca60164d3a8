/**
 * What the ε-ball searches of exactRobustness.ts share: the per-ball state, batched evaluation through the
 * generator protocol, margins, and float32-safe points inside a ball.
 */
import type { LabelledPoints, Norm } from '../types.ts';

export type Logits = Float32Array | Float64Array;
/** A search yields query batches `[m, 2]` and receives their logits `[m, C]`. */
export type Queries<T> = Generator<Float32Array, T, Logits>;

export type BallStatus = 'robust' | 'not-robust' | 'undecided';

export interface Ball {
  status: BallStatus | 'open';
  witness?: [number, number];
  minMargin: number;
  /** A cell was still open at the depth limit (certified search). */
  undecidedCell: boolean;
}

/** Shared, mutable state of one exactRobustness run. */
export interface SearchContext {
  readonly points: LabelledPoints;
  readonly C: number;
  readonly eps: number;
  readonly norm: Norm;
  readonly maxBatch: number;
  readonly budget: number;
  readonly balls: Ball[];
  evaluations: number;
  budgetExhausted: boolean;
  /** Finest cell side or grid spacing used so far, data units. */
  resolution: number;
}

/** The margin z_y − max_{c≠y} z_c of row `q` (> 0 means y wins strictly). */
export function margin(z: Logits, q: number, C: number, y: number): number {
  const o = q * C;
  let other = -Infinity;
  for (let c = 0; c < C; c++) if (c !== y && z[o + c]! > other) other = z[o + c]!;
  const m = z[o + y]! - other;
  if (Number.isNaN(m)) {
    throw new Error(
      `The classifier returned NaN logits for query ${q}; it cannot be checked. Retrain or reset it.`,
    );
  }
  return m;
}

/** Evaluate `xy` in chunks of at most `maxBatch` points; checks the shape and returns logits `[m, C]`. */
export function* evaluate(xy: Float32Array, C: number, maxBatch: number): Queries<Logits> {
  const m = xy.length >> 1;
  const parts: Logits[] = [];
  for (let s = 0; s < m; s += maxBatch) {
    const e = Math.min(m, s + maxBatch);
    // A copy, not a view: the callee may transfer the buffer to a worker.
    const z = yield xy.slice(2 * s, 2 * e);
    if (z.length !== (e - s) * C) {
      throw new Error(
        `The classifier returned ${z.length} logits for ${e - s} points; expected [${e - s}, ${C}].`,
      );
    }
    parts.push(z);
  }
  if (parts.length === 1) return parts[0]!;
  const z = new Float64Array(m * C);
  let o = 0;
  for (const p of parts) {
    z.set(p, o);
    o += p.length;
  }
  return z;
}

/** Whether (px, py) lies in the closed ball of radius eps around (cx, cy). */
export function inBall(px: number, py: number, cx: number, cy: number, eps: number, norm: Norm): boolean {
  const dx = px - cx;
  const dy = py - cy;
  return norm === 'linf' ? Math.max(Math.abs(dx), Math.abs(dy)) <= eps : dx * dx + dy * dy <= eps * eps;
}

const f32 = new Float32Array(1);
const bits = new Int32Array(f32.buffer);

/** The float32 adjacent to the float32 `v` on the side of `target`. */
function stepToward(v: number, target: number): number {
  if (v === target) return v;
  if (v === 0) return target > 0 ? 2 ** -149 : -(2 ** -149);
  f32[0] = v;
  // In IEEE order, adding 1 to the bits moves a float away from zero.
  bits[0] = bits[0]! + (target > v === v > 0 ? 1 : -1);
  return f32[0];
}

/**
 * (qx, qy) rounded to float32, then stepped toward the centre one float32 at a time while rounding has left it
 * outside the ball: a point on the boundary (a grid corner, a projection onto the disc) must still be a valid
 * witness after the classifier's float32 rounding.
 */
export function float32InBall(
  qx: number,
  qy: number,
  cx: number,
  cy: number,
  eps: number,
  norm: Norm,
): [number, number] {
  let x = Math.fround(qx);
  let y = Math.fround(qy);
  for (let k = 0; k < 8 && !inBall(x, y, cx, cy, eps, norm); k++) {
    x = stepToward(x, cx);
    y = stepToward(y, cy);
  }
  return [x, y];
}

/** The point at distance eps from (cx, cy) in direction (dx, dy), as a float32 point in the disc. */
export function onCircle(cx: number, cy: number, dx: number, dy: number, eps: number): [number, number] {
  const len = Math.sqrt(dx * dx + dy * dy);
  return float32InBall(cx + (dx / len) * eps, cy + (dy / len) * eps, cx, cy, eps, 'l2');
}
