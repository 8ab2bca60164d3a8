import { useMemo } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { format } from 'd3-format';
import './charts.css';

export interface SparklineProps {
  /** One value per epoch (the mean training loss). */
  values: ArrayLike<number>;
  width?: number;
  height?: number;
  /** What the values are, for the aria-label ("loss per epoch" by default). */
  label?: string;
}

const fmt = format('.3~r');
/** Room on the right for the last value. */
const TEXT_W = 38;

/** A small line of the loss per epoch; log y when the values span more than 20×. */
export function Sparkline({ values, width = 140, height = 28, label = 'loss per epoch' }: SparklineProps) {
  const { d, last, lastXY } = useMemo(() => {
    const pts: [number, number][] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i] ?? NaN;
      if (Number.isFinite(v)) pts.push([i, v]);
    }
    if (!pts.length) return { d: '', last: NaN, lastXY: null };
    const ys = pts.map((p) => p[1]);
    const lo = Math.min(...ys);
    const hi = Math.max(...ys);
    const plotW = Math.max(10, width - TEXT_W);
    const x = scaleLinear()
      .domain([0, Math.max(1, values.length - 1)])
      .range([2, plotW - 2]);
    const useLog = lo > 0 && hi / lo > 20;
    const y = (useLog ? scaleLog() : scaleLinear())
      .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
      .range([height - 3, 3]);
    const path = line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))(pts);
    const end = pts[pts.length - 1] ?? [0, 0];
    return { d: path ?? '', last: end[1], lastXY: [x(end[0]), y(end[1])] as const };
  }, [values, width, height]);

  const aria = Number.isFinite(last) ? `${label}, last ${fmt(last)}` : `${label}, no values yet`;
  return (
    <svg className="rp-chart rp-sparkline" width={width} height={height} role="img" aria-label={aria}>
      {d ? (
        <>
          <path d={d} className="rp-sparkline-line" />
          {lastXY && <circle cx={lastXY[0]} cy={lastXY[1]} r={2} className="rp-sparkline-dot" />}
          <text x={width - TEXT_W + 4} y={height / 2} dy="0.35em" className="rp-sparkline-value">
            {fmt(last)}
          </text>
        </>
      ) : (
        <line x1={2} x2={width - 2} y1={height - 3} y2={height - 3} className="rp-sparkline-empty" />
      )}
    </svg>
  );
}
