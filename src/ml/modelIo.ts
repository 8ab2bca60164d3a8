/**
 * The MLP to and from `robust-mlp/1` JSON (design/formats.md). The core module parses and validates the text;
 * this one turns it into tfjs variables and back.
 */
import {
  checkModelJson,
  classMismatch,
  modelJsonText,
  parseModelJson,
  type Hyper,
  type ModelJson,
} from '../core/formats/modelJson.ts';
import { Mlp } from './model.ts';

/** The model as `robust-mlp/1` text, with how it was trained. */
export async function modelToJsonText(model: Mlp, method: string, hyper: Hyper): Promise<string> {
  return modelJsonText({ method, hyper, activation: model.spec.activation, layers: await model.toPlain() });
}

/**
 * A model from `robust-mlp/1` text. Throws the core's ModelJsonError (naming the path and what is wrong) for a
 * malformed file, and an Error when the file's input or class count does not fit `expect`.
 */
export function modelFromJsonText(
  text: string,
  expect?: { readonly inputDim?: number; readonly nClasses?: number },
): { model: Mlp; method: string; hyper: Hyper } {
  return modelFromJson(parseModelJson(text), expect);
}

/**
 * A model from a parsed `robust-mlp/1` file, with its own architecture (input count, hidden widths, class count
 * and activation as the file has them; no dropout). Throws an Error saying what the model has, what was expected
 * and what to do when its input or class count does not fit `expect`; then the model is checked again as a file
 * would be (it may come from a message rather than from {@link parseModelJson}): a ModelJsonError names the path
 * when its shapes do not chain, it is over the playground's limits or a weight is not a float32.
 */
export function modelFromJson(
  json: ModelJson,
  expect?: { readonly inputDim?: number; readonly nClasses?: number },
): { model: Mlp; method: string; hyper: Hyper } {
  const first = json.layers[0];
  const last = json.layers[json.layers.length - 1];
  if (!first || !last) throw new Error('This model has no layers; load a robust-mlp/1 file with weights.');
  const inputDim = first.W.length;
  const nClasses = last.b.length;
  if (expect?.inputDim !== undefined && inputDim !== expect.inputDim) {
    throw new Error(`This model takes ${inputDim} inputs; the data has ${expect.inputDim}. Load a 2D model.`);
  }
  if (expect?.nClasses !== undefined && nClasses !== expect.nClasses) {
    throw new Error(classMismatch(nClasses, expect.nClasses));
  }
  checkModelJson(json);
  const spec = {
    inputDim,
    hidden: json.layers.slice(0, -1).map((l) => l.b.length),
    outputDim: nClasses,
    activation: json.activation,
    dropout: 0,
  };
  return { model: Mlp.fromPlain(spec, json.layers), method: json.method, hyper: json.hyper };
}
