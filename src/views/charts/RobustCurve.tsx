import { useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { format } from 'd3-format';
import type { Norm } from '../../core/types.ts';
import './charts.css';

export interface RobustCurveSeries {
  id: string;
  label: string;
  color: string;
  /** Radii, ascending. */
  eps: ArrayLike<number>;
  /** Robust test accuracy at each radius as a fraction in [0, 1] (shown as %). */
  acc: ArrayLike<number>;
}

export interface RobustCurveProps {
  series: RobustCurveSeries[];
  currentEps: number;
  norm: Norm;
  /** The parent measures the available width. */
  width?: number;
  height?: number;
  caption?: string;
}

const M = { top: 10, right: 12, bottom: 34, left: 44 };
const fmtEps = format('.3~g');

/** Robust accuracy (exact 2D search) against ε, one line per method, with the current ε marked. */
export function RobustCurve({
  series,
  currentEps,
  norm,
  width = 360,
  height = 220,
  caption,
}: RobustCurveProps) {
  const innerW = Math.max(40, width - M.left - M.right);
  const innerH = Math.max(40, height - M.top - M.bottom);

  const { x, y, lines } = useMemo(() => {
    let maxEps = Number.isFinite(currentEps) ? currentEps : 0;
    for (const s of series) {
      for (let i = 0; i < s.eps.length; i++) {
        const e = s.eps[i] ?? NaN;
        if (Number.isFinite(e) && e > maxEps) maxEps = e;
      }
    }
    const x = scaleLinear()
      .domain([0, maxEps > 0 ? maxEps : 0.1])
      .range([0, innerW])
      .nice();
    const y = scaleLinear().domain([0, 100]).range([innerH, 0]);
    const lines = series.map((s) => {
      const pts: [number, number][] = [];
      const n = Math.min(s.eps.length, s.acc.length);
      for (let i = 0; i < n; i++) {
        const e = s.eps[i] ?? NaN;
        const a = s.acc[i] ?? NaN;
        if (Number.isFinite(e) && Number.isFinite(a)) pts.push([x(e), y(100 * a)]);
      }
      return { s, pts, d: pts.length > 1 ? (line()(pts) ?? '') : '' };
    });
    return { x, y, lines };
  }, [series, currentEps, innerW, innerH]);

  const xTicks = x.ticks(Math.max(2, Math.floor(innerW / 60)));
  const yTicks = [0, 25, 50, 75, 100];
  const cx = x(currentEps);
  const normLabel = norm === 'linf' ? 'L∞' : 'L2';

  return (
    <figure className="rp-chart rp-robust-curve" style={{ width }}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`robust test accuracy against ε (${normLabel}) for ${series.length} methods`}
      >
        <g transform={`translate(${M.left},${M.top})`}>
          {yTicks.map((t) => (
            <g key={t} transform={`translate(0,${y(t)})`}>
              <line x2={innerW} className="rp-grid-line" />
              <text x={-6} dy="0.32em" textAnchor="end" className="rp-tick-label">
                {t}%
              </text>
            </g>
          ))}
          <line y1={innerH} y2={innerH} x2={innerW} className="rp-axis-line" />
          <line y2={innerH} className="rp-axis-line" />
          {xTicks.map((t) => (
            <g key={t} transform={`translate(${x(t)},${innerH})`}>
              <line y2={4} className="rp-axis-line" />
              <text y={15} textAnchor="middle" className="rp-tick-label">
                {fmtEps(t)}
              </text>
            </g>
          ))}
          <text x={innerW / 2} y={innerH + 30} textAnchor="middle" className="rp-axis-title">
            ε ({normLabel})
          </text>
          <text
            transform={`translate(${-34},${innerH / 2}) rotate(-90)`}
            textAnchor="middle"
            className="rp-axis-title"
          >
            robust test accuracy
          </text>
          {Number.isFinite(cx) && cx >= 0 && cx <= innerW && (
            <g>
              <line x1={cx} x2={cx} y2={innerH} className="rp-marker rp-marker-eps" />
              <text x={cx + 3} y={8} className="rp-marker-label">
                ε = {fmtEps(currentEps)}
              </text>
            </g>
          )}
          {lines.map(({ s, pts, d }) => (
            <g key={s.id} className="rp-series" stroke={s.color} fill={s.color}>
              {d && <path d={d} fill="none" strokeWidth={1.75} />}
              {pts.map(([px, py], i) => (
                <circle key={i} cx={px} cy={py} r={2.5} stroke="white" strokeWidth={0.75} />
              ))}
            </g>
          ))}
        </g>
      </svg>
      <ul className="rp-series-legend">
        {series.map((s) => (
          <li key={s.id}>
            <span className="rp-swatch rp-swatch-line" style={{ background: s.color }} />
            {s.label}
            {Math.min(s.eps.length, s.acc.length) === 0 && <span className="rp-muted"> (no data yet)</span>}
          </li>
        ))}
      </ul>
      {caption && <figcaption className="rp-caption">{caption}</figcaption>}
    </figure>
  );
}
