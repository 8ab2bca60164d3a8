/**
 * Distances and class separation (reference/paper-algorithms.md §8): for each point, the distance to the nearest
 * point of a different label. Exact, brute force O(n·m) over flat typed arrays, which is milliseconds for the
 * few thousand points of a 2D demo.
 */
import type { LabelledPoints, Norm } from './types.ts';

/**
 * ‖a − b‖ in `norm`: max(|Δx|, |Δy|) for `linf`, √(Δx² + Δy²) for `l2` (computed as `sqrt`, not `hypot`, so it
 * agrees bit for bit with the separation routines below and with numpy's `norm`).
 */
export function distance(ax: number, ay: number, bx: number, by: number, norm: Norm): number {
  const dx = ax - bx;
  const dy = ay - by;
  return norm === 'linf' ? Math.max(Math.abs(dx), Math.abs(dy)) : Math.sqrt(dx * dx + dy * dy);
}

interface Nearest {
  /** Distance to the nearest ref of another label (Infinity when there is none). */
  readonly all: Float64Array;
  /** The same, over refs at a distance > 0 only: what the separation is once conflicting duplicates are set aside. */
  readonly positive: Float64Array;
}

/**
 * Both nearest distances in one pass. L2 compares squared distances and takes one square root per point.
 * A point never counts itself: it has its own label.
 */
function nearest(points: LabelledPoints, refs: LabelledPoints, norm: Norm): Nearest {
  const n = points.y.length;
  const m = refs.y.length;
  const px = points.x;
  const rx = refs.x;
  const ry = refs.y;
  const all = new Float64Array(n);
  const positive = new Float64Array(n);
  const l2 = norm === 'l2';
  for (let i = 0; i < n; i++) {
    const x = px[2 * i]!;
    const y = px[2 * i + 1]!;
    const label = points.y[i]!;
    let best = Infinity;
    let bestPositive = Infinity;
    for (let j = 0; j < m; j++) {
      if (ry[j] === label) continue;
      const dx = rx[2 * j]! - x;
      const dy = rx[2 * j + 1]! - y;
      const d = l2 ? dx * dx + dy * dy : Math.max(Math.abs(dx), Math.abs(dy));
      if (d < best) best = d;
      if (d > 0 && d < bestPositive) bestPositive = d;
    }
    // sqrt is monotone, so the root of the smallest square is the smallest distance, bit for bit as `distance`.
    all[i] = l2 ? Math.sqrt(best) : best;
    positive[i] = l2 ? Math.sqrt(bestPositive) : bestPositive;
  }
  return { all, positive };
}

/**
 * For each point of `points`, the distance in `norm` to the nearest point of `refs` with a different label.
 * Use `refs = points` for train–train (a point never matches itself: same label) and `refs = train` for
 * test–train.
 *
 * @returns `[n]` distances, Infinity for a point with no other-label ref
 */
export function nearestOtherClass(points: LabelledPoints, refs: LabelledPoints, norm: Norm): Float64Array {
  return nearest(points, refs, norm).all;
}

/** Summary of per-point nearest-other-class distances. */
export interface SeparationStats {
  /** The separation: the smallest per-point distance (0 if a conflict exists; Infinity with no pair). */
  readonly min: number;
  /** The smallest distance > 0: the separation with conflicting duplicates set aside. */
  readonly minExcludingConflicts: number;
  /** Mean of `perPoint` (NaN for no points). */
  readonly mean: number;
  /** `[n]` distance of each point to its nearest other-label training point. */
  readonly perPoint: Float64Array;
}

/** Two points at the same position with different labels: index `i` into the first split, `j` into train. */
export interface Conflict {
  readonly i: number;
  readonly j: number;
  readonly split: 'train-train' | 'test-train';
}

export interface Separation {
  readonly trainTrain: SeparationStats;
  readonly testTrain: SeparationStats;
  /** Every differently labelled pair at distance 0; train–train pairs are listed once, with i < j. */
  readonly conflicts: readonly Conflict[];
}

function stats(near: Nearest): SeparationStats {
  let min = Infinity;
  let minPositive = Infinity;
  let sum = 0;
  for (let i = 0; i < near.all.length; i++) {
    min = Math.min(min, near.all[i]!);
    minPositive = Math.min(minPositive, near.positive[i]!);
    sum += near.all[i]!;
  }
  const mean = near.all.length ? sum / near.all.length : NaN;
  return { min, minExcludingConflicts: minPositive, mean, perPoint: near.all };
}

function conflictsOf(
  points: LabelledPoints,
  refs: LabelledPoints,
  perPoint: Float64Array,
  split: Conflict['split'],
): Conflict[] {
  const out: Conflict[] = [];
  for (let i = 0; i < perPoint.length; i++) {
    if (perPoint[i] !== 0) continue;
    for (let j = split === 'train-train' ? i + 1 : 0; j < refs.y.length; j++) {
      const same = refs.x[2 * j] === points.x[2 * i] && refs.x[2 * j + 1] === points.x[2 * i + 1];
      if (same && refs.y[j] !== points.y[i]) out.push({ i, j, split });
    }
  }
  return out;
}

/**
 * The separation of a dataset in `norm` (paper §8): train–train and test–train nearest-other-class distances,
 * and every conflicting duplicate (same position, different labels), which makes the separation 0.
 */
export function separation(train: LabelledPoints, test: LabelledPoints, norm: Norm): Separation {
  const tt = nearest(train, train, norm);
  const st = nearest(test, train, norm);
  return {
    trainTrain: stats(tt),
    testTrain: stats(st),
    conflicts: [
      ...conflictsOf(train, train, tt.all, 'train-train'),
      ...conflictsOf(test, train, st.all, 'test-train'),
    ],
  };
}
