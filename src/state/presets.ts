/**
 * Lecture presets: named pages a teacher opens in order (keys 1–9), each set up to show one finding of the paper
 * or of the methods it compares, with a short story to read out. A link opens one with `?preset=KEY`
 * (urlState.ts), and any other parameter of the link then overrides it. Plain data: no tfjs, no DOM.
 *
 * Every story states only what the page computes, and its numbers were measured with the command-line runner,
 * which trains with the same engine (`npm run experiment -- … --backend wasm`, seed 0, 400 test points; each
 * preset's comment gives the command's settings and the table's numbers; the runner's defaults are the page's:
 * 64x64 ReLU, Adam, lr 0.01, batch 128). The page trains with the same engine, seeds and initial weights, so it
 * should show about these numbers; another backend (WebGL, WebGPU) can move them by a point or so. Epochs are
 * chosen so that a preset trains in well under a minute on a laptop CPU (tfjs-wasm).
 */
import type { DatasetName } from '../core/datasets/index.ts';
import type { PanelSpec } from '../engine/protocol.ts';
import { METHOD_INFO } from '../ml/methods/catalog.ts';
import { defaultHyper, NN_METHOD, type DemoState } from './settings.ts';
import type { UiFlags } from './url/params.ts';

/** The control a preset invites the audience to move. */
export interface PresetFocus {
  /** The URL parameter of that control (urlState.ts's table), e.g. `eps`, or `panels` for a panel's setting. */
  readonly param: string;
  /** For a panel's setting: the panel (its position) and the setting's key. */
  readonly panel?: number;
  readonly key?: string;
  /** What to do with it, in one sentence. */
  readonly hint: string;
}

export interface LecturePreset {
  /** The id in a link (`?preset=KEY`). */
  readonly key: string;
  readonly title: string;
  /** Two to four plain sentences to read out: what to look at and what it shows. */
  readonly story: string;
  /** The methods of its panels, in order (`nn` for the 1-NN construction). */
  readonly methods: readonly string[];
  /** The preset's page, made from `base` (the default page when a link opens it). */
  apply(base: DemoState): DemoState;
  readonly ui?: Partial<UiFlags>;
  readonly focus?: PresetFocus;
}

interface PanelArgs {
  readonly method: string;
  readonly variant?: string;
  readonly hyper?: Readonly<Record<string, number>>;
  readonly dropout?: number;
}

/** Panels numbered p0, p1, …, every setting not given at its default. */
function panels(list: readonly PanelArgs[]): PanelSpec[] {
  return list.map((a, i) => {
    const id = `p${i}`;
    if (a.method === NN_METHOD) return { id, method: NN_METHOD, variant: '', hyper: {}, dropout: 0, r: null };
    const variant = a.variant ?? METHOD_INFO[a.method]?.variants?.[0]?.id ?? '';
    return {
      id,
      method: a.method,
      variant,
      hyper: { ...defaultHyper(a.method, variant), ...a.hyper },
      dropout: a.dropout ?? 0,
      r: null,
    };
  });
}

interface PageArgs {
  readonly data: DatasetName;
  readonly params?: Readonly<Record<string, number>>;
  readonly nTrain?: number;
  /** ε of the views and ε_train together. */
  readonly eps: number;
  readonly epochs: number;
  readonly hidden?: readonly number[];
  readonly field?: DemoState['field']['kind'];
  readonly panels: readonly PanelArgs[];
}

/** `base` with the preset's data, threat model, training length and panels; the rest stays as in `base`. */
function page(base: DemoState, a: PageArgs): DemoState {
  const list = panels(a.panels);
  const name = a.data;
  return {
    ...base,
    data: {
      ...base.data,
      name,
      nTrain: a.nTrain ?? 400,
      nTest: 400,
      seed: 0,
      params: { ...base.data.params, [name]: { ...base.data.params[name], ...a.params } },
      edits: [],
    },
    train: {
      ...base.train,
      hidden: a.hidden ?? [64, 64],
      epochs: a.epochs,
      seed: 0,
      trainEps: a.eps,
      trainNorm: 'linf',
    },
    evaluation: { eps: a.eps, norm: 'linf' },
    field: { ...base.field, kind: a.field ?? 'probability' },
    panels: list,
    nextId: list.length,
  };
}

/** Builds a preset whose `methods` are read off its panels, so the two cannot disagree. */
function preset(p: Omit<LecturePreset, 'apply' | 'methods'> & { readonly page: PageArgs }): LecturePreset {
  const { page: args, ...rest } = p;
  return { ...rest, methods: args.panels.map((x) => x.method), apply: (base) => page(base, args) };
}

export const PRESETS: readonly LecturePreset[] = [
  // measured (spiral, noise 0.5, ε = 0.04, 200 epochs): train–train separation 0.0963 (L∞), so r = 0.048;
  // test / robust test: natural 98.5 % / 82.0 %; AT 93.0 % / 87.8 %; 1-NN 100 % / 98.0 %, and 100 % of its
  // training balls certified robust at 0.999·r. (At 100 epochs: natural 96.8 / 93.3 %, AT 87.3 / 70.8 %.)
  preset({
    key: 'theorem',
    title: 'The theorem',
    story:
      'The two spirals are separated: differently labelled training points lie at least 2r = 0.096 apart, and ' +
      'ε = 0.04 is below r. The theorem says that a classifier both accurate and robust at radius r then exists, ' +
      'and the 1-NN panel is one: 100 % test accuracy, every training ball and 98 % of the test balls robust. ' +
      'Natural training is accurate (98.5 %) but only 82 % robust, and AT buys robustness (88 %) with accuracy ' +
      '(93 %): the trade-off comes from how the networks are trained, not from the data.',
    focus: {
      param: 'eps',
      hint: 'Move ε above r = 0.048 and watch the 1-NN panel’s balls near the other spiral turn orange.',
    },
    page: {
      data: 'spiral',
      eps: 0.04,
      epochs: 200,
      panels: [{ method: 'natural' }, { method: 'at' }, { method: NN_METHOD }],
    },
  }),
  // measured (moons, noise 0.2, ε = 0.1, 100 epochs): separation 0.0052; natural 95.8 % test / 68.5 % robust;
  // AT 93.8 % / 81.8 %; TRADES (β = 6) 92.3 % / 81.0 %; 1-NN 96.5 % / 56.0 %.
  preset({
    key: 'tradeoff',
    title: 'Accuracy vs. robustness',
    story:
      'Noisy moons overlap: some training points of different classes lie only 0.005 apart, far less than ' +
      '2ε = 0.2, so here no classifier can be both accurate and robust on all of them. Natural training reaches ' +
      '96 % test accuracy but only 69 % of its test ε-balls are robust; AT and TRADES give up 2–3 points of ' +
      'clean accuracy for about 81 % robust. The 1-NN construction, built for a radius of only 0.003, is as ' +
      'accurate (96.5 %) and the least robust (56 %).',
    focus: {
      param: 'eps',
      hint: 'Slide ε down to 0.02 and up to 0.2: the robust accuracies spread apart as ε grows.',
    },
    page: {
      data: 'moons',
      params: { noise: 0.2 },
      eps: 0.1,
      epochs: 100,
      panels: [{ method: 'natural' }, { method: 'at' }, { method: 'trades' }, { method: NN_METHOD }],
    },
  }),
  // measured (moons, noise 0.2, ε = 0.1, 100 epochs), test / robust test / test Lip: β = 1 97.0 % / 80.8 % / 2.58;
  // β = 3 93.8 % / 82.0 % / 0.84; β = 6 92.3 % / 81.0 % / 0.65; β = 10 91.8 % / 80.8 % / 0.45.
  preset({
    key: 'trades-beta',
    title: 'TRADES β sweep',
    story:
      'TRADES weighs clean accuracy against keeping predictions constant across each ε-ball, with weight β. ' +
      'From β = 1 to 10 the heatmap of the local slope goes flat (the Lipschitz estimate falls from 2.6 to 0.45) ' +
      'and clean test accuracy drops from 97 % to 92 %, while robust accuracy stays near 81 %: on this ' +
      'overlapping data, smoothness beyond β ≈ 3 buys no more robustness.',
    focus: { param: 'panels', panel: 0, key: 'beta', hint: 'Open a panel’s settings and drag β.' },
    page: {
      data: 'moons',
      params: { noise: 0.2 },
      eps: 0.1,
      epochs: 100,
      field: 'gradient',
      panels: [1, 3, 6, 10].map((beta) => ({ method: 'trades', hyper: { beta } })),
    },
  }),
  // measured (moons, noise 0.2, ε = 0.1, 100 epochs), train / test / robust test: natural 97.0 / 95.8 / 68.5 %;
  // GR λ = 0.01 94.8 / 97.8 / 71.8 %; λ = 0.1 94.8 / 95.8 / 80.0 %; λ = 1 80.3 / 79.0 / 68.8 %.
  preset({
    key: 'gr-underfits',
    title: 'Gradient regularization underfits',
    story:
      'Gradient regularization penalises the slope of the loss at the training points. A little helps: at ' +
      'λ = 0.1 robust accuracy rises from 69 % (natural) to 80 % with the same clean accuracy. At λ = 1 the ' +
      'network is flattened everywhere and cannot fit even its training points (80 % train accuracy against ' +
      '97 %), and robust accuracy falls back to 69 %.',
    focus: {
      param: 'panels',
      panel: 3,
      key: 'lambda',
      hint: 'Raise λ on the last panel and watch train accuracy fall.',
    },
    page: {
      data: 'moons',
      params: { noise: 0.2 },
      eps: 0.1,
      epochs: 100,
      panels: [
        { method: 'natural' },
        ...[0.01, 0.1, 1].map((lambda) => ({ method: 'gr', hyper: { lambda } })),
      ],
    },
  }),
  // measured (xor, noise 0.2, 100 training points, 128x128, ε = 0.1, 300 epochs), with the runner's engine and a
  // copy of the training points as test set for the training side: PGD accuracy train / test / gap, robust test:
  // AT 71.0 / 58.0 / 13.0, 57.5 %; AT + dropout 0.5 69.0 / 60.5 / 8.5, 60.3 %; TRADES 71.0 / 62.5 / 8.5,
  // 62.5 %; TRADES + dropout 0.5 62.0 / 60.0 / 2.0, 59.3 %. Clean train / test: 89 / 83, 91 / 84, 92 / 84.8,
  // 90 / 83.3 %. (The effect is not robust to the setup: on moons, noise 0.3, 100 points, the AT gap widened
  // from 1.0 to 6.3 points with dropout; on xor with noise 0.1 the AT gap halved, 15 → 7.3, and TRADES's did not.)
  preset({
    key: 'dropout',
    title: 'Dropout helps robust training generalize',
    story:
      'With only 100 noisy XOR points, robust training partly memorises them: PGD accuracy on the training ' +
      'points is 13 (AT) and 8.5 (TRADES) points higher than on the test points (measured with the runner; the ' +
      'page shows the test side). Dropout 0.5 narrows these gaps to 8.5 and 2 points, as the paper found on ' +
      'images. For AT that is better generalization — robust test accuracy rises from 57.5 % to 60 % — but ' +
      'TRADES narrows its gap by losing training robustness, and its robust test accuracy falls from 62.5 % to 59 %.',
    focus: {
      param: 'panels',
      panel: 1,
      key: 'dropout',
      hint: 'Set the AT + dropout panel’s dropout to 0 and back, and compare its robust test accuracy.',
    },
    page: {
      data: 'xor',
      params: { noise: 0.2 },
      nTrain: 100,
      eps: 0.1,
      epochs: 300,
      hidden: [128, 128],
      panels: [
        { method: 'at' },
        { method: 'at', dropout: 0.5 },
        { method: 'trades' },
        { method: 'trades', dropout: 0.5 },
      ],
    },
  }),
  // measured (xor, gap 0.2, noise 0, ε = ε_train = 0.2, 100 epochs): separation 0.2196, r = 0.11; robust test
  // natural 75.3 %, AT 74.5 %, TRADES 76.0 %, 1-NN 72.8 %, all 100 % train and test accurate. The same data at
  // ε = 0.1 (trained at 0.1): natural 96.8 %, AT 97.0 %, TRADES 94.3 %, 1-NN 94.5 %. (The runner has no gap flag:
  // measured on the same generated points written as a CSV, whose data box is their padded bounding box instead
  // of [−1, 1]², which changes only where attack points are clipped.)
  preset({
    key: 'eps-beyond',
    title: 'ε beyond the separation: nothing can be robust',
    story:
      'The XOR quadrants with an empty band 0.2 wide: the classes are 2r = 0.22 apart, and ε = 0.2 is far ' +
      'beyond r. Balls around points on opposite sides of the band overlap, so no classifier can be robust on ' +
      'all of them: natural training, AT, TRADES and even the 1-NN construction are all 100 % accurate yet ' +
      'only 73–76 % robust. Trained and evaluated at ε = 0.1, within r, the same methods reach 94–97 %.',
    focus: {
      param: 'eps',
      hint: 'Slide ε below r = 0.11 and watch the orange balls along the band turn dark.',
    },
    page: {
      data: 'xor',
      params: { noise: 0, gap: 0.2 },
      eps: 0.2,
      epochs: 100,
      panels: [{ method: 'natural' }, { method: 'at' }, { method: 'trades' }, { method: NN_METHOD }],
    },
  }),
  // measured (moons, noise 0.2, ε = 0.1, 100 epochs), test / robust test / test Lip: natural 95.8 / 68.5 % / 11.2;
  // LLR (qin, λ = 1) 97.3 / 80.0 % / 5.1; CURE (γ = 0.01) 95.3 / 81.3 % / 3.7.
  preset({
    key: 'curvature',
    title: 'LLR and CURE: smoothness by curvature',
    story:
      'LLR keeps the loss close to its linear approximation inside each ε-ball; CURE penalises how fast the ' +
      'loss gradient changes. Neither minimises the loss at attack points as AT does, yet both raise robust ' +
      'accuracy from 69 % to 80–81 % with clean accuracy unchanged (95–97 %), and they cut the local ' +
      'Lipschitz estimate from 11 to 5 and 4.',
    page: {
      data: 'moons',
      params: { noise: 0.2 },
      eps: 0.1,
      epochs: 100,
      field: 'gradient',
      panels: [{ method: 'natural' }, { method: 'llr' }, { method: 'cure' }],
    },
  }),
  // measured (moons, noise 0.2, ε = 0.1, 100 epochs), train / test / robust test / test Lip: natural
  // 97.0 / 95.8 / 68.5 % / 11.2; cap L = 50 95.8 / 97.5 / 72.5 % / 7.0; L = 10 87.8 / 88.0 / 75.0 % / 2.2;
  // L = 3 82.8 / 81.5 / 71.8 % / 1.8.
  preset({
    key: 'lipschitz',
    title: 'Lipschitz-bounded training: robust but underfits',
    story:
      'These networks are capped to change their outputs no faster than L, which certifies a robust radius of ' +
      'margin / L. A loose cap (L = 50) changes little; at L = 10 the net can no longer follow the moons ' +
      '(88 % train and test accuracy against 97 % and 96 %) and at L = 3 even less (83 % and 82 %). Robust accuracy ' +
      'rises only from 69 % to 72–75 %: a global bound flattens the function everywhere, not only near the data.',
    page: {
      data: 'moons',
      params: { noise: 0.2 },
      eps: 0.1,
      epochs: 100,
      panels: [
        { method: 'natural' },
        ...[50, 10, 3].map((targetL) => ({ method: 'lipschitz', hyper: { targetL } })),
      ],
    },
  }),
];

/** The preset of `key`, or undefined. */
export function presetByKey(key: string): LecturePreset | undefined {
  return PRESETS.find((p) => p.key === key);
}
