/**
 * The fallback search when no Lipschitz bound is known: a uniform grid over each ball. It can find
 * adversarial points but prove nothing, so a clean ball is "no adversarial point on the grid".
 */
import {
  evaluate,
  float32InBall,
  inBall,
  margin,
  onCircle,
  type Queries,
  type SearchContext,
} from './shared.ts';

/**
 * `G × G` points over each open ball's square, boundary included (for L2 the ones in the disc, plus `4(G − 1)`
 * points on the circle), balls packed into batches of up to `maxBatch` points.
 */
export function* gridSearch(ctx: SearchContext, G: number): Queries<void> {
  const { points, C, eps, norm, balls } = ctx;
  ctx.resolution = (2 * eps) / (G - 1);
  const offsets: [number, number][] = [];
  for (let a = 0; a < G; a++) {
    for (let b = 0; b < G; b++) {
      // 2a/(G−1) − 1 reaches ±1 exactly, so the corners and edges are on the grid.
      const u = (2 * a) / (G - 1) - 1;
      const v = (2 * b) / (G - 1) - 1;
      if (norm === 'linf' || u * u + v * v <= 1) offsets.push([u, v]);
    }
  }
  const rim = norm === 'l2' ? 4 * (G - 1) : 0;
  const perBall = offsets.length + rim;
  const open = balls.flatMap((b, i) => (b.status === 'open' ? [i] : []));
  const ballsPerCall = Math.max(1, Math.floor(ctx.maxBatch / perBall));
  for (let s = 0; s < open.length; s += ballsPerCall) {
    const group = open.slice(s, s + ballsPerCall);
    if (ctx.evaluations + group.length * perBall > ctx.budget) {
      ctx.budgetExhausted = true;
      for (const i of open.slice(s)) balls[i]!.status = 'undecided';
      return;
    }
    const xy = new Float32Array(2 * group.length * perBall);
    let k = 0;
    for (const i of group) {
      const cx = points.x[2 * i]!;
      const cy = points.x[2 * i + 1]!;
      for (const [u, v] of offsets) {
        [xy[k], xy[k + 1]] = float32InBall(cx + eps * u, cy + eps * v, cx, cy, eps, norm);
        k += 2;
      }
      for (let t = 0; t < rim; t++) {
        const angle = (2 * Math.PI * t) / rim;
        [xy[k], xy[k + 1]] = onCircle(cx, cy, Math.cos(angle), Math.sin(angle), eps);
        k += 2;
      }
    }
    const z = yield* evaluate(xy, C, ctx.maxBatch);
    ctx.evaluations += group.length * perBall;
    group.forEach((i, g) => {
      const ball = balls[i]!;
      const cx = points.x[2 * i]!;
      const cy = points.x[2 * i + 1]!;
      let worst = Infinity;
      for (let q = g * perBall; q < (g + 1) * perBall; q++) {
        const m = margin(z, q, C, points.y[i]!);
        ball.minMargin = Math.min(ball.minMargin, m);
        const wx = xy[2 * q]!;
        const wy = xy[2 * q + 1]!;
        if (m <= 0 && m < worst && inBall(wx, wy, cx, cy, eps, norm)) {
          worst = m;
          ball.witness = [wx, wy];
        }
      }
      ball.status = ball.witness ? 'not-robust' : 'robust';
    });
  }
}
