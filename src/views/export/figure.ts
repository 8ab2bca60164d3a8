/**
 * The current figure as one self-contained SVG (and, through a canvas, a PNG): every panel's heatmap as an embedded
 * `data:` PNG, its marks as the page drew them, its title and metric lines, a legend, the caption and the page's
 * share link — visible, and machine-readable in `<metadata>` (PNG: a text chunk) so that opening the figure
 * restores the setup that made it.
 *
 * The string building is pure and runs anywhere (tests run it in Node); only {@link svgToPng} needs the DOM. Nothing
 * inside the SVG points outside it (only `data:` URLs), so drawing it onto a canvas never taints the canvas.
 */
import { addPngText, PNG_LINK_KEY } from '../../core/formats/pngText.ts';
import type { Norm } from '../../core/types.ts';
import { classColor, NOT_ROBUST_COLOR, ROBUST_COLOR, UNDECIDED_COLOR } from '../../render/colors.ts';
import { FIGURE_LINK_NS, readSvgLink } from '../../state/openFile.ts';

export { FIGURE_LINK_NS, readSvgLink };

/** One method's panel, gathered from the page. */
export interface FigurePanel {
  /** The panel's title, e.g. "TRADES (β = 6)". Any text: it is escaped. */
  readonly label: string;
  /** The field canvas as `canvas.toDataURL()` (a `data:image/png` URL); null or "" for a panel with no field yet. */
  readonly heatmapPng: string | null;
  /** The panel's overlay `<svg class="rp-panel-marks">` as `outerHTML`; "" for none. */
  readonly marksSvg: string;
  /** Side of the square panel, CSS pixels. */
  readonly size: number;
  /** Where the field canvas lies inside the panel (PanelPlot's `frame.plot`); default the whole panel. */
  readonly fieldRect?: {
    readonly left: number;
    readonly top: number;
    readonly width: number;
    readonly height: number;
  };
  /** Lines under the panel, e.g. "test 97.5 % · adv 81.0 % (PGD-10) · robust 80.3 %". */
  readonly metrics: readonly string[];
}

export interface FigureInput {
  readonly title: string;
  /** One line or more of context; see {@link figureCaption}. Wrapped to the figure's width. */
  readonly caption: string;
  readonly panels: readonly FigurePanel[];
  /** The page's share link; "" for none. */
  readonly link: string;
  /** What the heatmap shows, added to the legend line (e.g. "heatmap: p(class 1)"). */
  readonly legendNote?: string;
  /** Classes of the data, for the legend's point swatches (default 2). */
  readonly nClasses?: number;
  /** The ball norm, for the legend's ball swatches: squares for L∞ (the default), circles for L2. */
  readonly norm?: Norm;
}

const MARGIN = 16;
const COL_GAP = 16;
const ROW_GAP = 14;
const TITLE_H = 28;
const LABEL_H = 20;
const METRIC_H = 15;
const LEGEND_H = 22;
const CAPTION_H = 15;
const LINK_H = 14;
const MIN_WIDTH = 480;
/** Rough average advance of the text fonts, px per character (no DOM to measure in Node). */
const CHAR_W = { label: 7.4, metric: 5.8, caption: 6.0, link: 6.1 } as const;

const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for XML content and attribute values: the five specials escaped, characters XML forbids replaced by U+FFFD. */
export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(/[&<>"']/g, (c) =>
      c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
    );
}

/** Columns of the panel grid: a row for up to 3 panels, then a squarish grid, at most 4 wide. */
export function figureColumns(n: number): number {
  if (n <= 3) return Math.max(1, n);
  if (n === 4) return 2;
  if (n <= 6 || n === 9) return 3;
  return 4;
}

/** "dataset moons · ε = 0.1 (L∞) · backend webgpu · 2025-01-31": the caption of {@link FigureInput}. */
export function figureCaption(c: {
  readonly dataset: string;
  readonly eps: number;
  readonly norm: Norm;
  readonly backend: string;
  readonly date: Date;
}): string {
  const day = Number.isNaN(c.date.getTime()) ? '' : ` · ${c.date.toISOString().slice(0, 10)}`;
  return `dataset ${c.dataset} · ε = ${c.eps} (${c.norm === 'linf' ? 'L∞' : 'L2'}) · backend ${c.backend}${day}`;
}

/** Greedy word wrap to `maxChars` per line; a word longer than a line is cut. */
function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      for (const piece of chunks(word, maxChars)) {
        if (!line) line = piece;
        else if (line.length + 1 + piece.length <= maxChars) line += ` ${piece}`;
        else {
          lines.push(line);
          line = piece;
        }
      }
    }
    if (line) lines.push(line);
  }
  return lines;
}

/** `s` cut into pieces of at most `n` characters (code points, so no surrogate pair is split). */
function chunks(s: string, n: number): string[] {
  const cps = [...s];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += Math.max(1, n)) out.push(cps.slice(i, i + Math.max(1, n)).join(''));
  return out.length ? out : [''];
}

function ellipsize(s: string, maxChars: number): string {
  const cps = [...s];
  return cps.length <= maxChars ? s : `${cps.slice(0, Math.max(1, maxChars - 1)).join('')}…`;
}

const n2 = (v: number) => String(Math.round(v * 100) / 100);

interface Layout {
  readonly width: number;
  readonly height: number;
  readonly cols: number;
  readonly cellW: number;
  readonly cells: readonly {
    readonly x: number;
    readonly y: number;
    readonly metricLines: readonly string[];
  }[];
  readonly legendY: number;
  readonly captionLines: readonly string[];
  readonly captionY: number;
  readonly linkLines: readonly string[];
  readonly linkY: number;
}

function layout(input: FigureInput): Layout {
  const n = input.panels.length;
  const cols = figureColumns(n);
  const cellW = Math.max(120, ...input.panels.map((p) => p.size));
  const width = Math.max(MIN_WIDTH, 2 * MARGIN + cols * cellW + (cols - 1) * COL_GAP);
  const metricChars = Math.floor(cellW / CHAR_W.metric);
  const cells: { x: number; y: number; metricLines: string[] }[] = [];
  let y = MARGIN + TITLE_H;
  for (let r = 0; r * cols < n; r++) {
    const row = input.panels.slice(r * cols, r * cols + cols);
    const lines = row.map((p) => p.metrics.flatMap((m) => wrapWords(m, metricChars)));
    const plotH = Math.max(...row.map((p) => p.size));
    row.forEach((_, c) => cells.push({ x: MARGIN + c * (cellW + COL_GAP), y, metricLines: lines[c]! }));
    y += LABEL_H + plotH + 4 + Math.max(0, ...lines.map((l) => l.length)) * METRIC_H + ROW_GAP;
  }
  const legendY = y;
  y += LEGEND_H;
  const captionLines = wrapWords(input.caption, Math.floor((width - 2 * MARGIN) / CHAR_W.caption));
  const captionY = y;
  y += captionLines.length * CAPTION_H;
  const linkText = input.link ? `Reproduce: ${input.link}` : '';
  const linkLines = linkText ? chunks(linkText, Math.floor((width - 2 * MARGIN) / CHAR_W.link)) : [];
  const linkY = y + (linkLines.length ? 4 : 0);
  y = linkY + linkLines.length * LINK_H;
  return {
    width,
    height: Math.ceil(y + MARGIN),
    cols,
    cellW,
    cells,
    legendY,
    captionLines,
    captionY,
    linkLines,
    linkY,
  };
}

/** The figure's size in CSS pixels (the SVG's `width` and `height`), for {@link svgToPng}. */
export function figureSize(input: FigureInput): { width: number; height: number } {
  const { width, height } = layout(input);
  return { width, height };
}

/** The rules of charts.css that the panel marks use, so the SVG looks the same away from the page. */
const MARKS_CSS = `
.rp-boundary { fill: none; stroke: #222; stroke-width: 1.5; stroke-linejoin: round; stroke-linecap: round; }
.rp-ball-robust { stroke-width: 0.5; fill-opacity: 0.03; stroke-opacity: 0.3; }
.rp-ball-not-robust { stroke-width: 1.4; fill-opacity: 0.1; }
.rp-ball-undecided { fill: none; stroke-width: 1; stroke-dasharray: 3 2; }
.rp-ball-unknown { fill: none; stroke: #999; stroke-width: 0.6; stroke-dasharray: 1 2; }
.rp-pgd-paths { fill: none; stroke-width: 0.9; stroke-opacity: 0.7; stroke-linejoin: round; }
.rp-attack-links { fill: none; stroke-width: 0.75; stroke-opacity: 0.8; }
.rp-attack-points { fill: none; stroke-width: 1.75; stroke-linecap: round; }
.rp-train-points { stroke: #fff; stroke-width: 0.75; }
.rp-test-points { fill: #fff; fill-opacity: 0.85; stroke-width: 1.5; stroke-linejoin: round; }
.rp-highlight-halo { fill: none; stroke: #fff; stroke-width: 4; }
.rp-highlight-ring { fill: none; stroke: #111; stroke-width: 1.75; }
.rp-panel-marks { overflow: hidden; }
`;

const FIGURE_CSS = `
text { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; fill: #222; }
.rp-fig-title { font-size: 16px; font-weight: 600; }
.rp-fig-label { font-size: 13px; font-weight: 600; }
.rp-fig-metric { font-size: 11px; fill: #444; font-variant-numeric: tabular-nums; }
.rp-fig-legend { font-size: 11px; fill: #333; }
.rp-fig-caption { font-size: 11px; fill: #555; }
.rp-fig-link { font-size: 10px; fill: #555; font-family: ui-monospace, Menlo, Consolas, monospace; }
.rp-fig-frame { fill: none; stroke: #ccc; stroke-width: 1; }
`;

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const DATA_IMAGE = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=\s]*$/;

/**
 * Elements a figure's marks never need and that could run script, load or show something from outside, or turn
 * an attribute into a `javascript:` URL over time (SMIL `animate`/`set`).
 */
const UNSAFE_ELEMENTS =
  'script|foreignObject|style|iframe|embed|object|animate|animateMotion|animateTransform|set|discard|handler|listener';
const UNSAFE_PAIRED = new RegExp(`<(${UNSAFE_ELEMENTS})\\b[\\s\\S]*?<\\/\\1\\s*>`, 'gi');
const UNSAFE_SINGLE = new RegExp(`<\\/?(?:${UNSAFE_ELEMENTS})\\b[^>]*>`, 'gi');
/** Links (`<a>`): their tags go, their drawing stays. */
const LINK_TAG = /<\/?a\b[^>]*>/gi;
const ATTRIBUTE = /\s+([A-Za-z_:][\w:.-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>/=`]+)/g;

/**
 * Whether an attribute of the marks may stay: no event handler, no `javascript:` anywhere, links only to
 * `#fragments` and `data:` images, and CSS `url()` only to `#fragments`.
 */
function safeAttribute(name: string, quoted: string): boolean {
  const value = quoted.replace(/^["']|["']$/g, '');
  // Character references and blanks cannot hide a scheme: `&#106;avascript:`, `java&Tab;script:`, `java\nscript:`.
  const plain = value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => codePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => codePoint(Number(dec)))
    .replace(/&(colon|tab|newline);?/gi, (_, n: string) => (n.toLowerCase() === 'colon' ? ':' : ''))
    .replace(/[\s\p{Cc}]/gu, '')
    .toLowerCase();
  if (/^on/i.test(name) || /(java|vb)script:/.test(plain)) return false;
  if (/(^|:)href$/i.test(name)) return /^(#|data:image\/(png|jpeg|gif|webp)[;,])/i.test(value.trim());
  return !/url\(\s*['"]?(?!#)/i.test(value);
}

/** The character of a character reference; "" for a number that is none. */
function codePoint(n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
}

/** `s` with `re` replaced by `by` until nothing changes (so a removal cannot join the halves of another). */
function removeAll(s: string, re: RegExp, by = ''): string {
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(re, by);
  }
  return s;
}

/**
 * A panel's overlay `<svg>` (HTML-serialised by `outerHTML`) made fit for a standalone XML file that a canvas may
 * draw: no scripts, styles, event handlers, foreign objects, animations, links, or references to anything but
 * `#fragments` and `data:` images ({@link safeAttribute}); HTML's named entities (`&nbsp;`) turned into character
 * references. The marks are the page's own drawing (no user text); this holds the exported file safe all the same.
 */
export function cleanMarksSvg(svg: string): string {
  const s = svg.trim();
  if (s === '') return '';
  if (!/^<svg[\s>]/i.test(s)) {
    throw new Error(`marksSvg must be an <svg> element's outerHTML; it starts with "${s.slice(0, 20)}".`);
  }
  let out = removeAll(s, UNSAFE_PAIRED);
  out = removeAll(out, UNSAFE_SINGLE);
  out = removeAll(out, LINK_TAG);
  return out
    .replace(ATTRIBUTE, (whole, name: string, value: string) => (safeAttribute(name, value) ? whole : ''))
    .replace(/&([A-Za-z][A-Za-z0-9]*);/g, (whole, name: string) =>
      XML_ENTITIES.has(name) ? whole : name === 'nbsp' ? '&#160;' : `&amp;${name};`,
    );
}

function text(x: number, y: number, cls: string, content: string, anchor?: 'middle' | 'end'): string {
  const a = anchor ? ` text-anchor="${anchor}"` : '';
  return `<text x="${n2(x)}" y="${n2(y)}" class="${cls}"${a}>${escapeXml(content)}</text>`;
}

/** The legend line's swatches and words, left to right from `x`. */
function legend(x: number, y: number, nClasses: number, norm: Norm, note: string | undefined): string {
  const out: string[] = [];
  const cy = y - 4;
  let at = x;
  const word = (s: string) => {
    out.push(text(at, y, 'rp-fig-legend', s));
    at += s.length * CHAR_W.metric + 12;
  };
  const classes = Math.max(1, Math.min(nClasses, 8));
  for (let c = 0; c < classes; c++) {
    out.push(
      `<circle cx="${n2(at + 3 + c * 8)}" cy="${n2(cy)}" r="3" fill="${classColor(c)}" class="rp-train-points"/>`,
    );
  }
  at += classes * 8 + 2;
  word('train');
  for (let c = 0; c < classes; c++) {
    const cx = at + 3.5 + c * 9;
    out.push(
      `<path d="M${n2(cx)},${n2(cy - 3.5)}L${n2(cx + 3.5)},${n2(cy)}L${n2(cx)},${n2(cy + 3.5)}L${n2(cx - 3.5)},${n2(cy)}Z" stroke="${classColor(c)}" class="rp-test-points"/>`,
    );
  }
  at += classes * 9 + 2;
  word('test');
  out.push(`<path d="M${n2(at)},${n2(cy + 4)}L${n2(at + 14)},${n2(cy - 4)}" class="rp-boundary"/>`);
  at += 18;
  word('decision boundary');
  const ball = (cls: string, color: string, label: string) => {
    // The page's faint robust balls would vanish at legend size: the inline style (above the class rules) firms them.
    const paint = ` stroke="${color}" fill="${color}" style="stroke-opacity:0.9"`;
    out.push(
      norm === 'linf'
        ? `<rect x="${n2(at)}" y="${n2(cy - 5)}" width="10" height="10" class="${cls}"${paint}/>`
        : `<circle cx="${n2(at + 5)}" cy="${n2(cy)}" r="5" class="${cls}"${paint}/>`,
    );
    at += 14;
    word(label);
  };
  ball('rp-ball-robust', ROBUST_COLOR, 'ε-ball robust');
  ball('rp-ball-not-robust', NOT_ROBUST_COLOR, 'not robust');
  ball('rp-ball-undecided', UNDECIDED_COLOR, 'undecided');
  out.push(
    `<path d="M${n2(at)},${n2(cy - 3.5)}L${n2(at + 7)},${n2(cy + 3.5)}M${n2(at)},${n2(cy + 3.5)}L${n2(at + 7)},${n2(cy - 3.5)}" class="rp-attack-points" stroke="${NOT_ROBUST_COLOR}"/>`,
  );
  at += 11;
  word('attack point');
  if (note) word(note);
  return out.join('\n');
}

/**
 * The figure as a standalone SVG document: a grid of panels (columns by {@link figureColumns}), each with its
 * title above and metric lines below, then a legend line, the caption and a "Reproduce: <link>" line. The link is
 * also stored as `<metadata><rp:link xmlns:rp="{@link FIGURE_LINK_NS}">…</rp:link></metadata>`
 * ({@link readSvgLink} reads it back). Heatmaps are `<image>` elements with their `data:` URL, stretched over the
 * field's rectangle and smoothed like the page's CSS-scaled canvas. All user text is escaped.
 *
 * @throws Error when a heatmap is not a `data:image/…;base64` URL (anything else would taint a canvas) or marks
 *   are not an `<svg>` element
 */
export function figureSvg(input: FigureInput): string {
  const L = layout(input);
  const { width, height } = L;
  const parts: string[] = [];
  parts.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(input.title)}</title>`,
    `<desc>${escapeXml(input.caption)}</desc>`,
    `<metadata><rp:link xmlns:rp="${FIGURE_LINK_NS}">${escapeXml(input.link)}</rp:link></metadata>`,
    `<style><![CDATA[${FIGURE_CSS}${MARKS_CSS}]]></style>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    text(MARGIN, MARGIN + 16, 'rp-fig-title', ellipsize(input.title, Math.floor((width - 2 * MARGIN) / 8.6))),
  );
  input.panels.forEach((p, i) => {
    const cell = L.cells[i]!;
    const size = p.size;
    const px = cell.x;
    const py = cell.y + LABEL_H;
    const field = p.fieldRect ?? { left: 0, top: 0, width: size, height: size };
    parts.push(`<g class="rp-fig-panel">`);
    parts.push(text(px, cell.y + 14, 'rp-fig-label', ellipsize(p.label, Math.floor(L.cellW / CHAR_W.label))));
    parts.push(`<rect x="${n2(px)}" y="${n2(py)}" width="${n2(size)}" height="${n2(size)}" fill="#fff"/>`);
    if (p.heatmapPng) {
      if (!DATA_IMAGE.test(p.heatmapPng)) {
        throw new Error(
          `Panel "${p.label}": heatmapPng must be a data:image/png;base64 URL from canvas.toDataURL(); ` +
            'any other URL would taint the canvas the PNG export draws on.',
        );
      }
      const url = escapeXml(p.heatmapPng);
      parts.push(
        `<image x="${n2(px + field.left)}" y="${n2(py + field.top)}" width="${n2(field.width)}" height="${n2(field.height)}" ` +
          `preserveAspectRatio="none" image-rendering="optimizeQuality" style="image-rendering:auto" href="${url}" xlink:href="${url}"/>`,
      );
    }
    const marks = cleanMarksSvg(p.marksSvg);
    if (marks) parts.push(`<g transform="translate(${n2(px)},${n2(py)})">${marks}</g>`);
    parts.push(
      `<rect x="${n2(px)}" y="${n2(py)}" width="${n2(size)}" height="${n2(size)}" class="rp-fig-frame"/>`,
    );
    cell.metricLines.forEach((line, k) => {
      parts.push(text(px, py + size + 4 + 11 + k * METRIC_H, 'rp-fig-metric', line));
    });
    parts.push('</g>');
  });
  parts.push(legend(MARGIN, L.legendY + 12, input.nClasses ?? 2, input.norm ?? 'linf', input.legendNote));
  L.captionLines.forEach((line, k) =>
    parts.push(text(MARGIN, L.captionY + 11 + k * CAPTION_H, 'rp-fig-caption', line)),
  );
  L.linkLines.forEach((line, k) => parts.push(text(MARGIN, L.linkY + 10 + k * LINK_H, 'rp-fig-link', line)));
  parts.push('</svg>', '');
  return parts.join('\n');
}

/** The SVG as a `data:` URL (UTF-8, percent-encoded), the form every browser draws onto a canvas untainted. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Most pixels a PNG export may have: Safari refuses canvases over 16.7 million pixels. */
export const MAX_PNG_PIXELS = 16_000_000;

/**
 * Rasterise an SVG (a {@link figureSvg} result) to a PNG blob of `width·scale × height·scale` pixels on white —
 * fewer when that would pass {@link MAX_PNG_PIXELS}. With `link`, the PNG carries it as a `tEXt` chunk under
 * {@link PNG_LINK_KEY}. DOM only: an `Image` of the SVG's `data:` URL drawn onto a canvas.
 *
 * @throws Error when the browser cannot decode the SVG or encode the PNG
 */
export async function svgToPng(
  svg: string,
  width: number,
  height: number,
  scale: number,
  link?: string,
): Promise<Blob> {
  const fit = Math.sqrt(MAX_PNG_PIXELS / Math.max(1, width * height));
  const s = Math.max(0.1, Math.min(scale, fit));
  const img = new Image(width, height);
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () =>
      reject(new Error('The browser could not draw the figure as an image; export SVG instead.'));
    img.src = svgDataUrl(svg);
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * s));
  canvas.height = Math.max(1, Math.round(height * s));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser gave no 2D canvas to draw the PNG on; export SVG instead.');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob)
    throw new Error(
      `The browser could not encode a ${canvas.width}×${canvas.height} PNG; try a smaller scale.`,
    );
  if (!link) return blob;
  const bytes = addPngText(new Uint8Array(await blob.arrayBuffer()), PNG_LINK_KEY, link);
  return new Blob([bytes], { type: 'image/png' });
}
