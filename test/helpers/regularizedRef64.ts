/**
 * Float64 re-implementations of the regularised losses (GR, CURE, LLR) and of their detached inner steps
 * (CURE's z, the LLR attacks), written from the formulas on top of ref64.ts — independent of the tfjs code.
 * Inputs are plain arrays: points `[B][2]`, labels `[B]`, masks as ref64's `Masks64`.
 */
import type { Norm } from '../../src/core/types.ts';
import { ce64, forward64, inputGradCE64, type Masks64, type Net64 } from './ref64.ts';

type Pts = readonly (readonly number[])[];

const mean = (v: readonly number[]) => v.reduce((s, a) => s + a, 0) / v.length;
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const l2 = (a: readonly number[]) => Math.sqrt(dot(a, a));
const linf = (a: readonly number[]) => Math.max(...a.map(Math.abs));
const pts = (x: Pts) => x.map((r) => r.slice());

/** mean_i [CE_i + (λ/2)‖g_i‖²] (l2sq) or mean_i [CE_i + ε‖g_i‖_*] (dual; ‖·‖₁ for linf, √(‖·‖²+1e-12) for l2). */
export function grLoss64(
  net: Net64,
  theta: Float64Array,
  x: Pts,
  y: readonly number[],
  o: { variant: 'l2sq' | 'dual'; lambda: number; eps: number; norm: Norm },
  masks?: Masks64,
): number {
  const r = inputGradCE64(net, theta, pts(x), y, masks);
  return mean(
    r.ce.map((ce, i) => {
      const g = r.grad[i]!;
      if (o.variant === 'l2sq') return ce + (o.lambda / 2) * dot(g, g);
      const d = o.norm === 'linf' ? Math.abs(g[0]!) + Math.abs(g[1]!) : Math.sqrt(dot(g, g) + 1e-12);
      return ce + o.eps * d;
    }),
  );
}

/** CURE: mean_i CE_i(x; masks) + γ·mean_i ‖g(x+z) − g(x)‖^p, gradients without masks (p = 1: √(·+1e-12)). */
export function cureLoss64(
  net: Net64,
  theta: Float64Array,
  x: Pts,
  xz: Pts,
  y: readonly number[],
  gamma: number,
  p: 1 | 2,
  masks?: Masks64,
): number {
  const at = inputGradCE64(net, theta, pts(x), y);
  const atZ = inputGradCE64(net, theta, pts(xz), y);
  const ce = masks ? forward64(net, theta, pts(x), masks).logits.map((z, i) => ce64(z, y[i]!)) : at.ce;
  const reg = at.grad.map((g, i) => {
    const d = atZ.grad[i]!.map((v, c) => v - g[c]!);
    const sq = dot(d, d);
    return p === 2 ? sq : Math.sqrt(sq + 1e-12);
  });
  return mean(ce) + gamma * mean(reg);
}

/** CURE's z_i = h·sign(g_i)/‖sign(g_i)‖₂ (0 for a zero gradient), from the unmasked gradient at x. */
export function cureZ64(
  net: Net64,
  theta: Float64Array,
  x: Pts,
  y: readonly number[],
  h: number,
): number[][] {
  return inputGradCE64(net, theta, pts(x), y).grad.map((g) => {
    const s = g.map(Math.sign);
    const n = l2(s);
    return n === 0 ? [0, 0] : s.map((v) => (h * v) / n);
  });
}

/** LLR (Qin): mean_i [ℓ_i(x) + λ|ℓ_i(x+δ) − ℓ_i(x) − δᵀg_i| + μ|δᵀg_i|], one mask set for both points. */
export function llrQinLoss64(
  net: Net64,
  theta: Float64Array,
  x: Pts,
  xAdv: Pts,
  y: readonly number[],
  lambda: number,
  mu: number,
  masks?: Masks64,
): number {
  const clean = inputGradCE64(net, theta, pts(x), y, masks);
  const adv = forward64(net, theta, pts(xAdv), masks).logits.map((z, i) => ce64(z, y[i]!));
  return mean(
    clean.ce.map((ce, i) => {
      const delta = xAdv[i]!.map((v, c) => v - x[i]![c]!);
      const lin = dot(delta, clean.grad[i]!);
      return ce + lambda * Math.abs(adv[i]! - ce - lin) + mu * Math.abs(lin);
    }),
  );
}

/** LLR as lolip ran it: mean CE(x; masksClean) + λ·mean CE(x+δ; masksAdv). */
export function llrRepoLoss64(
  net: Net64,
  theta: Float64Array,
  x: Pts,
  xAdv: Pts,
  y: readonly number[],
  lambda: number,
  masksClean?: Masks64,
  masksAdv?: Masks64,
): number {
  const ce = (p: Pts, m?: Masks64) => forward64(net, theta, pts(p), m).logits.map((z, i) => ce64(z, y[i]!));
  return mean(ce(x, masksClean)) + lambda * mean(ce(xAdv, masksAdv));
}

export interface Box64 {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}
const clipBox = (p: number[], box: Box64 | null) =>
  box ? [Math.min(Math.max(p[0]!, box.xMin), box.xMax), Math.min(Math.max(p[1]!, box.yMin), box.yMax)] : p;

/**
 * Replay of lolip's llr.py inner loop for 2D rows: δ⁰ = `init`; per step, δ += (ε/2)·g/‖g‖_p (a step of
 * (ε/2)·`noise[k]` where g = 0), x+δ clipped to the box, δ·min(1, r/‖δ‖_p) (renorm, r = projection radius).
 * `clip: true` replaces the renorm by a coordinate clip (to show the test tells them apart). Returns x + δ.
 */
export function llrRepoAttack64(
  net: Net64,
  theta: Float64Array,
  x: Pts,
  y: readonly number[],
  o: {
    eps: number;
    radius: number;
    norm: Norm;
    box: Box64 | null;
    init: Pts;
    noise: readonly Pts[];
    clip?: boolean;
  },
): number[][] {
  const p = o.norm === 'linf' ? linf : l2;
  let delta = pts(o.init);
  for (const noise of o.noise) {
    const g = inputGradCE64(
      net,
      theta,
      x.map((r, i) => r.map((v, c) => v + delta[i]![c]!)),
      y,
    ).grad;
    delta = delta.map((d, i) => {
      const n = p(g[i]!);
      const dir = n === 0 ? noise[i]!.slice() : g[i]!.map((v) => v / n);
      const moved = clipBox(
        x[i]!.map((v, c) => v + d[c]! + (o.eps / 2) * dir[c]!),
        o.box,
      );
      const nd = moved.map((v, c) => v - x[i]![c]!);
      if (o.clip) return nd.map((v) => Math.min(Math.max(v, -o.radius), o.radius));
      const len = p(nd);
      return len > o.radius ? nd.map((v) => (v * o.radius) / len) : nd;
    });
  }
  return x.map((r, i) => r.map((v, c) => v + delta[i]![c]!));
}

/** γ_i(δ) = |ℓ_i(x+δ) − ℓ_i(x) − δᵀ∇ℓ_i(x)| for each row (masks shared). */
export function llrGamma64(
  net: Net64,
  theta: Float64Array,
  x: Pts,
  xAdv: Pts,
  y: readonly number[],
  masks?: Masks64,
): number[] {
  const clean = inputGradCE64(net, theta, pts(x), y, masks);
  const adv = forward64(net, theta, pts(xAdv), masks).logits.map((z, i) => ce64(z, y[i]!));
  return clean.ce.map((ce, i) => {
    const delta = xAdv[i]!.map((v, c) => v - x[i]![c]!);
    return Math.abs(adv[i]! - ce - dot(delta, clean.grad[i]!));
  });
}

/**
 * Replay of the Qin attack for 2D rows: from `start` (offsets already inside the ball), K steps
 * δ ← Π(δ + (ε/4)·dir(sign(γ-inner)·(∇ℓ(x+δ) − ∇ℓ(x)))) with dir = sign (linf) or the unit vector (l2), Π the
 * projection on the ball of radius `radius` then the box. Returns x + δ.
 */
export function llrQinAttack64(
  net: Net64,
  theta: Float64Array,
  x: Pts,
  y: readonly number[],
  o: { eps: number; radius: number; norm: Norm; box: Box64 | null; start: Pts; steps: number },
  masks?: Masks64,
): number[][] {
  const clean = inputGradCE64(net, theta, pts(x), y, masks);
  const project = (p: number[], i: number) => {
    let d = p.map((v, c) => v - x[i]![c]!);
    if (o.norm === 'linf') d = d.map((v) => Math.min(Math.max(v, -o.radius), o.radius));
    else d = d.map((v) => v * Math.min(1, o.radius / Math.sqrt(dot(d, d) + 1e-30)));
    return clipBox(
      d.map((v, c) => v + x[i]![c]!),
      o.box,
    );
  };
  let xAdv = x.map((r, i) =>
    project(
      r.map((v, c) => v + o.start[i]![c]!),
      i,
    ),
  );
  for (let k = 0; k < o.steps; k++) {
    const at = inputGradCE64(net, theta, xAdv, y, masks);
    xAdv = xAdv.map((p, i) => {
      const delta = p.map((v, c) => v - x[i]![c]!);
      const inner = at.ce[i]! - clean.ce[i]! - dot(delta, clean.grad[i]!);
      const g = at.grad[i]!.map((v, c) => Math.sign(inner) * (v - clean.grad[i]![c]!));
      const dir = o.norm === 'linf' ? g.map(Math.sign) : g.map((v) => v / Math.max(l2(g), 1e-30));
      return project(
        p.map((v, c) => v + (o.eps / 4) * dir[c]!),
        i,
      );
    });
  }
  return xAdv;
}
