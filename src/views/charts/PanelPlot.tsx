import { useEffect, useMemo, useRef } from 'react';
import type { Box, Norm } from '../../core/types.ts';
import {
  usePlotPointer,
  type EditTool,
  type PanelPlotEditing,
  type PanelPlotHover,
} from './usePlotPointer.ts';
import type { FieldKind } from '../../engine/protocol.ts';
import {
  NOT_ROBUST_COLOR,
  ROBUST_COLOR,
  UNDECIDED_COLOR,
  classColor,
  fieldColorizer,
} from '../../render/colors.ts';
import { fieldRange as rangeOf, fieldToRgba } from '../../render/field.ts';
import { makeFrame, type Frame } from '../../render/frame.ts';
import { boundaryPath, classBoundaryPath } from '../../render/contour.ts';
import { ballPathD, ballShape, r2 } from '../../render/marks.ts';
import './charts.css';

/** Set once, when the page first paints a heatmap. */
export const FIRST_HEATMAP_MARK = 'rp:first-heatmap';

export interface PanelPlotField {
  /** `[resolution²]` the field's values, row-major from the top-left cell (xMin, yMax). */
  grid: Float32Array;
  /** `[resolution²]` the predicted class of each cell. */
  classes: Uint8Array;
  /** `[resolution²]` the margin: for two classes the decision boundary is its 0 contour. */
  margin: Float32Array;
  resolution: number;
  kind: FieldKind;
}

export type { EditTool, PanelPlotEditing, PanelPlotHover };

export interface PanelPlotProps {
  box: Box;
  /** Side of the square plot, CSS pixels. */
  size: number;
  field: PanelPlotField | null;
  nClasses: number;
  norm: Norm;
  eps: number;
  train: { x: Float64Array; y: Int32Array };
  test: { x: Float64Array; y: Int32Array };
  showTrain: boolean;
  showTest: boolean;
  showBalls: boolean;
  /** `[nTest]` per test point: 0 robust, 1 not robust, 2 undecided (`BALL` in the protocol). */
  ballStatus: Uint8Array | null;
  /** `[nTest, 2]` attack points. */
  advX: Float32Array | null;
  /** `[nTest]` 1 where the attack point broke the test point. */
  advSuccess: Uint8Array | null;
  /** `[steps + 1, nTest, 2]` PGD paths; drawn for the non-robust points (all when there are few test points). */
  paths: { steps: number; path: Float32Array } | null;
  /** A colour range shared by several panels; default: this field's own range. */
  fieldRange?: { min: number; max: number };
  highlight?: { split: 'train' | 'test'; index: number } | null;
  onHover?: (p: PanelPlotHover | null) => void;
  /** Hand edits of the points by pointer (mouse, touch, pen) and keyboard; absent: the plot only shows. */
  editing?: PanelPlotEditing | null;
  /** What the panel shows, for the aria-label and title. */
  label: string;
}

const TRAIN_R = 3;
const TEST_R = 3.5;
const CROSS = 3.5;
/** With at most this many test points every PGD path is drawn, not only the broken points'. */
const ALL_PATHS_BELOW = 40;

/** `[n, 2]` data points → `[n, 2]` pixel coordinates. */
function toPixels(x: ArrayLike<number>, frame: Frame): Float64Array {
  const n = Math.floor(x.length / 2);
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = frame.x(x[2 * i] ?? NaN);
    out[2 * i + 1] = frame.y(x[2 * i + 1] ?? NaN);
  }
  return out;
}

/** One sub-path string per class, so a layer of hundreds of points is a handful of `<path>` elements. */
function byClass(
  px: Float64Array,
  y: Int32Array,
  shape: (x: number, y: number) => string,
): Map<number, string> {
  const parts = new Map<number, string[]>();
  const n = Math.min(px.length / 2, y.length);
  for (let i = 0; i < n; i++) {
    const cx = px[2 * i] ?? NaN;
    const cy = px[2 * i + 1] ?? NaN;
    if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
    const c = y[i] ?? 0;
    let list = parts.get(c);
    if (!list) parts.set(c, (list = []));
    list.push(shape(cx, cy));
  }
  return new Map([...parts].map(([c, list]) => [c, list.join('')]));
}

const circleD = (x: number, y: number) =>
  `M${r2(x - TRAIN_R)},${r2(y)}a${TRAIN_R},${TRAIN_R} 0 1,0 ${2 * TRAIN_R},0a${TRAIN_R},${TRAIN_R} 0 1,0 ${-2 * TRAIN_R},0`;
const diamondD = (x: number, y: number) =>
  `M${r2(x)},${r2(y - TEST_R)}L${r2(x + TEST_R)},${r2(y)}L${r2(x)},${r2(y + TEST_R)}L${r2(x - TEST_R)},${r2(y)}Z`;
const crossD = (x: number, y: number) =>
  `M${r2(x - CROSS)},${r2(y - CROSS)}L${r2(x + CROSS)},${r2(y + CROSS)}M${r2(x - CROSS)},${r2(y + CROSS)}L${r2(x + CROSS)},${r2(y - CROSS)}`;

/**
 * One method's picture: the field as a canvas (one pixel per cell, scaled up smoothly), and SVG marks on top —
 * the decision boundary, ε-balls around the test points (coloured by the exact search's verdict), training points
 * (filled circles), test points (hollow diamonds), successful attack points (✕) and PGD paths.
 */
export function PanelPlot(props: PanelPlotProps) {
  const {
    box,
    size,
    field,
    nClasses,
    norm,
    eps,
    train,
    test,
    showTrain,
    showTest,
    showBalls,
    ballStatus,
    advX,
    advSuccess,
    paths,
    fieldRange,
    highlight,
    onHover,
    editing,
    label,
  } = props;
  const { xMin, xMax, yMin, yMax } = box;
  const frame = useMemo(
    () => makeFrame({ xMin, xMax, yMin, yMax }, size, size),
    [xMin, xMax, yMin, yMax, size],
  );
  const { plot } = frame;

  // The field: colour once per new grid (or colour range), paint in an effect.
  const rangeMin = fieldRange?.min;
  const rangeMax = fieldRange?.max;
  const rgba = useMemo(() => {
    if (!field) return null;
    const range =
      rangeMin !== undefined && rangeMax !== undefined
        ? { min: rangeMin, max: rangeMax }
        : rangeOf(field.grid);
    return fieldToRgba(
      field.grid,
      field.classes,
      field.resolution,
      fieldColorizer(field.kind, nClasses, range),
    );
  }, [field, nClasses, rangeMin, rangeMax]);
  const resolution = field?.resolution ?? 1;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx) return;
    if (!rgba) {
      ctx.clearRect(0, 0, resolution, resolution);
      return;
    }
    ctx.putImageData(new ImageData(rgba, resolution, resolution), 0, 0);
    // The benchmark's "first heatmap" time reads this mark.
    if (performance.getEntriesByName(FIRST_HEATMAP_MARK).length === 0) performance.mark(FIRST_HEATMAP_MARK);
  }, [rgba, resolution]);

  const boundary = useMemo(() => {
    if (!field) return '';
    return nClasses <= 2
      ? boundaryPath(field.margin, field.resolution, plot.width, plot.height)
      : classBoundaryPath(field.classes, field.resolution, nClasses, plot.width, plot.height);
  }, [field, nClasses, plot.width, plot.height]);

  const trainPx = useMemo(() => toPixels(train.x, frame), [train.x, frame]);
  const testPx = useMemo(() => toPixels(test.x, frame), [test.x, frame]);

  const trainLayer = useMemo(
    () =>
      showTrain
        ? [...byClass(trainPx, train.y, circleD)].map(([c, d]) => (
            <path key={c} d={d} fill={classColor(c)} className="rp-train-points" />
          ))
        : null,
    [showTrain, trainPx, train.y],
  );
  const testLayer = useMemo(
    () =>
      showTest
        ? [...byClass(testPx, test.y, diamondD)].map(([c, d]) => (
            <path key={c} d={d} stroke={classColor(c)} className="rp-test-points" />
          ))
        : null,
    [showTest, testPx, test.y],
  );

  const ballLayer = useMemo(() => {
    if (!showBalls || !(eps > 0)) return null;
    const parts: Record<'robust' | 'notRobust' | 'undecided' | 'unknown', string[]> = {
      robust: [],
      notRobust: [],
      undecided: [],
      unknown: [],
    };
    const n = Math.floor(test.x.length / 2);
    for (let i = 0; i < n; i++) {
      const x = test.x[2 * i] ?? NaN;
      const y = test.x[2 * i + 1] ?? NaN;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const code = ballStatus?.[i];
      const group = code === 0 ? 'robust' : code === 1 ? 'notRobust' : code === 2 ? 'undecided' : 'unknown';
      parts[group].push(ballPathD(ballShape(x, y, eps, norm, frame)));
    }
    return (
      <g className="rp-balls">
        {parts.unknown.length > 0 && <path d={parts.unknown.join('')} className="rp-ball-unknown" />}
        {parts.robust.length > 0 && (
          <path
            d={parts.robust.join('')}
            className="rp-ball-robust"
            stroke={ROBUST_COLOR}
            fill={ROBUST_COLOR}
          />
        )}
        {parts.undecided.length > 0 && (
          <path d={parts.undecided.join('')} className="rp-ball-undecided" stroke={UNDECIDED_COLOR} />
        )}
        {parts.notRobust.length > 0 && (
          <path
            d={parts.notRobust.join('')}
            className="rp-ball-not-robust"
            stroke={NOT_ROBUST_COLOR}
            fill={NOT_ROBUST_COLOR}
          />
        )}
      </g>
    );
  }, [showBalls, eps, norm, frame, test.x, ballStatus]);

  const attackLayer = useMemo(() => {
    if (!advX || !advSuccess || !showTest) return null;
    let links = '';
    let crosses = '';
    const n = Math.min(advSuccess.length, Math.floor(advX.length / 2), testPx.length / 2);
    for (let i = 0; i < n; i++) {
      if (advSuccess[i] !== 1) continue;
      const [ax, ay] = frame.toPixel(advX[2 * i] ?? NaN, advX[2 * i + 1] ?? NaN);
      const px = testPx[2 * i] ?? NaN;
      const py = testPx[2 * i + 1] ?? NaN;
      if (![ax, ay, px, py].every(Number.isFinite)) continue;
      links += `M${r2(px)},${r2(py)}L${r2(ax)},${r2(ay)}`;
      crosses += crossD(ax, ay);
    }
    if (!crosses) return null;
    return { links, crosses };
  }, [advX, advSuccess, showTest, frame, testPx]);

  const pathLayer = useMemo(() => {
    if (!paths || !showTest) return null;
    const nTest = Math.floor(test.x.length / 2);
    const steps = paths.steps;
    if (nTest === 0 || paths.path.length < (steps + 1) * nTest * 2) return null;
    const all = nTest <= ALL_PATHS_BELOW;
    let d = '';
    for (let i = 0; i < nTest; i++) {
      if (!all && advSuccess?.[i] !== 1 && ballStatus?.[i] !== 1) continue;
      for (let s = 0; s <= steps; s++) {
        const k = (s * nTest + i) * 2;
        const [px, py] = frame.toPixel(paths.path[k] ?? NaN, paths.path[k + 1] ?? NaN);
        if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
        d += `${s === 0 ? 'M' : 'L'}${r2(px)},${r2(py)}`;
      }
    }
    return d || null;
  }, [paths, showTest, test.x, advSuccess, ballStatus, frame]);

  const highlightXY = useMemo(() => {
    if (!highlight) return null;
    const px = highlight.split === 'train' ? trainPx : testPx;
    const x = px[2 * highlight.index];
    const y = px[2 * highlight.index + 1];
    return x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
  }, [highlight, trainPx, testPx]);

  const { handlers, ghost } = usePlotPointer({
    trainPx,
    testPx,
    showTrain,
    showTest,
    size,
    frame,
    box,
    highlight: highlight ?? null,
    onHover,
    editing: editing ?? null,
  });

  const hasAttacks = attackLayer !== null;
  return (
    <div
      className="rp-panel-plot"
      data-testid="panel-plot"
      data-box={`${xMin},${xMax},${yMin},${yMax}`}
      role={editing ? 'group' : 'img'}
      aria-label={label}
      title={label}
      style={{ width: size, height: size }}
    >
      <canvas
        ref={canvasRef}
        className="rp-panel-field"
        width={resolution}
        height={resolution}
        style={{ left: plot.left, top: plot.top, width: plot.width, height: plot.height }}
      />
      <svg
        className={`rp-panel-marks rp-tool-${editing?.tool ?? 'inspect'}`}
        width={size}
        height={size}
        viewBox={`0 0 ${size} ${size}`}
        {...handlers}
        tabIndex={editing ? 0 : undefined}
        aria-label={
          editing
            ? `${label}. Keys: ] and [ select a point; arrows move it (shift: farther); Delete removes it; with the add tool, Enter adds a point at the centre.`
            : undefined
        }
      >
        {boundary && (
          <path d={boundary} transform={`translate(${plot.left},${plot.top})`} className="rp-boundary" />
        )}
        {ballLayer}
        {pathLayer && <path d={pathLayer} className="rp-pgd-paths" stroke={NOT_ROBUST_COLOR} />}
        {attackLayer && <path d={attackLayer.links} className="rp-attack-links" stroke={NOT_ROBUST_COLOR} />}
        {trainLayer}
        {testLayer}
        {attackLayer && (
          <path d={attackLayer.crosses} className="rp-attack-points" stroke={NOT_ROBUST_COLOR} />
        )}
        {highlightXY && (
          <g className="rp-highlight">
            <circle cx={highlightXY[0]} cy={highlightXY[1]} r={7} className="rp-highlight-halo" />
            <circle cx={highlightXY[0]} cy={highlightXY[1]} r={7} className="rp-highlight-ring" />
          </g>
        )}
        {ghost && <circle cx={ghost[0]} cy={ghost[1]} r={6} className="rp-drag-ghost" />}
      </svg>
      {(showTrain || showTest) && (
        <div className="rp-panel-key" aria-hidden="true">
          {showTrain && <span>● train</span>}
          {showTest && <span>◇ test</span>}
          {showTest && hasAttacks && <span className="rp-key-attack">✕ attack</span>}
        </div>
      )}
    </div>
  );
}
