import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  exactRobustness,
  exactRobustnessSync,
  pointwise,
  type ExactRobustnessResult,
  type SyncClassifier,
} from '../../src/core/exactRobustness.ts';
import { distance } from '../../src/core/geometry.ts';
import type { LabelledPoints, Norm } from '../../src/core/types.ts';

const NORMS: Norm[] = ['linf', 'l2'];
const pts = (xs: number[], ys: number[]): LabelledPoints => ({
  x: Float64Array.from(xs),
  y: Int32Array.from(ys),
});

/** z = [0, w·x + b]: class 1 where w·x + b > 0. Its margin difference is ‖w‖₂-Lipschitz in L2. */
function linear(w: [number, number], b: number): SyncClassifier {
  return pointwise((x, y) => [0, w[0] * x + w[1] * y + b]);
}
/** Distance from p to the line w·x + b = 0: |w·p + b| / ‖w‖_dual (‖·‖₁ for L∞ balls, ‖·‖₂ for L2 balls). */
function linearDistance(w: [number, number], b: number, p: [number, number], norm: Norm): number {
  const v = Math.abs(w[0] * p[0] + w[1] * p[1] + b);
  return norm === 'linf' ? v / (Math.abs(w[0]) + Math.abs(w[1])) : v / Math.hypot(w[0], w[1]);
}

/** Class 1 inside the unit disc: z = [0, 1 − ‖x‖₂], 1-Lipschitz in L2. */
const disc = pointwise((x, y) => [0, 1 - Math.sqrt(x * x + y * y)]);

/** Every witness lies in its ball and is misclassified when evaluated again in float64. */
function expectValidWitnesses(r: ExactRobustnessResult, points: LabelledPoints, f: SyncClassifier) {
  r.perPoint.forEach((v, i) => {
    if (v.status !== 'not-robust') return expect(v.witness).toBeUndefined();
    const [wx, wy] = v.witness!;
    expect(distance(wx, wy, points.x[2 * i]!, points.x[2 * i + 1]!, r.norm)).toBeLessThanOrEqual(r.eps);
    const z = f(Float32Array.of(wx, wy));
    const y = points.y[i]!;
    expect(z[y]! - z[1 - y]!).toBeLessThanOrEqual(0);
  });
}

describe('exact robustness of a linear classifier against its closed-form distance to the boundary', () => {
  const w: [number, number] = [0.8, -1.7];
  const b = 0.3;
  const f = linear(w, b);
  const centres: [number, number][] = [
    [0.5, 0.2],
    [-0.4, 0.6],
    [1.2, -0.3],
    [-0.9, -0.8],
  ];
  const points = pts(
    centres.flat(),
    centres.map(([x, y]) => (w[0] * x + w[1] * y + b > 0 ? 1 : 0)),
  );

  it.each(NORMS)('certifies every %s ball 1 %% inside the boundary distance', (norm) => {
    for (const [i, c] of centres.entries()) {
      const eps = 0.99 * linearDistance(w, b, c, norm);
      const r = exactRobustnessSync(f, pts(c, [points.y[i]!]), 2, eps, norm, {
        lipschitz: Math.hypot(...w),
        maxDepth: 12,
      });
      expect(r.mode).toBe('certified');
      expect(r.perPoint[0]!.status).toBe('robust');
      expect(r.robustAccuracy).toBe(1);
      // The smallest margin seen is near the true minimum ‖w‖_dual·(d − ε) = 0.01·|w·c + b|, never below it.
      expect(r.perPoint[0]!.minMargin).toBeGreaterThan(0.01 * Math.abs(w[0] * c[0] + w[1] * c[1] + b) - 1e-6);
    }
  });

  it.each(NORMS)('finds a misclassified witness inside every %s ball 1 %% beyond the distance', (norm) => {
    for (const [i, c] of centres.entries()) {
      const eps = 1.01 * linearDistance(w, b, c, norm);
      const one = pts(c, [points.y[i]!]);
      const r = exactRobustnessSync(f, one, 2, eps, norm, { lipschitz: Math.hypot(...w), maxDepth: 12 });
      expect(r.perPoint[0]!.status).toBe('not-robust');
      expect(r.robustAccuracy).toBe(0);
      expectValidWitnesses(r, one, f);
    }
  });

  it('batches all balls of a level into one call, splitting only at maxBatch', async () => {
    const eps = 0.05;
    const calls: number[] = [];
    const g = (xy: Float32Array) => {
      calls.push(xy.length / 2);
      return Promise.resolve(f(xy));
    };
    const async = await exactRobustness(g, points, 2, eps, 'linf', { lipschitz: Math.hypot(...w) });
    // First call: the 4 centres; second: 4 balls × 8 × 8 cells.
    expect(calls.slice(0, 2)).toEqual([4, 256]);
    const sync = exactRobustnessSync(f, points, 2, eps, 'linf', {
      lipschitz: Math.hypot(...w),
      maxBatch: 100,
    });
    expect(sync.perPoint).toEqual(async.perPoint);
    expect(sync.evaluations).toBe(async.evaluations);
  });

  it('reports balls it cannot decide at maxDepth as undecided, and counts only certified ones', () => {
    const eps = centres.map((c) => 0.99 * linearDistance(w, b, c, 'l2'));
    const r = exactRobustnessSync(f, pts(centres[0]!, [points.y[0]!]), 2, eps[0]!, 'l2', {
      lipschitz: Math.hypot(...w),
      maxDepth: 0,
    });
    expect(r.perPoint[0]!.status).toBe('undecided');
    expect(r.undecided).toBe(1);
    expect(r.robustAccuracy).toBe(0);
    // Side of the only level: 2ε/8.
    expect(r.resolution).toBe((2 * eps[0]!) / 8);
  });
});

describe('exact robustness of a non-linear boundary (the unit circle)', () => {
  // Inside point (0.3, 0.4), class 1: L2 distance 1 − 0.5 = 0.5; L∞ distance t solves (0.3+t)² + (0.4+t)² = 1,
  // t = (−1.4 + √7.96)/4. Outside point (1.5, 0.2), class 0: L2 distance √2.29 − 1; L∞ distance 0.5
  // (the square's nearest point to the origin is (1.5 − t, 0) once t ≥ 0.2).
  const cases: [string, [number, number], number, Norm, number][] = [
    ['inside', [0.3, 0.4], 1, 'l2', 0.5],
    ['inside', [0.3, 0.4], 1, 'linf', (-1.4 + Math.sqrt(7.96)) / 4],
    ['outside', [1.5, 0.2], 0, 'l2', Math.sqrt(2.29) - 1],
    ['outside', [1.5, 0.2], 0, 'linf', 0.5],
  ];
  it.each(cases)(
    'decides the %s point at %s correctly on both sides of its distance (%s)',
    (_w, c, y, norm, d) => {
      const p = pts(c, [y]);
      const robust = exactRobustnessSync(disc, p, 2, 0.99 * d, norm, { lipschitz: 1, maxDepth: 12 });
      expect(robust.perPoint[0]!.status).toBe('robust');
      const broken = exactRobustnessSync(disc, p, 2, 1.01 * d, norm, { lipschitz: 1, maxDepth: 12 });
      expect(broken.perPoint[0]!.status).toBe('not-robust');
      expectValidWitnesses(broken, p, disc);
    },
  );
});

describe('the grid fallback without a Lipschitz bound', () => {
  const w: [number, number] = [1, 2];
  const f = linear(w, -0.5);
  const p = pts([0.1, 0.1], [0]);

  it.each(NORMS)(
    'finds the same verdicts on %s balls but labels them "no adversarial point on the grid"',
    (norm) => {
      const d = linearDistance(w, -0.5, [0.1, 0.1], norm);
      const ok = exactRobustnessSync(f, p, 2, 0.99 * d, norm);
      expect(ok.mode).toBe('grid');
      expect(ok.verdict).toBe('no adversarial point on the grid');
      expect(ok.perPoint[0]!.status).toBe('robust');
      expect(ok.resolution).toBeCloseTo((2 * 0.99 * d) / 100, 15);
      const bad = exactRobustnessSync(f, p, 2, 1.01 * d, norm);
      expect(bad.perPoint[0]!.status).toBe('not-robust');
      expectValidWitnesses(bad, p, f);
      expect(bad.evaluations).toBe(1 + (norm === 'linf' ? 101 * 101 : ok.evaluations - 1));
    },
  );
});

describe('exactRobustness edge cases', () => {
  it('calls a misclassified centre not robust with the centre as witness, at any eps', () => {
    const f = linear([1, 0], 0);
    for (const eps of [0, 0.3]) {
      const r = exactRobustnessSync(f, pts([0.5, 0.5, -0.25, 0], [0, 0]), 2, eps, 'l2', { lipschitz: 1 });
      expect(r.perPoint[0]).toEqual({ status: 'not-robust', witness: [0.5, 0.5], minMargin: -0.5 });
      expect(r.perPoint[1]!.status).toBe(eps === 0 ? 'robust' : 'not-robust');
    }
  });

  it('counts an exact tie as misclassified (the label must win strictly)', () => {
    const r = exactRobustnessSync(
      pointwise(() => [1, 1]),
      pts([0, 0], [0]),
      2,
      0.1,
      'linf',
      { lipschitz: 1 },
    );
    expect(r.perPoint[0]!.status).toBe('not-robust');
  });

  it('refuses bad arguments and malformed logits with messages that say what to fix', () => {
    const f = linear([1, 0], 0);
    const p = pts([1, 0], [1]);
    expect(() => exactRobustnessSync(f, p, 2, -1, 'l2')).toThrow(/eps must be a finite number ≥ 0, got -1/);
    expect(() => exactRobustnessSync(f, p, 2, 0.1, 'l2', { lipschitz: 0 })).toThrow(
      /lipschitz must be positive/,
    );
    expect(() => exactRobustnessSync(f, p, 3, 0.1, 'l2')).toThrow(
      /returned 2 logits for 1 points; expected \[1, 3\]/,
    );
    expect(() =>
      exactRobustnessSync(
        pointwise(() => [0, NaN]),
        p,
        2,
        0.1,
        'l2',
      ),
    ).toThrow(/NaN logits/);
    expect(() => exactRobustnessSync(f, pts([1, 0], [2]), 2, 0.1, 'l2')).toThrow(/label 2, outside 0 … 1/);
  });

  it('stops at maxEvaluations and reports the unfinished balls as undecided', () => {
    const r = exactRobustnessSync(linear([1, 0], 0), pts([1, 0], [1]), 2, 0.999, 'l2', {
      lipschitz: 1,
      maxEvaluations: 200,
    });
    expect(r.budgetExhausted).toBe(true);
    expect(r.perPoint[0]!.status).toBe('undecided');
    expect(r.evaluations).toBeLessThanOrEqual(200);
  });
});

describe('witnesses (property)', () => {
  const arb = fc.record({
    w: fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })),
    b: fc.double({ min: -1, max: 1, noNaN: true }),
    centres: fc.array(
      fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })),
      {
        minLength: 1,
        maxLength: 5,
      },
    ),
    eps: fc.double({ min: 1e-3, max: 1, noNaN: true }),
    norm: fc.constantFrom<Norm>('linf', 'l2'),
    certified: fc.boolean(),
  });

  it('always lie inside their ball and are misclassified, in both modes', () => {
    fc.assert(
      fc.property(arb, ({ w, b, centres, eps, norm, certified }) => {
        fc.pre(Math.hypot(...w) > 1e-3);
        const f = linear(w, b);
        const labels = centres.map(([x, y]) => (w[0] * x + w[1] * y + b > 0 ? 1 : 0));
        const points = pts(centres.flat(), labels);
        const r = exactRobustnessSync(f, points, 2, eps, norm, {
          ...(certified ? { lipschitz: Math.hypot(...w) } : {}),
          maxDepth: 6,
          gridPoints: 21,
        });
        expectValidWitnesses(r, points, f);
        expect(r.robust + r.notRobust + r.undecided).toBe(centres.length);
        // A certified ball is never closer to the line than its radius (the closed form).
        r.perPoint.forEach((v, i) => {
          if (certified && v.status === 'robust') {
            expect(linearDistance(w, b, centres[i]!, norm)).toBeGreaterThan(eps * (1 - 1e-9));
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('certificates (property)', () => {
  const coord = fc.double({ min: -2, max: 2, noNaN: true });
  const arb = fc.record({
    angle: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
    b: fc.double({ min: -1, max: 1, noNaN: true }),
    centre: fc.tuple(coord, coord),
    over: fc.double({ min: 1e-4, max: 0.05, noNaN: true }),
    norm: fc.constantFrom<Norm>('linf', 'l2'),
  });

  it('never certify a ball that reaches past a linear boundary, however thin the overlap', () => {
    fc.assert(
      fc.property(arb, ({ angle, b, centre, over, norm }) => {
        const w: [number, number] = [Math.cos(angle), Math.sin(angle)];
        const d = linearDistance(w, b, centre, norm);
        fc.pre(d > 1e-3);
        const y = w[0] * centre[0] + w[1] * centre[1] + b > 0 ? 1 : 0;
        const r = exactRobustnessSync(linear(w, b), pts(centre, [y]), 2, d * (1 + over), norm, {
          lipschitz: 1,
          maxDepth: 10,
        });
        expect(r.perPoint[0]!.status).not.toBe('robust');
      }),
      { numRuns: 300 },
    );
  });
});

describe('soundness against a worst-case classifier (property)', () => {
  // z = [L·‖x − p‖₂ − δ, 0] with label 0: exactly L-Lipschitz, wrong only in the tiny disc of radius δ/L around p.
  // Every Lipschitz certificate is tight against it, so any underestimated cell reach shows up as a false
  // "robust" for a ball that contains p.
  const unit = fc.double({ min: 0, max: 1, noNaN: true });
  const arb = fc.record({
    centre: fc.tuple(
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
    ),
    eps: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
    angle: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
    radius: fc.double({ min: 0.3, max: 1, noNaN: true }),
    u: unit,
    norm: fc.constantFrom<Norm>('linf', 'l2'),
    L: fc.double({ min: 0.5, max: 20, noNaN: true }),
  });

  it('never certifies a ball that holds a misclassified point', () => {
    fc.assert(
      fc.property(arb, ({ centre, eps, angle, radius, u, norm, L }) => {
        const [cx, cy] = centre;
        // p in the ball: on a ray for L2; for L∞ on the square of half-width radius·ε, at position u along it.
        const [ux, uy] = norm === 'l2' ? [Math.cos(angle), Math.sin(angle)] : squarePoint(angle, u);
        const p = [cx + radius * eps * ux, cy + radius * eps * uy] as const;
        const delta = L * 1e-7 * eps;
        const f = pointwise((x, y) => [L * Math.hypot(x - p[0], y - p[1]) - delta, 0]);
        const r = exactRobustnessSync(f, pts(centre, [0]), 2, eps, norm, { lipschitz: L, maxDepth: 5 });
        expect(r.perPoint[0]!.status).not.toBe('robust');
      }),
      { numRuns: 300 },
    );
  });
});

/** A point on the boundary of the unit square [−1, 1]²: side chosen by the angle, position u along it. */
function squarePoint(angle: number, u: number): [number, number] {
  const t = 2 * u - 1;
  const side = Math.floor((angle / (2 * Math.PI)) * 4) % 4;
  return side === 0 ? [1, t] : side === 1 ? [t, 1] : side === 2 ? [-1, t] : [t, -1];
}
