/** The page: header and transport, the live table and curves, the data view, a panel per method, the controls. */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { PathsReply, PointInfo } from '../engine/protocol.ts';
import type { BackendName } from '../ml/backend.ts';
import { SERIES_COLORS } from '../render/colors.ts';
import { fieldRange } from '../render/field.ts';
import { NN_METHOD, normLabel, reduce, type DemoState } from '../state/settings.ts';
import { Controls } from './Controls.tsx';
import { DataView } from './DataView.tsx';
import { Explanations } from './Explanations.tsx';
import { MethodPanel } from './MethodPanel.tsx';
import { PaperTable } from './PaperTable.tsx';
import { BackendBadge, Transport } from './Header.tsx';
import { RobustCurve, FieldLegend, type PanelPlotHover } from './charts/index.ts';
import { fieldLegend } from '../render/colors.ts';
import { useEngine } from './useEngine.ts';
import { CURVE_EPS, useEngineSync } from './useEngineSync.ts';
import { useWidth } from './useWidth.ts';
import { useVisibility } from './useVisibility.ts';
import { workerCount, type WorkerSetting } from '../state/launch.ts';
import { num } from './format.ts';
import { reportError } from './errors.ts';

const PANEL_MIN = 260;
const PANEL_MAX = 380;
const GAP = 14;

export function App({
  initial,
  pinned,
  workers,
  notices,
}: {
  initial: DemoState;
  pinned: BackendName | null;
  workers: WorkerSetting;
  notices: readonly string[];
}) {
  const [state, dispatch] = useReducer(reduce, initial);
  const [backendChoice, setBackendChoice] = useState(pinned);
  const [workersUsed] = useState(() => workerCount(workers, initial.panels.length));
  const engineView = useEngine(backendChoice, workersUsed);
  const chooseBackend = useCallback((choice: BackendName | null) => {
    const url = new URL(window.location.href);
    if (choice) url.searchParams.set('backend', choice);
    else url.searchParams.delete('backend');
    window.history.replaceState(null, '', url);
    setBackendChoice(choice);
  }, []);
  const { visibleIds, observe } = useVisibility();
  const { engine, pump, dataset, panels, running, backend } = engineView;
  const playing = useRef(true);
  const [wantPlay, setWantPlay] = useState(true);
  const [syncError, setSyncError] = useState<string | null>(notices.length > 0 ? notices.join(' ') : null);
  const report = useCallback((message: string) => {
    reportError(message);
    setSyncError(message);
  }, []);
  useEngineSync(engine, state, playing, report);

  const colors = useMemo(
    () => new Map(state.panels.map((p, i) => [p.id, SERIES_COLORS[i % SERIES_COLORS.length]!])),
    [state.panels],
  );

  // ---- status ----
  const allDone = panels.length > 0 && panels.every((p) => p.progress?.done);
  const allFresh =
    panels.length > 0 &&
    panels.every(
      (p) =>
        p.metrics !== null &&
        p.progress !== null &&
        p.metrics.step === p.progress.step &&
        p.metrics.eps === state.evaluation.eps &&
        p.metrics.norm === state.evaluation.norm,
    );
  const status =
    !engine || !dataset
      ? 'starting'
      : allDone && allFresh
        ? 'done'
        : running
          ? 'training'
          : allDone
            ? 'training'
            : 'paused';

  // ---- pictures of the panels on screen, at display rate ----
  const panelIds = panels.map((p) => p.info.id).join(',');
  useEffect(() => {
    // Out of view, a panel gets no pictures while training; once training stops, every panel gets its final one
    // (a full-page screenshot or a printout shows them all).
    const ids = running ? visibleIds : panelIds.split(',').filter(Boolean);
    pump?.update({ visibleIds: ids, running, resolution: state.field.resolution });
  }, [pump, visibleIds, running, panelIds, state.field]);

  // ---- robust accuracy vs ε, once the panels are trained ----
  const curveKey = allDone
    ? `${engineView.datasetVersion}|${state.evaluation.norm}|${panels.map((p) => `${p.info.id}:${p.generation}`).join(',')}`
    : '';
  const requestedCurves = useRef('');
  useEffect(() => {
    if (!engine || !curveKey || requestedCurves.current === curveKey) return;
    requestedCurves.current = curveKey;
    engine.requestCurves(CURVE_EPS).catch((e: unknown) => report(String(e)));
  }, [engine, curveKey, report]);

  // ---- PGD paths, on demand ----
  const [paths, setPaths] = useState<ReadonlyMap<string, PathsReply>>(new Map());
  const pathsKey = state.view.showPaths
    ? panels
        .map((p) => `${p.info.id}:${p.generation}:${p.metrics?.step}:${p.metrics?.eps}:${p.metrics?.norm}`)
        .join(',')
    : '';
  useEffect(() => {
    if (!engine || !pathsKey) return;
    let cancelled = false;
    void (async () => {
      const out = new Map<string, PathsReply>();
      for (const p of panels) {
        const reply = await engine.paths(p.info.id);
        if (reply) out.set(p.info.id, reply);
      }
      if (!cancelled) setPaths(out);
    })().catch((e: unknown) => report(String(e)));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, pathsKey]);

  // ---- hover: a point's own numbers ----
  const [hover, setHover] = useState<{ panelId: string; at: PanelPlotHover; info: PointInfo | null } | null>(
    null,
  );
  const hoverSeq = useRef(0);
  const onHover = useCallback(
    (panelId: string, at: PanelPlotHover | null) => {
      const seq = ++hoverSeq.current;
      if (!at) {
        setHover(null);
        return;
      }
      setHover((h) => ({
        panelId,
        at,
        info:
          h && h.panelId === panelId && h.info?.index === at.index && h.info.split === at.split
            ? h.info
            : null,
      }));
      engine
        ?.pointInfo(panelId, at.split, at.index)
        .then((info) => {
          if (seq === hoverSeq.current) setHover({ panelId, at, info });
        })
        .catch((e: unknown) => report(String(e)));
    },
    [engine, report],
  );

  const onExport = useCallback(
    (panelId: string) => {
      engine
        ?.exportModel(panelId)
        .then((text) => {
          if (!text) return;
          const label = panels.find((p) => p.info.id === panelId)?.info.method ?? 'model';
          const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
          const a = document.createElement('a');
          a.href = url;
          a.download = `${label}.model.json`;
          a.click();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
        })
        .catch((e: unknown) => report(String(e)));
    },
    [engine, panels, report],
  );

  // ---- layout ----
  const [panelsRef, panelsWidth] = useWidth<HTMLDivElement>(1000);
  const cols = Math.max(1, Math.floor((panelsWidth + GAP) / (PANEL_MIN + GAP)));
  const size = Math.max(160, Math.min(PANEL_MAX, Math.floor((panelsWidth + GAP) / cols - GAP - 18)));
  const [overviewRef, overviewWidth] = useWidth<HTMLDivElement>(900);
  const chartWidth =
    overviewWidth >= 900
      ? Math.floor((overviewWidth - 2 * GAP) / 3) - 24
      : overviewWidth >= 600
        ? Math.floor((overviewWidth - GAP) / 2) - 24
        : overviewWidth - 24;

  const sharedRange = useMemo(() => {
    if (state.field.kind === 'probability') return undefined;
    let min = Infinity;
    let max = -Infinity;
    for (const p of panels) {
      if (!p.frame || p.frame.field.kind !== state.field.kind) continue;
      const r = fieldRange(p.frame.grid);
      min = Math.min(min, r.min);
      max = Math.max(max, r.max);
    }
    return Number.isFinite(min) && Number.isFinite(max) ? { min, max } : undefined;
  }, [panels, state.field.kind]);

  const series = panels
    .filter((p) => p.curve)
    .map((p) => ({
      id: p.info.id,
      label: p.info.label,
      color: colors.get(p.info.id) ?? '#888',
      eps: p.curve!.eps,
      acc: p.curve!.robustAcc,
    }));

  const togglePlay = () => {
    const next = !wantPlay;
    setWantPlay(next);
    playing.current = next;
    if (next) engine?.play().catch((e: unknown) => report(String(e)));
    else engine?.pause().catch((e: unknown) => report(String(e)));
  };

  // Space plays and pauses, as in a video player, unless a control has the focus.
  const toggleRef = useRef(togglePlay);
  useEffect(() => {
    toggleRef.current = togglePlay;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== ' ' || (t && /^(INPUT|SELECT|TEXTAREA|BUTTON|SUMMARY)$/.test(t.tagName))) return;
      e.preventDefault();
      toggleRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const hoverPanel = hover ? panels.find((p) => p.info.id === hover.panelId) : undefined;
  return (
    <div className="app" data-testid="app">
      <header className="top">
        <div className="brand">
          <h1>Robust Playground</h1>
          <p className="tagline">
            Every training method side by side on the same data, seed and initial weights — see why smoothness
            and robustness go together (Yang et al., NeurIPS 2020).
          </p>
        </div>
        <BackendBadge
          backend={backend}
          workers={engineView.workers}
          choice={backendChoice}
          onChoose={chooseBackend}
        />
        <Transport
          status={status}
          playing={wantPlay && running}
          wantPlay={wantPlay}
          speed={state.speed}
          onToggle={togglePlay}
          onStep={() => {
            setWantPlay(false);
            playing.current = false;
            engine?.step().catch((e: unknown) => report(String(e)));
          }}
          onReset={() => {
            engine
              ?.reset()
              .then(() => (playing.current ? engine.play() : undefined))
              .catch((e: unknown) => report(String(e)));
          }}
          onSpeed={(speed) => dispatch({ type: 'setSpeed', speed })}
        />
      </header>
      {(engineView.error ?? syncError) && (
        <p className="banner warn" role="alert">
          {engineView.error ?? syncError}
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => setSyncError(null)}>
            ×
          </button>
        </p>
      )}
      <main className="layout">
        <aside className="sidebar" aria-label="Settings">
          <Controls state={state} dispatch={dispatch} />
        </aside>
        <div className="content">
          <div className="overview" ref={overviewRef}>
            <PaperTable
              panels={panels}
              colors={colors}
              evaluation={state.evaluation}
              nTest={dataset?.testY.length ?? 0}
            />
            <section className="card" aria-labelledby="curve-title">
              <h2 id="curve-title">Robust accuracy against ε</h2>
              <RobustCurve
                series={series}
                currentEps={state.evaluation.eps}
                norm={state.evaluation.norm}
                width={chartWidth}
                height={200}
                caption={
                  series.length === 0
                    ? 'Computed when training ends: exact 2D search of every test ball at each ε.'
                    : `Exact 2D search of every test ball (${normLabel(state.evaluation.norm)}); at ε = 0 it is the test accuracy.`
                }
              />
            </section>
            {dataset && (
              <DataView
                dataset={dataset}
                evaluation={state.evaluation}
                width={chartWidth}
                nnSpec={state.panels.find((p) => p.method === NN_METHOD)}
              />
            )}
          </div>
          <div className="panels-head">
            <h2>
              Methods{' '}
              <span className="dataset-name" data-testid="dataset-name">
                {dataset ? `on ${dataset.name}` : ''}
              </span>
            </h2>
            {dataset && (
              <FieldLegend
                legend={fieldLegend(state.field.kind, dataset.nClasses, sharedRange, state.evaluation.norm)}
                classes={dataset.nClasses > 2 ? dataset.nClasses : undefined}
                width={220}
              />
            )}
            <p className="key">
              ● train ◇ test · <span className="robust-key">□ robust ball</span> ·{' '}
              <span className="broken-key">□ not robust</span> · ✕ attack point found by PGD
            </p>
          </div>
          <div
            className="panels"
            ref={panelsRef}
            style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))` }}
          >
            {dataset &&
              panels.map((p) => {
                const spec = state.panels.find((s) => s.id === p.info.id);
                if (!spec) return null;
                return (
                  <MethodPanel
                    key={p.info.id}
                    view={p}
                    spec={spec}
                    dataset={dataset}
                    evaluation={state.evaluation}
                    viewSettings={state.view}
                    fieldKind={state.field.kind}
                    fieldRange={sharedRange}
                    size={size}
                    paths={paths.get(p.info.id) ?? null}
                    color={colors.get(p.info.id) ?? '#888'}
                    highlight={
                      hover && hover.panelId === p.info.id
                        ? { split: hover.at.split, index: hover.at.index }
                        : null
                    }
                    onHover={onHover}
                    onExport={onExport}
                    observe={observe}
                    dispatch={dispatch}
                  />
                );
              })}
          </div>
          <Explanations />
        </div>
      </main>
      {hover && (
        <div
          className="tooltip"
          role="tooltip"
          style={{
            left: Math.min(hover.at.clientX + 14, window.innerWidth - 250),
            top: hover.at.clientY + 14,
          }}
        >
          <strong>
            {hover.at.split} point #{hover.at.index}
          </strong>{' '}
          {hoverPanel && <span className="muted">({hoverPanel.info.label})</span>}
          {hover.info ? (
            <dl>
              <dt>class / predicted</dt>
              <dd>
                {hover.info.label} / {hover.info.predicted}
              </dd>
              <dt>margin z_y − max z_c</dt>
              <dd>{num(hover.info.margin)}</dd>
              <dt>local Lipschitz (paper’s ratio in its ε-ball)</dt>
              <dd>{num(hover.info.lipschitz)}</dd>
              <dt>slope ‖∇ₓ margin‖{state.evaluation.norm === 'linf' ? '₁' : '₂'}</dt>
              <dd>{num(hover.info.gradientNorm)}</dd>
              <dt>robust radius (exact 2D search)</dt>
              <dd>
                {hover.info.robustRadius >= hover.info.radiusCap
                  ? `≥ ${num(hover.info.radiusCap)}`
                  : hover.info.robustRadius === 0
                    ? '0 (misclassified)'
                    : `${num(hover.info.robustRadius)} ± ${num(hover.info.robustRadiusTolerance)}`}
              </dd>
            </dl>
          ) : (
            <p className="muted">computing…</p>
          )}
        </div>
      )}
      <span hidden data-testid="status" data-state={status} />
    </div>
  );
}
