/**
 * The engine's own check of the sizes in core/limits.ts. The page's controls and the URL decoder keep within
 * them already; this is the guard for everything else that can reach the worker (a hand-made link, a script,
 * a bug), run before the engine lets go of what it has, so a refused call leaves the running page as it was.
 */
import type { Dataset } from '../core/datasets/index.ts';
import { LIMITS, limitText } from '../core/limits.ts';
import type { EngineConfig, FieldSettings, PanelSpec, TrainSettings } from './protocol.ts';

/** A setting outside the limits; the message names it, the limit, and what to do. */
export class LimitError extends RangeError {
  override readonly name = 'LimitError';
}

function fail(message: string): never {
  throw new LimitError(`${message} Nothing was changed.`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function checkTrainSettings(train: TrainSettings): void {
  const { hidden } = train;
  if (!Array.isArray(hidden) || hidden.length < 1 || hidden.length > LIMITS.hiddenLayers) {
    fail(`The network needs 1 to ${LIMITS.hiddenLayers} hidden layers (got ${String(hidden?.length)}).`);
  }
  for (const [k, w] of hidden.entries()) {
    if (!isInt(w) || w < 1 || w > LIMITS.width) {
      fail(`Hidden layer ${k + 1} has ${String(w)} units; use a whole number from 1 to ${LIMITS.width}.`);
    }
  }
  if (!isInt(train.epochs) || train.epochs < 1 || train.epochs > LIMITS.epochs) {
    fail(
      `Epochs must be a whole number from 1 to ${limitText(LIMITS.epochs)} (got ${String(train.epochs)}).`,
    );
  }
  if (!isInt(train.batchSize) || train.batchSize < 1 || train.batchSize > LIMITS.batchSize) {
    fail(
      `The batch size must be a whole number from 1 to ${limitText(LIMITS.batchSize)} (got ${String(train.batchSize)}).`,
    );
  }
  if (!(train.lr > 0 && train.lr <= LIMITS.lr)) {
    fail(`The learning rate must be above 0 and at most ${LIMITS.lr} (got ${String(train.lr)}).`);
  }
  if (!isInt(train.seed) || train.seed < 0)
    fail(`The seed must be a whole number ≥ 0 (got ${String(train.seed)}).`);
  if (!(train.trainEps >= 0 && train.trainEps <= 1)) {
    fail(`ε_train must be from 0 to 1 (got ${String(train.trainEps)}).`);
  }
}

export function checkField(field: FieldSettings): void {
  const r = field.resolution;
  if (!isInt(r) || r < 2 || r > LIMITS.resolution) {
    fail(`The heatmap needs 2 to ${LIMITS.resolution} cells per side (got ${String(r)}).`);
  }
}

export function checkPanels(panels: readonly PanelSpec[]): void {
  if (panels.length > LIMITS.panels) {
    fail(`A page holds at most ${LIMITS.panels} panels (got ${panels.length}); remove some.`);
  }
  const ids = new Set(panels.map((p) => p.id));
  if (ids.size !== panels.length) fail('Two panels have the same id.');
}

/** The points the engine would train on: sizes, classes, finite coordinates and labels in range. */
export function checkDataset(data: Dataset): void {
  const nTrain = data.train.y.length;
  const nTest = data.test.y.length;
  if (nTrain > LIMITS.trainPoints || nTest > LIMITS.testPoints) {
    fail(
      `The data has ${limitText(nTrain)} training and ${limitText(nTest)} test points; the playground takes at ` +
        `most ${limitText(LIMITS.trainPoints)} and ${limitText(LIMITS.testPoints)}. Sample it down.`,
    );
  }
  if (nTrain === 0) fail('The data has no training points; add some.');
  if (!isInt(data.nClasses) || data.nClasses < 2 || data.nClasses > LIMITS.classes) {
    fail(`The data has ${String(data.nClasses)} classes; the playground takes 2 to ${LIMITS.classes}.`);
  }
  for (const [split, p] of [
    ['training', data.train],
    ['test', data.test],
  ] as const) {
    if (p.x.length !== 2 * p.y.length)
      fail(`The ${split} points' coordinates and labels do not match in number.`);
    for (let i = 0; i < p.x.length; i++) {
      if (!Number.isFinite(p.x[i]!)) fail(`A ${split} point has a coordinate that is not a finite number.`);
    }
    for (let i = 0; i < p.y.length; i++) {
      const y = p.y[i]!;
      if (!(y >= 0 && y < data.nClasses))
        fail(`A ${split} point has label ${y}, outside 0 … ${data.nClasses - 1}.`);
    }
  }
}

/** Every check of a whole configuration except the data's (which needs the built dataset). */
export function checkConfig(config: EngineConfig): void {
  checkTrainSettings(config.train);
  checkField(config.field);
  checkPanels(config.panels);
}
