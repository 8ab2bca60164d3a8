/**
 * `npm run experiment -- --dataset spiral --methods natural,at,trades --eps 0.05 --out runs/spiral`
 * Trains every method from the same initial weights, prints the paper-style table and, with --out, writes the
 * files of design/formats.md: the dataset CSV, one robust-mlp/1 model per method and results.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import {
  DATASETS,
  datasetFromCsv,
  makeDataset,
  type Dataset,
  type DatasetName,
} from '../core/datasets/index.ts';
import { datasetCsvText, parseDatasetCsv } from '../core/formats/datasetCsv.ts';
import { modelJsonText } from '../core/formats/modelJson.ts';
import { resultsJsonText, type ResultsJson } from '../core/formats/resultsJson.ts';
import { ACTIVATIONS, type Activation } from '../ml/model.ts';
import { OPTIMIZERS, SCHEDULES } from '../ml/optimizer.ts';
import { runExperiment, type ExperimentConfig } from '../engine/experiment.ts';
import { methodIds, MethodSpecError, parseMethodSpec } from '../engine/methodSpec.ts';
import { bool, choice, FlagError, helpText, number, parseFlags } from './flags.ts';
import { NODE_BACKENDS, startNodeBackend } from './nodeBackend.ts';
import { resultsTable, tableNotes } from './table.ts';

const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
const DEFAULT_METHODS = 'natural,at,trades,llr,gr,cure,lipschitz,nn';

const FLAGS = {
  dataset: {
    name: 'dataset',
    help: `${DATASET_NAMES.join(' | ')} | path of a dataset CSV (x1,x2,label,split)`,
    default: 'spiral',
    parse: (raw: string) => {
      if ((DATASET_NAMES as string[]).includes(raw) || raw.toLowerCase().endsWith('.csv')) return raw;
      throw new FlagError(
        `--dataset must be one of ${DATASET_NAMES.join(', ')} or a path ending in .csv; got "${raw}".`,
      );
    },
  },
  nTrain: {
    name: 'n-train',
    help: 'training points (generated datasets)',
    default: 400,
    parse: number('n-train', 10, 10000, true),
  },
  nTest: {
    name: 'n-test',
    help: 'test points (generated datasets)',
    default: 400,
    parse: number('n-test', 1, 10000, true),
  },
  noise: {
    name: 'noise',
    help: "generator noise in raw units (default: the dataset's own)",
    default: undefined as number | undefined,
    defaultText: 'dataset',
    parse: number('noise', 0, 3),
  },
  classes: {
    name: 'classes',
    help: 'number of classes (gaussians only)',
    default: undefined as number | undefined,
    defaultText: '3',
    parse: number('classes', 2, 8, true),
  },
  seed: {
    name: 'seed',
    help: 'seed of data, initial weights and training',
    default: 0,
    parse: number('seed', 0, 0xffffffff, true),
  },
  methods: {
    name: 'methods',
    help: `comma-separated; each id[:key=value…], e.g. trades:beta=3, llr:variant=repo, at:dropout=0.5. Ids: ${methodIds().join(', ')}`,
    default: DEFAULT_METHODS,
    parse: (raw: string) => {
      try {
        raw.split(',').forEach((m) => parseMethodSpec(m));
      } catch (e) {
        if (e instanceof MethodSpecError) throw new FlagError(`--methods: ${e.message}`);
        throw e;
      }
      return raw;
    },
  },
  eps: {
    name: 'eps',
    help: 'attack radius ε in data units (generated data lies in [−1, 1]²)',
    default: 0.05,
    parse: number('eps', 0, 10),
  },
  norm: {
    name: 'norm',
    help: 'attack and ball norm',
    default: 'linf' as const,
    parse: choice('norm', ['linf', 'l2'] as const),
  },
  hidden: {
    name: 'hidden',
    help: 'hidden layer widths, comma-separated',
    default: [64, 64] as number[],
    defaultText: '64,64',
    parse: (raw: string) => {
      const widths = raw.split(',').map(Number);
      if (
        widths.length < 1 ||
        widths.length > 8 ||
        widths.some((w) => !Number.isInteger(w) || w < 1 || w > 1024)
      ) {
        throw new FlagError(`--hidden must be 1 to 8 comma-separated integers from 1 to 1024; got "${raw}".`);
      }
      return widths;
    },
  },
  activation: {
    name: 'activation',
    help: 'hidden activation',
    default: 'relu' as Activation,
    parse: choice('activation', ACTIVATIONS),
  },
  optimizer: {
    name: 'optimizer',
    help: 'optimizer',
    default: 'adam' as const,
    parse: choice('optimizer', OPTIMIZERS),
  },
  lr: { name: 'lr', help: 'learning rate', default: 0.01, parse: number('lr', 1e-7, 10) },
  momentum: { name: 'momentum', help: 'SGD momentum', default: 0, parse: number('momentum', 0, 0.999) },
  schedule: {
    name: 'schedule',
    help: "learning-rate schedule (multistep = the paper's MultiStepLR milestones, ×0.1)",
    default: 'constant' as const,
    parse: choice('schedule', SCHEDULES),
  },
  epochs: {
    name: 'epochs',
    help: 'passes over the training set',
    default: 300,
    parse: number('epochs', 1, 100000, true),
  },
  batch: { name: 'batch', help: 'minibatch size', default: 128, parse: number('batch', 1, 100000, true) },
  clip: { name: 'clip', help: 'clip attack points to the data box', default: true, parse: bool('clip') },
  backend: {
    name: 'backend',
    help: 'TensorFlow.js backend',
    default: 'wasm' as const,
    parse: choice('backend', NODE_BACKENDS),
  },
  out: {
    name: 'out',
    help: 'folder for results.json, the dataset CSV and the model files (none: print only)',
    default: undefined as string | undefined,
    defaultText: '(none)',
    parse: (raw: string) => raw,
  },
};

const USAGE =
  'Usage: npm run experiment -- [flags]\nTrains every method on one dataset from the same initial weights and prints the paper-style table.';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function loadDataset(flags: ReturnType<typeof parseArgs>): Dataset {
  if (flags.dataset.toLowerCase().endsWith('.csv')) {
    if (!existsSync(flags.dataset)) fail(`--dataset: no file at ${flags.dataset}.`);
    try {
      return datasetFromCsv(
        parseDatasetCsv(readFileSync(flags.dataset, 'utf8')),
        path.basename(flags.dataset, '.csv'),
      );
    } catch (e) {
      fail(`${flags.dataset}: ${(e as Error).message}`);
    }
  }
  try {
    return makeDataset({
      name: flags.dataset as DatasetName,
      nTrain: flags.nTrain,
      nTest: flags.nTest,
      seed: flags.seed,
      noise: flags.noise,
      ...(flags.classes !== undefined ? { classes: flags.classes } : {}),
    });
  } catch (e) {
    fail((e as Error).message);
  }
}

function parseArgs() {
  try {
    const parsed = parseFlags(FLAGS, process.argv.slice(2));
    if (parsed === 'help') {
      process.stdout.write(helpText(USAGE, FLAGS));
      process.exit(0);
    }
    return parsed;
  } catch (e) {
    if (e instanceof FlagError) fail(e.message);
    throw e;
  }
}

const flags = parseArgs();
if (flags.classes !== undefined && flags.dataset !== 'gaussians')
  fail('--classes applies to --dataset gaussians only.');
const data = loadDataset(flags);
const backend = await startNodeBackend(flags.backend).catch((e: Error) => fail(e.message));
const methods = flags.methods.split(',').map((m) => parseMethodSpec(m));
const config: ExperimentConfig = {
  methods,
  eps: flags.eps,
  norm: flags.norm,
  hidden: flags.hidden,
  activation: flags.activation,
  optimizer: flags.optimizer,
  lr: flags.lr,
  momentum: flags.momentum,
  schedule: flags.schedule,
  epochs: flags.epochs,
  batchSize: flags.batch,
  seed: flags.seed,
  clip: flags.clip,
};

process.stderr.write(
  `${data.name}: ${data.train.y.length} train / ${data.test.y.length} test points, ${data.nClasses} classes; ` +
    `backend ${backend.name}; ${methods.length} methods, ${flags.epochs} epochs each\n`,
);
const bar = new SingleBar(
  {
    format: '{bar} {percentage}% | {label} | {stage}',
    hideCursor: true,
    clearOnComplete: true,
    stream: process.stderr,
  },
  Presets.shades_classic,
);
const units = 1000;
bar.start(methods.length * units, 0, { label: '', stage: '' });
const result = await runExperiment(data, config, (e) => {
  if (e.kind === 'train') {
    if (e.step % 10 === 0 || e.step === e.total) {
      bar.update(e.model * units + Math.round((0.8 * units * e.step) / e.total), {
        label: e.label,
        stage: `step ${e.step}/${e.total}, loss ${e.loss.toFixed(4)}`,
      });
    }
  } else {
    bar.update(e.model * units + 0.8 * units, { label: e.label, stage: 'evaluating' });
  }
});
bar.stop();

console.log(resultsTable(result));
console.log('');
for (const note of tableNotes(result, flags.eps, flags.norm)) console.log(note);

if (flags.out) {
  mkdirSync(flags.out, { recursive: true });
  writeFileSync(path.join(flags.out, 'dataset.csv'), datasetCsvText(data));
  const results: ResultsJson = {
    format: 'robust-results/1',
    dataset: {
      name: data.name,
      seed: data.meta.seed ?? 0,
      n_train: data.train.y.length,
      n_test: data.test.y.length,
      separation_linf: result.separationLinf,
    },
    eps: flags.eps,
    norm: flags.norm,
    backend: backend.name,
    models: result.models.map((m) => {
      const modelFile = m.weights ? `${m.spec.key}.model.json` : undefined;
      if (m.weights && modelFile) {
        writeFileSync(
          path.join(flags.out!, modelFile),
          modelJsonText({
            method: m.spec.id,
            hyper: {
              ...m.spec.hyper,
              eps: flags.eps,
              norm: flags.norm,
              variant: m.spec.variant,
              dropout: m.spec.dropout,
            },
            activation: flags.activation,
            layers: m.weights,
          }),
        );
      }
      return {
        method: m.spec.id,
        label: m.spec.label,
        train_acc: m.trainAcc,
        test_acc: m.testAcc,
        adv_test_acc: m.advTestAcc,
        test_lipschitz: m.testLipschitz,
        steps: m.steps,
        seconds: m.seconds,
        ...(modelFile ? { model_file: modelFile } : {}),
        robust_test_acc: m.robustTestAcc,
        robust_resolution: m.robustResolution,
        lipschitz_direction: 'repo',
        test_lipschitz_max: m.testLipschitzMax,
        ...(m.spec.variant ? { variant: m.spec.variant } : {}),
        hyper: m.spec.hyper,
        ...(m.stopped ? { stopped_reason: m.stopped } : {}),
      };
    }),
  };
  writeFileSync(path.join(flags.out, 'results.json'), resultsJsonText(results));
  console.log(
    `\nWrote ${path.join(flags.out, 'results.json')}, dataset.csv and ${result.models.filter((m) => m.weights).length} model files.`,
  );
}
