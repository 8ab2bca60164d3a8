/**
 * The `robust-results/1` file of design/formats.md: one object per run of the experiment runner. Field names are
 * the documented ones, snake_case as written; the optional per-model fields are additions that older readers
 * may ignore.
 */
import type { Norm } from '../types.ts';
import type { Hyper } from './modelJson.ts';

export const RESULTS_FORMAT = 'robust-results/1';

export interface ResultsDataset {
  readonly name: string;
  readonly seed: number;
  readonly n_train: number;
  readonly n_test: number;
  /** Train–train L∞ separation, in the model's (scaled) units. */
  readonly separation_linf: number;
}

export interface ResultsModel {
  readonly method: string;
  /** Fractions in [0, 1]. */
  readonly train_acc: number;
  readonly test_acc: number;
  /** Accuracy under the project's strongest PGD attack at `eps` in `norm`. */
  readonly adv_test_acc: number;
  /** The paper's average local Lipschitz estimate on the test set (§6); see `lipschitz_direction`. */
  readonly test_lipschitz: number;
  readonly steps: number;
  readonly seconds: number;
  /** The model JSON beside this file; absent for a model with no MLP weights (the theorem's construction). */
  readonly model_file?: string;
  /** Robust test accuracy from the exact 2D search (certified, or grid when no Lipschitz bound is known). */
  readonly robust_test_acc?: number;
  /** The finest cell side or grid spacing of that search, in data units. */
  readonly robust_resolution?: number;
  /** Which search gave `test_lipschitz`: the repo's sign descent ('repo') or ascent ('max'). */
  readonly lipschitz_direction?: string;
  /** Why training stopped early (e.g. a diverged loss), when it did. */
  readonly stopped_reason?: string;
  /** A method variant, e.g. TRADES "sum". */
  readonly variant?: string;
  readonly hyper?: Hyper;
}

export interface ResultsJson {
  readonly format: typeof RESULTS_FORMAT;
  readonly dataset: ResultsDataset;
  readonly eps: number;
  readonly norm: Norm;
  readonly backend: string;
  readonly models: readonly ResultsModel[];
}

/** Paths of every number that JSON cannot hold (NaN, ±Infinity): JSON.stringify would silently write null. */
function nonFinitePaths(value: unknown, path: string, out: string[]): string[] {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${path} = ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nonFinitePaths(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) nonFinitePaths(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/**
 * Write a results file as indented JSON with a final newline.
 *
 * @throws RangeError when a number is NaN or infinite (JSON has no such values); record the cause in
 *   `stopped_reason` and report a finite value, or leave the optional field out
 */
export function resultsJsonText(results: Omit<ResultsJson, 'format'>): string {
  const out: ResultsJson = { format: RESULTS_FORMAT, ...results };
  const bad = nonFinitePaths(out, '', []);
  if (bad.length) {
    throw new RangeError(`Cannot write the results: ${bad.join(', ')} is not a finite number.`);
  }
  return JSON.stringify(out, null, 2) + '\n';
}
