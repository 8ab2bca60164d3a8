/** The numbers of the point under the pointer (or selected by keyboard): what the engine measured around it. */
import type { Norm } from '../core/types.ts';
import type { PointInfo } from '../engine/protocol.ts';
import type { PanelPlotHover } from './charts/index.ts';
import { num } from './format.ts';

export function PointTooltip({
  at,
  info,
  panelLabel,
  norm,
}: {
  at: PanelPlotHover;
  /** null while the engine computes it. */
  info: PointInfo | null;
  panelLabel: string | null;
  norm: Norm;
}) {
  return (
    <div
      className="tooltip"
      role="tooltip"
      style={{
        left: Math.min(at.clientX + 14, window.innerWidth - 250),
        top: at.clientY + 14,
      }}
    >
      <strong>
        {at.split} point #{at.index}
      </strong>{' '}
      {panelLabel && <span className="muted">({panelLabel})</span>}
      {info ? (
        <dl>
          <dt>class / predicted</dt>
          <dd>
            {info.label} / {info.predicted}
          </dd>
          <dt>margin z_y − max z_c</dt>
          <dd>{num(info.margin)}</dd>
          <dt>local Lipschitz (paper’s ratio in its ε-ball)</dt>
          <dd>{num(info.lipschitz)}</dd>
          <dt>slope ‖∇ₓ margin‖{norm === 'linf' ? '₁' : '₂'}</dt>
          <dd>{num(info.gradientNorm)}</dd>
          <dt>robust radius (exact 2D search)</dt>
          <dd>
            {info.robustRadius >= info.radiusCap
              ? `≥ ${num(info.radiusCap)}`
              : info.robustRadius === 0
                ? '0 (misclassified)'
                : `${num(info.robustRadius)} ± ${num(info.robustRadiusTolerance)}`}
          </dd>
        </dl>
      ) : (
        <p className="muted">computing…</p>
      )}
    </div>
  );
}
