/**
 * The compact codec of the hand edits of the points (`edits=`): `encodeEdits` writes them as `~`-separated
 * items (`mt12.-4213.7719`, `as-1200.3400.1`, `dt5`, coordinates in units of 10⁻⁴), `decodeEdits` reads them
 * back and checks them against the generated data they edit (`fitEdits`, which the state schema uses too), and
 * a few helpers `encodeState` needs to decide whether and how to write them.
 */
import { makeDataset } from '../../core/datasets/index.ts';
import {
  applyEdits,
  EDIT_DECIMALS,
  MAX_EDITS,
  placeInBox,
  type PointEdit,
  type Split,
} from '../../core/datasets/edits.ts';
import type { Box } from '../../core/types.ts';
import type { DataSettings } from '../settings.ts';
import { num, short } from './valueCodecs.ts';

const COORD_SCALE = 10 ** EDIT_DECIMALS;
const SPLIT_CODE = { train: 't', test: 's' } as const;
/** A coordinate of a point dragged against the data box's edge: the box's low or high edge on that axis. */
type Coord = number | 'L' | 'H';

/** The data box of generated `data` (the box edits stay in), or null for imported data. */
function dataBox(data: DataSettings): Box | null {
  if (data.name === 'csv') return null;
  return makeDataset({
    name: data.name,
    nTrain: data.nTrain,
    nTest: data.nTest,
    seed: data.seed,
    ...data.params[data.name],
  }).meta.box;
}

/**
 * One coordinate in units of 10⁻⁴ (edits keep 4 decimals), or `L`/`H` for the box's low/high edge on its axis:
 * a point dragged against a box edge that is not on the 10⁻⁴ grid sits exactly on that edge (placeInBox).
 */
function coord(v: number, lo: number | undefined, hi: number | undefined): string {
  const k = Math.round(v * COORD_SCALE);
  if (!Object.is(k / COORD_SCALE, v)) {
    if (v === lo) return 'L';
    if (v === hi) return 'H';
  }
  return num(k);
}

/**
 * The edits as `~`-separated items: `m<split><index>.<x>.<y>` (move), `a<split><x>.<y>.<label>` (add),
 * `d<split><index>` (delete); split `t` = train, `s` = test; coordinates in units of 10⁻⁴, or `L`/`H` for a
 * point on the low/high edge of `box` when that edge is off the 10⁻⁴ grid.
 */
export function encodeEdits(edits: readonly PointEdit[], box?: Box | null): string {
  return edits
    .map((e) => {
      const head = `${e.op[0]!}${SPLIT_CODE[e.split]}`;
      if (e.op === 'delete') return `${head}${e.index}`;
      const x = coord(e.x, box?.xMin, box?.xMax);
      const y = coord(e.y, box?.yMin, box?.yMax);
      return e.op === 'move' ? `${head}${e.index}.${x}.${y}` : `${head}${x}.${y}.${e.label}`;
    })
    .join('~');
}

const EDIT_RE = /^([mad])([ts])(.*)$/;
const UINT_RE = /^\d{1,9}$/;
const COORD_RE = /^(-?\d{1,12}|L|H)$/;

type RawEdit =
  | {
      readonly op: 'move';
      readonly split: Split;
      readonly index: number;
      readonly x: Coord;
      readonly y: Coord;
    }
  | {
      readonly op: 'add';
      readonly split: Split;
      readonly x: Coord;
      readonly y: Coord;
      readonly label: number;
    }
  | { readonly op: 'delete'; readonly split: Split; readonly index: number };

/** The edits of {@link encodeEdits}'s text, or why it cannot be read. Indices and the box are checked later. */
function parseEdits(raw: string): RawEdit[] | string {
  if (raw === '') return [];
  const items = raw.split('~');
  if (items.length > MAX_EDITS) return `it holds ${items.length} edits, more than ${MAX_EDITS}`;
  const out: RawEdit[] = [];
  for (const [k, item] of items.entries()) {
    const bad = `edit ${k + 1} ("${short(item, 24)}") is not m/a/d, t/s and dot-separated numbers`;
    const m = EDIT_RE.exec(item);
    if (!m) return bad;
    const split: Split = m[2] === 't' ? 'train' : 'test';
    const f = m[3]!.split('.');
    const ok = (i: number, re: RegExp) => f[i] !== undefined && re.test(f[i]);
    const c = (i: number): Coord => (f[i] === 'L' || f[i] === 'H' ? f[i] : Number(f[i]) / COORD_SCALE);
    if (m[1] === 'm') {
      if (f.length !== 3 || !ok(0, UINT_RE) || !ok(1, COORD_RE) || !ok(2, COORD_RE)) return bad;
      out.push({ op: 'move', split, index: Number(f[0]), x: c(1), y: c(2) });
    } else if (m[1] === 'a') {
      if (f.length !== 3 || !ok(0, COORD_RE) || !ok(1, COORD_RE) || !ok(2, UINT_RE)) return bad;
      out.push({ op: 'add', split, x: c(0), y: c(1), label: Number(f[2]) });
    } else {
      if (f.length !== 1 || !ok(0, UINT_RE)) return bad;
      out.push({ op: 'delete', split, index: Number(f[0]) });
    }
  }
  return out;
}

/**
 * `raw` edits placed on the generated data of `data` (box edges resolved), or why they do not apply. Pure and
 * cheap: the generators draw a few thousand points in milliseconds.
 */
export function fitEdits(data: DataSettings, raw: readonly RawEdit[]): PointEdit[] | string {
  if (raw.length === 0) return [];
  if (data.name === 'csv') return 'they belong to imported data';
  try {
    const source = makeDataset({
      name: data.name,
      nTrain: data.nTrain,
      nTest: data.nTest,
      seed: data.seed,
      ...data.params[data.name],
    });
    const box = source.meta.box;
    const at = (c: Coord, lo: number, hi: number) => (c === 'L' ? lo : c === 'H' ? hi : c);
    const edits = raw.map((e): PointEdit =>
      e.op === 'delete' ? e : { ...e, x: at(e.x, box.xMin, box.xMax), y: at(e.y, box.yMin, box.yMax) },
    );
    applyEdits(source, edits);
    for (const [k, e] of edits.entries()) {
      if (e.op === 'delete') continue;
      const [x, y] = placeInBox(e.x, e.y, box);
      if (!Object.is(x, e.x) || !Object.is(y, e.y))
        return `edit ${k + 1} puts a point at (${e.x}, ${e.y}), not on the ${EDIT_DECIMALS}-decimal grid`;
    }
    return edits;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
  }
}

/** The edits of an `edits=` value on `data`, or why they cannot be used. */
export function decodeEdits(data: DataSettings, raw: string): PointEdit[] | string {
  const parsed = parseEdits(raw);
  return typeof parsed === 'string' ? parsed : fitEdits(data, parsed);
}

/** Whether `v` is on the 10⁻⁴ grid the edits keep. */
export function onGrid(v: number): boolean {
  return Object.is(Math.round(v * COORD_SCALE) / COORD_SCALE, v);
}

/** The data box of `data` (see dataBox), or null when it cannot be made. */
export function safeBox(data: DataSettings): Box | null {
  try {
    return dataBox(data);
  } catch {
    return null;
  }
}

/** Whether two lists of edits are the same, edit by edit and field by field. */
export function sameEdits(a: readonly PointEdit[], b: readonly PointEdit[]): boolean {
  return a.length === b.length && a.every((e, i) => sameEdit(e, b[i]!));
}

function sameEdit(a: PointEdit, b: PointEdit): boolean {
  const ka = Object.keys(a) as (keyof PointEdit)[];
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is(a[k], b[k]));
}
