/**
 * The `robust-mlp/1` model file of design/formats.md: a plain MLP, `W` as `n_in × n_out` nested arrays, the
 * activation after every layer but the last. Reading checks the schema and then that the shapes chain from 2
 * inputs to at least 2 logits; every refusal names the JSON path and what to fix.
 */
import { z } from 'zod';

export const MODEL_FORMAT = 'robust-mlp/1';
export const MODEL_ACTIVATIONS = ['relu', 'tanh', 'softplus'] as const;
export type ModelActivation = (typeof MODEL_ACTIVATIONS)[number];

/** One layer's float64 weights: `W` is `n_in × n_out` row-major, `b` has `n_out` entries. Same shape as ml's. */
export interface PlainLayer {
  readonly W: number[][];
  readonly b: number[];
}

/** How the model was trained: informative only. */
export type Hyper = Readonly<Record<string, number | string | boolean>>;

export interface ModelJson {
  readonly method: string;
  readonly hyper: Hyper;
  readonly activation: ModelActivation;
  readonly layers: PlainLayer[];
}

export type ModelJsonErrorCode = 'invalid-json' | 'format' | 'schema' | 'shape';

/** A model file that cannot be read (or a model that cannot be written); `path` is e.g. `layers[1].W[3]`. */
export class ModelJsonError extends Error {
  override readonly name = 'ModelJsonError';
  constructor(
    readonly code: ModelJsonErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const finite = z.number({ error: 'must be a finite number' });

const layerSchema = z.object(
  {
    W: z.array(z.array(finite, { error: 'must be an array of rows' }), { error: 'must be an array of rows' }),
    b: z.array(finite, { error: 'must be an array of numbers' }),
  },
  { error: 'must be an object {"W": [[…]], "b": […]}' },
);

/** The schema: field types, then the shape rules (rectangular W, chaining layers, 2 inputs, ≥ 2 outputs). */
export const modelJsonSchema = z
  .object(
    {
      format: z.literal(MODEL_FORMAT, { error: `must be "${MODEL_FORMAT}"` }),
      method: z.string({ error: 'must be a string' }).default('unknown'),
      hyper: z
        .record(
          z.string(),
          z.union([finite, z.string(), z.boolean()], { error: 'must be a number, string or boolean' }),
        )
        .default({}),
      activation: z.enum(MODEL_ACTIVATIONS, { error: `must be one of ${MODEL_ACTIVATIONS.join(', ')}` }),
      layers: z
        .array(layerSchema, { error: 'must be an array of layers' })
        .min(1, { error: 'must hold at least one layer' }),
    },
    { error: 'must be an object with format, activation and layers' },
  )
  .superRefine((m, ctx) => {
    let nIn = 2;
    for (const [k, layer] of m.layers.entries()) {
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: 'custom', path: ['layers', k, ...path], message });
      const rows = layer.W.length;
      const nOut = layer.W[0]?.length ?? 0;
      if (rows === 0 || nOut === 0) return issue(['W'], 'must have at least one row and one column');
      const ragged = layer.W.findIndex((r) => r.length !== nOut);
      if (ragged >= 0) {
        return issue(
          ['W', ragged],
          `has ${layer.W[ragged]!.length} entries but row 0 has ${nOut}; W must be rectangular (n_in × n_out)`,
        );
      }
      if (rows !== nIn) {
        return issue(
          ['W'],
          k === 0
            ? `has ${rows} rows; the first layer takes the 2 input coordinates, so it needs 2 rows`
            : `has ${rows} rows but the previous layer has ${nIn} outputs; the shapes must chain`,
        );
      }
      if (layer.b.length !== nOut) {
        return issue(['b'], `has ${layer.b.length} entries but W has ${nOut} columns; they must match`);
      }
      nIn = nOut;
    }
    if (nIn < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['layers', m.layers.length - 1, 'W'],
        message: `gives ${nIn} output; a classifier needs at least 2 logits`,
      });
    }
  });

function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `${s ? '.' : ''}${String(p)}`;
  return s || '(root)';
}

function fromZod(error: z.ZodError): ModelJsonError {
  const issue = error.issues[0]!;
  const path = pathText(issue.path);
  const code = issue.code === 'custom' ? 'shape' : issue.path[0] === 'format' ? 'format' : 'schema';
  // The offending value, when it is short enough to quote (zod reports it with `reportInput`).
  const raw = issue.code === 'custom' ? undefined : issue.input;
  const input = typeof raw === 'number' ? String(raw) : JSON.stringify(raw);
  const found = input !== undefined && input.length <= 40 ? ` (found ${input})` : '';
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return new ModelJsonError(code, path, `Model file: ${path} is missing; it ${issue.message}.`);
  }
  return new ModelJsonError(code, path, `Model file: ${path} ${issue.message}${found}.`);
}

/**
 * Read a `robust-mlp/1` model. `method` and `hyper` may be missing (they default to "unknown" and {}).
 *
 * @throws ModelJsonError naming the path and the problem: invalid JSON, a wrong `format`, an unknown activation,
 *   a non-finite number, a non-rectangular W, shapes that don't chain, a first layer without 2 inputs, or
 *   fewer than 2 outputs
 */
export function parseModelJson(text: string): ModelJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new ModelJsonError(
      'invalid-json',
      '(root)',
      `Model file is not valid JSON (${detail}). Export it again.`,
    );
  }
  if (typeof raw === 'object' && raw !== null && 'format' in raw && raw.format !== MODEL_FORMAT) {
    const found = JSON.stringify(raw.format);
    throw new ModelJsonError(
      'format',
      'format',
      `Model file: format is ${found}, but this app reads "${MODEL_FORMAT}". Export the model from a matching version.`,
    );
  }
  const parsed = modelJsonSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw fromZod(parsed.error);
  const { method, hyper, activation, layers } = parsed.data;
  return { method, hyper, activation, layers };
}

// JSON.stringify writes the shortest text that reads back to the same double; only −0 needs help.
const num = (v: number) => (Object.is(v, -0) ? '-0' : JSON.stringify(v));
const row = (r: readonly number[]) => `[${r.map(num).join(', ')}]`;

/**
 * Write a model as `robust-mlp/1` text (one W row per line), which {@link parseModelJson} reads back bit for bit.
 *
 * @throws ModelJsonError when the model would not read back (same checks as reading)
 */
export function modelJsonText(model: ModelJson): string {
  const checked = modelJsonSchema.safeParse({ format: MODEL_FORMAT, ...model }, { reportInput: true });
  if (!checked.success) throw fromZod(checked.error);
  const layers = model.layers.map(
    (l) =>
      `    {\n      "W": [\n${l.W.map((r) => `        ${row(r)}`).join(',\n')}\n      ],\n      "b": ${row(l.b)}\n    }`,
  );
  return [
    '{',
    `  "format": ${JSON.stringify(MODEL_FORMAT)},`,
    `  "method": ${JSON.stringify(model.method)},`,
    `  "hyper": ${JSON.stringify(model.hyper)},`,
    `  "activation": ${JSON.stringify(model.activation)},`,
    `  "layers": [\n${layers.join(',\n')}\n  ]`,
    '}',
    '',
  ].join('\n');
}
