/**
 * The ε-ball: projection onto it (and the data box), and random starts inside it. Shared by every attack and by
 * the inner maximisations of the training methods.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.ts';
import type { Box, Norm } from '../core/types.ts';

/**
 * Shrink applied to the projection radius so that a float32 point `x + δ` stays inside the ball when its
 * distance to `x` is measured exactly: rounding `x + δ` to float32 moves it by at most half an ulp of its
 * magnitude (≤ 2⁻²⁴·|x|), which this absorbs for data within |x| ≤ 4.
 */
const ROUNDING_GUARD = 2 ** -21;

/** Radius used for projections: ε less the float32 rounding guard (never negative). */
export function projectionRadius(eps: number): number {
  return Math.max(0, eps - ROUNDING_GUARD);
}

/**
 * Project `xAdv` (`[B, 2]`) onto the ε-ball around `x` in `norm`, then into `box` when given.
 * For L∞ this is the coordinate clip; for L2 the radial rescale `δ·min(1, ε/‖δ‖₂)`.
 * Clipping to the box after the ball keeps the point in both, since the box contains `x`.
 */
export function projectToBall(
  xAdv: tf.Tensor2D,
  x: tf.Tensor2D,
  eps: number,
  norm: Norm,
  box: Box | null,
): tf.Tensor2D {
  return tf.tidy(() => {
    const r = projectionRadius(eps);
    let delta = tf.sub(xAdv, x);
    if (norm === 'linf') {
      delta = tf.clipByValue(delta, -r, r);
    } else {
      const len = tf.sqrt(tf.add(tf.sum(tf.square(delta), 1, true), 1e-30));
      delta = tf.mul(delta, tf.minimum(1, tf.div(r, len)));
    }
    const out = tf.add<tf.Tensor2D>(x, delta);
    return box ? clipToBox(out, box) : out;
  });
}

export function clipToBox(p: tf.Tensor2D, box: Box): tf.Tensor2D {
  const inner = innerFloat32Box(box);
  return tf.tidy(() => {
    const lo = tf.tensor2d([[inner.xMin, inner.yMin]]);
    const hi = tf.tensor2d([[inner.xMax, inner.yMax]]);
    return tf.minimum<tf.Tensor2D>(tf.maximum(p, lo), hi);
  });
}

/**
 * `n` random offsets drawn uniformly from the ε-ball, as `[n, 2]` float32 data: U(−ε, ε)² for L∞ (Madry et al.),
 * and uniform in the disc (radius ε√u, angle 2πv) for L2 — an adaptation of torchattacks' radius-uniform start.
 */
export function randomBallOffsets(n: number, eps: number, norm: Norm, rng: Rng): Float32Array {
  const out = new Float32Array(n * 2);
  const r = projectionRadius(eps);
  for (let i = 0; i < n; i++) {
    if (norm === 'linf') {
      out[2 * i] = rng.uniform(-r, r);
      out[2 * i + 1] = rng.uniform(-r, r);
    } else {
      const rad = r * Math.sqrt(rng.random());
      const ang = 2 * Math.PI * rng.random();
      out[2 * i] = rad * Math.cos(ang);
      out[2 * i + 1] = rad * Math.sin(ang);
    }
  }
  return out;
}

/** `n × 2` draws of `scale · N(0, 1)` (TRADES' and LLR's 0.001·N(0, I) start). */
export function gaussianOffsets(n: number, scale: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < out.length; i++) out[i] = scale * rng.normal();
  return out;
}

/**
 * The steepest-ascent direction of a linear function with gradient `g` over the unit ball of `norm`:
 * `sign(g)` for L∞, `g/‖g‖₂` for L2 (rows; zero rows stay zero).
 */
export function ascentDirection(g: tf.Tensor2D, norm: Norm): tf.Tensor2D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.sign(g);
    // A relative guard: gradients of confident points can be ~1e-18, which an absolute +1e-12 would swamp.
    const len = tf.sqrt(tf.sum(tf.square(g), 1, true));
    return tf.div<tf.Tensor2D>(g, tf.maximum(len, 1e-30));
  });
}

/**
 * The box with its bounds rounded inward to float32: the box is clipped in float32, and `fround(xMax)` can lie
 * above `xMax` (e.g. 0.1 → 0.100000001), which would put a clipped point outside the box by half an ulp.
 */
export function innerFloat32Box(box: Box): Box {
  return {
    xMin: roundF32(box.xMin, 1),
    xMax: roundF32(box.xMax, -1),
    yMin: roundF32(box.yMin, 1),
    yMax: roundF32(box.yMax, -1),
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 nearest `v` on its `dir` side (+1: ≥ v, −1: ≤ v). */
function roundF32(v: number, dir: 1 | -1): number {
  const f = Math.fround(v);
  if (!Number.isFinite(f) || f === v || (f - v) * dir > 0) return f;
  if (f === 0) return dir * 2 ** -149;
  f32[0] = f;
  u32[0] = u32[0]! + (Math.sign(f) === dir ? 1 : -1);
  return f32[0];
}
