import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeDataset, type Dataset } from '../../src/core/datasets/index.ts';
import { exactRobustnessSync } from '../../src/core/exactRobustness.ts';
import { distance, separation } from '../../src/core/geometry.ts';
import { nearestNeighbourConstruction } from '../../src/core/theorem.ts';
import type { LabelledPoints, Norm } from '../../src/core/types.ts';

const NORMS: Norm[] = ['linf', 'l2'];
const EMPTY: LabelledPoints = { x: new Float64Array(0), y: new Int32Array(0) };
const pts = (xs: number[], ys: number[]): LabelledPoints => ({
  x: Float64Array.from(xs),
  y: Int32Array.from(ys),
});

// The notebook spiral (twospirals(1000, 0.9), seed 0) scaled into [−1, 1]², and a 3-class blob set.
const spiral = makeDataset({ name: 'spiral', nTrain: 2000, nTest: 0, noise: 0.9, seed: 0 });
const blobs = makeDataset({ name: 'gaussians', nTrain: 300, nTest: 0, noise: 0.15, seed: 1 });
const DATA: Record<string, Dataset> = { spiral, '3-class gaussians': blobs };

/** Naive d(x, X_c) by a loop over `distance`. */
function naiveClassDistance(train: LabelledPoints, x: number, y: number, c: number, norm: Norm): number {
  let best = Infinity;
  for (let j = 0; j < train.y.length; j++) {
    if (train.y[j] === c) best = Math.min(best, distance(x, y, train.x[2 * j]!, train.x[2 * j + 1]!, norm));
  }
  return best;
}

describe('the 1-NN construction on 2r-separated data', () => {
  it.each(NORMS)('takes r as half the %s train–train separation by default', (norm) => {
    const nn = nearestNeighbourConstruction(spiral.train, 2, norm);
    expect(nn.r).toBe(separation(spiral.train, EMPTY, norm).trainTrain.min / 2);
    expect(nn.lipschitzPerCoordinate).toBe(1 / nn.r);
    expect(nn.marginLipschitzL2).toBe(2 / nn.r);
    if (norm === 'linf') expect(nn.r).toBeCloseTo(0.7052012353399588 / 2 / (13.613568165555769 + 0.9), 12);
  });

  it.each(NORMS)(
    "is the notebook's [−f, f] with f = (d(x, X₀) − d(x, X₁)) / 2r for two classes (%s)",
    (norm) => {
      const nn = nearestNeighbourConstruction(spiral.train, 2, norm, 0.05);
      const queries = [0.1, -0.3, 0.77, 0.02, -0.5, -0.5, 0.0, 0.0];
      const z = nn.logits(Float64Array.from(queries));
      for (let q = 0; q < 4; q++) {
        const [x, y] = [queries[2 * q]!, queries[2 * q + 1]!];
        const f =
          (naiveClassDistance(spiral.train, x, y, 0, norm) -
            naiveClassDistance(spiral.train, x, y, 1, norm)) /
          0.1;
        expect(z[2 * q + 1]).toBeCloseTo(f, 12);
        expect(z[2 * q]! + z[2 * q + 1]!).toBe(0);
      }
    },
  );

  it.each(Object.keys(DATA))(
    'classifies every %s training point correctly, with logit ≥ 1 for its label',
    (name) => {
      const d = DATA[name]!;
      for (const norm of NORMS) {
        const nn = nearestNeighbourConstruction(d.train, d.nClasses, norm);
        expect(Array.from(nn.predict(d.train.x))).toEqual(Array.from(d.train.y));
        const z = nn.logits(d.train.x);
        // On the support d_y = 0 and every other class is ≥ 2r away, so f_y ≥ 1 and f_c ≤ −1.
        d.train.y.forEach((y, i) => {
          for (let c = 0; c < d.nClasses; c++) {
            if (c === y) expect(z[i * d.nClasses + c]).toBeGreaterThanOrEqual(1);
            else expect(z[i * d.nClasses + c]).toBeLessThanOrEqual(-1);
          }
        });
      }
    },
  );

  // Certifying a ball needs cells about as fine as the slack r − ε near the closest pair (there the margin
  // bound is tight), so ε = r(1 − 10⁻³) with cells down to ~10⁻⁴·r; 10⁻⁹ is below float32 resolution of the queries.
  it.each([
    ['spiral', 'linf', 8],
    ['spiral', 'l2', 12],
    ['3-class gaussians', 'linf', 8],
    ['3-class gaussians', 'l2', 12],
  ] as [string, Norm, number][])(
    'is certified robust on every %s training ball of radius r(1 − 10⁻³) (%s)',
    (name, norm, maxDepth) => {
      const d = DATA[name]!;
      const nn = nearestNeighbourConstruction(d.train, d.nClasses, norm);
      const r = exactRobustnessSync((xy) => nn.logits(xy), d.train, d.nClasses, nn.r * (1 - 1e-3), norm, {
        lipschitz: nn.marginLipschitzL2,
        maxDepth,
      });
      expect(r.mode).toBe('certified');
      expect(r.robust).toBe(d.train.y.length);
      expect(r.undecided).toBe(0);
      expect(r.robustAccuracy).toBe(1);
    },
  );

  it.each(NORMS)(
    'stops being robust just beyond r: the closest pair’s balls hold the tie point (%s)',
    (norm) => {
      const nn = nearestNeighbourConstruction(spiral.train, 2, norm);
      const sep = separation(spiral.train, EMPTY, norm).trainTrain;
      const i = sep.perPoint.indexOf(sep.min);
      const j = nearestPartner(spiral.train, i, norm, sep.min);
      const pair = pts(
        [
          spiral.train.x[2 * i]!,
          spiral.train.x[2 * i + 1]!,
          spiral.train.x[2 * j]!,
          spiral.train.x[2 * j + 1]!,
        ],
        [spiral.train.y[i]!, spiral.train.y[j]!],
      );
      const eps = nn.r * (1 + 1e-3);
      const r = exactRobustnessSync((xy) => nn.logits(xy), pair, 2, eps, norm, {
        lipschitz: nn.marginLipschitzL2,
      });
      expect(r.notRobust).toBe(2);
      r.perPoint.forEach((v, k) => {
        const [wx, wy] = v.witness!;
        expect(distance(wx, wy, pair.x[2 * k]!, pair.x[2 * k + 1]!, norm)).toBeLessThanOrEqual(eps);
        const z = nn.logits(Float64Array.of(wx, wy));
        const y = pair.y[k]!;
        expect(z[y]! - z[1 - y]!).toBeLessThanOrEqual(0);
      });
    },
  );
});

function nearestPartner(train: LabelledPoints, i: number, norm: Norm, d: number): number {
  for (let j = 0; j < train.y.length; j++) {
    if (train.y[j] === train.y[i]) continue;
    if (distance(train.x[2 * i]!, train.x[2 * i + 1]!, train.x[2 * j]!, train.x[2 * j + 1]!, norm) === d)
      return j;
  }
  throw new Error('no partner');
}

describe('the construction is 1/r-Lipschitz per logit (property)', () => {
  const coord = fc.double({ min: -2, max: 2, noNaN: true });
  const cls = fc.array(fc.tuple(coord, coord), { minLength: 1, maxLength: 8 });
  const arb = fc.record({
    classes: fc.tuple(cls, cls, cls),
    r: fc.double({ min: 0.01, max: 1, noNaN: true }),
    a: fc.tuple(coord, coord),
    b: fc.tuple(coord, coord),
    norm: fc.constantFrom<Norm>('linf', 'l2'),
  });

  it('in its own norm, in L2, and 2/r for every logit difference in L2', () => {
    fc.assert(
      fc.property(arb, ({ classes, r, a, b, norm }) => {
        const train = pts(
          classes.flatMap((c) => c.flat()),
          classes.flatMap((c, k) => c.map(() => k)),
        );
        const nn = nearestNeighbourConstruction(train, 3, norm, r);
        const z = nn.logits(Float64Array.of(...a, ...b));
        const dOwn = distance(...a, ...b, norm);
        const dL2 = distance(...a, ...b, 'l2');
        for (let c = 0; c < 3; c++) {
          const diff = Math.abs(z[c]! - z[3 + c]!);
          expect(diff).toBeLessThanOrEqual(dOwn / r + 1e-12);
          expect(diff).toBeLessThanOrEqual(dL2 * nn.lipschitzPerCoordinate + 1e-12);
          for (let e = 0; e < 3; e++) {
            const marginChange = Math.abs(z[c]! - z[e]! - (z[3 + c]! - z[3 + e]!));
            expect(marginChange).toBeLessThanOrEqual(dL2 * nn.marginLipschitzL2 + 1e-12);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('nearestNeighbourConstruction refuses data it cannot handle', () => {
  it('names the conflicting pair when duplicates with different labels make the separation 0', () => {
    const train = pts([0, 0, 1, 1, 0.5, 0.25, 0.5, 0.25], [0, 1, 0, 1]);
    expect(() => nearestNeighbourConstruction(train, 2, 'linf')).toThrow(
      /Training points 2 and 3 sit at the same position \(0.5, 0.25\) with labels 0 and 1.*pass r explicitly/,
    );
    expect(nearestNeighbourConstruction(train, 2, 'linf', 0.1).r).toBe(0.1);
  });

  it('needs two classes, labels below nClasses and a positive r', () => {
    expect(() => nearestNeighbourConstruction(pts([0, 0, 1, 1], [1, 1]), 2, 'l2')).toThrow(
      /two classes.*found 1/,
    );
    expect(() => nearestNeighbourConstruction(pts([0, 0, 1, 1], [0, 2]), 2, 'l2')).toThrow(
      /label 2, outside 0 … 1/,
    );
    expect(() => nearestNeighbourConstruction(pts([0, 0, 1, 1], [0, 1]), 2, 'l2', 0)).toThrow(/r = 0/);
  });

  it('gives −Infinity to a class with no training point, and never predicts it', () => {
    const nn = nearestNeighbourConstruction(pts([0, 0, 1, 0], [0, 2]), 3, 'l2');
    const z = nn.logits(Float64Array.of(0.2, 0));
    expect(z[1]).toBe(-Infinity);
    expect(z[0]).toBeCloseTo(0.6, 15); // (d₂ − d₀)/2r = (0.8 − 0.2)/1
    expect(nn.predict(Float64Array.of(0.9, 0))[0]).toBe(2);
  });
});
