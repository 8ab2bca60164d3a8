/**
 * Hand edits of a dataset (core/datasets/edits.ts): move, add and delete in order, with indices counted as the
 * split is just before each edit; refusals name the edit and the reason; the source, the box and the class count
 * never change.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Dataset } from '../../src/core/datasets/index.ts';
import {
  applyEdits,
  editProblem,
  EditError,
  MAX_EDITS,
  placeInBox,
  roundCoordinate,
  type PointEdit,
} from '../../src/core/datasets/edits.ts';

const BOX = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };

/** Train: (0, 0)/0, (0.1, 0)/1, (0.2, 0)/0; test: (0.5, 0.5)/1. */
function tiny(): Dataset {
  return {
    name: 'tiny',
    nClasses: 2,
    train: { x: Float64Array.of(0, 0, 0.1, 0, 0.2, 0), y: Int32Array.of(0, 1, 0) },
    test: { x: Float64Array.of(0.5, 0.5), y: Int32Array.of(1) },
    meta: {
      source: 'csv',
      params: { nTrain: 3, nTest: 1 },
      seed: null,
      testSeed: null,
      scale: 1,
      offset: [0, 0],
      box: BOX,
    },
  };
}

describe('hand edits of a dataset', () => {
  it('moves, adds and deletes points in order, shifting later indices after a delete', () => {
    const source = tiny();
    const edits: PointEdit[] = [
      { op: 'move', split: 'train', index: 1, x: 0.3, y: -0.4 },
      { op: 'add', split: 'train', x: 0.9, y: 0.9, label: 1 },
      // Deletes (0, 0): the old indices 1, 2, 3 become 0, 1, 2.
      { op: 'delete', split: 'train', index: 0 },
      // Index 2 is now the point added above.
      { op: 'move', split: 'train', index: 2, x: -0.5, y: 0.5 },
      { op: 'add', split: 'test', x: -0.2, y: 0.1, label: 0 },
    ];
    const out = applyEdits(source, edits);
    expect(Array.from(out.train.x)).toEqual([0.3, -0.4, 0.2, 0, -0.5, 0.5]);
    expect(Array.from(out.train.y)).toEqual([1, 0, 1]);
    expect(Array.from(out.test.x)).toEqual([0.5, 0.5, -0.2, 0.1]);
    expect(Array.from(out.test.y)).toEqual([1, 0]);
    expect(out.meta.params).toEqual({ nTrain: 3, nTest: 2 });
    expect(out.nClasses).toBe(2);
    expect(out.meta.box).toEqual(BOX);
    // The source is untouched.
    expect(Array.from(source.train.x)).toEqual([0, 0, 0.1, 0, 0.2, 0]);
    expect(source.meta.params).toEqual({ nTrain: 3, nTest: 1 });
  });

  it('returns the source itself for no edits', () => {
    const source = tiny();
    expect(applyEdits(source, [])).toBe(source);
  });

  it('names the first edit that cannot apply, and why', () => {
    const source = tiny();
    const deleteTwice: PointEdit[] = [
      { op: 'delete', split: 'test', index: 0 },
      { op: 'delete', split: 'test', index: 0 },
    ];
    expect(() => applyEdits(source, deleteTwice)).toThrow(
      'Edit 2 of 2 cannot apply: point 0 of the test split does not exist (it has 0 points).',
    );
    expect(() => applyEdits(source, [{ op: 'add', split: 'train', x: 0, y: 0, label: 2 }])).toThrow(
      'Edit 1 of 1 cannot apply: class 2 does not exist (the data has classes 0–1).',
    );
    expect(() => applyEdits(source, [{ op: 'move', split: 'train', index: 0, x: 1.5, y: 0 }])).toThrow(
      'Edit 1 of 1 cannot apply: (1.5, 0) lies outside the data box.',
    );
    expect(() => applyEdits(source, [{ op: 'move', split: 'train', index: 0, x: NaN, y: 0 }])).toThrow(
      EditError,
    );
    expect(() => applyEdits(source, [{ op: 'move', split: 'train', index: 0.5, x: 0, y: 0 }])).toThrow(
      /point 0.5 of the train split does not exist/,
    );
    const deleteAll: PointEdit[] = [0, 0, 0].map(() => ({ op: 'delete', split: 'train', index: 0 }));
    expect(() => applyEdits(source, deleteAll)).toThrow(
      'The edits delete every training point; undo the last one.',
    );
    const tooMany: PointEdit[] = Array.from({ length: MAX_EDITS + 1 }, () => ({
      op: 'move',
      split: 'test',
      index: 0,
      x: 0,
      y: 0,
    }));
    expect(() => applyEdits(source, tooMany)).toThrow(`2001 edits is more than ${MAX_EDITS}`);
    expect(editProblem({ op: 'delete', split: 'train', index: 2 }, 3, 2, BOX)).toBeNull();
  });

  it('clamps a placed point into the box and rounds it to 4 decimals', () => {
    expect(placeInBox(1.7, -3, BOX)).toEqual([1, -1]);
    expect(placeInBox(0.123456, -0.98766, BOX)).toEqual([0.1235, -0.9877]);
    // Rounding never carries a point out of a box whose edge has more decimals.
    const odd = { xMin: -0.12345, xMax: 0.12345, yMin: 0, yMax: 1 };
    const [x] = placeInBox(0.12345, 0.5, odd);
    expect(x).toBeLessThanOrEqual(odd.xMax);
    expect(roundCoordinate(-0.00004)).toBeCloseTo(0, 12);
  });

  it('keeps the counts at the source counts plus adds minus deletes (property)', () => {
    const edit = fc.oneof(
      fc.record({
        op: fc.constant('move' as const),
        split: fc.constantFrom('train' as const, 'test' as const),
        index: fc.nat(6),
        x: fc.double({ min: -1, max: 1, noNaN: true }),
        y: fc.double({ min: -1, max: 1, noNaN: true }),
      }),
      fc.record({
        op: fc.constant('add' as const),
        split: fc.constantFrom('train' as const, 'test' as const),
        x: fc.double({ min: -1, max: 1, noNaN: true }),
        y: fc.double({ min: -1, max: 1, noNaN: true }),
        label: fc.nat(1),
      }),
      fc.record({
        op: fc.constant('delete' as const),
        split: fc.constantFrom('train' as const, 'test' as const),
        index: fc.nat(6),
      }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 12 }), (edits: PointEdit[]) => {
        const source = tiny();
        let out: Dataset;
        try {
          out = applyEdits(source, edits);
        } catch (e) {
          // Only an edit of a point that is not there (or deleting every training point) may be refused.
          expect(e).toBeInstanceOf(EditError);
          return;
        }
        for (const split of ['train', 'test'] as const) {
          const adds = edits.filter((e) => e.split === split && e.op === 'add').length;
          const deletes = edits.filter((e) => e.split === split && e.op === 'delete').length;
          const n = source[split].y.length + adds - deletes;
          expect(out[split].y.length).toBe(n);
          expect(out[split].x.length).toBe(2 * n);
        }
        expect(out.nClasses).toBe(2);
        expect(out.meta.box).toEqual(BOX);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
