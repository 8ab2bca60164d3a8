/** One method's panel: its picture, its numbers under it, and its own settings (which retrain it alone). */
import { memo, useCallback } from 'react';
import {
  IMPORTED_METHOD,
  type DatasetInfo,
  type PanelSpec,
  type PathsReply,
  type EvalSettings,
  type FieldKind,
} from '../engine/protocol.ts';
import { METHOD_INFO } from '../ml/methods/catalog.ts';
import type { Action, ViewSettings } from '../state/settings.ts';
import { NN_METHOD, normLabel } from '../state/settings.ts';
import { PanelPlot, Sparkline, type PanelPlotHover } from './charts/index.ts';
import type { PanelPlotEditing } from './charts/PanelPlot.tsx';
import type { PanelView } from './useEngine.ts';
import { dataValue, num, pct } from './format.ts';
import { Help } from './Help.tsx';
import { DraftNumber, SliderField } from './SliderField.tsx';

export interface MethodPanelProps {
  readonly view: PanelView;
  readonly spec: PanelSpec;
  readonly dataset: DatasetInfo;
  readonly evaluation: EvalSettings;
  readonly viewSettings: ViewSettings;
  readonly fieldKind: FieldKind;
  readonly fieldRange: { min: number; max: number } | undefined;
  readonly size: number;
  readonly paths: PathsReply | null;
  readonly color: string;
  readonly highlight: { split: 'train' | 'test'; index: number } | null;
  readonly onHover: (panelId: string, p: PanelPlotHover | null) => void;
  readonly onExport: (panelId: string) => void;
  /** Restore a diverged panel's last good weights and halve its learning rate. */
  readonly onRecover: (panelId: string) => void;
  /** Registers the panel's element, so pictures pause while it is scrolled out of view. */
  readonly observe: (panelId: string, el: Element | null) => void;
  readonly dispatch: (a: Action) => void;
  /** Hand edits of the points on this panel's plot; null where the page only shows (an embed). */
  readonly editing: PanelPlotEditing | null;
  /** The embed's figure: the picture and the numbers, without the panel's own settings and downloads. */
  readonly compact: boolean;
}

/** Memoised: a training page re-renders often, and a panel need only redraw when its own props change. */
export const MethodPanel = memo(function MethodPanel(props: MethodPanelProps) {
  const { view, spec, dataset, evaluation, viewSettings, size } = props;
  const { frame, progress, metrics, info } = view;
  const { observe } = props;
  // A stable ref: a new callback each render would unobserve and re-observe the panel on every frame.
  const observeRef = useCallback((el: HTMLElement | null) => observe(spec.id, el), [observe, spec.id]);
  const nTest = dataset.testY.length;
  const current =
    metrics !== null &&
    metrics.eps === evaluation.eps &&
    metrics.norm === evaluation.norm &&
    metrics.dataVersion === dataset.version;
  // Verdicts per test point are drawn on the points they were computed for: after an edit that added or deleted
  // test points, they wait for fresh ones.
  const aligned = metrics !== null && metrics.ballStatus.length === nTest;
  const imported = spec.method === IMPORTED_METHOD;
  const step = progress?.step ?? 0;
  const done = progress?.done ?? false;
  const stateText = progress?.stopped
    ? 'stopped'
    : done
      ? spec.method === NN_METHOD
        ? 'built, not trained'
        : imported
          ? 'opened from a file, not trained here'
          : `done · ${progress?.epoch ?? 0} epochs`
      : `epoch ${progress?.epoch ?? 0} · step ${step} / ${progress?.totalSteps ?? '…'}`;
  return (
    <article
      className="panel"
      data-testid="panel"
      ref={observeRef}
      data-panel-id={spec.id}
      data-method={spec.method}
      data-step={step}
      data-frame-step={frame?.step ?? -1}
      data-done={String(done)}
      data-metrics-step={metrics?.step ?? ''}
      data-metrics-eps={metrics?.eps ?? ''}
      style={{ borderTopColor: props.color }}
    >
      <header className="panel-head">
        <h3 title={info.label}>{info.label}</h3>
        <Help title={info.label}>
          {info.summary}
          <span className="formula">{info.formula}</span>
          <span className="source">Source: {info.source}</span>
          {info.variantLabel && <span className="source">Variant: {info.variantLabel}</span>}
        </Help>
        {!props.compact && !imported && <PanelSettings spec={spec} dispatch={props.dispatch} />}
        {!props.compact && spec.method !== NN_METHOD && (
          <button
            type="button"
            className="icon"
            title="Download this model (robust-mlp/1 JSON)"
            aria-label={`Download the ${info.label} model`}
            onClick={() => props.onExport(spec.id)}
          >
            ⤓
          </button>
        )}
        {!props.compact && (
          <button
            type="button"
            className="icon"
            title="Remove this panel"
            aria-label={`Remove ${info.label}`}
            onClick={() => props.dispatch({ type: 'removePanel', id: spec.id })}
          >
            ×
          </button>
        )}
      </header>
      <PanelPlot
        box={dataset.box}
        size={size}
        field={
          frame ? { ...frame.field, grid: frame.grid, classes: frame.classes, margin: frame.margin } : null
        }
        nClasses={dataset.nClasses}
        norm={metrics?.norm ?? evaluation.norm}
        eps={metrics?.eps ?? evaluation.eps}
        train={{ x: dataset.trainX, y: dataset.trainY }}
        test={{ x: dataset.testX, y: dataset.testY }}
        showTrain={viewSettings.showTrain}
        showTest={viewSettings.showTest}
        showBalls={viewSettings.showBalls}
        ballStatus={aligned ? metrics.ballStatus : null}
        advX={aligned ? metrics.advX : null}
        advSuccess={aligned ? metrics.advSuccess : null}
        paths={viewSettings.showPaths && props.paths ? props.paths : null}
        fieldRange={props.fieldRange}
        highlight={props.highlight}
        onHover={(p) => props.onHover(spec.id, p)}
        editing={props.editing}
        label={`${info.label}: ${props.fieldKind} field, decision boundary, points and ε-balls`}
      />
      <p className={`panel-state${progress?.stopped ? ' warn' : ''}`} role="status">
        {stateText}
        {!current && metrics && <span className="stale"> · updating numbers…</span>}
      </p>
      {progress?.stopped && (
        <div className="diverged" role="alert">
          <p className="warn">{progress.stopped}</p>
          {progress.lastGood && progress.lr !== null && (
            <button type="button" data-testid="recover" onClick={() => props.onRecover(spec.id)}>
              Restore{' '}
              {progress.lastGood.step === 0
                ? 'the initial weights'
                : `the weights of epoch ${progress.lastGood.epoch}`}{' '}
              and halve the learning rate to {num(progress.lr / 2)}
            </button>
          )}
        </div>
      )}
      {!progress?.stopped && (progress?.recoveries ?? 0) > 0 && progress!.lr !== null && (
        <p className="note" data-testid="recovered">
          Learning rate {num(progress!.lr)}: halved{' '}
          {progress!.recoveries === 1 ? 'once' : `${progress!.recoveries} times`} after a divergence (Reset
          goes back to the setting).
        </p>
      )}
      {view.error && <p className="warn">{view.error}</p>}
      <dl className="metrics">
        <Metric
          name="trainAcc"
          label="train"
          title="Accuracy on the training points"
          value={metrics?.trainAcc}
          text={pct(metrics?.trainAcc)}
        />
        <Metric
          name="testAcc"
          label="test"
          title="Accuracy on the test points"
          value={metrics?.testAcc}
          text={pct(metrics?.testAcc)}
        />
        <Metric
          name="advTestAcc"
          label="adv"
          title={`Adversarial test accuracy${metrics?.attack ? ` under ${metrics.attack}, ε = ${metrics.eps}` : ''}`}
          value={metrics?.advTestAcc}
          text={pct(metrics?.advTestAcc)}
        />
        <Metric
          name="robustAcc"
          label="robust"
          title="Test points whose whole ε-ball is classified correctly, by an exact 2D search of the ball"
          value={metrics ? metrics.robustCount / Math.max(1, nTest) : undefined}
          text={metrics ? pct(metrics.robustCount / Math.max(1, nTest)) : '–'}
        />
        <Metric
          name="lipschitz"
          label="Lip."
          title={`Average local Lipschitz estimate on the test points${metrics ? `: ${metrics.lipschitzLabel}` : ''}`}
          value={metrics?.lipschitz}
          text={num(metrics?.lipschitz)}
        />
      </dl>
      <p className="robust-count" data-metric="robustCount" data-value={metrics ? metrics.robustCount : ''}>
        {metrics
          ? `${metrics.robustCount} / ${nTest} robust at ε = ${metrics.eps} (${normLabel(metrics.norm)})${
              metrics.undecidedCount > 0 ? `, ${metrics.undecidedCount} undecided` : ''
            }`
          : 'robust balls: computing…'}
      </p>
      {metrics?.nn && (
        <p
          className="nn-check"
          data-metric="nnRobustTrainAtR"
          data-value={metrics.nn.robustTrainAccAtR}
          data-r={metrics.nn.r}
        >
          r = {num(metrics.nn.r)}: {pct(metrics.nn.robustTrainAccAtR)} of training points robust at r (exact
          search at 0.999·r)
        </p>
      )}
      {spec.imported?.reported && (
        <p className="reported" data-testid="reported">
          The runner reported: test {pct(spec.imported.reported.testAcc)}, adv{' '}
          {pct(spec.imported.reported.advTestAcc)} at ε = {spec.imported.reported.eps} (
          {normLabel(spec.imported.reported.norm)}), Lip. {num(spec.imported.reported.lipschitz)}.
        </p>
      )}
      {spec.method !== NN_METHOD && !imported && !props.compact && (
        <Sparkline
          values={progress?.epochLosses ?? []}
          width={size}
          height={30}
          label="training loss per epoch"
        />
      )}
    </article>
  );
});

function Metric(props: {
  name: string;
  label: string;
  value: number | undefined;
  text: string;
  title?: string;
}) {
  return (
    <div className="metric" data-metric={props.name} data-value={dataValue(props.value)} title={props.title}>
      <dt>{props.label}</dt>
      <dd>{props.text}</dd>
    </div>
  );
}

/** The panel's own settings: variant, hyperparameters, dropout (or the construction's r). */
function PanelSettings({ spec, dispatch }: { spec: PanelSpec; dispatch: (a: Action) => void }) {
  const update = (patch: Partial<Omit<PanelSpec, 'id'>>) =>
    dispatch({ type: 'updatePanel', id: spec.id, patch });
  if (spec.method === NN_METHOD) {
    return (
      <details className="settings">
        <summary title="Settings of this panel" aria-label="Settings of this panel">
          ⚙
        </summary>
        <div className="settings-body">
          <label>
            r (blank: half the separation)
            <DraftNumber value={spec.r} min={1e-6} max={10} label="r" onCommit={(r) => update({ r })} />
          </label>
        </div>
      </details>
    );
  }
  const method = METHOD_INFO[spec.method]!;
  return (
    <details className="settings">
      <summary
        title="Settings of this panel (changing one retrains this panel only)"
        aria-label={`Settings of ${spec.method} (retrains this panel only)`}
      >
        ⚙
      </summary>
      <div className="settings-body">
        {method.variants && (
          <label>
            variant
            <select value={spec.variant} onChange={(e) => update({ variant: e.target.value })}>
              {method.variants.map((v) => (
                <option key={v.id} value={v.id} title={v.description}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {method.hyper.map((h) => (
          <SliderField
            key={h.key}
            label={h.label}
            title={h.description}
            value={spec.hyper[h.key] ?? h.default}
            min={h.min}
            max={h.max}
            log={h.scale === 'log'}
            integer={Number.isInteger(h.default) && Number.isInteger(h.min) && h.key === 'steps'}
            onCommit={(v) => update({ hyper: { ...spec.hyper, [h.key]: v } })}
          />
        ))}
        <SliderField
          label="dropout"
          title="Dropout after each hidden layer while training (the paper's v3 finding: it narrows the generalization gap)"
          value={spec.dropout}
          min={0}
          max={0.9}
          log={false}
          integer={false}
          onCommit={(dropout) => update({ dropout })}
        />
      </div>
    </details>
  );
}
