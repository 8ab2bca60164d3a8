/** Shared plain-data types of the pure core. Points are row-major `[n, 2]` arrays. */

/** The attack / ball norm. The paper uses `linf` throughout; `l2` is offered beside it. */
export type Norm = 'linf' | 'l2';

/** An axis-aligned box `[xMin, xMax] × [yMin, yMax]` in data units. */
export interface Box {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** `n` labelled points: `x` is `[n, 2]` row-major, `y[i]` is a class index in `0 … nClasses − 1`. */
export interface LabelledPoints {
  readonly x: Float64Array;
  readonly y: Int32Array;
}
