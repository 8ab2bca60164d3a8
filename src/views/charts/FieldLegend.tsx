import { useId } from 'react';
import { classColor, type FieldLegendSpec } from '../../render/colors.ts';
import './charts.css';

export interface FieldLegendProps {
  /** From `fieldLegend(kind, nClasses, range, norm)`. */
  legend: FieldLegendSpec;
  width?: number;
  /** Number of classes; with more than two, probability and margin fields show class swatches (default: the legend's). */
  classes?: number;
}

/** The heatmap's key: a gradient bar with ticks and a title, or class swatches for several classes. */
export function FieldLegend({ legend, width = 180, classes }: FieldLegendProps) {
  const id = useId().replace(/:/g, '');
  const nClasses = classes ?? legend.nClasses;
  const swatches = nClasses > 2 && (legend.kind === 'probability' || legend.kind === 'margin');
  const barW = Math.max(40, width - 16);
  const x0 = 8;
  return (
    <div className="rp-chart rp-field-legend" style={{ width }}>
      <div className="rp-legend-title">{legend.title}</div>
      {swatches && (
        <ul className="rp-swatches" aria-label="class colours">
          {Array.from({ length: nClasses }, (_, c) => (
            <li key={c}>
              <span className="rp-swatch" style={{ background: classColor(c) }} />
              class {c}
            </li>
          ))}
        </ul>
      )}
      <svg width={width} height={30} aria-hidden="true">
        <defs>
          <linearGradient id={`rp-grad-${id}`} x1="0" x2="1" y1="0" y2="0">
            {legend.stops.map((s, i) => (
              <stop key={i} offset={s.offset} stopColor={s.color} />
            ))}
          </linearGradient>
        </defs>
        <rect x={x0} y={2} width={barW} height={10} fill={`url(#rp-grad-${id})`} className="rp-legend-bar" />
        {legend.ticks.map((t, i) => {
          const x = x0 + t.offset * barW;
          const anchor = t.offset <= 0.02 ? 'start' : t.offset >= 0.98 ? 'end' : 'middle';
          return (
            <g key={i}>
              <line x1={x} x2={x} y1={12} y2={16} className="rp-axis-line" />
              <text x={x} y={27} textAnchor={anchor} className="rp-tick-label">
                {t.label}
              </text>
            </g>
          );
        })}
      </svg>
      {swatches && <div className="rp-legend-note">pale = less sure</div>}
    </div>
  );
}
