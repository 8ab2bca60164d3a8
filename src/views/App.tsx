/** The page: header and transport, the live table and curves, the data view, a panel per method, the controls. */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { fineTuneEpochs, type PathsReply, type PointInfo } from '../engine/protocol.ts';
import type { PointEdit, Split } from '../core/datasets/edits.ts';
import { SERIES_COLORS } from '../render/colors.ts';
import { fieldRange } from '../render/field.ts';
import { DEFAULT_STATE, NN_METHOD, normLabel } from '../state/settings.ts';
import { canRedo, canUndo, reduceSession, startSession, type SessionAction } from '../state/history.ts';
import type { HideKey, UiFlags } from '../state/urlState.ts';
import { HIDE_CHOICES, useShareLink } from './useShareLink.ts';
import { PRESETS } from '../state/presets.ts';
import type { Launch } from '../state/launch.ts';
import type { EditTool } from './charts/PanelPlot.tsx';
import { EditBar } from './EditBar.tsx';
import { LecturePicker, StoryCard } from './LecturePicker.tsx';
import { ShortcutsDialog } from './ShortcutsDialog.tsx';
import { LiveSummary } from './LiveSummary.tsx';
import { useShortcuts } from './useShortcuts.ts';
import { useReducedMotion } from './useReducedMotion.ts';
import { PointTooltip } from './PointTooltip.tsx';
import { ShareDialog } from './ShareDialog.tsx';
import { FileMenu } from './FileMenu.tsx';
import { startEmbedBridge } from './embedBridge.ts';
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
import { workerCount } from '../state/launch.ts';
import { reportError } from './errors.ts';

const PANEL_MIN = 260;
const PANEL_MAX = 380;
/** The presenter view: fewer, larger panels, readable from the back of a lecture hall. */
const PANEL_MIN_PRESENT = 420;
const PANEL_MAX_PRESENT = 560;
const GAP = 14;

/** Where a pointer edits the points, by the kind of pointer: a finger on a phone scrolls the page by default. */
function defaultTool(): EditTool {
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches ? 'inspect' : 'move';
}

/** Under prefers-reduced-motion, a training panel's picture changes at most this often. */
const REDUCED_MOTION_FRAME_MS = 500;

export function App({ launch }: { launch: Launch }) {
  const [session, dispatchSession] = useReducer(reduceSession, launch.state, startSession);
  const state = session.state;
  const dispatch = dispatchSession as (a: SessionAction) => void;
  const [ui, setUi] = useState<UiFlags>(launch.ui);
  const [backendChoice, setBackendChoice] = useState(launch.pinned);
  const [workersUsed] = useState(() => workerCount(launch.workers, launch.state.panels.length));
  const [syncError, setSyncError] = useState<string | null>(
    launch.notices.length > 0 ? launch.notices.join(' ') : null,
  );
  const engineView = useEngine(backendChoice, workersUsed, setSyncError);
  const hidden = useMemo(() => {
    const h = new Set<HideKey>(ui.hide);
    // The presenter view is a clean slide: the settings and the long explanations step aside.
    if (ui.present) for (const k of ['controls', 'explain'] as const) h.add(k);
    return h;
  }, [ui.hide, ui.present]);
  const shows = (k: HideKey) => !hidden.has(k) && !ui.embed;

  // ---- the link: the page's state, written into the address bar as it changes ----
  const { share, linkFor } = useShareLink(state, ui, backendChoice, launch.workers);

  const { visibleIds, observe } = useVisibility();
  const reducedMotion = useReducedMotion();
  const { engine, pump, dataset, panels, running, backend } = engineView;
  const playing = useRef(true);
  const [wantPlay, setWantPlay] = useState(true);
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
    dataset !== null &&
    panels.every(
      (p) =>
        p.metrics !== null &&
        p.progress !== null &&
        p.metrics.step === p.progress.step &&
        p.metrics.dataVersion === dataset.version &&
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
    pump?.update({
      visibleIds: ids,
      running,
      resolution: state.field.resolution,
      minIntervalMs: reducedMotion ? REDUCED_MOTION_FRAME_MS : 0,
    });
  }, [pump, visibleIds, running, panelIds, state.field, reducedMotion]);

  // ---- robust accuracy vs ε, once the panels are trained ----
  const curveKey = allDone
    ? `${engineView.datasetVersion}|${dataset?.version}|${state.evaluation.norm}|${panels.map((p) => `${p.info.id}:${p.generation}:${p.progress?.step}`).join(',')}`
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
        .map(
          (p) =>
            `${p.info.id}:${p.generation}:${p.metrics?.step}:${p.metrics?.dataVersion}:${p.metrics?.eps}:${p.metrics?.norm}`,
        )
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
  // A point's numbers describe the data they were computed on: an edit closes the tooltip.
  const dataVersion = dataset?.version;
  const [hoverVersion, setHoverVersion] = useState(dataVersion);
  if (dataVersion !== hoverVersion) {
    setHoverVersion(dataVersion);
    setHover(null);
  }

  // ---- hand edits of the points ----
  const [tool, setTool] = useState<EditTool>(defaultTool);
  const [addLabel, setAddLabel] = useState(0);
  const [addSplit, setAddSplit] = useState<Split>('train');
  const onEdit = useCallback(
    (edit: PointEdit, continues: boolean) => dispatch({ type: 'edit', edit, continues }),
    [dispatch],
  );
  const editing = useMemo(
    () => (ui.embed ? null : { tool, addLabel, addSplit, onEdit }),
    [ui.embed, tool, addLabel, addSplit, onEdit],
  );

  // Back to the last good weights at half the learning rate; it trains on if the page is playing (or was done).
  const onRecover = useCallback(
    (panelId: string) => {
      engine
        ?.recover(panelId)
        .then(() => (playing.current ? engine.play() : undefined))
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
  const panelMin = ui.present ? PANEL_MIN_PRESENT : PANEL_MIN;
  const cols = Math.max(1, Math.floor((panelsWidth + GAP) / (panelMin + GAP)));
  const size = Math.max(
    160,
    Math.min(ui.present ? PANEL_MAX_PRESENT : PANEL_MAX, Math.floor((panelsWidth + GAP) / cols - GAP - 18)),
  );
  const [overviewRef, overviewWidth] = useWidth<HTMLDivElement>(900);
  const overviewCards = [shows('table'), shows('curve'), shows('data')].filter(Boolean).length;
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

  // ---- transport ----
  const togglePlay = () => {
    if (status === 'done') return;
    const next = !wantPlay;
    setWantPlay(next);
    playing.current = next;
    if (next) engine?.play().catch((e: unknown) => report(String(e)));
    else engine?.pause().catch((e: unknown) => report(String(e)));
  };
  const stepOnce = () => {
    setWantPlay(false);
    playing.current = false;
    engine?.step().catch((e: unknown) => report(String(e)));
  };
  const resetAll = () => {
    engine
      ?.reset()
      .then(() => (playing.current ? engine.play() : undefined))
      .catch((e: unknown) => report(String(e)));
  };

  // ---- lecture mode ----
  const activePreset = PRESETS.find((p) => p.key === ui.preset) ?? null;
  const [storyOpen, setStoryOpen] = useState(true);
  const pickPreset = useCallback(
    (index: number) => {
      const preset = PRESETS[index];
      if (!preset) return;
      dispatch({ type: 'load', state: preset.apply(DEFAULT_STATE) });
      setUi((u) => ({ ...u, ...preset.ui, embed: u.embed, present: u.present, preset: preset.key }));
      setStoryOpen(true);
    },
    [dispatch],
  );
  const [helpOpen, setHelpOpen] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  useShortcuts((action, preset) => {
    switch (action) {
      case 'playPause':
        togglePlay();
        break;
      case 'step':
        stepOnce();
        break;
      case 'reset':
        resetAll();
        break;
      case 'preset':
        if (preset !== undefined) pickPreset(preset);
        break;
      case 'help':
        setHelpOpen((o) => !o);
        break;
      case 'undo':
        dispatch({ type: 'undo' });
        break;
      case 'redo':
        dispatch({ type: 'redo' });
        break;
      case 'present':
        if (!ui.embed) setUi((u) => ({ ...u, present: !u.present }));
        break;
      case 'share':
        if (!ui.embed) setShareOpen(true);
        break;
    }
  });

  // ---- embedded in another page: tell it our height ----
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ui.embed || !rootRef.current) return;
    return startEmbedBridge(rootRef.current);
  }, [ui.embed]);

  const hoverPanel = hover ? panels.find((p) => p.info.id === hover.panelId) : undefined;
  const transport = (
    <Transport
      status={status}
      playing={wantPlay && running}
      wantPlay={wantPlay}
      speed={state.speed}
      onToggle={togglePlay}
      onStep={stepOnce}
      onReset={resetAll}
      onSpeed={(speed) => dispatch({ type: 'setSpeed', speed })}
    />
  );
  const banner = (engineView.error ?? syncError) && (
    <p className="banner warn" role="alert">
      {engineView.error ?? syncError}
      <button type="button" className="icon" aria-label="Dismiss" onClick={() => setSyncError(null)}>
        ×
      </button>
    </p>
  );
  const panelGrid = (
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
                hover && hover.panelId === p.info.id ? { split: hover.at.split, index: hover.at.index } : null
              }
              onHover={onHover}
              onExport={onExport}
              onRecover={onRecover}
              observe={observe}
              dispatch={dispatch}
              editing={editing}
              compact={ui.embed}
            />
          );
        })}
    </div>
  );
  const legend = dataset && (
    <FieldLegend
      legend={fieldLegend(state.field.kind, dataset.nClasses, sharedRange, state.evaluation.norm)}
      classes={dataset.nClasses > 2 ? dataset.nClasses : undefined}
      width={220}
    />
  );
  const tooltip = hover && (
    <PointTooltip
      at={hover.at}
      info={hover.info}
      panelLabel={hoverPanel?.info.label ?? null}
      norm={state.evaluation.norm}
    />
  );
  const statusFlag = <span hidden data-testid="status" data-state={status} />;
  const summary = (
    <LiveSummary
      panels={panels}
      evaluation={state.evaluation}
      status={status}
      nTest={dataset?.testY.length ?? 0}
    />
  );

  if (ui.embed) {
    const full = new URL(linkFor({ embed: false, hide: [], present: false }));
    return (
      <div className="app embed" data-testid="embed" ref={rootRef}>
        <header className="embed-head">
          <strong className="embed-title">{activePreset?.title ?? 'Robust Playground'}</strong>
          <button
            type="button"
            data-testid="play"
            className="embed-play"
            disabled={status === 'done'}
            aria-pressed={wantPlay && status !== 'done'}
            onClick={togglePlay}
          >
            {status === 'done' ? 'trained' : wantPlay ? '❚❚ pause' : '▶ play'}
          </button>
          {legend}
          <a className="embed-open" href={full.toString()} target="_blank" rel="noopener noreferrer">
            Open in Robust Playground ↗
          </a>
        </header>
        {banner}
        {panelGrid}
        {tooltip}
        {summary}
        {statusFlag}
      </div>
    );
  }

  return (
    <div className={`app${ui.present ? ' present' : ''}`} data-testid="app" ref={rootRef}>
      <header className="top">
        {shows('title') && (
          <div className="brand">
            <h1>Robust Playground</h1>
            <p className="tagline">
              Every training method side by side on the same data, seed and initial weights — see why
              smoothness and robustness go together (Yang et al., NeurIPS 2020).
            </p>
          </div>
        )}
        <BackendBadge
          backend={backend}
          workers={engineView.workers}
          choice={backendChoice}
          onChoose={(choice) => setBackendChoice(choice)}
        />
        {shows('transport') && transport}
        <div className="header-tools">
          <LecturePicker presets={PRESETS} active={ui.preset} onPick={pickPreset} />
          <button
            type="button"
            data-testid="present-toggle"
            aria-pressed={ui.present}
            onClick={() => setUi((u) => ({ ...u, present: !u.present }))}
            title="Presenter view: large type, settings hidden (p)"
          >
            presenter view
          </button>
          <button type="button" data-testid="share-open" onClick={() => setShareOpen(true)} title="Share (s)">
            share
          </button>
          <FileMenu
            engine={engine}
            dataset={dataset}
            panels={panels}
            state={state}
            backend={backend?.name ?? null}
            link={linkFor({ embed: false, hide: [], present: false })}
            dispatch={dispatch}
            onUi={(flags) => setUi(flags)}
            report={report}
          />
          <button
            type="button"
            className="icon"
            data-testid="help-open"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => setHelpOpen(true)}
          >
            ?
          </button>
        </div>
      </header>
      {banner}
      {activePreset && storyOpen && <StoryCard preset={activePreset} onClose={() => setStoryOpen(false)} />}
      <main className={`layout${shows('controls') ? '' : ' no-sidebar'}`}>
        {shows('controls') && (
          <aside className="sidebar" aria-label="Settings">
            <Controls state={state} dispatch={dispatch} />
          </aside>
        )}
        <div className="content">
          {overviewCards > 0 && (
            <div className="overview" ref={overviewRef}>
              {shows('table') && (
                <PaperTable
                  panels={panels}
                  colors={colors}
                  evaluation={state.evaluation}
                  nTest={dataset?.testY.length ?? 0}
                />
              )}
              {shows('curve') && (
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
              )}
              {shows('data') && dataset && (
                <DataView
                  dataset={dataset}
                  evaluation={state.evaluation}
                  width={chartWidth}
                  nnSpec={state.panels.find((p) => p.method === NN_METHOD)}
                />
              )}
            </div>
          )}
          <div className="panels-head">
            <h2>
              Methods{' '}
              <span className="dataset-name" data-testid="dataset-name">
                {dataset ? `on ${dataset.name}` : ''}
              </span>
            </h2>
            {shows('legend') && legend}
            {shows('legend') && (
              <p className="key">
                ● train ◇ test · <span className="robust-key">□ robust ball</span> ·{' '}
                <span className="broken-key">□ not robust</span> · ✕ attack point found by PGD
              </p>
            )}
          </div>
          {dataset && (
            <EditBar
              tool={tool}
              onTool={setTool}
              addLabel={Math.min(addLabel, dataset.nClasses - 1)}
              onAddLabel={setAddLabel}
              addSplit={addSplit}
              onAddSplit={setAddSplit}
              nClasses={dataset.nClasses}
              edits={state.data.edits.length}
              canUndo={canUndo(session)}
              canRedo={canRedo(session)}
              onUndo={() => dispatch({ type: 'undo' })}
              onRedo={() => dispatch({ type: 'redo' })}
              fineTuneEpochs={fineTuneEpochs(state.train.epochs)}
            />
          )}
          {panelGrid}
          {shows('explain') && <Explanations />}
        </div>
      </main>
      {tooltip}
      {summary}
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} presets={PRESETS} />
      <ShareDialog
        open={shareOpen}
        onClose={() => setShareOpen(false)}
        link={linkFor}
        omitted={share.omitted}
        hideChoices={HIDE_CHOICES}
      />
      {statusFlag}
    </div>
  );
}
