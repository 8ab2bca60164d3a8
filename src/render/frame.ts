/**
 * The map between data units and CSS pixels of one plot. The box keeps its true aspect: one data unit is the same
 * number of pixels along x and y, and the box is centred in the `width × height` area (for the usual square box
 * in a square plot it fills it exactly). Pixel y grows downward, so yMax is at the top.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { Box } from '../core/types.ts';

export interface Frame {
  readonly box: Box;
  /** data x → pixel x. */
  readonly x: ScaleLinear<number, number>;
  /** data y → pixel y (inverted: yMax at the top). */
  readonly y: ScaleLinear<number, number>;
  readonly width: number;
  readonly height: number;
  /** The box's rectangle in pixels (the area the field covers). */
  readonly plot: {
    readonly left: number;
    readonly top: number;
    readonly width: number;
    readonly height: number;
  };
  toPixel(x: number, y: number): [number, number];
  toData(px: number, py: number): [number, number];
}

export function makeFrame(box: Box, widthPx: number, heightPx: number): Frame {
  const dx = box.xMax - box.xMin;
  const dy = box.yMax - box.yMin;
  if (!(dx > 0 && dy > 0)) {
    throw new Error(
      `The plot box [${box.xMin}, ${box.xMax}] × [${box.yMin}, ${box.yMax}] is empty; it needs xMin < xMax and yMin < yMax.`,
    );
  }
  const k = Math.max(0, Math.min(widthPx / dx, heightPx / dy));
  const w = k * dx;
  const h = k * dy;
  const left = (widthPx - w) / 2;
  const top = (heightPx - h) / 2;
  const x = scaleLinear()
    .domain([box.xMin, box.xMax])
    .range([left, left + w]);
  const y = scaleLinear()
    .domain([box.yMin, box.yMax])
    .range([top + h, top]);
  return {
    box,
    x,
    y,
    width: widthPx,
    height: heightPx,
    plot: { left, top, width: w, height: h },
    toPixel: (dataX, dataY) => [x(dataX), y(dataY)],
    toData: (px, py) => [x.invert(px), y.invert(py)],
  };
}
