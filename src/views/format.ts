/** Number formatting for the views: one place, so the table, panels and tooltips agree. */
import { format } from 'd3-format';

const pct1 = format('.1f');
const sig3 = format('.3~g');

/** A fraction as a percentage with one decimal, or an en dash when not computed. */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${pct1(100 * v)} %`;
}

/** Three significant digits, or an en dash when not computed. */
export function num(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : sig3(v);
}

/** The value for a `data-value` attribute: empty until computed. */
export function dataValue(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}
