/**
 * What the engine builds from the app's plain settings: the dataset of a data source, and each panel's method
 * text (one parser, methodSpec.ts, validates the app's panels and the runner's flags alike) and description.
 */
import { makeDataset, type Dataset } from '../core/datasets/index.ts';
import { applyEdits, EditError, type PointEdit } from '../core/datasets/edits.ts';
import { METHODS } from '../ml/methods/index.ts';
import { NN_ID, type MethodSpec } from './methodSpec.ts';
import {
  IMPORTED_METHOD,
  MAX_EDITED_TRAIN_POINTS,
  type DataSource,
  type ImportedModel,
  type PanelInfo,
  type PanelSpec,
} from './protocol.ts';

export function buildDataset(source: DataSource): Dataset {
  if (source.kind === 'generator') {
    return makeDataset({
      name: source.name,
      nTrain: source.nTrain,
      nTest: source.nTest,
      seed: source.seed,
      ...source.params,
    });
  }
  return {
    name: source.name,
    nClasses: source.nClasses,
    train: { x: source.trainX, y: source.trainY },
    test: { x: source.testX, y: source.testY },
    meta: {
      source: 'csv',
      params: { nTrain: source.trainY.length, nTest: source.testY.length },
      seed: null,
      testSeed: null,
      scale: 1,
      offset: [0, 0],
      box: source.box,
    },
  };
}

/**
 * `source` after the hand `edits` (core/datasets/edits.ts), within the engine's limit of
 * {@link MAX_EDITED_TRAIN_POINTS} training points.
 *
 * @throws EditError naming the edit that cannot apply, or the size, with what to do
 */
export function editedDataset(source: Dataset, edits: readonly PointEdit[]): Dataset {
  let data: Dataset;
  try {
    data = applyEdits(source, edits);
  } catch (e) {
    if (e instanceof EditError)
      throw new EditError(`${e.message} The points stay as they were: undo the edit or reset the data.`);
    throw e;
  }
  const n = data.train.y.length;
  if (n > MAX_EDITED_TRAIN_POINTS && n > source.train.y.length) {
    throw new EditError(
      `The edits make ${n} training points, more than the ${MAX_EDITED_TRAIN_POINTS} the playground trains on; ` +
        'the points stay as they were: delete points or undo the last additions.',
    );
  }
  return data;
}

/**
 * The runner's `id[:key=value…]` text of a panel, so one parser validates both. Not for an imported panel
 * (it has no runner text): see {@link importedMethodSpec}.
 */
export function specText(spec: PanelSpec): string {
  if (spec.method === IMPORTED_METHOD) throw new Error('An imported panel has no method text.');
  if (spec.method === NN_ID) return spec.r === null ? NN_ID : `${NN_ID}:r=${spec.r}`;
  const parts = [spec.method];
  if (spec.variant) parts.push(`variant=${spec.variant}`);
  for (const [k, v] of Object.entries(spec.hyper)) parts.push(`${k}=${v}`);
  if (spec.dropout > 0) parts.push(`dropout=${spec.dropout}`);
  return parts.join(':');
}

/** The method spec of an imported panel (never trained): its label names the file and the recorded method. */
export function importedMethodSpec(imported: ImportedModel | undefined): MethodSpec {
  const label = imported
    ? `Imported: ${imported.fileName} (${recordedMethodName(imported.model.method)})`
    : 'Imported: no file';
  return { id: IMPORTED_METHOD, hyper: {}, variant: '', dropout: 0, label, key: IMPORTED_METHOD };
}

function recordedMethodName(method: string): string {
  if (method === NN_ID) return '1-NN construction';
  return METHODS[method]?.name ?? method;
}

export function panelInfo(spec: PanelSpec, method: MethodSpec): PanelInfo {
  if (spec.method === IMPORTED_METHOD) {
    const imported = spec.imported;
    const recorded = imported ? METHODS[imported.model.method] : undefined;
    const settings = imported
      ? Object.entries(imported.model.hyper).map(([k, v]) => {
          const label = recorded?.hyper.find((h) => h.key === k)?.label ?? (k === 'eps' ? 'ε' : k);
          return `${label} = ${String(v)}`;
        })
      : [];
    const trainedWith = imported
      ? `trained with ${[recordedMethodName(imported.model.method), ...settings].join(', ')}`
      : 'no model given';
    return {
      id: spec.id,
      label: method.label,
      method: IMPORTED_METHOD,
      summary:
        `Not trained here: weights from ${imported?.fileName ?? 'no file'} (${trainedWith}), evaluated on these ` +
        'points at this threat model; the training settings do not apply to it.',
      formula: recorded?.formula ?? '',
      source: recorded ? recorded.source : 'An imported robust-mlp/1 model file',
      variantLabel: '',
    };
  }
  if (spec.method === NN_ID) {
    return {
      id: spec.id,
      label: method.label,
      method: NN_ID,
      summary:
        'Not trained: f(x) = (d(x, X₀) − d(x, X₁)) / (2r), the signed distance to the two classes; robust by construction at radius r when the classes are 2r-separated.',
      formula:
        'f(x) = (d(x, X₀) − d(x, X₁)) / (2r); class = sign f; margin form min_{c′≠c} d_{c′}(x) − d_c(x) for several classes',
      source: 'Yang et al. 2020, Theorem 4.2 (the notebook’s scaled 1-nearest-neighbour function)',
      variantLabel: '',
    };
  }
  const m = METHODS[spec.method]!;
  const variant = m.variants?.find((v) => v.id === method.variant);
  return {
    id: spec.id,
    label: method.label,
    method: m.id,
    summary: m.summary,
    formula: m.formula,
    source: m.source,
    variantLabel: variant ? variant.label : '',
  };
}
