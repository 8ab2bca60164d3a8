import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/core/rng.ts';
import {
  DATASETS,
  DatasetError,
  SPIRAL_MAX_ANGLE,
  classCounts,
  datasetFromCsv,
  makeCircles,
  makeDataset,
  makeGaussians,
  makeMoons,
  makeXor,
  testSeedFor,
  twoSpirals,
  type DatasetName,
} from '../../src/core/datasets/index.ts';
import { linspace, numpyShuffledIndices } from '../../src/core/datasets/numpyCompat.ts';
import { separation } from '../../src/core/geometry.ts';
import type { LabelledPoints } from '../../src/core/types.ts';

const EMPTY: LabelledPoints = { x: new Float64Array(0), y: new Int32Array(0) };
const sepOf = (p: LabelledPoints, norm: 'linf' | 'l2') => separation(p, EMPTY, norm).trainTrain.min;

function expectPointsClose(p: LabelledPoints, xs: number[][], ys: number[], tol = 1e-12) {
  expect(Array.from(p.y)).toEqual(ys);
  xs.forEach(([a, b], i) => {
    expect(Math.abs(p.x[2 * i]! - a!)).toBeLessThanOrEqual(tol);
    expect(Math.abs(p.x[2 * i + 1]! - b!)).toBeLessThanOrEqual(tol);
  });
}

describe('the numpy-compatible helpers', () => {
  it('draw the same first three uniforms as RandomState(0).rand(3)', () => {
    const rng = new Rng(0);
    expect([rng.random(), rng.random(), rng.random()]).toEqual([
      0.5488135039273248, 0.7151893663724195, 0.6027633760716439,
    ]);
  });

  it('shuffle like RandomState.shuffle (sklearn doc: shuffle of 3 rows with random_state=0 gives [2, 1, 0])', () => {
    expect(Array.from(numpyShuffledIndices(3, new Rng(0)))).toEqual([2, 1, 0]);
    // numpy 2.4: a = np.arange(10); np.random.RandomState(0).shuffle(a)
    expect(Array.from(numpyShuffledIndices(10, new Rng(0)))).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    // np.arange(1000) shuffled by RandomState(5): first 8 entries; exercises the 10-bit rejection mask.
    expect(Array.from(numpyShuffledIndices(1000, new Rng(5)).subarray(0, 8))).toEqual([
      544, 515, 193, 11, 279, 653, 643, 763,
    ]);
  });

  it('space points like np.linspace, with and without the endpoint', () => {
    expect(Array.from(linspace(0, Math.PI, 7))).toEqual([
      0.0, 0.5235987755982988, 1.0471975511965976, 1.5707963267948966, 2.0943951023931953, 2.617993877991494,
      3.141592653589793,
    ]);
    expect(Array.from(linspace(0, 2 * Math.PI, 7, false))).toEqual([
      0.0, 0.8975979010256552, 1.7951958020513104, 2.6927937030769655, 3.5903916041026207, 4.487989505128276,
      5.385587406153931,
    ]);
    expect(Array.from(linspace(0, Math.PI, 1))).toEqual([0]);
  });
});

describe('the two-spirals generator', () => {
  it("reproduces the notebook's twospirals(1000, 0.9) separation: L∞ 0.7052, L2 0.8748", () => {
    const s = twoSpirals(1000, 0.9, new Rng(0));
    // numpy reference (the notebook's formula, RandomState(0)): 0.7052012353399588 and 0.8748440239423761.
    expect(sepOf(s, 'linf')).toBeCloseTo(0.7052012353399588, 12);
    expect(sepOf(s, 'l2')).toBeCloseTo(0.8748440239423761, 12);
    expect(sepOf(s, 'linf').toFixed(4)).toBe('0.7052');
  });

  it("reproduces the notebook's twospirals(2000, 0.75) separation: L∞ 0.33866, L2 0.3671", () => {
    const s = twoSpirals(2000, 0.75, new Rng(0));
    expect(sepOf(s, 'linf')).toBeCloseTo(0.3386579833169957, 12);
    expect(sepOf(s, 'l2')).toBeCloseTo(0.36713618544375887, 12);
  });

  it('draws all angles, then all x-noises, then all y-noises (first points of twoSpirals(5, 0.5))', () => {
    // Point 0 uses uniforms u0 (angle), u5 (x-noise), u10 (y-noise) of RandomState(0):
    // u0 = 0.5488135039273248 → n = √u0·780·2π/360 = 10.0858…, x = −cos(n)·n + 0.5·u5, y = sin(n)·n + 0.5·u10,
    // u5 = 0.6458941130666561, u10 = 0.7917250380826646. Values below: numpy on the same formula.
    const u0 = 0.5488135039273248;
    const t = (Math.sqrt(u0) * 780 * 2 * Math.PI) / 360;
    expect(-Math.cos(t) * t + 0.5 * 0.6458941130666561).toBeCloseTo(8.28758520907143, 12);
    const s = twoSpirals(5, 0.5, new Rng(0));
    expectPointsClose(
      s,
      [
        [8.28758520907143, -5.7908755306007205],
        [-5.474375231782506, -9.742216770823887],
        [4.816280417306519, -9.339352091893362],
        [8.635674663588627, -5.410669559594945],
        [7.680877233295989, 4.771355497826048],
        [-8.28758520907143, 5.7908755306007205],
        [5.474375231782506, 9.742216770823887],
        [-4.816280417306519, 9.339352091893362],
        [-8.635674663588627, 5.410669559594945],
        [-7.680877233295989, -4.771355497826048],
      ],
      [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    );
  });
});

describe('the sklearn generators', () => {
  it('reproduce make_moons(7, noise=0.1, random_state=0) point for point', () => {
    expectPointsClose(
      makeMoons(7, 0.1, new Rng(0)),
      [
        [1.9157275946170713, 0.6969924447869893],
        [-0.8733881470142222, -0.05058765397605105],
        [0.25452007784710545, 1.1080811913055446],
        [0.04843121541206648, 0.5579140478706729],
        [0.9818417427268804, 0.1410204631131214],
        [1.462552830901979, -0.33850557222680666],
        [0.40392453882662105, -0.3283327062849103],
      ],
      [1, 0, 0, 1, 0, 1, 1],
    );
  });

  it("reproduce the notebook's halfmoon-1000-0.1 separation of 0.00857 (L∞, seed 0)", () => {
    // [D] 5085ece: make_moons(1000, noise=0.1, random_state=0), then a 75 % train split with the same seed;
    // numpy gives 0.008569693315536475 on both the split and the full set (the closest pair is in train).
    expect(sepOf(makeMoons(1000, 0.1, new Rng(0)), 'linf')).toBeCloseTo(0.008569693315536475, 12);
  });

  it('reproduce make_circles(7, noise=0.05, factor=0.5, random_state=1) point for point', () => {
    expectPointsClose(
      makeCircles(7, 0.05, new Rng(1), 0.5),
      [
        [-0.080086050188434, -0.5738914785420497],
        [-0.4758252076264115, -0.8566035735262036],
        [-0.5232343161710861, 0.9091167596520651],
        [0.8672869010199122, 0.057613245821510506],
        [0.00983217054208108, 0.42273929250040754],
        [0.4955947957458331, 0.042611966110247125],
        [-0.4661382996959018, -0.005343921302990344],
      ],
      [1, 0, 0, 0, 1, 1, 1],
    );
  });

  it('draw the gaussian blobs as make_blobs does with fixed centres on the circle (random_state=2)', () => {
    expectPointsClose(
      makeGaussians(7, 0.25, new Rng(2), 3, 1),
      [
        [-0.36213648886339433, -0.292973400580699],
        [0.8958105381486323, -0.014066706806582369],
        [-0.7644880547155846, 0.6387735000527264],
        [0.4659509760828865, 0.41006770210124716],
        [0.5516411037012843, -0.210436841414051],
        [-0.4896151517503996, -1.1455067650628177],
        [-0.3742796457104891, 0.5547033821326308],
      ],
      [2, 0, 1, 0, 0, 2, 1],
    );
  });
});

describe('the xor generator', () => {
  it('labels by (x > 0) xor (y > 0) and keeps the classes gap-separated without noise', () => {
    const p = makeXor(500, 0, new Rng(3), 0.2);
    for (let i = 0; i < 500; i++) {
      const [a, b] = [p.x[2 * i]!, p.x[2 * i + 1]!];
      expect(p.y[i]).toBe(a > 0 !== b > 0 ? 1 : 0);
      expect(Math.min(Math.abs(a), Math.abs(b))).toBeGreaterThanOrEqual(0.1);
      expect(Math.max(Math.abs(a), Math.abs(b))).toBeLessThanOrEqual(1);
    }
    expect(sepOf(p, 'linf')).toBeGreaterThanOrEqual(0.2);
    expect(sepOf(p, 'l2')).toBeGreaterThanOrEqual(0.2);
  });
});

const NAMES = Object.keys(DATASETS) as DatasetName[];

describe.each(NAMES)('makeDataset(%s)', (name) => {
  const opts = { name, nTrain: 301, nTest: 157, seed: 11 } as const;

  it('is deterministic under a seed and draws test from the recorded test seed', () => {
    const a = makeDataset(opts);
    const b = makeDataset(opts);
    expect(a.train.x).toEqual(b.train.x);
    expect(a.test.y).toEqual(b.test.y);
    expect(a.meta.seed).toBe(11);
    expect(a.meta.testSeed).toBe(11 + 7919);
    const test = makeDataset({ ...opts, seed: a.meta.testSeed!, nTrain: 157 });
    expect(test.train.x).toEqual(a.test.x);
    expect(makeDataset({ ...opts, seed: 12 }).train.x).not.toEqual(a.train.x);
  });

  it('draws a test set that differs from the training set', () => {
    const d = makeDataset({ ...opts, nTest: 301 });
    expect(d.test.x).not.toEqual(d.train.x);
  });

  it('has the requested sizes and the generator’s class split', () => {
    const d = makeDataset(opts);
    expect(d.train.y.length).toBe(301);
    expect(d.train.x.length).toBe(602);
    expect(d.test.y.length).toBe(157);
    const counts = classCounts(d.train.y, d.nClasses);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(301);
    if (name === 'spiral') expect(counts).toEqual([151, 150]);
    if (name === 'moons' || name === 'circles') expect(counts).toEqual([150, 151]);
    if (name === 'gaussians') expect(counts).toEqual([101, 100, 100]);
    if (name === 'xor') expect(counts.every((c) => c > 100)).toBe(true);
  });

  it('lies in its recorded box, which contains [−1, 1]²', () => {
    const d = makeDataset(opts);
    const { box } = d.meta;
    expect(box.xMin).toBeLessThanOrEqual(-1);
    expect(box.yMax).toBeGreaterThanOrEqual(1);
    for (const p of [d.train, d.test]) {
      for (let i = 0; i < p.y.length; i++) {
        expect(p.x[2 * i]).toBeGreaterThanOrEqual(box.xMin);
        expect(p.x[2 * i]).toBeLessThanOrEqual(box.xMax);
        expect(p.x[2 * i + 1]).toBeGreaterThanOrEqual(box.yMin);
        expect(p.x[2 * i + 1]).toBeLessThanOrEqual(box.yMax);
      }
    }
  });

  it('applies (raw − offset)·scale to the raw generator output', () => {
    const d = makeDataset(opts);
    const spec = DATASETS[name];
    const raw = spec.generate(301, d.meta.params, new Rng(11));
    expect(d.meta.scale).toBe(spec.affine(d.meta.params).scale);
    for (let i = 0; i < 20; i++) {
      expect(d.train.x[i]).toBe((raw.x[i]! - d.meta.offset[i % 2]!) * d.meta.scale);
    }
  });
});

describe('makeDataset', () => {
  it('scales the notebook spiral into [−1, 1]² so that its separation becomes raw × scale', () => {
    const d = makeDataset({ name: 'spiral', nTrain: 2000, nTest: 0, noise: 0.9, seed: 0 });
    expect(d.meta.scale).toBe(1 / (SPIRAL_MAX_ANGLE + 0.9));
    expect(d.meta.offset).toEqual([0, 0]);
    expect(d.meta.box).toEqual({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
    for (const norm of ['linf', 'l2'] as const) {
      const raw = sepOf(twoSpirals(1000, 0.9, new Rng(0)), norm);
      expect(Math.abs(sepOf(d.train, norm) - raw * d.meta.scale)).toBeLessThan(1e-15);
    }
    expect(sepOf(d.train, 'linf')).toBeCloseTo(0.7052012353399588 / (SPIRAL_MAX_ANGLE + 0.9), 12);
  });

  it('derives the test seed as (seed + 7919) mod 2³²', () => {
    expect(testSeedFor(0)).toBe(7919);
    expect(testSeedFor(0xffffffff)).toBe(7918);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (s) => {
        const t = testSeedFor(s);
        return Number.isInteger(t) && t >= 0 && t <= 0xffffffff && t !== s;
      }),
    );
  });

  it('grows the box to hold Gaussian noise that leaves [−1, 1]²', () => {
    const d = makeDataset({ name: 'gaussians', nTrain: 2000, nTest: 2000, seed: 4, noise: 1, radius: 0.1 });
    const { box } = d.meta;
    expect(Math.min(box.xMin, box.yMin)).toBeLessThan(-1);
    let xMin = Infinity;
    for (const p of [d.train.x, d.test.x]) for (let i = 0; i < p.length; i += 2) xMin = Math.min(xMin, p[i]!);
    expect(box.xMin).toBe(Math.min(-1, xMin));
  });

  it('refuses an unknown dataset, an unknown parameter and an out-of-range value, saying which', () => {
    const base = { nTrain: 100, nTest: 100, seed: 0 };
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as DatasetError;
      }
      throw new Error('expected a DatasetError');
    };
    const e1 = err(() => makeDataset({ ...base, name: 'swirl' as DatasetName }));
    expect(e1).toBeInstanceOf(DatasetError);
    expect(e1.code).toBe('unknown-dataset');
    expect(e1.message).toMatch(/swirl.*spiral, moons, circles, xor, gaussians/);
    const e2 = err(() => makeDataset({ ...base, name: 'moons', factor: 0.3 }));
    expect(e2.code).toBe('unknown-param');
    expect(e2.message).toMatch(/"factor"/);
    const e3 = err(() => makeDataset({ ...base, name: 'gaussians', classes: 2.5 }));
    expect(e3.code).toBe('param-out-of-range');
    expect(e3.message).toMatch(/classes = 2.5.*2 … 8/);
    expect(err(() => makeDataset({ ...base, name: 'spiral', noise: -1 })).message).toMatch(/noise = -1/);
    expect(err(() => makeDataset({ ...base, name: 'spiral', nTrain: 5 })).message).toMatch(/nTrain = 5/);
  });
});

describe('datasetFromCsv', () => {
  const pts = (xs: number[], ys: number[]): LabelledPoints => ({
    x: Float64Array.from(xs),
    y: Int32Array.from(ys),
  });

  it('keeps the file’s units and pads the bounding box by 5 % of its extent', () => {
    const d = datasetFromCsv({ train: pts([0, 0, 10, 2], [0, 2]), test: pts([4, 1], [1]) }, 'mine');
    expect(d.name).toBe('mine');
    expect(d.nClasses).toBe(3);
    expect(d.meta.scale).toBe(1);
    expect(d.meta.offset).toEqual([0, 0]);
    expect(d.meta.seed).toBeNull();
    expect(d.meta.box).toEqual({ xMin: -0.5, xMax: 10.5, yMin: -0.1, yMax: 2.1 });
  });

  it('rejects an empty training split and a single-class training split with a clear message', () => {
    expect(() => datasetFromCsv({ train: pts([], []), test: pts([1, 1], [0]) })).toThrow(/no training rows/);
    expect(() => datasetFromCsv({ train: pts([0, 0, 1, 1], [1, 1]), test: pts([2, 2], [0]) })).toThrow(
      /only class 1.*at least two classes/,
    );
  });
});
