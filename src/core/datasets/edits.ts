/**
 * Hand edits of a dataset: move, add and delete points. A dataset with edits is its source (a generator with a
 * seed, or an imported CSV) plus the list of edits in order, so a link can carry it in a few bytes and undo is
 * a shorter list. Pure: no DOM, no tensors.
 */
import type { Box, LabelledPoints } from '../types.ts';
import type { Dataset } from './dataset.ts';

export type Split = 'train' | 'test';

/**
 * One edit. `index` counts the split's points as they are just before this edit (an `add` appends at the end, a
 * `delete` shifts the later points down by one).
 */
export type PointEdit =
  | {
      readonly op: 'move';
      readonly split: Split;
      readonly index: number;
      readonly x: number;
      readonly y: number;
    }
  | {
      readonly op: 'add';
      readonly split: Split;
      readonly x: number;
      readonly y: number;
      readonly label: number;
    }
  | { readonly op: 'delete'; readonly split: Split; readonly index: number };

/** Most edits one dataset may carry (a link must stay short enough to share). */
export const MAX_EDITS = 2000;
/** Coordinates are kept to this many decimals: a link writes them so, and the app must show what a link makes. */
export const EDIT_DECIMALS = 4;

export class EditError extends Error {
  override readonly name = 'EditError';
}

/** `v` rounded to {@link EDIT_DECIMALS} decimals (as a link carries it). */
export function roundCoordinate(v: number): number {
  const f = 10 ** EDIT_DECIMALS;
  return Math.round(v * f) / f;
}

/** `(x, y)` clamped into `box` and rounded: an edited point never leaves the data box the attacks clip to. */
export function placeInBox(x: number, y: number, box: Box): [number, number] {
  const cx = Math.min(box.xMax, Math.max(box.xMin, x));
  const cy = Math.min(box.yMax, Math.max(box.yMin, y));
  return [
    Math.min(box.xMax, Math.max(box.xMin, roundCoordinate(cx))),
    Math.min(box.yMax, Math.max(box.yMin, roundCoordinate(cy))),
  ];
}

/**
 * Why `edit` cannot apply to a split of `count` points in a dataset of `nClasses` classes inside `box`, or null
 * when it can.
 */
export function editProblem(edit: PointEdit, count: number, nClasses: number, box: Box): string | null {
  if (edit.op !== 'add' && !(Number.isInteger(edit.index) && edit.index >= 0 && edit.index < count))
    return `point ${edit.index} of the ${edit.split} split does not exist (it has ${count} points)`;
  if (edit.op === 'add' && !(Number.isInteger(edit.label) && edit.label >= 0 && edit.label < nClasses))
    return `class ${edit.label} does not exist (the data has classes 0–${nClasses - 1})`;
  if (edit.op !== 'delete') {
    const inside =
      Number.isFinite(edit.x) &&
      Number.isFinite(edit.y) &&
      edit.x >= box.xMin &&
      edit.x <= box.xMax &&
      edit.y >= box.yMin &&
      edit.y <= box.yMax;
    if (!inside) return `(${edit.x}, ${edit.y}) lies outside the data box`;
  }
  return null;
}

/**
 * The dataset after `edits`, in order; the source is not changed. The box and the number of classes stay the
 * source's (a model's output size must not change under an edit).
 *
 * @throws EditError naming the first edit that cannot apply, and why
 */
export function applyEdits(source: Dataset, edits: readonly PointEdit[]): Dataset {
  if (edits.length === 0) return source;
  if (edits.length > MAX_EDITS)
    throw new EditError(`${edits.length} edits is more than ${MAX_EDITS}; start again from fresh data.`);
  const sets: Record<Split, { x: number[]; y: number[] }> = {
    train: { x: Array.from(source.train.x), y: Array.from(source.train.y) },
    test: { x: Array.from(source.test.x), y: Array.from(source.test.y) },
  };
  const box = source.meta.box;
  for (const [k, edit] of edits.entries()) {
    const set = sets[edit.split];
    const problem = editProblem(edit, set.y.length, source.nClasses, box);
    if (problem) throw new EditError(`Edit ${k + 1} of ${edits.length} cannot apply: ${problem}.`);
    if (edit.op === 'move') {
      set.x[2 * edit.index] = edit.x;
      set.x[2 * edit.index + 1] = edit.y;
    } else if (edit.op === 'add') {
      set.x.push(edit.x, edit.y);
      set.y.push(edit.label);
    } else {
      set.x.splice(2 * edit.index, 2);
      set.y.splice(edit.index, 1);
    }
  }
  const out = (s: { x: number[]; y: number[] }): LabelledPoints => ({
    x: Float64Array.from(s.x),
    y: Int32Array.from(s.y),
  });
  const train = out(sets.train);
  if (train.y.length === 0) throw new EditError('The edits delete every training point; undo the last one.');
  return {
    ...source,
    train,
    test: out(sets.test),
    meta: {
      ...source.meta,
      params: { ...source.meta.params, nTrain: train.y.length, nTest: sets.test.y.length },
    },
  };
}
