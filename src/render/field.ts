/** Heatmap fields as RGBA pixels for `ImageData`: one pixel per grid cell, the canvas scales them up. Pure. */
import type { Rgba, ValueRange } from './colors.ts';

/**
 * Colour every cell of a `[resolution²]` grid (row-major, row 0 the top row at yMax, as the engine sends it)
 * into `[resolution², 4]` RGBA bytes in the same order, ready for `new ImageData(rgba, resolution)`. `classes`
 * is the predicted class of each cell. Non-finite values are transparent grey.
 */
export function fieldToRgba(
  grid: Float32Array,
  classes: Uint8Array,
  resolution: number,
  colorOf: (value: number, cls: number) => Rgba,
): Uint8ClampedArray<ArrayBuffer> {
  const n = resolution * resolution;
  if (!Number.isInteger(resolution) || resolution < 1 || grid.length < n) {
    throw new Error(
      `A ${resolution}×${resolution} field needs ${n} grid values but got ${grid.length}; ask the engine for a grid at this resolution.`,
    );
  }
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const v = grid[i] ?? NaN;
    const [r, g, b, a] = Number.isFinite(v) ? colorOf(v, classes[i] ?? 0) : NAN_RGBA;
    const k = i * 4;
    out[k] = r;
    out[k + 1] = g;
    out[k + 2] = b;
    out[k + 3] = a;
  }
  return out;
}

const NAN_RGBA: Rgba = [128, 128, 128, 0];

/** Smallest and largest finite value of `grid`; `{ min: 0, max: 0 }` when none is finite. */
export function fieldRange(grid: ArrayLike<number>): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < grid.length; i++) {
    const v = grid[i] ?? NaN;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}
