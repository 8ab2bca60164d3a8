/**
 * What the engine builds from the app's plain settings: the dataset of a data source, and each panel's method
 * text (one parser, methodSpec.ts, validates the app's panels and the runner's flags alike) and description.
 */
import { makeDataset, type Dataset } from '../core/datasets/index.ts';
import { METHODS } from '../ml/methods/index.ts';
import { NN_ID, type MethodSpec } from './methodSpec.ts';
import type { DataSource, PanelInfo, PanelSpec } from './protocol.ts';

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

/** The runner's `id[:key=value…]` text of a panel, so one parser validates both. */
export function specText(spec: PanelSpec): string {
  if (spec.method === NN_ID) return spec.r === null ? NN_ID : `${NN_ID}:r=${spec.r}`;
  const parts = [spec.method];
  if (spec.variant) parts.push(`variant=${spec.variant}`);
  for (const [k, v] of Object.entries(spec.hyper)) parts.push(`${k}=${v}`);
  if (spec.dropout > 0) parts.push(`dropout=${spec.dropout}`);
  return parts.join(':');
}

export function panelInfo(spec: PanelSpec, method: MethodSpec): PanelInfo {
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
