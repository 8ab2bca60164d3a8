/** SVG marks in pixels: ε-balls and polylines. Pure. */
import type { Norm } from '../core/types.ts';
import type { Frame } from './frame.ts';

export type BallShape =
  | {
      readonly kind: 'rect';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
    }
  | {
      readonly kind: 'ellipse';
      readonly cx: number;
      readonly cy: number;
      readonly rx: number;
      readonly ry: number;
    };

/** The ε-ball around the data point `(cx, cy)` in pixels: a square for L∞, a disc for L2. */
export function ballShape(cx: number, cy: number, eps: number, norm: Norm, frame: Frame): BallShape {
  const [px, py] = frame.toPixel(cx, cy);
  const rx = Math.abs(frame.x(cx + eps) - px);
  const ry = Math.abs(frame.y(cy + eps) - py);
  return norm === 'linf'
    ? { kind: 'rect', x: px - rx, y: py - ry, width: 2 * rx, height: 2 * ry }
    : { kind: 'ellipse', cx: px, cy: py, rx, ry };
}

/** A ball as a closed SVG sub-path, so many balls can share one `<path>`. */
export function ballPathD(shape: BallShape): string {
  if (shape.kind === 'rect') {
    return `M${r2(shape.x)},${r2(shape.y)}h${r2(shape.width)}v${r2(shape.height)}h${r2(-shape.width)}Z`;
  }
  const { cx, cy, rx, ry } = shape;
  return `M${r2(cx - rx)},${r2(cy)}a${r2(rx)},${r2(ry)} 0 1,0 ${r2(2 * rx)},0a${r2(rx)},${r2(ry)} 0 1,0 ${r2(-2 * rx)},0Z`;
}

/** A polyline through data points, as an SVG path `d` in pixels ("" for no points). */
export function pathD(points: readonly (readonly [number, number])[], frame: Frame): string {
  let d = '';
  for (const [x, y] of points) {
    const [px, py] = frame.toPixel(x, y);
    d += `${d ? 'L' : 'M'}${r2(px)},${r2(py)}`;
  }
  return d;
}

/** Round to 2 decimals for short path strings (1/100 px is invisible). */
export const r2 = (v: number) => Math.round(v * 100) / 100;
