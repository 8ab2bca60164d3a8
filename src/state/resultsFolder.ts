/**
 * Reading back the folder the command-line runner writes (`npm run experiment -- --out DIR`, src/cli/experiment.ts):
 * `results.json` (`robust-results/1`), `dataset.csv` and one `<key>.model.json` per trained model. Plain data in,
 * plain data out: the caller reads the files (a folder picker or a drop) and hands their names and text here.
 */
import { z } from 'zod';
import type { Norm } from '../core/types.ts';
import { DATASETS, datasetFromCsv, DatasetError, growBox } from '../core/datasets/index.ts';
import { CsvError, parseDatasetCsv } from '../core/formats/datasetCsv.ts';
import { ModelJsonError, parseModelJson, type ModelJson } from '../core/formats/modelJson.ts';
import { RESULTS_FORMAT } from '../core/formats/resultsJson.ts';
import { importedPoints, type ImportedPoints } from './settings.ts';

/** The name the runner gives the dataset CSV beside results.json. */
export const RUNNER_DATASET_FILE = 'dataset.csv';
/** The name the runner gives the results file. */
export const RUNNER_RESULTS_FILE = 'results.json';

const WHAT_TO_DO =
  'Select the whole folder the runner wrote: results.json, dataset.csv and the *.model.json files.';

/** One file as the caller read it; `name` may carry folder parts ("runs/spiral/results.json"). */
export interface TextFile {
  readonly name: string;
  readonly text: string;
}

/** What results.json reports for one model, camelCase; accuracies are fractions in [0, 1]. */
export interface ReportedMetrics {
  readonly trainAcc: number;
  readonly testAcc: number;
  /** Under the runner's PGD at `eps` in `norm`. */
  readonly advTestAcc: number;
  /** Exact 2D robust test accuracy, when the runner wrote it. */
  readonly robustTestAcc: number | null;
  /** The paper's average local Lipschitz estimate (`test_lipschitz`). */
  readonly lipschitz: number;
  /** Which search gave `lipschitz` ("repo" sign descent, "max" ascent), when written. */
  readonly lipschitzDirection: string | null;
  readonly eps: number;
  readonly norm: Norm;
  readonly steps: number;
  readonly seconds: number;
}

export interface ResultsFolderModel {
  /** The model file's name as given (with its folder parts). */
  readonly fileName: string;
  readonly method: string;
  /** The runner's label ("TRADES (β = 6)"), or the method id when the file has none. */
  readonly label: string;
  readonly variant: string;
  readonly model: ModelJson;
  readonly reported: ReportedMetrics;
}

export interface ResultsFolder {
  /** The results file's name as given. */
  readonly resultsFile: string;
  readonly datasetName: string;
  /** The points of dataset.csv, in its units, in the page's import shape. */
  readonly points: ImportedPoints;
  readonly eps: number;
  readonly norm: Norm;
  readonly backend: string;
  /** Train–train L∞ separation as the runner measured it. */
  readonly separationLinf: number;
  /** The models whose files were given, in results.json's order. */
  readonly models: readonly ResultsFolderModel[];
  /** Model files named in results.json but not among the files given (a warning: the rest still open). */
  readonly missing: readonly string[];
  /** Labels of entries with no model file (the 1-NN construction has no MLP weights). */
  readonly withoutWeights: readonly string[];
  /** Other things worth telling the user (e.g. a model with fewer logits than the data has classes). */
  readonly warnings: readonly string[];
}

export type ResultsFolderErrorCode =
  | 'no-results'
  | 'several-results'
  | 'invalid-json'
  | 'schema'
  | 'no-dataset'
  | 'dataset'
  | 'mismatch'
  | 'model';

/** A results folder that cannot be opened; the message says what is missing or malformed and what to do. */
export class ResultsFolderError extends Error {
  override readonly name = 'ResultsFolderError';
  constructor(
    readonly code: ResultsFolderErrorCode,
    /** The file at fault, when one is. */
    readonly file: string | null,
    message: string,
  ) {
    super(message);
  }
}

const fraction = z.number({ error: 'must be a number' }).min(0, { error: 'must be ≥ 0' }).max(1, {
  error: 'must be ≤ 1 (a fraction, not a percentage)',
});
const finite = z.number({ error: 'must be a finite number' });
const count = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0);

/** design/formats.md's fields, plus the optional ones of resultsJson.ts and the runner's `label`. */
export const resultsJsonSchema = z.object(
  {
    format: z.literal(RESULTS_FORMAT, { error: `must be "${RESULTS_FORMAT}"` }),
    dataset: z.object(
      {
        name: z.string({ error: 'must be a string' }),
        seed: finite,
        n_train: count,
        n_test: count,
        separation_linf: finite,
      },
      { error: 'must be an object {name, seed, n_train, n_test, separation_linf}' },
    ),
    eps: finite.min(0, { error: 'must be ≥ 0' }),
    norm: z.enum(['linf', 'l2'], { error: 'must be "linf" or "l2"' }),
    backend: z.string({ error: 'must be a string' }),
    models: z.array(
      z.object(
        {
          method: z.string({ error: 'must be a string' }),
          label: z.string({ error: 'must be a string' }).optional(),
          train_acc: fraction,
          test_acc: fraction,
          adv_test_acc: fraction,
          test_lipschitz: finite,
          steps: count,
          seconds: finite,
          model_file: z.string({ error: 'must be a file name' }).min(1).optional(),
          robust_test_acc: fraction.optional(),
          robust_resolution: finite.optional(),
          lipschitz_direction: z.string({ error: 'must be a string' }).optional(),
          stopped_reason: z.string({ error: 'must be a string' }).optional(),
          variant: z.string({ error: 'must be a string' }).optional(),
          hyper: z.record(z.string(), z.union([finite, z.string(), z.boolean()])).optional(),
        },
        {
          error:
            'must be an object with method, train_acc, test_acc, adv_test_acc, test_lipschitz, steps, seconds',
        },
      ),
      { error: 'must be an array of model entries' },
    ),
  },
  { error: 'must be an object' },
);

function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `${s ? '.' : ''}${String(p)}`;
  return s || '(root)';
}

const dirOf = (name: string) => {
  const i = name.replace(/\\/g, '/').lastIndexOf('/');
  return i < 0 ? '' : name.slice(0, i + 1).replace(/\\/g, '/');
};
const baseOf = (name: string) => name.replace(/\\/g, '/').slice(dirOf(name).length);

/** Is this the text of a `robust-results/1` file? (Cheap: a substring test before parsing.) */
export function isResultsJson(text: string): boolean {
  if (!text.includes(RESULTS_FORMAT)) return false;
  try {
    const raw: unknown = JSON.parse(text);
    return typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === RESULTS_FORMAT;
  } catch {
    return false;
  }
}

/**
 * Open a runner's results folder from its files.
 *
 * Finds the one `*.json` whose `format` is `robust-results/1`, the `dataset.csv` in the same folder, and each
 * `model_file` named by a model entry (relative to the results file). Other files are ignored. Model files named
 * but not given are listed in `missing`; everything else that is absent or malformed is an error.
 *
 * @throws ResultsFolderError when no results file (or more than one) is given, results.json does not match the
 *   schema, dataset.csv is missing or unreadable or disagrees with the counts in results.json, or a given model
 *   file is unreadable
 */
export function readResultsFolder(files: readonly TextFile[]): ResultsFolder {
  const candidates = files.filter((f) => /\.json$/i.test(f.name) && isResultsJson(f.text));
  if (candidates.length === 0) {
    const names = files.length ? ` among the ${files.length} files given` : '';
    throw new ResultsFolderError(
      'no-results',
      null,
      `No results.json (a file with "format": "${RESULTS_FORMAT}")${names}. ${WHAT_TO_DO}`,
    );
  }
  if (candidates.length > 1) {
    throw new ResultsFolderError(
      'several-results',
      null,
      `${candidates.length} results files were given (${candidates.map((f) => f.name).join(', ')}); ` +
        "open one run's folder at a time.",
    );
  }
  const resultsFile = candidates[0]!;
  const raw: unknown = JSON.parse(resultsFile.text);
  const parsed = resultsJsonSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = pathText(issue.path);
    const what = issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : issue.message;
    throw new ResultsFolderError(
      'schema',
      resultsFile.name,
      `${resultsFile.name}: ${path} ${what}. The file is not a complete runner result; write it again with ` +
        '`npm run experiment -- --out DIR`.',
    );
  }
  const results = parsed.data;
  const dir = dirOf(resultsFile.name);
  const sibling = (name: string) => {
    const want = (dir + name.replace(/\\/g, '/')).replace(/^\.\//, '');
    return files.find((f) => f.name.replace(/\\/g, '/').replace(/^\.\//, '') === want) ?? null;
  };

  const csvFile = sibling(RUNNER_DATASET_FILE);
  if (!csvFile) {
    throw new ResultsFolderError(
      'no-dataset',
      null,
      `${RUNNER_DATASET_FILE} is missing beside ${baseOf(resultsFile.name)}; the models cannot be shown without ` +
        `their data. ${WHAT_TO_DO}`,
    );
  }
  let points: ImportedPoints;
  try {
    const csv = parseDatasetCsv(csvFile.text);
    const ds = datasetFromCsv(csv, results.dataset.name);
    // A generated dataset lives in [−1, 1]² (makeDataset's box), so the view matches the runner's clip box.
    const box = Object.hasOwn(DATASETS, results.dataset.name)
      ? growBox({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 }, ds.train.x, ds.test.x)
      : ds.meta.box;
    points = importedPoints(ds, box);
  } catch (e) {
    if (e instanceof CsvError || e instanceof DatasetError) {
      throw new ResultsFolderError('dataset', csvFile.name, `${csvFile.name}: ${e.message}`);
    }
    throw e;
  }
  const nTrain = points.trainY.length;
  const nTest = points.testY.length;
  if (nTrain !== results.dataset.n_train || nTest !== results.dataset.n_test) {
    throw new ResultsFolderError(
      'mismatch',
      csvFile.name,
      `${csvFile.name} holds ${nTrain} train and ${nTest} test points, but ${baseOf(resultsFile.name)} reports ` +
        `${results.dataset.n_train} and ${results.dataset.n_test}: they come from different runs. ` +
        "Select one run's folder, unchanged.",
    );
  }

  const models: ResultsFolderModel[] = [];
  const missing: string[] = [];
  const withoutWeights: string[] = [];
  const warnings: string[] = [];
  for (const entry of results.models) {
    const label = entry.label ?? entry.method;
    if (!entry.model_file) {
      withoutWeights.push(label);
      continue;
    }
    const file = sibling(entry.model_file);
    if (!file) {
      missing.push(entry.model_file);
      continue;
    }
    let model: ModelJson;
    try {
      model = parseModelJson(file.text);
    } catch (e) {
      if (e instanceof ModelJsonError) {
        throw new ResultsFolderError('model', file.name, `${file.name}: ${e.message}`);
      }
      throw e;
    }
    const logits = model.layers[model.layers.length - 1]?.b.length ?? 0;
    if (logits < points.nClasses) {
      warnings.push(
        `${file.name} gives ${logits} logits but ${RUNNER_DATASET_FILE} has ${points.nClasses} classes; ` +
          'its accuracy will not match the reported one.',
      );
    }
    models.push({
      fileName: file.name,
      method: entry.method,
      label,
      variant: entry.variant ?? '',
      model,
      reported: {
        trainAcc: entry.train_acc,
        testAcc: entry.test_acc,
        advTestAcc: entry.adv_test_acc,
        robustTestAcc: entry.robust_test_acc ?? null,
        lipschitz: entry.test_lipschitz,
        lipschitzDirection: entry.lipschitz_direction ?? null,
        eps: results.eps,
        norm: results.norm,
        steps: entry.steps,
        seconds: entry.seconds,
      },
    });
  }
  if (missing.length) {
    warnings.push(
      `${missing.length === 1 ? 'Model file' : 'Model files'} ${missing.join(', ')} named in ` +
        `${baseOf(resultsFile.name)} ${missing.length === 1 ? 'was' : 'were'} not given; ${WHAT_TO_DO}`,
    );
  }
  return {
    resultsFile: resultsFile.name,
    datasetName: results.dataset.name,
    points,
    eps: results.eps,
    norm: results.norm,
    backend: results.backend,
    separationLinf: results.dataset.separation_linf,
    models,
    missing,
    withoutWeights,
    warnings,
  };
}
