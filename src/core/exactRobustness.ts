/**
 * Robust accuracy in 2D without an attack: search each ε-ball densely, on any classifier given as a batched
 * logits callback. With an L2 Lipschitz bound on the logit differences the search is certified: a ball is
 * "robust" only when every point of it has been proved correctly classified, and "not robust" only with a
 * misclassified witness inside it. Without a bound it falls back to a uniform grid and claims only "no
 * adversarial point on the grid".
 *
 * The search is a generator that yields batches of query points and receives their logits, so one body serves
 * both the async driver (tfjs models, the worker) and the synchronous one (plain-JS classifiers in tests).
 *
 * Float32 inputs: every query is rounded to float32 before it is sent, and all certificates are computed from
 * the rounded point, so they hold for the function itself, not for an idealised float64 query. The logits are
 * taken as exact; pass `logitTolerance` to absorb a model's own rounding.
 */
import type { LabelledPoints, Norm } from './types.ts';
import { certifiedSearch } from './ballSearch/certified.ts';
import { gridSearch } from './ballSearch/grid.ts';
import {
  evaluate,
  margin,
  type BallStatus,
  type Logits,
  type Queries,
  type SearchContext,
} from './ballSearch/shared.ts';

export type { BallStatus, Logits };
/** A classifier: queries `[m, 2]` row-major → logits `[m, C]` row-major. */
export type BatchedClassifier = (xy: Float32Array) => Promise<Logits>;
export type SyncClassifier = (xy: Float32Array) => Logits;

export interface ExactRobustnessOptions {
  /**
   * An upper bound, in the L2 input norm, on the Lipschitz constant of every logit difference z_y − z_c.
   * Without it the search is a plain grid and proves nothing.
   */
  readonly lipschitz?: number;
  /** Cells per side of the first grid over the ball (certified mode). Default 8. */
  readonly initialGrid?: number;
  /** Halvings of the cell side allowed; default 8, so the finest cell is 2ε/8/2⁸ = ε/1024. */
  readonly maxDepth?: number;
  /** Points per side of the fallback grid, boundary included. Default 101. */
  readonly gridPoints?: number;
  /** Subtracted from every margin before a cell is certified (absorbs float32 error in the logits). Default 0. */
  readonly logitTolerance?: number;
  /** Most points per callback call; larger levels are split. Default 65536. */
  readonly maxBatch?: number;
  /** Most evaluations in all; when the next level would pass it, the cells left make their balls undecided. */
  readonly maxEvaluations?: number;
}

export interface BallVerdict {
  readonly status: BallStatus;
  /** A point in the ball (float32-representable) where the label does not win strictly. */
  readonly witness?: [number, number];
  /** The smallest margin z_y − max_{c≠y} z_c seen in the ball (an upper bound on the true minimum). */
  readonly minMargin: number;
}

export interface ExactRobustnessResult {
  readonly mode: 'certified' | 'grid';
  /** What "robust" means in this result, for the UI. */
  readonly verdict: 'certified robust' | 'no adversarial point on the grid';
  readonly eps: number;
  readonly norm: Norm;
  readonly perPoint: readonly BallVerdict[];
  readonly total: number;
  readonly robust: number;
  readonly notRobust: number;
  readonly undecided: number;
  /** robust / total: only balls shown (or, in grid mode, found) free of adversarial points count. */
  readonly robustAccuracy: number;
  /** The finest cell side (certified) or grid spacing (grid) actually used, in data units. */
  readonly resolution: number;
  readonly evaluations: number;
  /** True when `maxEvaluations` cut the search short. */
  readonly budgetExhausted: boolean;
}

type Search = Queries<ExactRobustnessResult>;

function validate(nClasses: number, eps: number, o: ExactRobustnessOptions) {
  const bad = (what: string) => {
    throw new RangeError(`exactRobustness: ${what}`);
  };
  if (!(Number.isInteger(nClasses) && nClasses >= 2))
    bad(`nClasses must be a whole number ≥ 2, got ${nClasses}.`);
  if (!(eps >= 0 && Number.isFinite(eps))) bad(`eps must be a finite number ≥ 0, got ${eps}.`);
  if (o.lipschitz !== undefined && !(o.lipschitz > 0 && Number.isFinite(o.lipschitz))) {
    bad(`lipschitz must be positive and finite, got ${o.lipschitz}; omit it for the grid search.`);
  }
  for (const [k, v, min] of [
    ['initialGrid', o.initialGrid, 1],
    ['maxDepth', o.maxDepth, 0],
    ['gridPoints', o.gridPoints, 2],
    ['maxBatch', o.maxBatch, 1],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= min))
      bad(`${k} must be a whole number ≥ ${min}, got ${v}.`);
  }
  if (o.logitTolerance !== undefined && !(o.logitTolerance >= 0)) {
    bad(`logitTolerance must be ≥ 0, got ${o.logitTolerance}.`);
  }
}

/** The whole run: centres first, then the grid or certified search over the balls still open, then the tally. */
function* search(
  points: LabelledPoints,
  nClasses: number,
  eps: number,
  norm: Norm,
  o: ExactRobustnessOptions,
): Search {
  validate(nClasses, eps, o);
  const n = points.y.length;
  const C = nClasses;
  const ctx: SearchContext = {
    points,
    C,
    eps,
    norm,
    maxBatch: o.maxBatch ?? 65536,
    budget: o.maxEvaluations ?? Infinity,
    balls: Array.from({ length: n }, () => ({ status: 'open', minMargin: Infinity, undecidedCell: false })),
    evaluations: 0,
    budgetExhausted: false,
    resolution: 0,
  };
  for (let i = 0; i < n; i++) {
    const y = points.y[i]!;
    if (!(y >= 0 && y < C))
      throw new RangeError(`Point ${i} has label ${y}, outside 0 … ${C - 1}; check nClasses.`);
  }

  // The centre must win strictly. The classifier sees its float32 rounding; the witness is the centre itself.
  const zc = n ? yield* evaluate(Float32Array.from(points.x), C, ctx.maxBatch) : new Float64Array(0);
  ctx.evaluations += n;
  ctx.balls.forEach((b, i) => {
    b.minMargin = margin(zc, i, C, points.y[i]!);
    if (b.minMargin <= 0) {
      b.status = 'not-robust';
      b.witness = [points.x[2 * i]!, points.x[2 * i + 1]!];
    } else if (eps === 0) b.status = 'robust';
  });

  const lipschitz = o.lipschitz;
  const grid = lipschitz === undefined;
  if (eps > 0 && grid) yield* gridSearch(ctx, o.gridPoints ?? 101);
  if (eps > 0 && !grid) {
    yield* certifiedSearch(ctx, {
      lipschitz,
      logitTolerance: o.logitTolerance ?? 0,
      initialGrid: o.initialGrid ?? 8,
      maxDepth: o.maxDepth ?? 8,
    });
  }

  const counts = { robust: 0, 'not-robust': 0, undecided: 0 };
  const perPoint = ctx.balls.map((b): BallVerdict => {
    const status: BallStatus = b.status !== 'open' ? b.status : b.undecidedCell ? 'undecided' : 'robust';
    counts[status]++;
    return b.witness
      ? { status, witness: b.witness, minMargin: b.minMargin }
      : { status, minMargin: b.minMargin };
  });
  return {
    mode: grid ? 'grid' : 'certified',
    verdict: grid ? 'no adversarial point on the grid' : 'certified robust',
    eps,
    norm,
    perPoint,
    total: n,
    robust: counts.robust,
    notRobust: counts['not-robust'],
    undecided: counts.undecided,
    robustAccuracy: n ? counts.robust / n : NaN,
    resolution: ctx.resolution,
    evaluations: ctx.evaluations,
    budgetExhausted: ctx.budgetExhausted,
  };
}

/**
 * Robust accuracy at radius `eps` (data units) in `norm` of the classifier `f` (queries `[m, 2]` → logits
 * `[m, nClasses]`) on `points` (`[n, 2]`, labels < nClasses).
 *
 * Certified mode (`options.lipschitz` given): each ball (the L∞ square of half-width ε, or the L2 disc) is
 * covered by `initialGrid²` cells. A cell is evaluated at its centre, or, for an L2 cell whose centre lies
 * outside the disc, at the centre's projection onto the disc. With margin μ = z_y − max_{c≠y} z_c there and ρ
 * the L2 distance from the evaluated point to the cell's farthest corner, the cell is safe when
 * `μ − logitTolerance > lipschitz·ρ` (every point of the cell then has margin > 0); a point with μ ≤ 0 inside
 * the ball is a witness and ends that ball; any other cell is split in four, all balls' cells batched into one
 * call per level, down to `maxDepth`. A ball with a cell still open at `maxDepth` is `undecided`. The centre
 * must win strictly, or the centre is the witness. A tie (μ = 0) counts as misclassified.
 *
 * Grid mode (no `lipschitz`): `gridPoints²` points per ball, boundary included (plus `4(gridPoints − 1)` points
 * on the circle for L2); "robust" then means only that no grid point was misclassified.
 */
export async function exactRobustness(
  f: BatchedClassifier,
  points: LabelledPoints,
  nClasses: number,
  eps: number,
  norm: Norm,
  options: ExactRobustnessOptions = {},
): Promise<ExactRobustnessResult> {
  const it = search(points, nClasses, eps, norm, options);
  let step = it.next();
  while (!step.done) step = it.next(await f(step.value));
  return step.value;
}

/** {@link exactRobustness} for a synchronous classifier (plain-JS models, the theorem's construction, tests). */
export function exactRobustnessSync(
  f: SyncClassifier,
  points: LabelledPoints,
  nClasses: number,
  eps: number,
  norm: Norm,
  options: ExactRobustnessOptions = {},
): ExactRobustnessResult {
  const it = search(points, nClasses, eps, norm, options);
  let step = it.next();
  while (!step.done) step = it.next(f(step.value));
  return step.value;
}

/** Lift a per-point logits function `(x, y) → [C]` to a batched {@link SyncClassifier}. */
export function pointwise(g: (x: number, y: number) => ArrayLike<number>): SyncClassifier {
  return (xy) => {
    const m = xy.length >> 1;
    let out: Float64Array | undefined;
    for (let q = 0; q < m; q++) {
      const z = g(xy[2 * q]!, xy[2 * q + 1]!);
      out ??= new Float64Array(m * z.length);
      out.set(z, q * z.length);
    }
    return out ?? new Float64Array(0);
  };
}
