/**
 * The `robust-mlp/1` model file of design/formats.md: a plain MLP, `W` as `n_in × n_out` nested arrays, the
 * activation after every layer but the last. Reading checks the schema and then that the shapes chain from 2
 * inputs to at least 2 logits, and that the model fits the playground (core/limits.ts: hidden layers, width,
 * classes) and float32, which the engine computes in; every refusal names the JSON path and what to fix.
 */
import { z } from 'zod';
import { LIMITS, limitText } from '../limits.ts';
import { cut } from './quote.ts';

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

export type ModelJsonErrorCode = 'invalid-json' | 'format' | 'schema' | 'shape' | 'limit' | 'range';

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

/** The largest finite float32, about 3.4e38: a weight beyond it becomes Infinity in the engine. */
export const FLOAT32_MAX = 3.4028234663852886e38;

const finite = z.number({ error: 'must be a finite number' });
const RANGE_ERROR = 'is beyond the range of 32-bit floats (±3.4e38) the app computes in; re-export the model';
/** A weight: finite in float64 and in float32. */
const weight = finite.min(-FLOAT32_MAX, { error: RANGE_ERROR }).max(FLOAT32_MAX, { error: RANGE_ERROR });

const layerSchema = z.object(
  {
    W: z.array(z.array(weight, { error: 'must be an array of rows' }), { error: 'must be an array of rows' }),
    b: z.array(weight, { error: 'must be an array of numbers' }),
  },
  { error: 'must be an object {"W": [[…]], "b": […]}' },
);

const hiddenTooWide = (n: number) =>
  `has ${n} columns (hidden units); the app evaluates hidden layers of at most ${LIMITS.width} units. ` +
  'Open a smaller model';
const tooManyClasses = (n: number) =>
  `gives ${n} outputs (classes); the app shows at most ${LIMITS.classes} classes. ` +
  `Open a model of at most ${LIMITS.classes} classes`;

/**
 * The schema: field types, then the shape rules (rectangular W, chaining layers, 2 inputs, 2 to
 * {@link LIMITS.classes} outputs, at most {@link LIMITS.hiddenLayers} hidden layers of at most {@link LIMITS.width}).
 */
export const modelJsonSchema = z
  .object(
    {
      format: z.literal(MODEL_FORMAT, { error: `must be "${MODEL_FORMAT}"` }),
      method: z.string({ error: 'must be a string' }).default('unknown'),
      hyper: z
        .record(
          z.string(),
          z.union([finite, z.string(), z.boolean()], { error: 'must be a number, string or boolean' }),
          { error: 'must be an object of settings, e.g. {"eps": 0.1}' },
        )
        .default({}),
      activation: z.enum(MODEL_ACTIVATIONS, { error: `must be one of ${MODEL_ACTIVATIONS.join(', ')}` }),
      layers: z
        .array(layerSchema, { error: 'must be an array of layers' })
        .min(1, { error: 'must hold at least one layer' })
        .max(LIMITS.hiddenLayers + 1, {
          error: (issue) =>
            `holds ${Array.isArray(issue.input) ? issue.input.length : 'too many'} layers; the app evaluates at most ` +
            `${LIMITS.hiddenLayers} hidden layers and the output layer (${LIMITS.hiddenLayers + 1} in all). ` +
            'Open a smaller model',
        }),
    },
    { error: 'must be an object with format, activation and layers' },
  )
  .superRefine((m, ctx) => {
    let nIn = 2;
    for (const [k, layer] of m.layers.entries()) {
      const issue = (path: (string | number)[], message: string, code: ModelJsonErrorCode = 'shape') =>
        ctx.addIssue({ code: 'custom', path: ['layers', k, ...path], message, params: { code } });
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
      if (k < m.layers.length - 1 && nOut > LIMITS.width) {
        return issue(['W'], hiddenTooWide(nOut), 'limit');
      }
      nIn = nOut;
    }
    const last = ['layers', m.layers.length - 1, 'W'];
    if (nIn < 2) {
      ctx.addIssue({
        code: 'custom',
        path: last,
        message: `gives ${nIn} output; a classifier needs at least 2 logits`,
      });
    } else if (nIn > LIMITS.classes) {
      ctx.addIssue({ code: 'custom', path: last, message: tooManyClasses(nIn), params: { code: 'limit' } });
    }
  });

function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  // A key of `hyper` is the file's own text: cut like any quoted value.
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `${s ? '.' : ''}${cut(String(p))}`;
  return s || '(root)';
}

/**
 * A value of the file as a message quotes it: a number or a short string as JSON writes it, cut; an array or an
 * object only by its kind (JSON.stringify of a deep or huge one would be slow and unreadable).
 */
function valueText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return cut(JSON.stringify(v));
  if (v === null || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : undefined;
}

function issueCode(issue: z.core.$ZodIssue): ModelJsonErrorCode {
  if (issue.code === 'custom') return (issue.params?.code as ModelJsonErrorCode | undefined) ?? 'shape';
  if (issue.path[0] === 'format') return 'format';
  const tooLarge = issue.code === 'too_big' || issue.code === 'too_small';
  if (tooLarge && issue.path.length > 1) return 'range';
  if (issue.code === 'too_big') return 'limit';
  return 'schema';
}

function fromZod(error: z.ZodError): ModelJsonError {
  const issue = error.issues[0]!;
  const path = pathText(issue.path);
  const code = issueCode(issue);
  // The offending value (zod reports it with `reportInput`); arrays and objects only by their kind.
  const raw = issue.code === 'custom' || code === 'limit' ? undefined : issue.input;
  const input = valueText(raw);
  const found = input !== undefined ? ` (found ${input})` : '';
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
  const tooLarge = jsonSizeProblem(text);
  if (tooLarge) {
    throw new ModelJsonError(
      'limit',
      '(root)',
      `Model file: (root) ${tooLarge}; a model the app evaluates (at most ${LIMITS.hiddenLayers} hidden layers of ` +
        `${LIMITS.width} units) nests 5 deep and holds about 200,000 numbers. Open a smaller model.`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const detail = cut(e instanceof Error ? e.message : String(e), 80);
    throw new ModelJsonError(
      'invalid-json',
      '(root)',
      `Model file is not valid JSON (${detail}). Export it again.`,
    );
  }
  if (typeof raw === 'object' && raw !== null && 'format' in raw && raw.format !== MODEL_FORMAT) {
    const found = valueText(raw.format);
    throw new ModelJsonError(
      'format',
      'format',
      `Model file: format is ${found}, but this app reads "${MODEL_FORMAT}". Export the model from a matching version.`,
    );
  }
  refuseHuge(raw);
  const parsed = modelJsonSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw fromZod(parsed.error);
  const { method, hyper, activation, layers } = parsed.data;
  return { method, hyper, activation, layers };
}

/** Deeper than any file the app writes (a model nests 5 deep). */
export const MAX_JSON_DEPTH = 32;
/** More values than any model within the limits holds: 4 hidden layers of 256 units and 10 classes hold 200,714. */
export const MAX_JSON_VALUES = 400_000;

/**
 * What makes JSON `text` too large to parse, or null: nesting more than {@link MAX_JSON_DEPTH} deep, or more than
 * {@link MAX_JSON_VALUES} values (commas outside strings). A linear scan, much faster than JSON.parse, which takes
 * seconds on a 16 MB file of a million nested brackets or tiny objects.
 */
export function jsonSizeProblem(text: string): string | null {
  let depth = 0;
  let commas = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x2c) {
      if (++commas >= MAX_JSON_VALUES) return `holds more than ${limitText(MAX_JSON_VALUES)} values`;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return `nests arrays or objects more than ${MAX_JSON_DEPTH} deep`;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return null;
}

/**
 * Refuse, before the schema walks them, layers that no model within the limits has: more than
 * {@link LIMITS.hiddenLayers} + 1 of them, or a W or b with more than {@link LIMITS.width} rows or entries (every
 * dimension of a valid model is at most that). The schema gives the exact reason for anything smaller; this keeps
 * the work on a 16 MB file of a million layers or a million-wide row to a quick count.
 */
function refuseHuge(raw: unknown): void {
  const layers = (raw as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(layers)) return;
  const smaller = 'Open a smaller model.';
  if (layers.length > LIMITS.hiddenLayers + 1) {
    throw new ModelJsonError(
      'limit',
      'layers',
      `Model file: layers holds ${layers.length} layers; the app evaluates at most ${LIMITS.hiddenLayers} hidden ` +
        `layers and the output layer (${LIMITS.hiddenLayers + 1} in all). ${smaller}`,
    );
  }
  const over = (path: string, n: number, what: string) =>
    new ModelJsonError(
      'limit',
      path,
      `Model file: ${path} has ${n} ${what}; no layer the app evaluates has more than ${LIMITS.width}. ${smaller}`,
    );
  for (const [k, layer] of layers.entries()) {
    const { W, b } = (layer ?? {}) as { W?: unknown; b?: unknown };
    if (Array.isArray(W)) {
      const columns: unknown = W[0];
      if (Array.isArray(columns) && columns.length > LIMITS.width) {
        const why = k === layers.length - 1 ? tooManyClasses : hiddenTooWide;
        throw new ModelJsonError(
          'limit',
          `layers[${k}].W`,
          `Model file: layers[${k}].W ${why(columns.length)}.`,
        );
      }
      if (W.length > LIMITS.width) throw over(`layers[${k}].W`, W.length, 'rows');
      for (const [r, row] of W.entries()) {
        if (Array.isArray(row) && row.length > LIMITS.width) {
          throw over(`layers[${k}].W[${r}]`, row.length, 'entries');
        }
      }
    }
    if (Array.isArray(b) && b.length > LIMITS.width) throw over(`layers[${k}].b`, b.length, 'entries');
  }
}

/**
 * Check a model already in memory as {@link parseModelJson} checks a file (shapes, limits, float32 range).
 *
 * @throws ModelJsonError naming the path and what to fix
 */
export function checkModelJson(model: ModelJson): void {
  refuseHuge(model);
  const checked = modelJsonSchema.safeParse({ ...model, format: MODEL_FORMAT }, { reportInput: true });
  if (!checked.success) throw fromZod(checked.error);
}

/**
 * Why a model with `modelClasses` outputs cannot be shown on data of `dataClasses` classes, and what to do: the
 * page refuses such a file when it is opened, and the engine when the data changes under an opened model.
 */
export function classMismatch(modelClasses: number, dataClasses: number): string {
  return (
    `This model has ${modelClasses} classes (outputs) but the data has ${dataClasses}. Open the dataset it was ` +
    `trained on first (its CSV), or a model trained on this data.`
  );
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
