/** Small helpers shared by the training methods. */
import type * as tf from '@tensorflow/tfjs';
import type { DropoutMasks } from '../model.ts';
import type { Hyper, HyperSpec, Prepared, VariantSpec } from './types.ts';

/** A hyperparameter's value, or its default when the setting leaves it out. */
export function hyperValue(hyper: Hyper, spec: HyperSpec): number {
  return hyper[spec.key] ?? spec.default;
}

/** Store per-hidden-layer dropout masks in a `Prepared` record under `prefix0`, `prefix1`, … */
export function masksToPrepared(prefix: string, masks: DropoutMasks): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  masks?.forEach((m, k) => (out[`${prefix}${k}`] = m));
  return out;
}

/** The masks stored by {@link masksToPrepared}; `undefined` when none were stored. */
export function masksFromPrepared(prepared: Prepared, prefix: string, count: number): DropoutMasks {
  if (prepared[`${prefix}0`] === undefined) return undefined;
  return Array.from({ length: count }, (_, k) => prepared[`${prefix}${k}`] as tf.Tensor2D);
}

/** Throws a readable error for a variant id that `variants` does not list. */
export function checkVariant(methodId: string, variants: readonly VariantSpec[], variant: string): void {
  if (!variants.some((v) => v.id === variant)) {
    throw new RangeError(
      `Unknown ${methodId} variant "${variant}"; use one of ${variants.map((v) => `"${v.id}"`).join(', ')}.`,
    );
  }
}
