import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FLOAT32_MAX,
  ModelJsonError,
  modelJsonText,
  parseModelJson,
  type ModelJson,
} from '../../src/core/formats/modelJson.ts';
import { resultsJsonText, type ResultsJson } from '../../src/core/formats/resultsJson.ts';

// The example of design/formats.md.
const EXAMPLE = `{
  "format": "robust-mlp/1",
  "method": "trades",
  "hyper": {"beta": 6, "eps": 0.1, "norm": "linf"},
  "activation": "relu",
  "layers": [
    {"W": [[0.1, -0.2, 0.3], [0.0, 0.5, -0.1]], "b": [0.0, 0.0, 0.0]},
    {"W": [[0.2, -0.1], [0.4, 0.3], [-0.5, 0.1]], "b": [0.1, -0.1]}
  ]
}`;

function modelError(text: string): ModelJsonError {
  try {
    parseModelJson(text);
  } catch (e) {
    if (e instanceof ModelJsonError) return e;
    throw e;
  }
  throw new Error('expected a ModelJsonError');
}

/** The example with one part replaced, as text. */
function variant(
  edit: (m: Record<string, unknown> & { layers: { W: unknown; b: unknown }[] }) => void,
): string {
  const m = JSON.parse(EXAMPLE) as Record<string, unknown> & { layers: { W: unknown; b: unknown }[] };
  edit(m);
  return JSON.stringify(m);
}

describe('reading a robust-mlp/1 model', () => {
  it('reads the example of formats.md', () => {
    const m = parseModelJson(EXAMPLE);
    expect(m.method).toBe('trades');
    expect(m.hyper).toEqual({ beta: 6, eps: 0.1, norm: 'linf' });
    expect(m.activation).toBe('relu');
    expect(m.layers).toHaveLength(2);
    expect(m.layers[0]!.W).toEqual([
      [0.1, -0.2, 0.3],
      [0, 0.5, -0.1],
    ]);
    expect(m.layers[1]!.b).toEqual([0.1, -0.1]);
  });

  it('fills a missing method and hyper with "unknown" and {}', () => {
    const m = parseModelJson(
      variant((m) => {
        delete m.method;
        delete m.hyper;
      }),
    );
    expect(m.method).toBe('unknown');
    expect(m.hyper).toEqual({});
  });
});

describe('a model file is rejected with its path and what is wrong', () => {
  const cases: [string, string, ModelJsonError['code'], string, RegExp][] = [
    ['invalid JSON', '{"format": "robust-mlp/1",', 'invalid-json', '(root)', /not valid JSON/],
    ['a JSON array', '[1, 2]', 'schema', '(root)', /Model file: \(root\)/],
    [
      'a wrong format',
      variant((m) => (m.format = 'robust-mlp/2')),
      'format',
      'format',
      /"robust-mlp\/2".*"robust-mlp\/1"/,
    ],
    [
      'a missing format',
      variant((m) => delete m.format),
      'format',
      'format',
      /format must be "robust-mlp\/1"/,
    ],
    [
      'an unknown activation',
      variant((m) => (m.activation = 'gelu')),
      'schema',
      'activation',
      /one of relu, tanh, softplus/,
    ],
    [
      'a non-numeric weight',
      variant(
        (m) =>
          (m.layers[0]!.W = [
            [0.1, 'x', 0.3],
            [0, 0.5, -0.1],
          ]),
      ),
      'schema',
      'layers[0].W[0][1]',
      /finite number/,
    ],
    [
      'an overflowing weight',
      EXAMPLE.replace('0.4, 0.3', '1e999, 0.3'),
      'schema',
      'layers[1].W[1][0]',
      /finite number \(found Infinity\)/,
    ],
    [
      'a null bias',
      variant((m) => (m.layers[1]!.b = [0.1, null])),
      'schema',
      'layers[1].b[1]',
      /finite number/,
    ],
    [
      'a ragged W',
      variant((m) => (m.layers[1]!.W = [[0.2, -0.1], [0.4], [-0.5, 0.1]])),
      'shape',
      'layers[1].W[1]',
      /1 entries but row 0 has 2.*rectangular/,
    ],
    [
      'a first layer with 3 inputs',
      variant(
        (m) =>
          (m.layers[0]!.W = [
            [1, 2, 3],
            [4, 5, 6],
            [7, 8, 9],
          ]),
      ),
      'shape',
      'layers[0].W',
      /3 rows.*needs 2 rows/,
    ],
    [
      'layers that do not chain',
      variant(
        (m) =>
          (m.layers[1]!.W = [
            [0.2, -0.1],
            [0.4, 0.3],
          ]),
      ),
      'shape',
      'layers[1].W',
      /2 rows but the previous layer has 3 outputs/,
    ],
    [
      'a bias of the wrong length',
      variant((m) => (m.layers[0]!.b = [0, 0])),
      'shape',
      'layers[0].b',
      /2 entries but W has 3 columns/,
    ],
    [
      'a single output',
      variant((m) => (m.layers[1] = { W: [[1], [2], [3]], b: [0] })),
      'shape',
      'layers[1].W',
      /1 output.*at least 2 logits/,
    ],
    ['an empty W', variant((m) => (m.layers[0]!.W = [])), 'shape', 'layers[0].W', /at least one row/],
    [
      'a missing bias',
      variant((m) => delete m.layers[0]!.b),
      'schema',
      'layers[0].b',
      /b is missing; it must be an array/,
    ],
    [
      'a null layer',
      variant((m) => (m.layers[1] = null as never)),
      'schema',
      'layers[1]',
      /must be an object \{"W"/,
    ],
    ['no layers', variant((m) => (m.layers = [])), 'schema', 'layers', /at least one layer/],
    [
      'an activation in capitals',
      variant((m) => (m.activation = 'ReLU')),
      'schema',
      'activation',
      /^Model file: activation must be one of relu, tanh, softplus \(found "ReLU"\)\.$/,
    ],
    [
      'a weight beyond float32',
      EXAMPLE.replace('0.4, 0.3', '1e39, 0.3'),
      'range',
      'layers[1].W[1][0]',
      /^Model file: layers\[1\]\.W\[1\]\[0\] is beyond the range of 32-bit floats \(±3\.4e38\) the app computes in; re-export the model \(found 1e\+39\)\.$/,
    ],
    [
      'five hidden layers',
      variant((m) => {
        const square = {
          W: [
            [1, 0],
            [0, 1],
          ],
          b: [0, 0],
        };
        m.layers = [square, square, square, square, square, square];
      }),
      'limit',
      'layers',
      /^Model file: layers holds 6 layers; the app evaluates at most 4 hidden layers and the output layer \(5 in all\)\. Open a smaller model\.$/,
    ],
    [
      'a hidden layer of 300 units',
      variant((m) => {
        m.layers = [
          { W: [Array(300).fill(0), Array(300).fill(0)], b: Array(300).fill(0) },
          { W: Array.from({ length: 300 }, () => [0, 0]), b: [0, 0] },
        ];
      }),
      'limit',
      'layers[0].W',
      /^Model file: layers\[0\]\.W has 300 columns \(hidden units\); the app evaluates hidden layers of at most 256 units\. Open a smaller model\.$/,
    ],
    [
      '12 classes',
      variant((m) => (m.layers = [{ W: [Array(12).fill(0), Array(12).fill(0)], b: Array(12).fill(0) }])),
      'limit',
      'layers[0].W',
      /^Model file: layers\[0\]\.W gives 12 outputs \(classes\); the app shows at most 10 classes\. Open a model of at most 10 classes\.$/,
    ],
    [
      'hyper as a list',
      variant((m) => (m.hyper = [1, 2])),
      'schema',
      'hyper',
      /^Model file: hyper must be an object of settings, e\.g\. \{"eps": 0\.1\} \(found an array of 2\)\.$/,
    ],
    [
      'a nested hyper value',
      variant((m) => (m.hyper = { beta: { x: 1 } })),
      'schema',
      'hyper.beta',
      /number, string or boolean/,
    ],
  ];
  it.each(cases)('for %s', (_what, text, code, path, message) => {
    const e = modelError(text);
    expect(e.code).toBe(code);
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
    if (code !== 'invalid-json') expect(e.message).toContain(path);
  });
});

describe('writing a robust-mlp/1 model', () => {
  it('round-trips the example exactly', () => {
    const m = parseModelJson(EXAMPLE);
    expect(parseModelJson(modelJsonText(m))).toEqual(m);
  });

  it('writes one W row per line so large models stay readable', () => {
    const text = modelJsonText(parseModelJson(EXAMPLE));
    expect(text).toContain('        [0.2, -0.1],\n        [0.4, 0.3],\n');
    expect(text.startsWith('{\n  "format": "robust-mlp/1",\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('round-trips random weights bit for bit, −0 included (property)', () => {
    const weight = fc.double({ min: -FLOAT32_MAX, max: FLOAT32_MAX, noNaN: true });
    const net = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 3 }).chain((hidden) => {
      const widths = [2, ...hidden, 3];
      return fc.tuple(
        ...widths.slice(1).map((nOut, k) =>
          fc.record({
            W: fc.array(fc.array(weight, { minLength: nOut, maxLength: nOut }), {
              minLength: widths[k]!,
              maxLength: widths[k]!,
            }),
            b: fc.array(weight, { minLength: nOut, maxLength: nOut }),
          }),
        ),
      );
    });
    fc.assert(
      fc.property(net, fc.constantFrom('relu', 'tanh', 'softplus' as const), (layers, activation) => {
        const m: ModelJson = {
          method: 'at',
          hyper: { eps: 0.1, norm: 'l2', clip: true },
          activation,
          layers,
        };
        const back = parseModelJson(modelJsonText(m));
        expect(back.hyper).toEqual(m.hyper);
        back.layers.forEach((l, k) => {
          l.W.flat().forEach((v, i) => expect(Object.is(v, m.layers[k]!.W.flat()[i])).toBe(true));
          l.b.forEach((v, i) => expect(Object.is(v, m.layers[k]!.b[i])).toBe(true));
        });
      }),
      { seed: 50, numRuns: 50 },
    );
  });

  it('refuses to write a model that would not read back', () => {
    const m = parseModelJson(EXAMPLE);
    const bad = {
      ...m,
      layers: [
        m.layers[0]!,
        {
          W: [
            [NaN, 0],
            [0, 0],
            [0, 0],
          ],
          b: [0, 0],
        },
      ],
    };
    expect(() => modelJsonText(bad)).toThrow(ModelJsonError);
    expect(() => modelJsonText({ ...m, layers: [m.layers[1]!] })).toThrow(/layers\[0\]\.W has 3 rows/);
  });
});

describe('writing robust-results/1', () => {
  const results: Omit<ResultsJson, 'format'> = {
    dataset: { name: 'spiral', seed: 0, n_train: 400, n_test: 400, separation_linf: 0.071 },
    eps: 0.1,
    norm: 'linf',
    backend: 'wasm',
    models: [
      {
        method: 'natural',
        train_acc: 1,
        test_acc: 0.99,
        adv_test_acc: 0.12,
        test_lipschitz: 42.1,
        steps: 3000,
        seconds: 12.3,
        model_file: 'natural.model.json',
        robust_test_acc: 0.1,
        robust_resolution: 0.0001,
        lipschitz_direction: 'repo',
      },
    ],
  };

  it('writes the documented field names with the format first', () => {
    const parsed = JSON.parse(resultsJsonText(results)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['format', 'dataset', 'eps', 'norm', 'backend', 'models']);
    expect(parsed.format).toBe('robust-results/1');
    expect(parsed.dataset).toEqual(results.dataset);
    expect(Object.keys((parsed.models as object[])[0]!).slice(0, 8)).toEqual([
      'method',
      'train_acc',
      'test_acc',
      'adv_test_acc',
      'test_lipschitz',
      'steps',
      'seconds',
      'model_file',
    ]);
  });

  it('refuses NaN rather than writing null, naming the field', () => {
    const bad = { ...results, models: [{ ...results.models[0]!, test_lipschitz: NaN }] };
    expect(() => resultsJsonText(bad)).toThrow(/models\[0\]\.test_lipschitz = NaN/);
  });
});
