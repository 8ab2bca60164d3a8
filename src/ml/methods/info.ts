/**
 * What the page shows about a training method — names, formulas, sources, hyperparameters, variants — with no
 * tfjs in it, so that the main thread can list and configure methods without loading TensorFlow.js. Each method's
 * record lives in `<id>.info.ts` beside its implementation (`<id>.ts`, which spreads it into the TrainingMethod);
 * catalog.ts lists them all.
 */

/** One hyperparameter: its default, its allowed range and what it does. */
export interface HyperSpec {
  readonly key: string;
  /** Short label for tables and sliders, e.g. "β". */
  readonly label: string;
  readonly default: number;
  /** A different default under some variants (e.g. LLR's λ: 1 as intended on 2D data, 4 as the paper's code ran). */
  readonly variantDefaults?: Readonly<Record<string, number>>;
  readonly min: number;
  readonly max: number;
  /** Suggested slider scale. */
  readonly scale: 'linear' | 'log';
  readonly description: string;
}

/** The default of `spec` under `variant`. */
export function defaultFor(spec: HyperSpec, variant: string): number {
  return spec.variantDefaults?.[variant] ?? spec.default;
}

/** A choice between named variants of one method (e.g. LLR "qin" vs "repo"). */
export interface VariantSpec {
  readonly id: string;
  readonly label: string;
  readonly description: string;
}

/** A training method's metadata: everything about it but the code that trains. */
export interface MethodInfo {
  /** Stable id used in URLs, files and the runner, e.g. "trades". */
  readonly id: string;
  /** Display name, e.g. "TRADES". */
  readonly name: string;
  /** One sentence: what the method optimizes. */
  readonly summary: string;
  /** The formula in plain text (Unicode math). */
  readonly formula: string;
  /** Where the formula comes from (paper and code, with the variant). */
  readonly source: string;
  readonly hyper: readonly HyperSpec[];
  /** Named variants, the first being the default; absent when the method has one form. */
  readonly variants?: readonly VariantSpec[];
  /** Whether `prepare` uses an attack (the step costs K forward/backward passes more). */
  readonly usesAttack: boolean;
}
