/**
 * Colours of the playground: class colours (Okabe–Ito, safe for colour-vision deficiencies), the robustness
 * marks, plot series, and the colour maps of the heatmap fields with their legends. Pure: no DOM.
 */
import { scaleLog } from 'd3-scale';
import { interpolateViridis, schemeTableau10 } from 'd3-scale-chromatic';
import { format } from 'd3-format';
import type { Norm } from '../core/types.ts';
import type { FieldKind } from '../engine/protocol.ts';

/**
 * Class colours, Okabe & Ito (2008). `#D55E00` (vermillion) is left out on purpose: it marks "not robust" and
 * adversarial points, so it never means a class.
 */
export const CLASS_COLORS: readonly string[] = [
  '#E69F00',
  '#0072B2',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#555555',
  '#999933',
];

/** Balls that contain a point of another class, successful attack points and their paths. */
export const NOT_ROBUST_COLOR = '#D55E00';
/** Balls proven to hold one class. */
export const ROBUST_COLOR = '#1b1b1b';
/** Balls the exact search could not decide at its finest cell. */
export const UNDECIDED_COLOR = '#8a8a8a';

/** Method series in plots (Tableau 10). */
export const SERIES_COLORS: readonly string[] = schemeTableau10;

/** The colour of class `c` (wrapping past the palette). */
export function classColor(c: number): string {
  const n = CLASS_COLORS.length;
  return CLASS_COLORS[((Math.trunc(c) % n) + n) % n] ?? '#555555';
}

export type Rgba = readonly [number, number, number, number];
type Rgb = readonly [number, number, number];

/** What the field's alpha is: the points and marks on top stay readable. */
const FIELD_ALPHA = 200;
/** The middle of the diverging map: not pure white, so the undecided band stays visible on a white page. */
const DIVERGING_MID = '#f7f7f7';
const TRANSPARENT: Rgba = [128, 128, 128, 0];
const LUT_SIZE = 256;

/** `#rrggbb` (or `#rgb`) → `[r, g, b]` 0–255. */
export function parseHex(hex: string): Rgb {
  let h = hex.trim().replace(/^#/, '');
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  if (!/^[0-9a-fA-F]{6}$/.test(h))
    throw new Error(`Colour "${hex}" is not #rrggbb; use a 6-digit hex colour.`);
  const v = parseInt(h, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function toHex([r, g, b]: readonly number[]): string {
  const c = (v: number | undefined) =>
    Math.max(0, Math.min(255, Math.round(v ?? 0)))
      .toString(16)
      .padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

// sRGB ↔ CIE Lab (D65), for perceptually even blends.
const srgbToLinear = (v: number) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const linearToSrgb = (c: number) => 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const XN = 0.96422;
const ZN = 0.82521;
const labF = (t: number) => (t > 0.008856452 ? Math.cbrt(t) : t / 0.12841855 + 4 / 29);
const labFInv = (t: number) => (t > 6 / 29 ? t * t * t : 0.12841855 * (t - 4 / 29));

function rgbToLab([r, g, b]: Rgb): Rgb {
  // d3-color's Lab: sRGB → XYZ (D50, Bradford-adapted) → Lab.
  const lr = srgbToLinear(r);
  const lg = srgbToLinear(g);
  const lb = srgbToLinear(b);
  const y = labF(0.2225045 * lr + 0.7168786 * lg + 0.0606169 * lb);
  const x = labF((0.4360747 * lr + 0.3850649 * lg + 0.1430804 * lb) / XN);
  const z = labF((0.0139322 * lr + 0.0971045 * lg + 0.7141733 * lb) / ZN);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

function labToRgb([l, a, bb]: Rgb): Rgb {
  const fy = (l + 16) / 116;
  const x = XN * labFInv(fy + a / 500);
  const y = labFInv(fy);
  const z = ZN * labFInv(fy - bb / 200);
  return [
    linearToSrgb(3.1338561 * x - 1.6168667 * y - 0.4906146 * z),
    linearToSrgb(-0.9787684 * x + 1.9161415 * y + 0.033454 * z),
    linearToSrgb(0.0719453 * x - 0.2289914 * y + 1.4052427 * z),
  ];
}

/** Blend two colours in Lab: `t = 0` gives `a`, `t = 1` gives `b`. */
export function mixLab(a: string, b: string, t: number): Rgb {
  const la = rgbToLab(parseHex(a));
  const lb = rgbToLab(parseHex(b));
  const rgb = labToRgb([
    la[0] + (lb[0] - la[0]) * t,
    la[1] + (lb[1] - la[1]) * t,
    la[2] + (lb[2] - la[2]) * t,
  ]);
  return [clampByte(rgb[0]), clampByte(rgb[1]), clampByte(rgb[2])];
}

const clampByte = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const clamp01 = (t: number) => (t < 0 ? 0 : t > 1 ? 1 : t);

function buildLut(colorAt: (t: number) => Rgb, alpha: number): Rgba[] {
  const lut: Rgba[] = [];
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = colorAt(i / (LUT_SIZE - 1));
    lut.push([r, g, b, alpha]);
  }
  return lut;
}
const lutAt = (lut: readonly Rgba[], t: number): Rgba =>
  lut[Math.round(clamp01(t) * (LUT_SIZE - 1))] ?? TRANSPARENT;

/** Class 0 → near-white at `t = 0.5` → class 1, blended in Lab. */
function divergingColor(t: number): Rgb {
  const c0 = CLASS_COLORS[0] ?? '#E69F00';
  const c1 = CLASS_COLORS[1] ?? '#0072B2';
  return t <= 0.5 ? mixLab(c0, DIVERGING_MID, t / 0.5) : mixLab(DIVERGING_MID, c1, (t - 0.5) / 0.5);
}
const sequentialColor = (t: number): Rgb => parseHex(interpolateViridis(t));

let divergingLut: Rgba[] | null = null;
let sequentialLut: Rgba[] | null = null;
const classLuts = new Map<number, Rgba[]>();
const getDivergingLut = () => (divergingLut ??= buildLut(divergingColor, FIELD_ALPHA));
const getSequentialLut = () => (sequentialLut ??= buildLut(sequentialColor, FIELD_ALPHA));
/** Confidence `t` of class `c`: white-ish at 0, the class colour at 1 (a floor keeps the class recognisable). */
const confidenceColor = (c: number, t: number): Rgb => mixLab('#ffffff', classColor(c), 0.12 + 0.88 * t);
function getClassLut(c: number): Rgba[] {
  const key = ((c % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length;
  let lut = classLuts.get(key);
  if (!lut) {
    lut = buildLut((t) => confidenceColor(key, t), FIELD_ALPHA);
    classLuts.set(key, lut);
  }
  return lut;
}

export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** Half-width of the symmetric margin domain: the largest |value|, 1 when the range is empty or zero. */
export function marginExtent(range?: ValueRange): number {
  if (!range) return 1;
  const m = Math.max(Math.abs(range.min), Math.abs(range.max));
  return Number.isFinite(m) && m > 0 ? m : 1;
}

/** Log-scale domain `[floor, max]` of a non-negative field: the floor is the smallest positive value, or max/1000. */
export function logDomain(range?: ValueRange): [number, number] {
  const max = range && Number.isFinite(range.max) && range.max > 0 ? range.max : 1;
  const floor = range && Number.isFinite(range.min) && range.min > 0 ? range.min : max * 1e-3;
  return floor < max ? [floor, max] : [max / 10, max];
}

/** Whether a field of `kind` with `nClasses` classes uses the two-class diverging map. */
const isDiverging = (kind: FieldKind, nClasses: number) =>
  (kind === 'probability' || kind === 'margin') && nClasses <= 2;

/** Where `value` sits in `[0, 1]` along the colour map of `kind` (not the class colour of multi-class fields). */
export function fieldPosition(
  kind: FieldKind,
  nClasses: number,
  range?: ValueRange,
): (value: number) => number {
  if (kind === 'gradient' || kind === 'ratio') {
    const [lo, hi] = logDomain(range);
    const l0 = Math.log(lo);
    const span = Math.log(hi) - l0;
    return (v) => (v <= lo ? 0 : clamp01((Math.log(v) - l0) / span));
  }
  if (kind === 'probability') {
    if (nClasses <= 2) return (v) => clamp01(v);
    // The winning probability is at least 1/C.
    const floor = 1 / nClasses;
    return (v) => clamp01((v - floor) / (1 - floor));
  }
  const m = marginExtent(range);
  if (nClasses <= 2) return (v) => clamp01(0.5 + v / (2 * m));
  // The top-two gap is non-negative.
  const hi = range && Number.isFinite(range.max) && range.max > 0 ? range.max : 1;
  return (v) => clamp01(v / hi);
}

/**
 * A colour map for a field: `(value, predicted class) → [r, g, b, a]` (0–255 integers). Non-finite values are
 * transparent grey. Two-class probability and margin are diverging (class 0 orange ↔ class 1 blue, near-white
 * at p = 0.5 or margin 0; the margin domain is symmetric, so the sign is the class); with more classes the cell
 * takes its predicted class's colour, paler as the confidence drops; `gradient` and `ratio` are viridis on a log
 * scale over `range` (the class is ignored).
 */
export function fieldColorizer(
  kind: FieldKind,
  nClasses: number,
  range?: ValueRange,
): (value: number, cls: number) => Rgba {
  const pos = fieldPosition(kind, nClasses, range);
  if (kind === 'gradient' || kind === 'ratio') {
    const lut = getSequentialLut();
    return (v) => (Number.isFinite(v) ? lutAt(lut, pos(v)) : TRANSPARENT);
  }
  if (isDiverging(kind, nClasses)) {
    const lut = getDivergingLut();
    return (v) => (Number.isFinite(v) ? lutAt(lut, pos(v)) : TRANSPARENT);
  }
  return (v, cls) => (Number.isFinite(v) ? lutAt(getClassLut(cls), pos(v)) : TRANSPARENT);
}

export interface LegendStop {
  /** 0 … 1 along the bar. */
  readonly offset: number;
  readonly color: string;
}
export interface LegendTick {
  readonly offset: number;
  readonly label: string;
}
export interface FieldLegendSpec {
  readonly kind: FieldKind;
  readonly nClasses: number;
  readonly stops: readonly LegendStop[];
  readonly ticks: readonly LegendTick[];
  readonly title: string;
}

const fmt = format('.2~g');
const N_STOPS = 11;

/** The gradient bar, ticks and title that explain {@link fieldColorizer} for the same arguments. */
export function fieldLegend(
  kind: FieldKind,
  nClasses: number,
  range?: ValueRange,
  norm: Norm = 'linf',
): FieldLegendSpec {
  const stopsOf = (colorAt: (t: number) => Rgb): LegendStop[] =>
    Array.from({ length: N_STOPS }, (_, i) => {
      const t = i / (N_STOPS - 1);
      return { offset: t, color: toHex(colorAt(t)) };
    });
  if (kind === 'gradient' || kind === 'ratio') {
    const [lo, hi] = logDomain(range);
    const scale = scaleLog().domain([lo, hi]).range([0, 1]);
    // Powers of ten inside the domain (thinned to at most 5); the ends when fewer than two fit.
    let ticks: number[] = [];
    for (let e = Math.ceil(Math.log10(lo) - 1e-9); 10 ** e <= hi * (1 + 1e-9); e++) ticks.push(10 ** e);
    const step = Math.ceil(ticks.length / 5);
    ticks = ticks.filter((_, i) => i % step === 0);
    if (ticks.length < 2) ticks = [lo, ...ticks.filter((t) => t > lo * 1.5 && t < hi / 1.5), hi];
    return {
      kind,
      nClasses,
      stops: stopsOf(sequentialColor),
      ticks: ticks.map((v) => ({ offset: clamp01(scale(v)), label: fmt(v) })),
      title:
        kind === 'gradient'
          ? `‖∇ₓ margin‖${norm === 'linf' ? '₁' : '₂'} (local slope)`
          : "local Lipschitz ratio (paper's estimate)",
    };
  }
  if (nClasses <= 2) {
    if (kind === 'probability') {
      return {
        kind,
        nClasses,
        stops: stopsOf(divergingColor),
        ticks: [0, 0.5, 1].map((v) => ({ offset: v, label: String(v) })),
        title: 'p(class 1)',
      };
    }
    const m = marginExtent(range);
    return {
      kind,
      nClasses,
      stops: stopsOf(divergingColor),
      ticks: [
        { offset: 0, label: fmt(-m).replace('-', '−') },
        { offset: 0.5, label: '0' },
        { offset: 1, label: fmt(m) },
      ],
      title: 'margin z₁ − z₀',
    };
  }
  // Several classes: the hue is the predicted class, the strength its confidence; the bar shows the strength.
  const grey = (t: number) => confidenceColor(CLASS_COLORS.length - 2, t);
  if (kind === 'probability') {
    return {
      kind,
      nClasses,
      stops: stopsOf(grey),
      ticks: [
        { offset: 0, label: fmt(1 / nClasses) },
        { offset: 1, label: '1' },
      ],
      title: 'p(predicted class)',
    };
  }
  const hi = range && Number.isFinite(range.max) && range.max > 0 ? range.max : 1;
  return {
    kind,
    nClasses,
    stops: stopsOf(grey),
    ticks: [
      { offset: 0, label: '0' },
      { offset: 1, label: fmt(hi) },
    ],
    title: 'top-two logit gap',
  };
}
