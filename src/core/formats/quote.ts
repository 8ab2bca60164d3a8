/**
 * A value from a file or a link, as a message quotes it back to the user. Messages are short, so the value is cut
 * (a 16 MB one-line file must not become a 16 MB message); they are plain text, so nothing here is markup, but
 * control characters and bidirectional overrides, which would hide or reorder the rest of the message, are shown
 * as "�".
 */

/** Characters a message should not show as they are: C0/C1 controls, bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Longest value a message quotes, in characters. */
export const QUOTE_MAX = 40;

/**
 * `value` cut to at most `max` characters (whole code points, so no half emoji), with "…" when cut, and control
 * characters replaced by "�". Without quotes; see {@link quoted}.
 */
export function cut(value: string, max: number = QUOTE_MAX): string {
  // Slice first: Array.from on a whole 16 MB string would be slow.
  const points = Array.from(value.slice(0, 2 * max + 2));
  const text = points.length > max ? `${points.slice(0, max - 1).join('')}…` : points.join('');
  return text.replace(INVISIBLE, '\uFFFD');
}

/** `value` in double quotes, cut as {@link cut} does: `"<img src=x onerror=…"`. */
export function quoted(value: string, max: number = QUOTE_MAX): string {
  return `"${cut(value, max)}"`;
}
