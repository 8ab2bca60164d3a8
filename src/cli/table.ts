/** The paper-style results table as plain text. */
import type { ExperimentResult } from '../engine/experiment.ts';

const pct = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(1) : '—');
const fixed = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export function resultsTable(result: ExperimentResult): string {
  const header = [
    'method',
    'train acc',
    'test acc',
    'adv test acc',
    'robust test acc',
    'test Lip',
    'Lip (ascent)',
    'seconds',
  ];
  const rows = result.models.map((m) => [
    m.spec.label + (m.stopped ? ' *' : ''),
    pct(m.trainAcc),
    pct(m.testAcc),
    pct(m.advTestAcc),
    pct(m.robustTestAcc) + (m.robustUndecided > 0 ? ` (${m.robustUndecided}?)` : ''),
    fixed(m.testLipschitz),
    fixed(m.testLipschitzMax),
    fixed(m.seconds, 1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function tableNotes(result: ExperimentResult, eps: number, norm: string): string[] {
  const n = norm === 'linf' ? 'L∞' : 'L2';
  const resolution = Math.min(...result.models.map((m) => m.robustResolution).filter((r) => r > 0));
  const notes = [
    `Accuracies in %. ε = ${eps} (${n}). Train–train separation: ${fixed(result.separationLinf, 4)} (L∞), ${fixed(result.separationL2, 4)} (L2).`,
    `adv test acc: ${result.attack}.`,
    `robust test acc: exact search of each ε-ball, certified cell by cell with a Lipschitz bound` +
      (Number.isFinite(resolution) ? ` (finest cell ${resolution.toPrecision(2)})` : '') +
      `; "(k?)" = k balls left undecided, counted as not robust.`,
    `test Lip: ${result.lipschitzLabel}; Lip (ascent): the same search with the sign fixed to ascend, best iterate kept.`,
  ];
  for (const m of result.models) {
    if (m.nn) {
      notes.push(
        `${m.spec.label}: r = ${m.nn.r.toPrecision(4)}; certified robust accuracy on the training points at radius 0.999·r = ${m.nn.checkedRadius.toPrecision(4)}: ${pct(m.nn.robustTrainAccAtR)} % (the theorem promises 100 %).`,
      );
    }
    if (m.stopped) notes.push(`* ${m.spec.label}: ${m.stopped}`);
  }
  return notes;
}
