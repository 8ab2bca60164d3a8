/**
 * Decision boundaries as SVG paths, from a field grid with d3-contour. Pure.
 *
 * The engine samples the grid at cell centres: value `i + j·res` is at grid position `(i + 0.5, j + 0.5)`, row 0
 * at the top, which is exactly d3-contour's convention. Two details keep the line honest at the edges:
 *
 * - d3-contour stops the line half a cell short of the edge (there are no samples beyond the outer centres) and
 *   then closes every polygon along the grid's border. So the grid is padded with one ring of samples placed ON
 *   the border, linearly extrapolated from the two nearest centres; the line then runs to the border.
 * - The closing segments that run along the border are dropped, so no frame line is drawn.
 */
import { contours } from 'd3-contour';
import { r2 } from './marks.ts';

/**
 * The 0-level contour of a `[res²]` margin grid (two classes: the decision boundary z₁ − z₀ = 0) as an SVG path
 * `d` in a `widthPx × heightPx` box, without segments along the border. "" when the line does not cross the grid.
 */
export function boundaryPath(
  margin: Float32Array,
  resolution: number,
  widthPx: number,
  heightPx: number,
): string {
  return levelPath(margin, resolution, 0, widthPx, heightPx);
}

/**
 * The boundaries between predicted classes of a `[res²]` class grid, as one SVG path `d`: the 0.5-contours of
 * each class indicator. The last class is skipped, as each of its boundaries borders another class.
 */
export function classBoundaryPath(
  classes: Uint8Array,
  resolution: number,
  nClasses: number,
  widthPx: number,
  heightPx: number,
): string {
  const n = resolution * resolution;
  const parts: string[] = [];
  const indicator = new Float32Array(n);
  for (let c = 0; c < Math.max(1, nClasses - 1); c++) {
    let any = false;
    for (let i = 0; i < n; i++) {
      const hit = classes[i] === c;
      indicator[i] = hit ? 1 : 0;
      any ||= hit;
    }
    if (!any) continue;
    const d = levelPath(indicator, resolution, 0.5, widthPx, heightPx);
    if (d) parts.push(d);
  }
  return parts.join('');
}

/** The `level` contour of a `[res²]` grid as a path `d`, border segments removed. */
export function levelPath(
  values: ArrayLike<number>,
  resolution: number,
  level: number,
  widthPx: number,
  heightPx: number,
): string {
  const res = resolution;
  if (!Number.isInteger(res) || res < 2 || values.length < res * res) return '';
  const m = res + 2;
  const padded = padGrid(values, res, level);
  const polygons = contours().size([m, m]).thresholds([level])(padded);
  // Padded position u (centre of padded cell k at k + 0.5) → grid position in [0, res]: padded centre 0 is the
  // border 0, centre k (1…res) is k − 0.5, centre res + 1 is the border res; piecewise linear in between.
  const toGrid = (u: number) => {
    if (u <= 0.5) return 0;
    if (u >= m - 0.5) return res;
    if (u < 1.5) return (u - 0.5) * 0.5;
    if (u > m - 1.5) return res - 0.5 + (u - (m - 1.5)) * 0.5;
    return u - 1;
  };
  const sx = widthPx / res;
  const sy = heightPx / res;
  let d = '';
  for (const polygon of polygons) {
    for (const rings of polygon.coordinates) {
      for (const ring of rings) {
        const pts = ring.map(([u, v]) => [toGrid(u ?? 0), toGrid(v ?? 0)] as const);
        d += ringToPath(pts, res, sx, sy);
      }
    }
  }
  return d;
}

/**
 * `[res²]` values → `[(res+2)²]` numbers with a ring of border samples, each extrapolated linearly half a cell
 * out from the two nearest centres (1.5·v₀ − 0.5·v₁). Non-finite values count as just below `level`.
 */
function padGrid(values: ArrayLike<number>, res: number, level: number): number[] {
  const m = res + 2;
  const out = new Array<number>(m * m).fill(0);
  const below = level - 1e-6 * Math.max(1, Math.abs(level));
  for (let j = 0; j < res; j++) {
    for (let i = 0; i < res; i++) {
      const v = values[i + j * res] ?? NaN;
      out[i + 1 + (j + 1) * m] = Number.isFinite(v) ? v : below;
    }
  }
  const at = (i: number, j: number) => out[i + j * m] ?? 0;
  const extrapolate = (edge: number, inner: number) => 1.5 * edge - 0.5 * inner;
  // Left and right columns of the interior rows, then the top and bottom rows (corners included).
  for (let j = 1; j <= res; j++) {
    out[j * m] = extrapolate(at(1, j), at(2, j));
    out[m - 1 + j * m] = extrapolate(at(res, j), at(res - 1, j));
  }
  for (let i = 0; i < m; i++) {
    out[i] = extrapolate(at(i, 1), at(i, 2));
    out[i + (m - 1) * m] = extrapolate(at(i, res), at(i, res - 1));
  }
  return out;
}

/** A closed ring in grid units → path `d` in pixels, dropping the segments that lie along one border edge. */
function ringToPath(
  pts: readonly (readonly [number, number])[],
  res: number,
  sx: number,
  sy: number,
): string {
  const n = pts.length;
  if (n < 2) return '';
  const eps = 1e-9;
  const alongBorder = (a: readonly [number, number], b: readonly [number, number]) =>
    (a[0] <= eps && b[0] <= eps) ||
    (a[0] >= res - eps && b[0] >= res - eps) ||
    (a[1] <= eps && b[1] <= eps) ||
    (a[1] >= res - eps && b[1] >= res - eps);
  // Segment k runs from pts[k] to pts[k + 1]; a closed ring repeats its first point at the end.
  const closed = pts[0]?.[0] === pts[n - 1]?.[0] && pts[0]?.[1] === pts[n - 1]?.[1];
  const count = closed ? n - 1 : n;
  const seg = (k: number) => [pts[k % count] ?? [0, 0], pts[(k + 1) % count] ?? [0, 0]] as const;
  const keep: boolean[] = [];
  for (let k = 0; k < count; k++) {
    const [a, b] = seg(k);
    keep.push(!alongBorder(a, b) && (a[0] !== b[0] || a[1] !== b[1]));
  }
  const px = (p: readonly [number, number]) => `${r2(p[0] * sx)},${r2(p[1] * sy)}`;
  const firstDropped = keep.indexOf(false);
  if (firstDropped < 0) {
    // The whole ring is inside: a closed loop.
    let d = `M${px(seg(0)[0])}`;
    for (let k = 0; k < count; k++) d += `L${px(seg(k)[1])}`;
    return d + 'Z';
  }
  // Start right after a dropped segment so each kept run is one continuous polyline.
  let d = '';
  let open = false;
  for (let s = 1; s <= count; s++) {
    const k = (firstDropped + s) % count;
    if (!keep[k]) {
      open = false;
      continue;
    }
    const [a, b] = seg(k);
    if (!open) d += `M${px(a)}`;
    d += `L${px(b)}`;
    open = true;
  }
  return d;
}
