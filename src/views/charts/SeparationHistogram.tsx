import { useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import { format } from 'd3-format';
import type { Norm } from '../../core/types.ts';
import { countBeyond, finiteQuantile, separationHistogram } from '../../render/histogram.ts';
import './charts.css';

export interface SeparationHistogramProps {
  /** `[nTrain]` each training point's distance to the nearest other-class training point. */
  trainPerPoint: Float64Array;
  /** `[nTest]` each test point's distance to the nearest other-class training point. */
  testPerPoint: Float64Array;
  /** The train–train separation 2r. */
  separation: number;
  r: number;
  eps: number;
  norm: Norm;
  width?: number;
  height?: number;
}

const M = { top: 44, right: 12, bottom: 34, left: 40 };
const BINS = 30;
const LABEL_ROW = 13;
const fmt = format('.2r');
const fmtTick = format('.3~g');

interface Marker {
  key: string;
  value: number;
  label: string;
  className: string;
}

/**
 * The paper's separation histogram: each point's distance to the nearest point of another class, train–train
 * (filled bars) and test–train (outline), with the separation 2r, r and ε marked.
 */
export function SeparationHistogram({
  trainPerPoint,
  testPerPoint,
  separation,
  r,
  eps,
  norm,
  width = 360,
  height = 220,
}: SeparationHistogramProps) {
  const innerW = Math.max(40, width - M.left - M.right);
  const innerH = Math.max(40, height - M.top - M.bottom);
  const normLabel = norm === 'linf' ? 'L∞' : 'L2';

  const model = useMemo(() => {
    const all = new Float64Array(trainPerPoint.length + testPerPoint.length);
    all.set(trainPerPoint);
    all.set(testPerPoint, trainPerPoint.length);
    const p95 = finiteQuantile(all, 0.95);
    const candidates = [p95, 2.2 * eps, 1.1 * separation].filter((v) => Number.isFinite(v) && v > 0);
    const xMax = candidates.length ? Math.max(...candidates) : 1;
    const train = separationHistogram(trainPerPoint, BINS, xMax);
    const test = separationHistogram(testPerPoint, BINS, xMax);
    const beyond = countBeyond(all, xMax);
    const yMax = Math.max(1, ...train.map((b) => b.count), ...test.map((b) => b.count));
    const x = scaleLinear().domain([0, xMax]).range([0, innerW]);
    const y = scaleLinear().domain([0, yMax]).range([innerH, 0]).nice();
    let step = '';
    if (test.length) {
      step = `M${x(test[0]?.x0 ?? 0)},${y(0)}`;
      for (const b of test) step += `V${y(b.count)}H${x(b.x1)}`;
      step += `V${y(0)}`;
    }
    return { x, y, train, step, beyond, xMax };
  }, [trainPerPoint, testPerPoint, eps, separation, innerW, innerH]);
  const { x, y, train, step, beyond } = model;

  // Marker labels stagger into rows so they never overlap (≈6.5 px per character at 12 px).
  const markers = useMemo(() => {
    const list: Marker[] = [
      {
        key: 'sep',
        value: separation,
        label: `separation 2r = ${fmt(separation)}`,
        className: 'rp-marker-sep',
      },
      { key: 'r', value: r, label: `r = ${fmt(r)}`, className: 'rp-marker-r' },
      { key: 'eps', value: eps, label: `ε = ${fmt(eps)}`, className: 'rp-marker-eps' },
    ].filter((m) => Number.isFinite(m.value) && m.value >= 0);
    list.sort((a, b) => a.value - b.value);
    const rows: [number, number][][] = [];
    return list.map((m) => {
      const px = x(Math.min(m.value, model.xMax));
      const w = m.label.length * 6.5 + 4;
      const rightAlign = px + w > innerW;
      const span: [number, number] = rightAlign ? [px - w, px] : [px, px + w];
      let row = rows.findIndex((spans) => spans.every(([a, b]) => span[1] < a || span[0] > b));
      if (row < 0) {
        row = rows.length;
        rows.push([]);
      }
      rows[row]?.push(span);
      return { ...m, px, row, rightAlign, beyondAxis: m.value > model.xMax };
    });
  }, [separation, r, eps, x, innerW, model.xMax]);

  const xTicks = x.ticks(Math.max(2, Math.floor(innerW / 70)));
  const yTicks = y.ticks(4).filter((t) => Number.isInteger(t));

  return (
    <figure className="rp-chart rp-separation" style={{ width }}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`histogram of distances to the nearest other-class point (${normLabel}); separation ${fmt(separation)}`}
      >
        <g transform={`translate(${M.left},${M.top})`}>
          {yTicks.map((t) => (
            <g key={t} transform={`translate(0,${y(t)})`}>
              <line x2={innerW} className="rp-grid-line" />
              <text x={-6} dy="0.32em" textAnchor="end" className="rp-tick-label">
                {t}
              </text>
            </g>
          ))}
          {train.map((b, i) => (
            <rect
              key={i}
              x={x(b.x0) + 0.5}
              width={Math.max(0, x(b.x1) - x(b.x0) - 1)}
              y={y(b.count)}
              height={y(0) - y(b.count)}
              className="rp-bar-train"
            />
          ))}
          {step && <path d={step} className="rp-step-test" />}
          <line y1={innerH} y2={innerH} x2={innerW} className="rp-axis-line" />
          <line y2={innerH} className="rp-axis-line" />
          {xTicks.map((t) => (
            <g key={t} transform={`translate(${x(t)},${innerH})`}>
              <line y2={4} className="rp-axis-line" />
              <text y={15} textAnchor="middle" className="rp-tick-label">
                {fmtTick(t)}
              </text>
            </g>
          ))}
          <text x={innerW / 2} y={innerH + 30} textAnchor="middle" className="rp-axis-title">
            distance to nearest other-class training point ({normLabel})
          </text>
          {markers.map((m) => {
            const labelY = -M.top + 10 + m.row * LABEL_ROW;
            return (
              <g key={m.key} className={`rp-marker ${m.className}`}>
                <line x1={m.px} x2={m.px} y1={labelY + 3} y2={innerH} />
                <text
                  x={m.rightAlign ? m.px - 3 : m.px + 3}
                  y={labelY}
                  textAnchor={m.rightAlign ? 'end' : 'start'}
                  className="rp-marker-label"
                >
                  {m.label}
                  {m.beyondAxis ? ' →' : ''}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
      <ul className="rp-series-legend">
        <li>
          <span className="rp-swatch rp-swatch-train" />
          train–train
        </li>
        <li>
          <span className="rp-swatch rp-swatch-test" />
          test–train
        </li>
        {beyond > 0 && (
          <li className="rp-muted">
            {beyond} point{beyond === 1 ? '' : 's'} beyond {fmtTick(model.xMax)}
          </li>
        )}
      </ul>
    </figure>
  );
}
