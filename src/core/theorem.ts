/**
 * The theorem's classifier (reference/paper-algorithms.md §9): a scaled 1-nearest-neighbour function that is
 * accurate and robust at radius r on any 2r-separated training set.
 *
 * Source: the binary form `f(x) = (d(x, X₀) − d(x, X₁)) / (2r)`, output `[−f, f]`, is class `smoothCLF` of the
 * authors' notebook ([D] `examples.ipynb` @ 6779b91, cell 3) and the theorem box of their blog post ([B]).
 * The multi-class margin form below is this project's generalisation; it equals `[−f, f]` for two classes.
 *
 * Why it works (the triangle inequality). `d_c(x) = min_{s ∈ X_c} ‖x − s‖` is 1-Lipschitz in the norm it is
 * measured in, and so is a minimum of such functions; hence each logit
 * `f_c(x) = (min_{c'≠c} d_{c'}(x) − d_c(x)) / (2r)` is 1/r-Lipschitz, and any difference `f_y − f_c` is
 * 2/r-Lipschitz. Take a training point x of class y and any x' with ‖x' − x‖ < r. Then `d_y(x') < r`, and, since
 * every other class is at least 2r from x, `d_c(x') > r` for c ≠ y. So `f_y(x') > 0 > f_c(x')`: the prediction
 * is y throughout the open ball. At ‖x' − x‖ = r exactly a tie is possible.
 *
 * Norms: build it with the attack's norm. Because ‖v‖∞ ≤ ‖v‖₂, an L∞ construction is also 1/r-Lipschitz per
 * logit with respect to the L2 input norm, so `marginLipschitzL2 = 2/r` holds for either norm.
 */
import { separation } from './geometry.ts';
import type { LabelledPoints, Norm } from './types.ts';

export interface NearestNeighbourConstruction {
  /** The radius: half the train–train separation unless given. */
  readonly r: number;
  readonly norm: Norm;
  readonly nClasses: number;
  /** Lipschitz constant of each logit f_c in `norm` (and in L2): 1/r. */
  readonly lipschitzPerCoordinate: number;
  /** An L2-input Lipschitz bound for every difference f_y − f_c: 2/r. */
  readonly marginLipschitzL2: number;
  /**
   * Distance from each query to the nearest training point of each class, `[m, C]`, in `norm`
   * (Infinity for a class with no training point).
   * @param xy queries `[m, 2]` row-major
   */
  classDistances(xy: Float64Array | Float32Array): Float64Array;
  /**
   * The margin-form logits `[m, C]`, `f_c = (min_{c'≠c} d_{c'} − d_c) / (2r)`; a class with no training point
   * gets −Infinity. Dimensionless: 1 means one radius of margin.
   */
  logits(xy: Float64Array | Float32Array): Float64Array;
  /** The 1-NN class of each query, `[m]`; an exact tie goes to the lower class index. */
  predict(xy: Float64Array | Float32Array): Int32Array;
}

/**
 * Build the theorem's construction on `train` (`[n, 2]`, labels in 0 … nClasses−1).
 *
 * @param r radius in data units; defaults to half the measured train–train separation in `norm`
 * @throws Error when the data has conflicting duplicates (separation 0), fewer than two classes, a label out of
 *   range, or an `r` that is not positive and finite
 */
export function nearestNeighbourConstruction(
  train: LabelledPoints,
  nClasses: number,
  norm: Norm,
  r?: number,
): NearestNeighbourConstruction {
  const n = train.y.length;
  const present = new Set<number>();
  for (let i = 0; i < n; i++) {
    const c = train.y[i]!;
    if (!(c >= 0 && c < nClasses)) {
      throw new RangeError(
        `Training point ${i} has label ${c}, outside 0 … ${nClasses - 1}; check nClasses.`,
      );
    }
    present.add(c);
  }
  if (present.size < 2) {
    throw new RangeError(
      `The 1-NN construction needs two classes in train, found ${present.size}; add points.`,
    );
  }
  let radius = r;
  if (radius === undefined) {
    const sep = separation(train, { x: new Float64Array(0), y: new Int32Array(0) }, norm);
    const conflict = sep.conflicts[0];
    if (conflict) {
      const { i, j } = conflict;
      throw new Error(
        `Training points ${i} and ${j} sit at the same position (${train.x[2 * i]}, ${train.x[2 * i + 1]}) ` +
          `with labels ${train.y[i]} and ${train.y[j]}, so the separation is 0 and no radius r > 0 exists. ` +
          'Remove or relabel one of them, or pass r explicitly.',
      );
    }
    radius = sep.trainTrain.min / 2;
  }
  if (!(radius > 0 && Number.isFinite(radius))) {
    throw new RangeError(`The construction's radius must be positive and finite, got r = ${radius}.`);
  }
  const rr = radius;
  const C = nClasses;
  const l2 = norm === 'l2';
  const tx = train.x;
  const ty = train.y;

  function classDistances(xy: Float64Array | Float32Array): Float64Array {
    const m = xy.length >> 1;
    const out = new Float64Array(m * C).fill(Infinity);
    for (let q = 0; q < m; q++) {
      const x = xy[2 * q]!;
      const y = xy[2 * q + 1]!;
      const o = q * C;
      for (let j = 0; j < n; j++) {
        const dx = tx[2 * j]! - x;
        const dy = tx[2 * j + 1]! - y;
        const d = l2 ? dx * dx + dy * dy : Math.max(Math.abs(dx), Math.abs(dy));
        const k = o + ty[j]!;
        if (d < out[k]!) out[k] = d;
      }
      if (l2) for (let c = 0; c < C; c++) out[o + c] = Math.sqrt(out[o + c]!);
    }
    return out;
  }

  function logits(xy: Float64Array | Float32Array): Float64Array {
    const d = classDistances(xy);
    const m = d.length / C;
    const z = new Float64Array(m * C);
    for (let q = 0; q < m; q++) {
      const o = q * C;
      // The smallest and second-smallest class distances give min_{c'≠c} d_{c'} for every c at once.
      let first = Infinity;
      let second = Infinity;
      let arg = -1;
      for (let c = 0; c < C; c++) {
        const v = d[o + c]!;
        if (v < first) {
          second = first;
          first = v;
          arg = c;
        } else if (v < second) second = v;
      }
      for (let c = 0; c < C; c++) {
        const other = c === arg ? second : first;
        const v = d[o + c]!;
        z[o + c] = v === Infinity ? -Infinity : (other - v) / (2 * rr);
      }
    }
    return z;
  }

  function predict(xy: Float64Array | Float32Array): Int32Array {
    const z = logits(xy);
    const m = z.length / C;
    const out = new Int32Array(m);
    for (let q = 0; q < m; q++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (z[q * C + c]! > z[q * C + best]!) best = c;
      out[q] = best;
    }
    return out;
  }

  return {
    r: rr,
    norm,
    nClasses: C,
    lipschitzPerCoordinate: 1 / rr,
    marginLipschitzL2: 2 / rr,
    classDistances,
    logits,
    predict,
  };
}
