/**
 * The certified search: adaptive cells over each ball, each either proved safe by a Lipschitz bound, turned into
 * a witness, or split in four, all balls of a level batched into one evaluation.
 */
import { evaluate, inBall, margin, onCircle, type Queries, type SearchContext } from './shared.ts';

export interface CertifiedOptions {
  /** L2 Lipschitz bound of every logit difference z_y − z_c. */
  readonly lipschitz: number;
  readonly logitTolerance: number;
  readonly initialGrid: number;
  readonly maxDepth: number;
}

/** The pending cells of one level: owning ball and centre; every cell of a level has the same side. */
interface Cells {
  ball: number[];
  cx: number[];
  cy: number[];
}

/**
 * Certify each open ball cell by cell. A cell (side h) is evaluated at its centre, or for an L2 cell whose centre
 * is outside the disc at the centre's projection onto it; with margin μ there and ρ the L2 distance from the
 * evaluated (float32) point to the cell's farthest corner, `μ − tol > L·ρ` proves every point of the cell
 * correctly classified, since no logit difference can fall by more than L·ρ. Balls end `robust` (all cells
 * proved), `not-robust` (a witness), or with `undecidedCell` set (a cell still open at `maxDepth`).
 */
export function* certifiedSearch(ctx: SearchContext, o: CertifiedOptions): Queries<void> {
  const { points, C, eps, norm, balls } = ctx;
  const L = o.lipschitz;
  const px = (i: number) => points.x[2 * i]!;
  const py = (i: number) => points.x[2 * i + 1]!;
  // L∞ cells tile the square exactly; an L2 cell is kept while any of it touches the disc.
  const touches = (i: number, x: number, y: number, side: number) => {
    if (norm === 'linf') return true;
    const dx = Math.max(0, Math.abs(x - px(i)) - side / 2);
    const dy = Math.max(0, Math.abs(y - py(i)) - side / 2);
    return dx * dx + dy * dy <= eps * eps;
  };
  let h = (2 * eps) / o.initialGrid;
  let cells: Cells = { ball: [], cx: [], cy: [] };
  const add = (next: Cells, i: number, x: number, y: number, side: number) => {
    if (!touches(i, x, y, side)) return;
    next.ball.push(i);
    next.cx.push(x);
    next.cy.push(y);
  };
  for (let i = 0; i < balls.length; i++) {
    if (balls[i]!.status !== 'open') continue;
    for (let a = 0; a < o.initialGrid; a++) {
      for (let b = 0; b < o.initialGrid; b++)
        add(cells, i, px(i) - eps + (a + 0.5) * h, py(i) - eps + (b + 0.5) * h, h);
    }
  }

  for (let depth = 0; cells.ball.length > 0; depth++) {
    const { ball, cx, cy } = cells;
    const m = ball.length;
    if (ctx.evaluations + m > ctx.budget) {
      ctx.budgetExhausted = true;
      for (const i of ball) balls[i]!.undecidedCell = true;
      return;
    }
    ctx.resolution = h;
    const xy = new Float32Array(2 * m);
    const reach = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const i = ball[k]!;
      let [ex, ey] = [Math.fround(cx[k]!), Math.fround(cy[k]!)];
      if (norm === 'l2' && !inBall(cx[k]!, cy[k]!, px(i), py(i), eps, 'l2')) {
        [ex, ey] = onCircle(px(i), py(i), cx[k]! - px(i), cy[k]! - py(i), eps);
      }
      xy[2 * k] = ex;
      xy[2 * k + 1] = ey;
      // From the point actually evaluated (float32), so the certificate covers the rounding too. The farthest
      // point of a square from any point is one of its corners.
      const fx = Math.max(Math.abs(cx[k]! - h / 2 - ex), Math.abs(cx[k]! + h / 2 - ex));
      const fy = Math.max(Math.abs(cy[k]! - h / 2 - ey), Math.abs(cy[k]! + h / 2 - ey));
      reach[k] = Math.sqrt(fx * fx + fy * fy);
    }
    const z = yield* evaluate(xy, C, ctx.maxBatch);
    ctx.evaluations += m;
    const split: number[] = [];
    for (let k = 0; k < m; k++) {
      const i = ball[k]!;
      const b = balls[i]!;
      if (b.status !== 'open') continue;
      const mk = margin(z, k, C, points.y[i]!);
      b.minMargin = Math.min(b.minMargin, mk);
      if (mk - o.logitTolerance > L * reach[k]!) continue;
      const wx = xy[2 * k]!;
      const wy = xy[2 * k + 1]!;
      if (mk <= 0 && inBall(wx, wy, px(i), py(i), eps, norm)) {
        b.status = 'not-robust';
        b.witness = [wx, wy];
      } else if (depth < o.maxDepth) split.push(k);
      else b.undecidedCell = true;
    }
    const next: Cells = { ball: [], cx: [], cy: [] };
    const q = h / 4;
    for (const k of split) {
      const i = ball[k]!;
      if (balls[i]!.status !== 'open') continue;
      add(next, i, cx[k]! - q, cy[k]! - q, h / 2);
      add(next, i, cx[k]! - q, cy[k]! + q, h / 2);
      add(next, i, cx[k]! + q, cy[k]! - q, h / 2);
      add(next, i, cx[k]! + q, cy[k]! + q, h / 2);
    }
    cells = next;
    h /= 2;
  }
}
