/**
 * A polite live region for screen readers: the table's numbers in one sentence, said when training stops or the
 * numbers settle after a change — never on every training chunk.
 */
import { useEffect, useState } from 'react';
import type { EvalSettings } from '../engine/protocol.ts';
import type { PanelView } from './useEngine.ts';
import { pct } from './format.ts';

const SETTLE_MS = 1500;

export function summaryText(
  panels: readonly PanelView[],
  evaluation: EvalSettings,
  status: string,
  nTest: number,
): string {
  if (status !== 'done' && status !== 'paused') return '';
  const parts = panels
    .filter((p) => p.metrics)
    .map((p) => {
      const m = p.metrics!;
      return `${p.info.label}: test ${pct(m.testAcc)}, adversarial ${pct(m.advTestAcc)}, robust ${pct(m.robustCount / Math.max(1, nTest))}`;
    });
  if (parts.length === 0) return '';
  return `${status === 'done' ? 'Trained' : 'Paused'}. At ε = ${evaluation.eps}: ${parts.join('; ')}.`;
}

export function LiveSummary(props: {
  panels: readonly PanelView[];
  evaluation: EvalSettings;
  status: string;
  nTest: number;
}) {
  const text = summaryText(props.panels, props.evaluation, props.status, props.nTest);
  const [said, setSaid] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setSaid(text), SETTLE_MS);
    return () => clearTimeout(t);
  }, [text]);
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="live-summary">
      {said}
    </div>
  );
}
