/**
 * The dataset registry: each generator with its parameter table, and `makeDataset`, which draws train and test
 * sets from seeded streams and maps them into the fixed box [−1, 1]² by an affine map that depends only on the
 * parameters (never on the drawn points), so the same parameters always give the same units.
 */
import { LIMITS } from '../limits.ts';
import { Rng } from '../rng.ts';
import type { LabelledPoints } from '../types.ts';
import type { DatasetCsv } from '../formats/datasetCsv.ts';
import { makeCircles } from './circles.ts';
import { makeGaussians } from './gaussians.ts';
import { makeMoons } from './moons.ts';
import { SPIRAL_MAX_ANGLE, twoSpirals } from './spiral.ts';
import { makeXor } from './xor.ts';
import { affine, type Dataset, DatasetError, growBox, paddedBoundingBox, testSeedFor } from './dataset.ts';

export * from './dataset.ts';
export { twoSpirals, SPIRAL_MAX_ANGLE } from './spiral.ts';
export { makeMoons } from './moons.ts';
export { makeCircles } from './circles.ts';
export { makeXor } from './xor.ts';
export { makeGaussians, blobCentre } from './gaussians.ts';

/** One numeric parameter: its range and meaning, for validation, the URL table and the UI. */
export interface ParamSpec {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer: boolean;
  readonly description: string;
}

export type DatasetName = 'spiral' | 'moons' | 'circles' | 'xor' | 'gaussians';

export interface DatasetSpec {
  readonly name: DatasetName;
  readonly description: string;
  /** `noise` first, then the generator's own parameters. All in raw (unscaled) units. */
  readonly params: readonly ParamSpec[];
  nClasses(p: Readonly<Record<string, number>>): number;
  /** `n` raw points drawn from `rng`. */
  generate(n: number, p: Readonly<Record<string, number>>, rng: Rng): LabelledPoints;
  /** The map into [−1, 1]²: `scaled = (raw − offset)·scale`. */
  affine(p: Readonly<Record<string, number>>): { scale: number; offset: [number, number] };
}

const param = (
  name: string,
  def: number,
  min: number,
  max: number,
  description: string,
  integer = false,
): ParamSpec => ({ name, default: def, min, max, integer, description });

/** Parameters every dataset takes besides its own. */
export const COMMON_PARAMS: readonly ParamSpec[] = [
  param('nTrain', 400, 10, LIMITS.trainPoints, 'Number of training points, all classes together.', true),
  param('nTest', 400, 0, LIMITS.testPoints, 'Number of test points, all classes together.', true),
  param(
    'seed',
    0,
    0,
    0xffffffff,
    'Seed of the training draw; the test draw uses (seed + 7919) mod 2³².',
    true,
  ),
];

/** A filled-in parameter (makeDataset fills every one before calling a generator). */
function v(p: Readonly<Record<string, number>>, key: string): number {
  const x = p[key];
  if (x === undefined)
    throw new Error(`Dataset parameter "${key}" is missing; call makeDataset, which fills defaults.`);
  return x;
}

// Gaussian noise can reach a few σ; leaving 3σ of room keeps nearly every point inside [−1, 1]².
const GAUSS_ROOM = 3;

export const DATASETS: Readonly<Record<DatasetName, DatasetSpec>> = {
  spiral: {
    name: 'spiral',
    description: "Two interleaved spirals, the authors' notebook generator (780°, uniform noise).",
    // Default noise 0.5 (the notebook ran 0.9 and 0.75): 400 points then lie ≈0.096 apart in [−1, 1]², so the
    // runner's ε = 0.05 is about the theorem's r.
    params: [
      param(
        'noise',
        0.5,
        0,
        3,
        'Width of the uniform noise added to each coordinate (raw units, ±13.6 span).',
      ),
    ],
    nClasses: () => 2,
    // An odd total keeps the extra point in class 0: draw ⌈n/2⌉ per class and drop the last class-1 point.
    // An even total is exactly the notebook's twospirals(n/2, noise).
    generate: (n, p, rng) => {
      const half = Math.ceil(n / 2);
      const s = twoSpirals(half, v(p, 'noise'), rng);
      return { x: s.x.slice(0, 2 * n), y: s.y.slice(0, n) };
    },
    // |coordinate| ≤ max angle + noise, so the points fill the box without touching its edge.
    affine: (p) => ({ scale: 1 / (SPIRAL_MAX_ANGLE + v(p, 'noise')), offset: [0, 0] }),
  },
  moons: {
    name: 'moons',
    description: "Two interleaving half circles, sklearn's make_moons.",
    params: [
      param(
        'noise',
        0.1,
        0,
        0.5,
        'Standard deviation of the Gaussian noise (raw units, moons span 3 × 1.5).',
      ),
    ],
    nClasses: () => 2,
    generate: (n, p, rng) => makeMoons(n, v(p, 'noise'), rng),
    // The noiseless moons fill [−1, 2] × [−0.5, 1]: centre (0.5, 0.25), half-width 1.5.
    affine: (p) => ({ scale: 1 / (1.5 + GAUSS_ROOM * v(p, 'noise')), offset: [0.5, 0.25] }),
  },
  circles: {
    name: 'circles',
    description: "A circle around a smaller circle, sklearn's make_circles.",
    params: [
      param('noise', 0.05, 0, 0.5, 'Standard deviation of the Gaussian noise (raw units, outer radius 1).'),
      param('factor', 0.5, 0, 0.95, 'Radius of the inner circle relative to the outer one.'),
    ],
    nClasses: () => 2,
    generate: (n, p, rng) => makeCircles(n, v(p, 'noise'), rng, v(p, 'factor')),
    affine: (p) => ({ scale: 1 / (1 + GAUSS_ROOM * v(p, 'noise')), offset: [0, 0] }),
  },
  xor: {
    name: 'xor',
    description: 'Uniform points in [−1, 1]², labelled by the sign of x·y (the XOR quadrants).',
    params: [
      param(
        'noise',
        0,
        0,
        0.5,
        'Standard deviation of the Gaussian noise added after labelling (raw units).',
      ),
      param('gap', 0, 0, 1, 'Width of the empty band along each axis; the classes are gap-separated.'),
    ],
    nClasses: () => 2,
    generate: (n, p, rng) => makeXor(n, v(p, 'noise'), rng, v(p, 'gap')),
    affine: (p) => ({ scale: 1 / (1 + GAUSS_ROOM * v(p, 'noise')), offset: [0, 0] }),
  },
  gaussians: {
    name: 'gaussians',
    description: 'Isotropic Gaussian blobs on a circle, one class each (the multi-class dataset).',
    params: [
      param(
        'noise',
        0.25,
        0,
        1,
        'Standard deviation of each blob (raw units, centres on the circle of `radius`).',
      ),
      param('classes', 3, 2, 8, 'Number of blobs, one class each.', true),
      param('radius', 1, 0.1, 10, 'Radius of the circle the blob centres lie on (raw units).'),
    ],
    nClasses: (p) => v(p, 'classes'),
    generate: (n, p, rng) => makeGaussians(n, v(p, 'noise'), rng, v(p, 'classes'), v(p, 'radius')),
    affine: (p) => ({ scale: 1 / (v(p, 'radius') + GAUSS_ROOM * v(p, 'noise')), offset: [0, 0] }),
  },
};

export interface MakeDatasetOptions {
  readonly name: DatasetName;
  readonly nTrain: number;
  readonly nTest: number;
  readonly seed: number;
  readonly noise?: number;
  /** The generator's own parameters (see `DATASETS[name].params`); missing ones take their defaults. */
  readonly [param: string]: number | string | undefined;
}

function checked(spec: ParamSpec, value: number): number {
  const ok = Number.isFinite(value) && value >= spec.min && value <= spec.max;
  if (!ok || (spec.integer && !Number.isInteger(value))) {
    throw new DatasetError(
      'param-out-of-range',
      `${spec.name} = ${value} is outside ${spec.min} … ${spec.max}${spec.integer ? ' (whole numbers)' : ''}; ` +
        `pick a value in range (default ${spec.default}).`,
    );
  }
  return value;
}

/**
 * Draw a dataset: train from `new Rng(seed)`, test from `new Rng(testSeedFor(seed))`, both mapped into [−1, 1]²
 * by the generator's affine map. Class sizes are the generator's split of the total (e.g. the spiral gives
 * class 0 the extra point of an odd total).
 *
 * @throws DatasetError for an unknown name or parameter, or a value out of its range
 */
export function makeDataset(options: MakeDatasetOptions): Dataset {
  const { name, nTrain, nTest, seed, ...rest } = options;
  const spec = (DATASETS as Readonly<Record<string, DatasetSpec>>)[name];
  if (!spec) {
    throw new DatasetError(
      'unknown-dataset',
      `There is no dataset "${name}"; choose one of ${Object.keys(DATASETS).join(', ')}.`,
    );
  }
  const [nTrainSpec, nTestSpec, seedSpec] = COMMON_PARAMS as [ParamSpec, ParamSpec, ParamSpec];
  const params: Record<string, number> = {
    nTrain: checked(nTrainSpec, nTrain),
    nTest: checked(nTestSpec, nTest),
  };
  checked(seedSpec, seed);
  for (const key of Object.keys(rest)) {
    if (rest[key] !== undefined && !spec.params.some((p) => p.name === key)) {
      throw new DatasetError(
        'unknown-param',
        `The ${name} dataset has no parameter "${key}"; its parameters are ${spec.params.map((p) => p.name).join(', ')}.`,
      );
    }
  }
  for (const p of spec.params) {
    const v = rest[p.name];
    params[p.name] = checked(p, v === undefined ? p.default : Number(v));
  }
  const nClasses = spec.nClasses(params);
  if (nTrain < nClasses) {
    throw new DatasetError(
      'param-out-of-range',
      `nTrain = ${nTrain} is fewer than the ${nClasses} classes; use at least ${nClasses} training points.`,
    );
  }
  const { scale, offset } = spec.affine(params);
  const testSeed = testSeedFor(seed);
  const train = affine(spec.generate(nTrain, params, new Rng(seed)), scale, offset);
  const test = affine(spec.generate(nTest, params, new Rng(testSeed)), scale, offset);
  const box = growBox({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 }, train.x, test.x);
  return {
    name,
    nClasses,
    train,
    test,
    meta: { source: 'generator', params, seed, testSeed, scale, offset, box },
  };
}

/**
 * A dataset from CSV rows, in the file's own units: scale 1, offset 0, and the box the bounding box of all points
 * padded by 5 % of its extent. `nClasses` is the largest label + 1 over both splits.
 *
 * @throws DatasetError when the training split is empty or holds fewer than two classes
 */
export function datasetFromCsv(csv: DatasetCsv, name = 'csv'): Dataset {
  const n = csv.train.y.length;
  if (n === 0) {
    throw new DatasetError(
      'empty-train',
      'The CSV has no training rows; mark at least two classes of rows "train".',
    );
  }
  const present = new Set(csv.train.y);
  if (present.size < 2) {
    throw new DatasetError(
      'too-few-classes',
      `The training rows hold only class ${[...present].join(', ')}; a classifier needs at least two classes. ` +
        'Add training rows of another class (split train).',
    );
  }
  let maxLabel = 0;
  for (const set of [csv.train.y, csv.test.y]) for (const c of set) if (c > maxLabel) maxLabel = c;
  const box = paddedBoundingBox(csv.train.x, csv.test.x);
  return {
    name,
    nClasses: maxLabel + 1,
    train: csv.train,
    test: csv.test,
    meta: {
      source: 'csv',
      params: { nTrain: n, nTest: csv.test.y.length },
      seed: null,
      testSeed: null,
      scale: 1,
      offset: [0, 0],
      box,
    },
  };
}
