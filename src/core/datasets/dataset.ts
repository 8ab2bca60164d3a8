/** The `Dataset` every panel trains on, and the affine map and box helpers that build it. */
import type { Box, LabelledPoints } from '../types.ts';

/** Where a dataset came from and how its coordinates relate to the generator's raw units. */
export interface DatasetMeta {
  readonly source: 'generator' | 'csv';
  /** Every parameter used, defaults filled in (`noise`, `nTrain`, `nTest` and the generator's own). */
  readonly params: Readonly<Record<string, number>>;
  /** Seed of the training draw; `null` for an imported CSV. */
  readonly seed: number | null;
  /** Seed of the test draw, {@link testSeedFor}`(seed)`; `null` for an imported CSV. */
  readonly testSeed: number | null;
  /** `scaled = (raw − offset) · scale`; distances scale by exactly `scale`. */
  readonly scale: number;
  readonly offset: readonly [number, number];
  /** [−1, 1]² grown to hold every train and test point (for a CSV: the padded bounding box). Attacks clip to it. */
  readonly box: Box;
}

/** Labelled train and test points in the model's coordinates. */
export interface Dataset {
  readonly name: string;
  readonly nClasses: number;
  readonly train: LabelledPoints;
  readonly test: LabelledPoints;
  readonly meta: DatasetMeta;
}

export type DatasetErrorCode =
  'unknown-dataset' | 'unknown-param' | 'param-out-of-range' | 'empty-train' | 'too-few-classes';

/** A dataset that cannot be built; `code` lets the UI pick its wording, `message` says what to change. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    readonly code: DatasetErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The test set's seed: `(seed + 7919) mod 2³²`. A fixed offset (the 1000th prime) keeps it a pure function of
 * the training seed, so a shared link reproduces both, while the two draws never share a stream. (The notebook
 * drew its test set with the training seed, so its "test" accuracy was on the training points.)
 */
export function testSeedFor(seed: number): number {
  return (seed + 7919) % 0x100000000;
}

/** Apply `(raw − offset)·scale` to `[n, 2]` points; labels are shared, not copied. */
export function affine(p: LabelledPoints, scale: number, offset: readonly [number, number]): LabelledPoints {
  const x = new Float64Array(p.x.length);
  for (let i = 0; i < x.length; i += 2) {
    x[i] = (p.x[i]! - offset[0]) * scale;
    x[i + 1] = (p.x[i + 1]! - offset[1]) * scale;
  }
  return { x, y: p.y };
}

/** The smallest box that contains `start` and every point of `sets` (`[n, 2]` each). */
export function growBox(start: Box, ...sets: readonly Float64Array[]): Box {
  let { xMin, xMax, yMin, yMax } = start;
  for (const x of sets) {
    for (let i = 0; i < x.length; i += 2) {
      const a = x[i]!;
      const b = x[i + 1]!;
      if (a < xMin) xMin = a;
      if (a > xMax) xMax = a;
      if (b < yMin) yMin = b;
      if (b > yMax) yMax = b;
    }
  }
  return { xMin, xMax, yMin, yMax };
}

/**
 * The bounding box of every point, padded on each side by 5 % of its extent on that axis. An axis with no
 * extent borrows the other axis's, and a single point gets ±0.5, so the box never has zero area.
 */
export function paddedBoundingBox(...sets: readonly Float64Array[]): Box {
  const b = growBox({ xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity }, ...sets);
  if (!(b.xMin <= b.xMax)) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const wx = b.xMax - b.xMin;
  const wy = b.yMax - b.yMin;
  const px = 0.05 * (wx > 0 ? wx : wy > 0 ? wy : 10);
  const py = 0.05 * (wy > 0 ? wy : wx > 0 ? wx : 10);
  return { xMin: b.xMin - px, xMax: b.xMax + px, yMin: b.yMin - py, yMax: b.yMax + py };
}

/** Per-class counts of `y` over `nClasses` classes. */
export function classCounts(y: Int32Array, nClasses: number): number[] {
  const counts = new Array<number>(nClasses).fill(0);
  for (const c of y) counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}
