/** The settings: data, threat model, training, architecture, what to draw, and panels to add. */
import { useState } from 'react';
import { COMMON_PARAMS, DATASETS, type DatasetName } from '../core/datasets/index.ts';
import { classifyOpened } from '../state/openFile.ts';
import { readFiles } from './export/download.ts';
import type { Norm } from '../core/types.ts';
import type { FieldKind } from '../engine/protocol.ts';
import {
  ACTIVATION_OPTIONS,
  OPTIMIZER_OPTIONS,
  PANEL_PRESETS,
  type Action,
  type DemoState,
} from '../state/settings.ts';
import { SliderField } from './SliderField.tsx';
import { Help } from './Help.tsx';

const FIELD_LABELS: Record<FieldKind, string> = {
  probability: 'class probability',
  margin: 'margin (logit gap)',
  gradient: 'local slope ‖∇ₓ margin‖ (dual norm)',
  ratio: 'paper’s local Lipschitz ratio (ε-ball search)',
};

export function Controls({ state, dispatch }: { state: DemoState; dispatch: (a: Action) => void }) {
  const { data, train, evaluation, view } = state;
  const generator = data.name === 'csv' ? null : DATASETS[data.name];
  const params = data.name === 'csv' ? {} : data.params[data.name];
  const [csvMessage, setCsvMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const onCsv = async (file: File) => {
    // One reader for every way a dataset comes in (this button, the header's "open", a results folder); its size
    // is checked before a byte is read.
    let opened: ReturnType<typeof classifyOpened>;
    try {
      opened = classifyOpened(await readFiles([file]));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      setCsvMessage({ ok: false, text: `${why} Your current data is unchanged.` });
      return;
    }
    if (opened.kind === 'dataset') {
      dispatch({ type: 'importCsv', points: opened.points });
      setCsvMessage({ ok: true, text: opened.message });
    } else {
      setCsvMessage({
        ok: false,
        text:
          opened.kind === 'error'
            ? opened.message
            : `${file.name} is not a dataset CSV (x1,x2,label,split); open it with “export / open” in the header. Your current data is unchanged.`,
      });
    }
  };
  return (
    <div className="controls">
      <fieldset>
        <legend>Data</legend>
        <label>
          dataset
          <select
            data-testid="dataset-select"
            value={data.name}
            onChange={(e) => dispatch({ type: 'setDataset', name: e.target.value as DatasetName | 'csv' })}
          >
            {(Object.keys(DATASETS) as DatasetName[]).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
            <option value="csv" disabled={!data.csv}>
              {data.csv ? `CSV: ${data.csv.name}` : 'CSV (upload below)'}
            </option>
          </select>
        </label>
        {generator && <p className="hint">{generator.description}</p>}
        {generator?.params.map((p) => (
          <SliderField
            key={`${data.name}-${p.name}`}
            label={p.name}
            title={p.description}
            value={params[p.name] ?? p.default}
            min={p.min}
            max={p.name === 'radius' ? 3 : p.max}
            log={false}
            integer={p.integer}
            onCommit={(value) => dispatch({ type: 'setDataParam', key: p.name, value })}
          />
        ))}
        {generator && (
          <>
            <SliderField
              label="train points"
              title={COMMON_PARAMS[0]!.description}
              value={data.nTrain}
              min={20}
              max={2000}
              log
              integer
              onCommit={(nTrain) => dispatch({ type: 'setData', patch: { nTrain } })}
            />
            <SliderField
              label="test points"
              title={COMMON_PARAMS[1]!.description}
              value={data.nTest}
              min={0}
              max={2000}
              log={false}
              integer
              onCommit={(nTest) => dispatch({ type: 'setData', patch: { nTest } })}
            />
            <label>
              data seed
              <span className="row">
                <input
                  className="num"
                  type="number"
                  min={0}
                  value={data.seed}
                  onChange={(e) => {
                    const seed = Number(e.target.value);
                    if (Number.isInteger(seed) && seed >= 0) dispatch({ type: 'setData', patch: { seed } });
                  }}
                />
                <button
                  type="button"
                  onClick={() => dispatch({ type: 'setData', patch: { seed: data.seed + 1 } })}
                  title="Draw new points (next seed)"
                >
                  new draw
                </button>
              </span>
            </label>
          </>
        )}
        <label className="file">
          upload CSV (x1,x2,label,split)
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void onCsv(f);
              e.target.value = '';
            }}
          />
        </label>
        {csvMessage && (
          <p className={csvMessage.ok ? 'hint' : 'warn'} role="alert" data-testid="csv-message">
            {csvMessage.text}
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>
          Threat model (views and numbers)
          <Help title="ε and the norm">
            The attacker may move a test point anywhere in the ball of radius ε around it: a square for L∞, a
            disc for L2. Changing them re-runs the attacks and the exact ball search; nothing retrains.
          </Help>
        </legend>
        <label className="slider-field">
          <span>ε</span>
          <input
            type="range"
            data-testid="eps-slider"
            min={0.005}
            max={0.3}
            step={0.005}
            value={evaluation.eps}
            onChange={(e) => dispatch({ type: 'setEval', patch: { eps: Number(e.target.value) } })}
          />
          <output data-testid="eps-value">{evaluation.eps.toFixed(3)}</output>
        </label>
        <NormPicker
          name="eval-norm"
          value={evaluation.norm}
          onChange={(norm) => dispatch({ type: 'setEval', patch: { norm } })}
        />
      </fieldset>

      <fieldset>
        <legend>View</legend>
        <label>
          heatmap
          <select
            data-testid="field-select"
            value={state.field.kind}
            onChange={(e) => dispatch({ type: 'setField', kind: e.target.value as FieldKind })}
          >
            {(Object.keys(FIELD_LABELS) as FieldKind[]).map((k) => (
              <option key={k} value={k}>
                {FIELD_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <div className="checks">
          {(
            [
              ['showTrain', 'training points'],
              ['showTest', 'test points'],
              ['showBalls', 'ε-balls'],
              ['showPaths', 'PGD paths'],
            ] as const
          ).map(([key, label]) => (
            <label key={key} className="check">
              <input
                type="checkbox"
                checked={view[key]}
                onChange={(e) => dispatch({ type: 'setView', patch: { [key]: e.target.checked } })}
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>
          Training (all panels)
          <Help title="Shared training settings">
            Every panel starts from the same initial weights (drawn from the seed) and sees the same
            minibatches; only the loss differs. Changing anything here retrains every panel. The robust
            methods train against their own threat model (ε_train), which the ε slider above does not change.
          </Help>
        </legend>
        <SliderField
          label="ε_train"
          title="The radius the robust methods (AT, TRADES, LLR, CURE, RST, GR dual) train against"
          value={train.trainEps}
          min={0}
          max={0.3}
          log={false}
          integer={false}
          onCommit={(trainEps) => dispatch({ type: 'setTrain', patch: { trainEps } })}
        />
        <NormPicker
          name="train-norm"
          value={train.trainNorm}
          onChange={(trainNorm) => dispatch({ type: 'setTrain', patch: { trainNorm } })}
        />
        <label>
          optimizer
          <select
            value={train.optimizer}
            onChange={(e) =>
              dispatch({
                type: 'setTrain',
                patch: { optimizer: e.target.value as (typeof OPTIMIZER_OPTIONS)[number] },
              })
            }
          >
            {OPTIMIZER_OPTIONS.map((o) => (
              <option key={o} value={o}>
                {o === 'adam' ? 'Adam' : 'SGD'}
              </option>
            ))}
          </select>
        </label>
        <SliderField
          label="learning rate"
          value={train.lr}
          min={1e-4}
          max={1}
          log
          integer={false}
          onCommit={(lr) => dispatch({ type: 'setTrain', patch: { lr } })}
        />
        <SliderField
          label="batch size"
          value={train.batchSize}
          min={8}
          max={1024}
          log
          integer
          onCommit={(batchSize) => dispatch({ type: 'setTrain', patch: { batchSize } })}
        />
        <SliderField
          label="epochs"
          value={train.epochs}
          min={1}
          max={2000}
          log
          integer
          onCommit={(epochs) => dispatch({ type: 'setTrain', patch: { epochs } })}
        />
        <label>
          seed (weights, batches, attacks)
          <input
            className="num"
            type="number"
            min={0}
            value={train.seed}
            onChange={(e) => {
              const seed = Number(e.target.value);
              if (Number.isInteger(seed) && seed >= 0) dispatch({ type: 'setTrain', patch: { seed } });
            }}
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>Architecture</legend>
        <SliderField
          label="hidden layers"
          value={train.hidden.length}
          min={1}
          max={4}
          log={false}
          integer
          onCommit={(depth) =>
            dispatch({
              type: 'setTrain',
              patch: { hidden: Array.from({ length: depth }, () => train.hidden[0] ?? 64) },
            })
          }
        />
        <SliderField
          label="width"
          value={train.hidden[0] ?? 64}
          min={2}
          max={256}
          log
          integer
          onCommit={(width) =>
            dispatch({ type: 'setTrain', patch: { hidden: train.hidden.map(() => width) } })
          }
        />
        <label>
          activation
          <select
            value={train.activation}
            onChange={(e) =>
              dispatch({
                type: 'setTrain',
                patch: { activation: e.target.value as (typeof ACTIVATION_OPTIONS)[number] },
              })
            }
          >
            {ACTIVATION_OPTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
      </fieldset>

      <fieldset>
        <legend>Add a panel</legend>
        <div className="add-panels">
          {PANEL_PRESETS.map((p) => (
            <button
              key={p.key}
              type="button"
              data-testid={`add-${p.key}`}
              onClick={() => dispatch({ type: 'addPanel', preset: p.key })}
            >
              + {p.label}
            </button>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

function NormPicker(props: { name: string; value: Norm; onChange: (n: Norm) => void }) {
  return (
    <div className="norm" role="radiogroup" aria-label="norm">
      {(['linf', 'l2'] as const).map((n) => (
        <label key={n} className="check">
          <input
            type="radio"
            name={props.name}
            checked={props.value === n}
            onChange={() => props.onChange(n)}
          />
          {n === 'linf' ? 'L∞ (squares)' : 'L2 (discs)'}
        </label>
      ))}
    </div>
  );
}
