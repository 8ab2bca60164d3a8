/**
 * The pure render layer (src/render/): colour maps, field pixels, the data ↔ pixel frame, decision-boundary
 * contours, ball shapes and the separation histogram. Values are checked against hand-derived numbers.
 */
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/core/types.ts';
import {
  CLASS_COLORS,
  NOT_ROBUST_COLOR,
  SERIES_COLORS,
  fieldColorizer,
  fieldLegend,
  mixLab,
  parseHex,
  toHex,
} from '../../src/render/colors.ts';
import { fieldRange, fieldToRgba } from '../../src/render/field.ts';
import { makeFrame } from '../../src/render/frame.ts';
import { boundaryPath, classBoundaryPath } from '../../src/render/contour.ts';
import { ballShape, pathD } from '../../src/render/marks.ts';
import { countBeyond, finiteQuantile, separationHistogram } from '../../src/render/histogram.ts';

const BOX: Box = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };

/** Every `x,y` pair of a path `d` made of M/L/Z commands. */
function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** Consecutive point pairs of each `M…L…` run of a path `d`. */
function pathSegments(d: string): [[number, number], [number, number]][] {
  const segs: [[number, number], [number, number]][] = [];
  for (const run of d.split('M').filter(Boolean)) {
    const pts = pathPoints('M' + run);
    for (let k = 0; k + 1 < pts.length; k++) segs.push([pts[k]!, pts[k + 1]!]);
  }
  return segs;
}

/** A `[res²]` grid of f at the cell centres of the box, row 0 at the top (yMax), as the engine sends it. */
function gridOf(res: number, f: (x: number, y: number) => number): Float32Array {
  const g = new Float32Array(res * res);
  for (let j = 0; j < res; j++) {
    for (let i = 0; i < res; i++) {
      const x = -1 + ((i + 0.5) / res) * 2;
      const y = 1 - ((j + 0.5) / res) * 2;
      g[i + j * res] = f(x, y);
    }
  }
  return g;
}

const dist = (a: readonly number[], b: readonly number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? NaN))));

describe('colours', () => {
  it('has 8 class colours, none of them the not-robust vermillion, and at least 10 series colours', () => {
    expect(CLASS_COLORS).toHaveLength(8);
    expect(CLASS_COLORS.map((c) => c.toUpperCase())).not.toContain(NOT_ROBUST_COLOR.toUpperCase());
    expect(new Set(CLASS_COLORS).size).toBe(8);
    expect(SERIES_COLORS.length).toBeGreaterThanOrEqual(10);
  });

  it('blends in Lab and returns the end colours at t = 0 and t = 1', () => {
    expect(toHex(mixLab('#E69F00', '#0072B2', 0))).toBe('#e69f00');
    expect(toHex(mixLab('#E69F00', '#0072B2', 1))).toBe('#0072b2');
    // Mid-grey between black and white in Lab has L* = 50, i.e. sRGB ≈ 119 (not the RGB midpoint 128).
    const mid = mixLab('#000000', '#ffffff', 0.5);
    expect(Math.abs(mid[0] - 119)).toBeLessThanOrEqual(1);
  });

  it('maps two-class probability 0 to the class-0 colour, 1 to class 1 and 0.5 to near-white', () => {
    const color = fieldColorizer('probability', 2);
    const c0 = parseHex(CLASS_COLORS[0]!);
    const c1 = parseHex(CLASS_COLORS[1]!);
    expect(dist(color(0, 0).slice(0, 3), c0)).toBeLessThanOrEqual(1);
    expect(dist(color(1, 1).slice(0, 3), c1)).toBeLessThanOrEqual(1);
    expect(Math.min(...color(0.5, 0).slice(0, 3))).toBeGreaterThan(235);
    expect(color(0.3, 0)[3]).toBe(200);
  });

  it('gives the two-class margin a symmetric domain, so the sign picks the class', () => {
    const color = fieldColorizer('margin', 2, { min: -1, max: 4 });
    const c0 = parseHex(CLASS_COLORS[0]!);
    const c1 = parseHex(CLASS_COLORS[1]!);
    // m = max(|−1|, |4|) = 4: −4 is full class 0, +4 full class 1, 0 the white middle.
    expect(dist(color(-4, 0).slice(0, 3), c0)).toBeLessThanOrEqual(1);
    expect(dist(color(4, 1).slice(0, 3), c1)).toBeLessThanOrEqual(1);
    expect(dist(color(-100, 0).slice(0, 3), c0)).toBeLessThanOrEqual(1);
    expect(Math.min(...color(0, 0).slice(0, 3))).toBeGreaterThan(235);
    // −1 is a quarter of the way from white to orange: not yet class-0 orange.
    expect(dist(color(-1, 0).slice(0, 3), c0)).toBeGreaterThan(40);
  });

  it('colours several classes by the predicted class, paler as the confidence drops', () => {
    const color = fieldColorizer('probability', 3);
    const c2 = parseHex(CLASS_COLORS[2]!);
    expect(dist(color(1, 2).slice(0, 3), c2)).toBeLessThanOrEqual(1);
    const pale = color(1 / 3, 2);
    const lightness = (c: readonly number[]) => c[0]! + c[1]! + c[2]!;
    expect(lightness(pale)).toBeGreaterThan(lightness(color(0.7, 2)));
    expect(lightness(color(0.7, 2))).toBeGreaterThan(lightness(color(1, 2)));
    // The gap field: the same map over [0, range.max].
    const gap = fieldColorizer('margin', 3, { min: 0, max: 5 });
    expect(dist(gap(5, 2).slice(0, 3), c2)).toBeLessThanOrEqual(1);
  });

  it('maps the gradient field on a log scale over the range, ignoring the class', () => {
    const color = fieldColorizer('gradient', 2, { min: 0.01, max: 100 });
    // viridis(0) = #440154, viridis(1) = #fde725; 1 is the log-midpoint of [0.01, 100].
    expect(toHex(color(0.01, 0).slice(0, 3))).toBe('#440154');
    expect(toHex(color(100, 1).slice(0, 3))).toBe('#fde725');
    expect(color(1, 0)).toEqual(color(1, 1));
    const mid = fieldColorizer('ratio', 2, { min: 0.01, max: 100 })(1, 0);
    // viridis(0.5) = #21918c
    expect(dist(mid.slice(0, 3), parseHex('#21918c'))).toBeLessThanOrEqual(2);
  });

  it('describes each field in a legend whose gradient title names the dual norm', () => {
    expect(fieldLegend('probability', 2).title).toBe('p(class 1)');
    expect(fieldLegend('margin', 2, { min: -3, max: 2 }).ticks.map((t) => t.label)).toEqual(['−3', '0', '3']);
    expect(fieldLegend('gradient', 2, { min: 0.1, max: 10 }, 'linf').title).toContain('‖₁');
    expect(fieldLegend('gradient', 2, { min: 0.1, max: 10 }, 'l2').title).toContain('‖₂');
    const legend = fieldLegend('ratio', 2, { min: 0.1, max: 10 });
    expect(legend.stops[0]!.color).toBe('#440154');
    expect(legend.ticks.every((t) => t.offset >= 0 && t.offset <= 1)).toBe(true);
    // 1 is the log-midpoint of [0.1, 10].
    expect(legend.ticks.find((t) => t.label === '1')?.offset).toBeCloseTo(0.5, 6);
  });
});

describe('fieldToRgba', () => {
  it('colours a 2×2 grid in row order and makes NaN cells transparent', () => {
    const grid = new Float32Array([0, 1, NaN, 0.5]);
    const classes = new Uint8Array([0, 1, 0, 0]);
    const rgba = fieldToRgba(grid, classes, 2, fieldColorizer('probability', 2));
    expect(rgba).toHaveLength(16);
    expect(dist([...rgba.slice(0, 3)], parseHex(CLASS_COLORS[0]!))).toBeLessThanOrEqual(1);
    expect(dist([...rgba.slice(4, 7)], parseHex(CLASS_COLORS[1]!))).toBeLessThanOrEqual(1);
    expect(rgba[3]).toBe(200);
    expect(rgba[11]).toBe(0);
    expect(rgba[15]).toBe(200);
  });

  it('refuses a grid shorter than resolution²', () => {
    expect(() => fieldToRgba(new Float32Array(3), new Uint8Array(4), 2, () => [0, 0, 0, 0])).toThrow(
      /needs 4/,
    );
  });

  it('finds the range of the finite values', () => {
    expect(fieldRange(new Float32Array([NaN, -2, Infinity, 3, 0.5]))).toEqual({ min: -2, max: 3 });
    expect(fieldRange(new Float32Array([NaN]))).toEqual({ min: 0, max: 0 });
  });
});

describe('makeFrame', () => {
  it('maps the box corners to the pixel corners with y inverted, and back', () => {
    const f = makeFrame(BOX, 200, 200);
    expect(f.toPixel(-1, 1)).toEqual([0, 0]);
    expect(f.toPixel(1, -1)).toEqual([200, 200]);
    expect(f.toPixel(0, 0)).toEqual([100, 100]);
    expect(f.toData(50, 150)).toEqual([-0.5, -0.5]);
  });

  it('keeps the aspect: a wide area centres the square box', () => {
    const f = makeFrame(BOX, 300, 200);
    expect(f.toPixel(-1, 1)).toEqual([50, 0]);
    expect(f.toPixel(1, -1)).toEqual([250, 200]);
    expect(f.plot).toEqual({ left: 50, top: 0, width: 200, height: 200 });
  });

  it('explains an empty box', () => {
    expect(() => makeFrame({ xMin: 0, xMax: 0, yMin: 0, yMax: 1 }, 10, 10)).toThrow(/empty/);
  });
});

describe('boundaryPath', () => {
  const W = 200;

  it('draws the vertical line x = 0.3 at pixel (0.3 + 1)/2·width, from border to border', () => {
    const res = 40;
    const d = boundaryPath(
      gridOf(res, (x) => x - 0.3),
      res,
      W,
      W,
    );
    const pts = pathPoints(d);
    expect(pts.length).toBeGreaterThan(10);
    for (const [px] of pts) expect(Math.abs(px - 0.65 * W)).toBeLessThanOrEqual(1);
    // The line spans the plot: its ends are on the top and bottom border.
    const ys = pts.map((p) => p[1]);
    expect(Math.min(...ys)).toBeCloseTo(0, 6);
    expect(Math.max(...ys)).toBeCloseTo(W, 6);
    // No point on the left or right border columns (those would be the frame).
    expect(pts.some(([px]) => px <= 1 || px >= W - 1)).toBe(false);
  });

  it('draws the horizontal line y = −0.5 at pixel (1 + 0.5)/2·height: row 0 is the top', () => {
    const res = 30;
    const d = boundaryPath(
      gridOf(res, (_x, y) => y + 0.5),
      res,
      W,
      100,
    );
    for (const [, py] of pathPoints(d)) expect(Math.abs(py - 0.75 * 100)).toBeLessThanOrEqual(1);
  });

  it('draws no segment along the border when only one corner is negative', () => {
    const res = 20;
    // Negative only near the top-left corner (x, y) = (−1, 1).
    const d = boundaryPath(
      gridOf(res, (x, y) => Math.hypot(x + 1, y - 1) - 0.5),
      res,
      W,
      W,
    );
    const segs = pathSegments(d);
    expect(segs.length).toBeGreaterThan(3);
    const onEdge = (a: number[], b: number[], k: number, v: number) =>
      Math.abs(a[k]! - v) < 0.01 && Math.abs(b[k]! - v) < 0.01;
    for (const [a, b] of segs) {
      for (const k of [0, 1]) {
        expect(onEdge(a, b, k, 0)).toBe(false);
        expect(onEdge(a, b, k, W)).toBe(false);
      }
    }
    // Every point is near the circle of radius 0.5 (50 px) around the top-left corner pixel (0, 0).
    for (const [px, py] of pathPoints(d)) expect(Math.abs(Math.hypot(px, py) - 50)).toBeLessThan(3);
  });

  it('is empty when the margin does not change sign, even though d3-contour would outline the grid', () => {
    expect(boundaryPath(new Float32Array(16).fill(1), 4, W, W)).toBe('');
    expect(boundaryPath(new Float32Array(16).fill(-1), 4, W, W)).toBe('');
  });

  it('closes a boundary that lies inside the grid', () => {
    const res = 30;
    const d = boundaryPath(
      gridOf(res, (x, y) => Math.hypot(x, y) - 0.5),
      res,
      W,
      W,
    );
    expect(d.endsWith('Z')).toBe(true);
    for (const [px, py] of pathPoints(d))
      expect(Math.abs(Math.hypot(px - 100, py - 100) - 50)).toBeLessThan(2);
  });
});

describe('classBoundaryPath', () => {
  it('draws the class edges of three classes without the frame', () => {
    const res = 10;
    const classes = new Uint8Array(res * res);
    for (let j = 0; j < res; j++)
      for (let i = 0; i < res; i++) classes[i + j * res] = i < 4 ? 0 : j < 5 ? 1 : 2;
    const W = 100;
    const d = classBoundaryPath(classes, res, 3, W, W);
    const pts = pathPoints(d);
    // Class 0 | others at x = 4 cells = 40 px; class 1 | class 2 at y = 5 cells = 50 px (for x > 40).
    for (const [px, py] of pts) {
      const onVertical = Math.abs(px - 40) < 0.01;
      const onHorizontal = Math.abs(py - 50) < 0.01 && px >= 40;
      // The marching-squares junction cuts the corner by at most one cell.
      const nearJunction = Math.hypot(px - 40, py - 50) <= 10 + 1e-6;
      expect(onVertical || onHorizontal || nearJunction).toBe(true);
    }
    expect(pts.some(([px, py]) => Math.abs(px - 100) < 0.01 && Math.abs(py - 50) < 0.01)).toBe(true);
    for (const [a, b] of pathSegments(d)) {
      const border = (v: number) => Math.abs(v) < 0.01 || Math.abs(v - W) < 0.01;
      expect(
        (border(a[0]) && Math.abs(a[0] - b[0]) < 0.01) || (border(a[1]) && Math.abs(a[1] - b[1]) < 0.01),
      ).toBe(false);
    }
  });
});

describe('marks', () => {
  const frame = makeFrame(BOX, 200, 200);

  it('makes the L∞ ball a square of side 2·ε·scale centred on the point', () => {
    // scale = 200 px / 2 units = 100 px per unit.
    const s = ballShape(0.5, 0.5, 0.1, 'linf', frame);
    expect(s.kind).toBe('rect');
    if (s.kind !== 'rect') return;
    expect(s.width).toBeCloseTo(20, 9);
    expect(s.height).toBeCloseTo(20, 9);
    expect(s.x + s.width / 2).toBeCloseTo(150, 9);
    expect(s.y + s.height / 2).toBeCloseTo(50, 9);
  });

  it('makes the L2 ball a disc of radius ε·scale', () => {
    const s = ballShape(-0.5, 0, 0.2, 'l2', frame);
    expect(s.kind).toBe('ellipse');
    if (s.kind !== 'ellipse') return;
    expect([s.cx, s.cy]).toEqual([50, 100]);
    expect(s.rx).toBeCloseTo(20, 9);
    expect(s.ry).toBeCloseTo(20, 9);
  });

  it('draws a polyline through data points in pixels', () => {
    expect(
      pathD(
        [
          [-1, 1],
          [0, 0],
          [1, -1],
        ],
        frame,
      ),
    ).toBe('M0,0L100,100L200,200');
    expect(pathD([], frame)).toBe('');
  });
});

describe('separationHistogram', () => {
  it('bins the finite values into equal bins whose counts sum to their number', () => {
    const values = new Float64Array([0.01, 0.02, 0.05, 0.1, NaN, Infinity, 0.099, 0.2]);
    const bins = separationHistogram(values, 4);
    expect(bins).toHaveLength(4);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(6);
    expect(bins[0]).toEqual({ x0: 0, x1: 0.05, count: 2 });
    expect(bins[3]).toEqual({ x0: 0.15000000000000002, x1: 0.2, count: 1 });
  });

  it('leaves out values beyond domainMax and counts them apart', () => {
    const values = new Float64Array([0.1, 0.2, 0.3, 0.9, 1.5]);
    const bins = separationHistogram(values, 5, 0.5);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(3);
    expect(bins[bins.length - 1]!.x1).toBe(0.5);
    expect(countBeyond(values, 0.5)).toBe(2);
    expect(finiteQuantile(values, 0.5)).toBe(0.3);
  });
});
