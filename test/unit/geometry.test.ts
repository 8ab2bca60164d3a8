import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distance, nearestOtherClass, separation } from '../../src/core/geometry.ts';
import type { LabelledPoints, Norm } from '../../src/core/types.ts';

const pts = (xs: number[], ys: number[]): LabelledPoints => ({
  x: Float64Array.from(xs),
  y: Int32Array.from(ys),
});
const EMPTY = pts([], []);

describe('distance', () => {
  it('is max(|Δx|, |Δy|) in L∞ and the Euclidean length in L2', () => {
    expect(distance(0, 0, 3, -4, 'linf')).toBe(4);
    expect(distance(0, 0, 3, -4, 'l2')).toBe(5);
    expect(distance(1.5, 2, 1.5, 2, 'l2')).toBe(0);
    expect(distance(-1, -1, 1, 1, 'l2')).toBe(Math.SQRT2 * 2);
  });
});

describe('the separation of a hand-made set', () => {
  // Class 0 at (0,0), (1,0); class 1 at (3,4), (5,5). Cross-class distances (L∞ / L2):
  // (0,0)-(3,4): 4 / 5      (0,0)-(5,5): 5 / √50
  // (1,0)-(3,4): 4 / √20    (1,0)-(5,5): 5 / √41
  const train = pts([0, 0, 3, 4, 1, 0, 5, 5], [0, 1, 0, 1]);
  // Test: (2,2) as class 0 → nearest class-1 point (3,4): 2 / √5; (2,2) as class 1 → (1,0): 2 / √5.
  const test = pts([2, 2, 2, 2], [0, 1]);

  it('gives the per-point, min and mean distances in L∞', () => {
    const s = separation(train, test, 'linf');
    expect(Array.from(s.trainTrain.perPoint)).toEqual([4, 4, 4, 5]);
    expect(s.trainTrain.min).toBe(4);
    expect(s.trainTrain.mean).toBe(4.25);
    expect(Array.from(s.testTrain.perPoint)).toEqual([2, 2]);
    expect(s.conflicts).toEqual([]);
    expect(s.trainTrain.minExcludingConflicts).toBe(4);
  });

  it('gives the per-point, min and mean distances in L2', () => {
    const s = separation(train, test, 'l2');
    const expected = [5, Math.sqrt(20), Math.sqrt(20), Math.sqrt(41)];
    s.trainTrain.perPoint.forEach((d, i) => expect(d).toBeCloseTo(expected[i]!, 15));
    expect(s.trainTrain.min).toBeCloseTo(4.47213595499958, 14);
    expect(s.trainTrain.mean).toBeCloseTo((5 + 2 * Math.sqrt(20) + Math.sqrt(41)) / 4, 14);
    s.testTrain.perPoint.forEach((d) => expect(d).toBeCloseTo(Math.sqrt(5), 15));
  });

  it('distinguishes the norms along a diagonal: (0,0) vs (1,1) is 1 in L∞ and √2 in L2', () => {
    const p = pts([0, 0, 1, 1], [0, 1]);
    expect(separation(p, EMPTY, 'linf').trainTrain.min).toBe(1);
    expect(separation(p, EMPTY, 'l2').trainTrain.min).toBe(Math.SQRT2);
  });
});

describe('conflicting duplicates', () => {
  // Train 0 and 2 coincide with different labels; train 3 duplicates train 0 with the same label (no conflict);
  // test 0 sits on them with label 1, conflicting with train 0 and 3 (label 0) but not train 2 (label 1).
  const train = pts([0, 0, 2, 0, 0, 0, 0, 0], [0, 1, 1, 0]);
  const test = pts([0, 0, 5, 5], [1, 0]);

  it('are all reported, once per pair, and make the separation 0', () => {
    const s = separation(train, test, 'linf');
    expect(s.conflicts).toEqual([
      { i: 0, j: 2, split: 'train-train' },
      { i: 2, j: 3, split: 'train-train' },
      { i: 0, j: 0, split: 'test-train' },
      { i: 0, j: 3, split: 'test-train' },
    ]);
    expect(s.trainTrain.min).toBe(0);
    expect(s.testTrain.min).toBe(0);
  });

  it('leave the separation of the remaining pairs in minExcludingConflicts', () => {
    const s = separation(train, test, 'l2');
    // Train point 1 at (2,0) (class 1) is 2 from the class-0 duplicates at the origin.
    expect(s.trainTrain.minExcludingConflicts).toBe(2);
    // Test (5,5) class 0 → nearest class-1 train point (2,0): √(9+25).
    expect(s.testTrain.minExcludingConflicts).toBeCloseTo(Math.sqrt(34), 14);
  });
});

describe('nearestOtherClass', () => {
  it('is Infinity for a point with no other-label reference, and NaN-free means for empty sets', () => {
    expect(Array.from(nearestOtherClass(pts([0, 0, 1, 1], [0, 0]), pts([0, 0, 1, 1], [0, 0]), 'l2'))).toEqual(
      [Infinity, Infinity],
    );
    const s = separation(pts([0, 0, 1, 0], [0, 1]), EMPTY, 'linf');
    expect(s.testTrain.min).toBe(Infinity);
    expect(s.testTrain.mean).toBeNaN();
  });

  const cloud = fc.array(
    fc.tuple(
      fc.double({ min: -3, max: 3, noNaN: true }),
      fc.double({ min: -3, max: 3, noNaN: true }),
      fc.integer({ min: 0, max: 2 }),
    ),
    { minLength: 1, maxLength: 25 },
  );
  const toPoints = (a: [number, number, number][]) =>
    pts(
      a.flatMap(([x, y]) => [x, y]),
      a.map(([, , c]) => c),
    );

  it.each(['linf', 'l2'] as Norm[])('equals a naive double loop over `distance` (%s, property)', (norm) => {
    fc.assert(
      fc.property(cloud, cloud, (a, b) => {
        const p = toPoints(a);
        const r = toPoints(b);
        const got = nearestOtherClass(p, r, norm);
        a.forEach(([x, y, c], i) => {
          let best = Infinity;
          for (const [u, v, d] of b) if (d !== c) best = Math.min(best, distance(x, y, u, v, norm));
          expect(got[i]).toBe(best);
        });
      }),
    );
  });
});
