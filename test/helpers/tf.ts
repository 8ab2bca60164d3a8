/** Test setup for tfjs: the `cpu` backend is the numeric reference. */
import * as tf from '@tensorflow/tfjs';

export async function useCpu(): Promise<typeof tf> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** A gradient map from `tf.variableGrads` flattened in the model's variable order. */
export async function flatGrads(
  grads: Record<string, tf.Tensor>,
  vars: readonly tf.Variable[],
): Promise<Float64Array> {
  const parts = await Promise.all(vars.map((v) => grads[v.name]!.data()));
  return Float64Array.from(parts.flatMap((p) => Array.from(p)));
}
