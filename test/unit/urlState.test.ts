import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DATASETS, makeDataset, type DatasetName, type ParamSpec } from '../../src/core/datasets/index.ts';
import {
  MAX_EDITS,
  placeInBox,
  roundCoordinate,
  type PointEdit,
  type Split,
} from '../../src/core/datasets/edits.ts';
import { BACKENDS } from '../../src/ml/backendNames.ts';
import { METHOD_INFO } from '../../src/ml/methods/catalog.ts';
import { defaultFor } from '../../src/ml/methods/info.ts';
import type { PanelSpec } from '../../src/engine/protocol.ts';
import {
  ACTIVATION_OPTIONS,
  DEFAULT_STATE,
  OPTIMIZER_OPTIONS,
  type DemoState,
} from '../../src/state/settings.ts';
import {
  DEFAULT_UI,
  decodeState,
  encodeState,
  HIDE_KEYS,
  MAX_PANELS,
  MAX_SEARCH_LENGTH,
  MIGRATIONS,
  stateProblems,
  uiProblems,
  URL_PARAMS,
  URL_VERSION,
  type HideKey,
  type LaunchFlags,
  type UiFlags,
} from '../../src/state/urlState.ts';
import { PRESETS } from '../../src/state/presets.ts';

const NO_LAUNCH: LaunchFlags = { pinned: null, workers: 1 };
const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
const METHODS = [...Object.keys(METHOD_INFO), 'nn'];

/** `s` as a link gives it back: panels numbered p0, p1, … and nextId their count. */
function renumbered(s: DemoState): DemoState {
  return { ...s, panels: s.panels.map((p, i) => ({ ...p, id: `p${i}` })), nextId: s.panels.length };
}

function roundTrip(s: DemoState, ui: UiFlags = DEFAULT_UI, launch: LaunchFlags = NO_LAUNCH) {
  const { search, omitted } = encodeState(s, ui, launch);
  return { search, omitted, decoded: decodeState(search) };
}

// ─── arbitraries of valid states ──────────────────────────────────────────────────────────────────────────────

/** A number in [min, max]: often an end or the default, otherwise any double in range (−0 included at 0). */
function inRange(min: number, max: number, integer: boolean, def: number): fc.Arbitrary<number> {
  if (integer) return fc.oneof(fc.constantFrom(min, max, def), fc.integer({ min, max }));
  return fc.oneof(
    fc.constantFrom(min, max, def),
    fc.double({ min, max, noNaN: true }),
    fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((k) => k / 100),
  );
}

const paramArb = (p: ParamSpec) => inRange(p.min, p.max, p.integer, p.default);

const paramsArb = fc.record(
  Object.fromEntries(
    DATASET_NAMES.map((ds) => [
      ds,
      fc.oneof(
        fc.constant(DEFAULT_STATE.data.params[ds]),
        fc.record(Object.fromEntries(DATASETS[ds].params.map((p) => [p.name, paramArb(p)]))),
      ),
    ]),
  ) as Record<DatasetName, fc.Arbitrary<Record<string, number>>>,
);

/** Raw edit choices, placed on the data once it is known (indices and positions must fit the points). */
const editSeedArb = fc.record({
  op: fc.constantFrom('move', 'add', 'delete'),
  split: fc.constantFrom<Split>('train', 'test'),
  u: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  // Positions: anywhere in a slightly larger box (clamped onto its edges like a drag), or exact edges.
  x: fc.oneof(fc.double({ min: -0.1, max: 1.1, noNaN: true }), fc.constantFrom(0, 1, 0.5)),
  y: fc.oneof(fc.double({ min: -0.1, max: 1.1, noNaN: true }), fc.constantFrom(0, 1, 0.5)),
  label: fc.nat(),
});

type EditSeed = typeof editSeedArb extends fc.Arbitrary<infer T> ? T : never;

function placeEdits(
  data: Pick<DemoState['data'], 'name' | 'nTrain' | 'nTest' | 'seed' | 'params'>,
  seeds: readonly EditSeed[],
): PointEdit[] {
  if (seeds.length === 0 || data.name === 'csv') return [];
  const d = makeDataset({
    name: data.name,
    nTrain: data.nTrain,
    nTest: data.nTest,
    seed: data.seed,
    ...data.params[data.name],
  });
  const box = d.meta.box;
  const count = { train: d.train.y.length, test: d.test.y.length };
  const out: PointEdit[] = [];
  for (const s of seeds) {
    const [x, y] = placeInBox(
      box.xMin + s.x * (box.xMax - box.xMin),
      box.yMin + s.y * (box.yMax - box.yMin),
      box,
    );
    const n = count[s.split];
    const index = Math.floor(s.u * n);
    if (s.op === 'add' || n === 0) {
      out.push({ op: 'add', split: s.split, x, y, label: s.label % d.nClasses });
      count[s.split]++;
    } else if (s.op === 'delete' && !(s.split === 'train' && n === 1)) {
      out.push({ op: 'delete', split: s.split, index });
      count[s.split]--;
    } else out.push({ op: 'move', split: s.split, index, x, y });
  }
  return out;
}

function panelArb(): fc.Arbitrary<Omit<PanelSpec, 'id'>> {
  return fc.constantFrom(...METHODS).chain((method): fc.Arbitrary<Omit<PanelSpec, 'id'>> => {
    if (method === 'nn')
      return fc
        .option(inRange(1e-6, 10, false, 0.05), { nil: null })
        .map((r) => ({ method, variant: '', hyper: {}, dropout: 0, r }));
    const m = METHOD_INFO[method]!;
    const variants = m.variants?.map((v) => v.id) ?? [''];
    return fc.constantFrom(...variants).chain((variant) =>
      fc.record({
        method: fc.constant(method),
        variant: fc.constant(variant),
        hyper: fc.record(
          Object.fromEntries(
            m.hyper.map((h) => [h.key, inRange(h.min, h.max, h.key === 'steps', defaultFor(h, variant))]),
          ),
        ),
        dropout: fc.oneof(fc.constantFrom(0, 0.5), inRange(0, 0.9, false, 0)),
        r: fc.constant(null),
      }),
    );
  });
}

const stateArb: fc.Arbitrary<DemoState> = fc
  .record({
    name: fc.constantFrom(...DATASET_NAMES),
    nTrain: fc.oneof(fc.integer({ min: 10, max: 600 }), fc.constantFrom(10, 10000)),
    nTest: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constantFrom(0, 10000)),
    dataSeed: fc.oneof(fc.constantFrom(0, 0xffffffff), fc.nat({ max: 0xffffffff })),
    params: paramsArb,
    editSeeds: fc.oneof(fc.constant([]), fc.array(editSeedArb, { maxLength: 12 })),
    hidden: fc.array(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 4 }),
    activation: fc.constantFrom(...ACTIVATION_OPTIONS),
    optimizer: fc.constantFrom(...OPTIMIZER_OPTIONS),
    lr: fc.oneof(fc.constantFrom(0.01, 10, 1e-6), fc.double({ min: Number.MIN_VALUE, max: 10, noNaN: true })),
    batchSize: inRange(1, 5000, true, 128),
    epochs: inRange(1, 2000, true, 200),
    seed: inRange(0, 0xffffffff, true, 0),
    trainEps: inRange(0, 1, false, 0.1),
    trainNorm: fc.constantFrom('linf' as const, 'l2' as const),
    eps: inRange(0, 1, false, 0.1),
    norm: fc.constantFrom('linf' as const, 'l2' as const),
    kind: fc.constantFrom('probability' as const, 'margin' as const, 'gradient' as const, 'ratio' as const),
    resolution: inRange(16, 256, true, 128),
    view: fc.record({
      showTrain: fc.boolean(),
      showTest: fc.boolean(),
      showBalls: fc.boolean(),
      showPaths: fc.boolean(),
    }),
    speed: fc.constantFrom('slow' as const, 'normal' as const, 'fast' as const, 'max' as const),
    panels: fc.oneof(fc.constant(null), fc.array(panelArb(), { maxLength: 8 })),
    idGap: fc.nat({ max: 5 }),
  })
  .map((g) => {
    const data = {
      name: g.name,
      nTrain: g.nTrain,
      nTest: g.nTest,
      seed: g.dataSeed,
      params: g.params,
      csv: null,
      edits: [] as PointEdit[],
    };
    data.edits = placeEdits(data, g.editSeeds);
    const panels =
      g.panels === null
        ? DEFAULT_STATE.panels
        : g.panels.map((p, i) => ({ ...p, id: `p${i * (g.idGap + 1)}` }));
    return {
      data,
      train: {
        hidden: g.hidden,
        activation: g.activation,
        optimizer: g.optimizer,
        lr: g.lr,
        batchSize: g.batchSize,
        epochs: g.epochs,
        seed: g.seed,
        trainEps: g.trainEps,
        trainNorm: g.trainNorm,
      },
      evaluation: { eps: g.eps, norm: g.norm },
      field: { kind: g.kind, resolution: g.resolution },
      view: g.view,
      speed: g.speed,
      panels,
      nextId: panels.length * (g.idGap + 1) + g.idGap,
    };
  });

const uiArb: fc.Arbitrary<UiFlags> = fc.record({
  embed: fc.boolean(),
  present: fc.boolean(),
  hide: fc.shuffledSubarray(Object.keys(HIDE_KEYS) as HideKey[]),
  preset: fc.option(fc.constantFrom(...PRESETS.map((p) => p.key)), { nil: null }),
});

const launchArb: fc.Arbitrary<LaunchFlags> = fc.record({
  pinned: fc.option(fc.constantFrom(...BACKENDS), { nil: null }),
  workers: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant('panel' as const)),
});

// ─── round trip ──────────────────────────────────────────────────────────────────────────────────────────────

describe('a link of the page', () => {
  it('is just ?v=1 for the default page', () => {
    expect(encodeState(DEFAULT_STATE, DEFAULT_UI, NO_LAUNCH)).toEqual({ search: '?v=1', omitted: [] });
    expect(stateProblems(DEFAULT_STATE)).toEqual([]);
  });

  it('writes only what differs, readably', () => {
    const s: DemoState = {
      ...DEFAULT_STATE,
      data: {
        ...DEFAULT_STATE.data,
        name: 'xor',
        params: { ...DEFAULT_STATE.data.params, xor: { noise: 0, gap: 0.3 } },
      },
      train: { ...DEFAULT_STATE.train, hidden: [32, 32, 32], epochs: 60 },
      evaluation: { eps: 0.15, norm: 'l2' },
      panels: [
        DEFAULT_STATE.panels[0]!,
        { ...DEFAULT_STATE.panels[2]!, hyper: { beta: 3, steps: 10 } },
        DEFAULT_STATE.panels[5]!,
      ],
    };
    const { search } = encodeState(
      s,
      { ...DEFAULT_UI, embed: true, hide: ['controls', 'table'] },
      { pinned: 'wasm', workers: 'panel' },
    );
    expect(search).toBe(
      '?v=1&data=xor&d.gap=0.3&arch=32x32x32&epochs=60&eps=0.15&norm=l2&panels=natural,trades:beta=3,nn' +
        '&backend=wasm&workers=panel&embed&hide=controls,table',
    );
  });

  it('gives back every valid state, UI flag and launch setting exactly (300 generated pages)', () => {
    fc.assert(
      fc.property(stateArb, uiArb, launchArb, (s, ui, launch) => {
        expect(stateProblems(s)).toEqual([]);
        const { search, omitted, decoded } = roundTrip(s, ui, launch);
        expect(omitted).toEqual([]);
        expect(decoded.notices).toEqual([]);
        expect(search.length).toBeLessThanOrEqual(MAX_SEARCH_LENGTH);
        expect(decoded.state).toEqual(renumbered(s));
        expect(decoded.ui).toEqual(ui);
        expect({ pinned: decoded.pinned, workers: decoded.workers }).toEqual(launch);
        // Bit for bit: −0 and every double survive (toEqual compares numbers with Object.is).
        expect(JSON.stringify(decoded.state.train)).toBe(JSON.stringify(s.train));
      }),
      { seed: 300, numRuns: 300 },
    );
  });

  it('keeps a point dragged onto a box edge that is off the 10⁻⁴ grid exactly on that edge', () => {
    // Noisy gaussians spill out of [−1, 1]², so the box grows to the outermost points' coordinates; a drag past
    // an edge that rounds outwards leaves the point on the edge itself (placeInBox). Find a draw with such edges.
    const gaussians = { noise: 1, classes: 3, radius: 0.1 };
    const boxOf = (seed: number) =>
      makeDataset({ name: 'gaussians', nTrain: 2000, nTest: 2000, seed, ...gaussians }).meta.box;
    const seed = Array.from({ length: 50 }, (_, k) => k).find((k) => {
      const b = boxOf(k);
      return roundCoordinate(b.xMax) > b.xMax && roundCoordinate(b.yMin) < b.yMin;
    })!;
    const box = boxOf(seed);
    const [x, y] = placeInBox(10, -10, box);
    expect([x, y]).toEqual([box.xMax, box.yMin]);
    const data = {
      ...DEFAULT_STATE.data,
      name: 'gaussians' as const,
      nTrain: 2000,
      nTest: 2000,
      seed,
      params: { ...DEFAULT_STATE.data.params, gaussians },
    };
    const edits: PointEdit[] = [
      { op: 'move', split: 'train', index: 3, x, y },
      { op: 'add', split: 'test', x: 0.5, y, label: 2 },
    ];
    const s = { ...DEFAULT_STATE, data: { ...data, edits } };
    expect(stateProblems(s)).toEqual([]);
    const { search, decoded } = roundTrip(s);
    expect(search).toContain('edits=mt3.H.L~as5000.L.2');
    expect(decoded.state.data.edits).toEqual(edits);
  });
});

// ─── what a link cannot carry ─────────────────────────────────────────────────────────────────────────────────

describe('a link that cannot carry everything', () => {
  it('leaves out an imported CSV and its edits, and says so', () => {
    const csv = {
      name: 'mine.csv',
      nClasses: 2,
      trainX: new Float64Array([0, 0, 1, 1]),
      trainY: new Int32Array([0, 1]),
      testX: new Float64Array(0),
      testY: new Int32Array(0),
      box: { xMin: -1, xMax: 2, yMin: -1, yMax: 2 },
    };
    const s: DemoState = {
      ...DEFAULT_STATE,
      data: { ...DEFAULT_STATE.data, name: 'csv', csv, edits: [{ op: 'delete', split: 'train', index: 0 }] },
      train: { ...DEFAULT_STATE.train, epochs: 50 },
    };
    const { search, omitted } = encodeState(s, DEFAULT_UI, NO_LAUNCH);
    expect(search).toBe('?v=1&epochs=50');
    expect(omitted).toEqual([
      'the imported data "mine.csv" and its 1 hand edits: a link carries only generated data, so it opens with the moons dataset',
    ]);
    expect(stateProblems(s)).not.toEqual([]);
  });

  it('leaves out imported model panels, naming each', () => {
    const imported = {
      id: 'p6',
      method: 'imported',
      variant: '',
      hyper: {},
      dropout: 0,
      r: null,
      imported: { fileName: 'at.json', model: {} as never, reported: null },
    };
    const s: DemoState = { ...DEFAULT_STATE, panels: [...DEFAULT_STATE.panels, imported], nextId: 7 };
    const { search, omitted, decoded } = roundTrip(s);
    expect(search).toBe('?v=1');
    expect(omitted).toEqual(['the imported model "at.json": a link cannot carry a model\'s weights']);
    expect(decoded.state).toEqual(DEFAULT_STATE);
  });

  it('drops hand edits that would make the link too long, and the shorter link still opens', () => {
    const d = makeDataset({ name: 'moons', nTrain: 400, nTest: 400, seed: 0, noise: 0.2 });
    const edits: PointEdit[] = Array.from({ length: MAX_EDITS }, (_, i) => ({
      op: 'move' as const,
      split: 'train' as const,
      index: i % 400,
      x: roundCoordinate(-0.9876 + (i % 7) / 10),
      y: roundCoordinate(-0.5432 - (i % 3) / 10),
    }));
    expect(d.meta.box.xMin).toBe(-1);
    const s: DemoState = { ...DEFAULT_STATE, data: { ...DEFAULT_STATE.data, edits } };
    expect(stateProblems(s)).toEqual([]);
    const { search, omitted, decoded } = roundTrip(s);
    expect(search).toBe('?v=1');
    expect(omitted).toHaveLength(1);
    expect(omitted[0]).toMatch(
      /^the 2000 hand edits of the points: with them the link would be \d+\.\d kB, over the 16 kB/,
    );
    expect(decoded.notices).toEqual([]);
  });

  it('carries as many edits as fit', () => {
    const edits: PointEdit[] = Array.from({ length: 300 }, (_, i) => ({
      op: 'move' as const,
      split: 'test' as const,
      index: i,
      x: -0.9876,
      y: 0.5432,
    }));
    const s: DemoState = { ...DEFAULT_STATE, data: { ...DEFAULT_STATE.data, edits } };
    const { omitted, decoded } = roundTrip(s);
    expect(omitted).toEqual([]);
    expect(decoded.state.data.edits).toEqual(edits);
  });
});

// ─── presets and precedence ──────────────────────────────────────────────────────────────────────────────────

describe('a link with a preset', () => {
  const preset = PRESETS[0]!;

  it('opens the preset alone (?preset=KEY, without v)', () => {
    const d = decodeState(`?preset=${preset.key}`);
    expect(d.notices).toEqual([]);
    expect(d.state).toEqual(preset.apply(DEFAULT_STATE));
    expect(d.ui).toEqual({ ...DEFAULT_UI, ...preset.ui, preset: preset.key });
  });

  it('lets explicit parameters override the preset', () => {
    const d = decodeState(`?v=1&epochs=7&preset=${preset.key}&panels=natural`);
    expect(d.notices).toEqual([]);
    expect(d.state.train.epochs).toBe(7);
    expect(d.state.panels.map((p) => p.method)).toEqual(['natural']);
    expect(d.state.data).toEqual(preset.apply(DEFAULT_STATE).data);
  });

  it('is written only when the UI flags name it, and then relative to the preset', () => {
    const s = preset.apply(DEFAULT_STATE);
    expect(encodeState(s, { ...DEFAULT_UI, ...preset.ui, preset: preset.key }, NO_LAUNCH).search).toBe(
      `?v=1&preset=${preset.key}`,
    );
    const plain = encodeState(s, DEFAULT_UI, NO_LAUNCH).search;
    expect(plain).not.toContain('preset');
    expect(decodeState(plain).state).toEqual(s);
    // A value the preset changed and the page changed back is written, so the link does not return to the preset.
    const back = { ...s, data: DEFAULT_STATE.data };
    const { search } = encodeState(back, { ...DEFAULT_UI, preset: preset.key }, NO_LAUNCH);
    expect(decodeState(search).state.data).toEqual(DEFAULT_STATE.data);
  });

  it('names the presets there are when the key is unknown', () => {
    const d = decodeState('?v=1&preset=nope');
    expect(d.state).toEqual(DEFAULT_STATE);
    expect(d.notices).toEqual([
      `This link asks for the preset "nope"; there are ${PRESETS.map((p) => p.key).join(', ')}. Opening the default page.`,
    ]);
  });
});

// ─── versions ────────────────────────────────────────────────────────────────────────────────────────────────

describe('links of other versions', () => {
  it('reads links from before the schema as the old app did', () => {
    const d = decodeState('?backend=wasm&epochs=40');
    expect(d.notices).toEqual([]);
    expect(d.pinned).toBe('wasm');
    expect(d.state).toEqual({ ...DEFAULT_STATE, train: { ...DEFAULT_STATE.train, epochs: 40 } });
    expect(decodeState('?workers=panel').workers).toBe('panel');
    expect(decodeState('?workers=3').workers).toBe(3);
    expect(decodeState('?epochs=5000&backend=metal&workers=9').notices).toEqual([
      'This link sets epochs = 5000, outside 1–2000; using 200.',
      'This link asks for backend "metal"; use one of webgpu, webgl, wasm, cpu. Choosing automatically.',
      'This link asks for workers = 9; use a number from 1 to 8 or "panel". Using 1.',
    ]);
  });

  it('has a migration from every older version to the current one', () => {
    for (let k = 0; k < URL_VERSION; k++) expect(MIGRATIONS[k]).toBeTypeOf('function');
  });

  it('reads what it understands of a link from a newer version, with a notice', () => {
    const d = decodeState(`?v=${URL_VERSION + 1}&epochs=30&lasers=on`);
    expect(d.state.train.epochs).toBe(30);
    expect(d.notices).toEqual([
      `This link was made by a newer version of the page (v${URL_VERSION + 1}); some settings may be ignored.`,
      'This link has an unknown parameter "lasers"; ignoring it.',
    ]);
  });

  it('reads a malformed version as the current one', () => {
    const d = decodeState('?v=one&epochs=30');
    expect(d.state.train.epochs).toBe(30);
    expect(d.notices).toEqual(['This link sets v = one, not a version number; reading it as version 1.']);
  });
});

// ─── rejections ──────────────────────────────────────────────────────────────────────────────────────────────

describe('a bad parameter', () => {
  const cases: [string, string][] = [
    ['?v=1&data=csv', 'This link sets data = csv, imported data, which a link cannot carry; using moons.'],
    [
      '?v=1&data=iris',
      'This link sets data = iris, not one of spiral, moons, circles, xor, gaussians; using moons.',
    ],
    ['?v=1&d.noise=0.9', 'This link sets d.noise = 0.9, outside 0–0.5; using 0.2.'],
    [
      '?v=1&d.gap=0.2',
      'This link sets d.gap, but the moons dataset has no parameter "gap" (it has noise); ignoring it.',
    ],
    ['?v=1&d.iris.noise=1', 'This link sets d.iris.noise, but there is no dataset "iris"; ignoring it.'],
    ['?v=1&n=5', 'This link sets n = 5, outside 10–10000; using 400.'],
    [
      '?v=1&arch=64x0',
      'This link sets arch = 64x0, not 1–4 hidden layer widths of 1–256 joined by x (e.g. 64x64); using 64x64.',
    ],
    [
      '?v=1&arch=8x8x8x8x8',
      'This link sets arch = 8x8x8x8x8, not 1–4 hidden layer widths of 1–256 joined by x (e.g. 64x64); using 64x64.',
    ],
    ['?v=1&lr=0', 'This link sets lr = 0, outside 0 (exclusive)–10; using 0.01.'],
    ['?v=1&lr=fast', 'This link sets lr = fast, not a number (use one in 0–10); using 0.01.'],
    ['?v=1&bs=12.5', 'This link sets bs = 12.5, not a whole number; using 128.'],
    ['?v=1&eps=Infinity', 'This link sets eps = Infinity, not a number (use one in 0–1); using 0.1.'],
    ['?v=1&act=gelu', 'This link sets act = gelu, not one of relu, tanh, softplus; using relu.'],
    ['?v=1&res=1024', 'This link sets res = 1024, outside 16–256; using 128.'],
    [
      '?v=1&layers=train,grid',
      'This link sets layers = train,grid, not a comma-separated list of train, test, balls, paths; using train,test,balls.',
    ],
    ['?v=1&speed=warp', 'This link sets speed = warp, not one of slow, normal, fast, max; using max.'],
    ['?v=1&embed=yes', 'This link sets embed = yes, not 1 or 0; using 0.'],
    [
      '?v=1&hide=controls,menu',
      'This link sets hide = controls,menu, not a comma-separated list of title, controls, transport, table, curve, data, legend, explain; using nothing hidden.',
    ],
    [
      '?v=1&panels=natural,svm',
      'This link\'s panel 2 ("svm") names no known method; use one of natural, gr, llr, at, trades, rst, cure, lipschitz, nn. Leaving it out.',
    ],
    [
      '?v=1&panels=imported',
      'This link\'s panel 1 ("imported") is an imported model, which a link cannot carry; leaving it out.',
    ],
    [
      '?v=1&panels=llr:variant=mine',
      'This link\'s panel 1 ("llr:variant=mine") asks for variant "mine" of LLR; use one of qin, repo. Using qin.',
    ],
    [
      '?v=1&panels=trades:beta=50',
      'This link\'s panel 1 ("trades:beta=50") sets beta = 50, outside 0.5–20; using 6.',
    ],
    [
      '?v=1&panels=trades:gamma=1',
      'This link\'s panel 1 ("trades:gamma=1") sets "gamma", which TRADES does not have (its settings: beta, steps, dropout); ignoring it.',
    ],
    [
      '?v=1&panels=at:dropout=1',
      'This link\'s panel 1 ("at:dropout=1") sets dropout = 1, outside 0–0.9; using 0.',
    ],
    [
      '?v=1&panels=nn:r=-1',
      'This link\'s panel 1 ("nn:r=-1") sets r = -1, outside 0.000001–10; using half the separation.',
    ],
    ['?v=1&panels=at:steps', 'This link\'s panel 1 ("at:steps") has "steps", not key=value; ignoring it.'],
    [
      '?v=1&edits=mt1.2',
      'This link\'s hand edits of the points cannot be used (edit 1 ("mt1.2") is not m/a/d, t/s and dot-separated numbers); showing the points as generated.',
    ],
    [
      '?v=1&edits=at0.0.5',
      "This link's hand edits of the points cannot be used (Edit 1 of 1 cannot apply: class 5 does not exist (the data has classes 0–1)); showing the points as generated.",
    ],
    [
      '?v=1&edits=mt0.30000.0',
      "This link's hand edits of the points cannot be used (Edit 1 of 1 cannot apply: (3, 0) lies outside the data box); showing the points as generated.",
    ],
    ['?v=1&epochs=3&epochs=4', 'This link gives "epochs" more than once; using the last (4).'],
    ['?v=1&colour=red', 'This link has an unknown parameter "colour"; ignoring it.'],
  ];
  it.each(cases)('%s gives one notice saying what is used instead', (search, notice) => {
    const d = decodeState(search);
    expect(d.notices).toEqual([notice]);
    expect(stateProblems(d.state)).toEqual([]);
  });

  it('keeps the rest of the link', () => {
    const d = decodeState('?v=1&epochs=30&lr=-1&panels=natural,svm,at');
    expect(d.state.train.epochs).toBe(30);
    expect(d.state.train.lr).toBe(0.01);
    expect(d.state.panels.map((p) => [p.id, p.method])).toEqual([
      ['p0', 'natural'],
      ['p1', 'at'],
    ]);
    expect(d.state.nextId).toBe(2);
    expect(d.notices).toHaveLength(2);
  });

  it('caps the panels', () => {
    const d = decodeState(
      `?v=1&panels=${Array(MAX_PANELS + 3)
        .fill('natural')
        .join(',')}`,
    );
    expect(d.state.panels).toHaveLength(MAX_PANELS);
    expect(d.notices).toEqual([
      `This link has ${MAX_PANELS + 3} panels, more than ${MAX_PANELS}; keeping the first ${MAX_PANELS}.`,
    ]);
  });

  it('opens the default page for a link over the length cap', () => {
    const d = decodeState(`?v=1&epochs=3&x=${'a'.repeat(MAX_SEARCH_LENGTH)}`);
    expect(d.state).toEqual(DEFAULT_STATE);
    expect(d.notices).toEqual([
      'This link is 16.0 kB long, more than the 16 kB a link may hold; opening the default page.',
    ]);
  });
});

// ─── fuzz ────────────────────────────────────────────────────────────────────────────────────────────────────

/** Each URL parameter: values it accepts (with how the decoded page shows them) and values it must reject. */
const PARAM_VALUES: Record<string, { good: fc.Arbitrary<string>; bad: fc.Arbitrary<string> }> = {
  data: { good: fc.constantFrom(...DATASET_NAMES), bad: fc.constantFrom('csv', 'iris', '', 'Moons') },
  'd.noise': {
    good: fc.constantFrom('0', '0.1', '0.5', '.25'),
    bad: fc.constantFrom('-0.1', '4', 'x', '', 'NaN'),
  },
  n: {
    good: fc.integer({ min: 10, max: 500 }).map(String),
    bad: fc.constantFrom('9', '10001', '1.5', 'ten', ''),
  },
  nt: { good: fc.integer({ min: 0, max: 500 }).map(String), bad: fc.constantFrom('-1', '1e9', '0x10') },
  dseed: { good: fc.nat().map(String), bad: fc.constantFrom('-1', '4294967296', '0.5') },
  arch: {
    good: fc.constantFrom('8', '64x64', '1x256x3x4'),
    bad: fc.constantFrom('0', '64x', 'x', '257', '1x1x1x1x1', '64*64'),
  },
  act: { good: fc.constantFrom(...ACTIVATION_OPTIONS), bad: fc.constantFrom('gelu', 'RELU', '') },
  opt: { good: fc.constantFrom(...OPTIMIZER_OPTIONS), bad: fc.constantFrom('lbfgs') },
  lr: { good: fc.constantFrom('0.001', '1e-4', '10'), bad: fc.constantFrom('0', '-1', '11', 'Infinity', '') },
  bs: { good: fc.constantFrom('1', '64', '5000'), bad: fc.constantFrom('0', '5001', '2.5') },
  epochs: { good: fc.integer({ min: 1, max: 2000 }).map(String), bad: fc.constantFrom('0', '2001', 'many') },
  seed: { good: fc.nat().map(String), bad: fc.constantFrom('-3', '1.5') },
  teps: { good: fc.constantFrom('0', '0.05', '1'), bad: fc.constantFrom('1.5', '-0.1') },
  tnorm: { good: fc.constantFrom('linf', 'l2'), bad: fc.constantFrom('l1', 'inf') },
  eps: { good: fc.constantFrom('0', '0.3', '1'), bad: fc.constantFrom('2', 'e') },
  norm: { good: fc.constantFrom('linf', 'l2'), bad: fc.constantFrom('L2') },
  field: {
    good: fc.constantFrom('probability', 'margin', 'gradient', 'ratio'),
    bad: fc.constantFrom('loss'),
  },
  res: { good: fc.constantFrom('16', '64', '256'), bad: fc.constantFrom('15', '257', '64.5') },
  layers: {
    good: fc.constantFrom('', 'train', 'balls,paths', 'train,test,balls,paths'),
    bad: fc.constantFrom('grid', 'train;test'),
  },
  speed: { good: fc.constantFrom('slow', 'normal', 'fast', 'max'), bad: fc.constantFrom('warp') },
  panels: {
    good: fc.constantFrom('', 'natural', 'trades:beta=3,nn:r=0.1', 'llr:variant=repo:lambda=2'),
    bad: fc.constantFrom('svm', 'at:k=3', 'nn:r=0', 'gr:variant=x'),
  },
  backend: { good: fc.constantFrom(...BACKENDS), bad: fc.constantFrom('metal', '') },
  workers: { good: fc.constantFrom('1', '8', 'panel'), bad: fc.constantFrom('0', '9', 'all') },
  embed: { good: fc.constantFrom('', '1', '0', 'true'), bad: fc.constantFrom('yes', '2') },
  present: { good: fc.constantFrom('', '1', '0'), bad: fc.constantFrom('on') },
  hide: {
    good: fc.constantFrom('', 'controls', 'table,curve'),
    bad: fc.constantFrom('menu', 'controls,,table'),
  },
  preset: { good: fc.constantFrom(...PRESETS.map((p) => p.key)), bad: fc.constantFrom('nope', '') },
  zoom: { good: fc.constant('never'), bad: fc.constantFrom('1', '') },
};

/** How a notice names a parameter. */
function mentions(notice: string, key: string): boolean {
  if (key === 'panels') return notice.startsWith("This link's panel");
  if (key === 'preset') return notice.startsWith('This link asks for the preset');
  if (key === 'backend' || key === 'workers') return notice.startsWith(`This link asks for ${key}`);
  return (
    notice.startsWith(`This link sets ${key} =`) ||
    notice.startsWith(`This link sets ${key},`) ||
    notice.startsWith(`This link has an unknown parameter "${key}"`)
  );
}

describe('any link', () => {
  it('opens a valid page and never throws (1000 random strings)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc
            .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 })), { maxLength: 12 })
            .map((kv) => '?' + kv.map(([k, v]) => `${k}=${v}`).join('&')),
        ),
        (search) => {
          const d = decodeState(search);
          expect(stateProblems(d.state)).toEqual([]);
          expect(uiProblems(d.ui)).toEqual([]);
        },
      ),
      { seed: 1000, numRuns: 1000 },
    );
  });

  it('opens a valid page with one notice for each rejected parameter (1000 random parameter maps)', () => {
    const keys = Object.keys(PARAM_VALUES);
    const entryArb = fc.constantFrom(...keys).chain((key) =>
      fc.boolean().chain((good) =>
        (good && key !== 'zoom' ? PARAM_VALUES[key]!.good : PARAM_VALUES[key]!.bad).map((value) => ({
          key,
          value,
          good: good && key !== 'zoom',
        })),
      ),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(entryArb, { selector: (e) => e.key, maxLength: 12 }),
        fc.boolean(),
        (entries, versioned) => {
          const q = new URLSearchParams(entries.map((e) => [e.key, e.value]));
          const d = decodeState((versioned ? '?v=1&' : '?') + q.toString());
          expect(stateProblems(d.state)).toEqual([]);
          expect(uiProblems(d.ui)).toEqual([]);
          for (const e of entries) {
            const named = d.notices.filter((n) => mentions(n, e.key));
            if (e.good) expect(named, `${e.key}=${e.value}`).toEqual([]);
            else
              expect(named.length, `${e.key}=${e.value}: ${d.notices.join(' | ')}`).toBeGreaterThanOrEqual(1);
          }
          // Nothing else is noticed: one notice per rejected parameter (a panel list may have several bad panels).
          const bad = entries.filter((e) => !e.good);
          expect(d.notices.length).toBe(bad.length);
        },
      ),
      { seed: 1001, numRuns: 1000 },
    );
  });
});

describe('the parameter table', () => {
  it('lists every parameter a link writes', () => {
    const names = new Set(URL_PARAMS.map((p) => p.name));
    for (const key of Object.keys(PARAM_VALUES).filter((k) => k !== 'zoom' && k !== 'd.noise'))
      expect(names, key).toContain(key);
    expect(names).toContain('d.<param>');
    expect(names).toContain('edits');
  });
});
