import { describe, expect, it } from 'vitest';
import type { MetricsEvent, PanelInfo } from '../../src/engine/protocol.ts';
import type { PanelView } from '../../src/views/useEngine.ts';
import { summaryText } from '../../src/views/LiveSummary.tsx';

function view(label: string, m: Partial<MetricsEvent> | null): PanelView {
  const info = { id: label, label, method: 'natural' } as PanelInfo;
  return {
    info,
    generation: 0,
    progress: null,
    frame: null,
    metrics: m ? ({ testAcc: 0, advTestAcc: 0, robustCount: 0, ...m } as MetricsEvent) : null,
    curve: null,
    error: null,
  };
}

describe('the spoken summary of the table', () => {
  const panels = [
    view('Natural', { testAcc: 0.975, advTestAcc: 0.5, robustCount: 180 }),
    view('TRADES (β = 6)', { testAcc: 0.9, advTestAcc: 0.8, robustCount: 316 }),
    view('not yet', null),
  ];
  it('says every measured panel’s test, adversarial and robust accuracy once training stops', () => {
    expect(summaryText(panels, { eps: 0.1, norm: 'linf' }, 'done', 400)).toBe(
      'Trained. At ε = 0.1: Natural: test 97.5 %, adversarial 50.0 %, robust 45.0 %; ' +
        'TRADES (β = 6): test 90.0 %, adversarial 80.0 %, robust 79.0 %.',
    );
    expect(summaryText(panels, { eps: 0.1, norm: 'linf' }, 'paused', 400)).toMatch(/^Paused\. /);
  });
  it('stays silent while training, and when nothing is measured', () => {
    expect(summaryText(panels, { eps: 0.1, norm: 'linf' }, 'training', 400)).toBe('');
    expect(summaryText([view('a', null)], { eps: 0.1, norm: 'linf' }, 'done', 400)).toBe('');
  });
});
