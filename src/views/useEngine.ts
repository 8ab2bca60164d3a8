/**
 * The engine as React state: starts it once, folds its events into a view model (batched to one update per
 * animation frame), and drops results of models a panel no longer shows.
 */
import { useEffect, useRef, useState } from 'react';
import type {
  BackendInfo,
  CurveEvent,
  DatasetInfo,
  EngineApi,
  EngineEvent,
  FrameEvent,
  MetricsEvent,
  PanelInfo,
  PanelProgress,
} from '../engine/protocol.ts';
import type { BackendName, BackendRefusal } from '../ml/backend.ts';
import { takeEngine } from './engineClient.ts';
import { FramePump } from './framePump.ts';

export interface PanelView {
  readonly info: PanelInfo;
  readonly generation: number;
  /** Where training stands: pushed after every chunk, for every panel, seen or not. */
  readonly progress: PanelProgress | null;
  /** The last picture (only panels on screen get new ones). */
  readonly frame: FrameEvent | null;
  readonly metrics: MetricsEvent | null;
  readonly curve: CurveEvent | null;
  readonly error: string | null;
}

export interface EngineView {
  readonly engine: EngineApi | null;
  /** Asks the engine for pictures of the visible panels at display rate. */
  readonly pump: FramePump | null;
  /** Web Workers running the engine (0: on the main thread). */
  readonly workers: number;
  readonly backend: BackendInfo | null;
  readonly dataset: DatasetInfo | null;
  readonly panels: readonly PanelView[];
  readonly running: boolean;
  /** An error not tied to one panel (bad settings, a failed start), with what to do. */
  readonly error: string | null;
  /** Bumped by every dataset event: a new dataset means new panels. */
  readonly datasetVersion: number;
}

const EMPTY: EngineView = {
  engine: null,
  pump: null,
  workers: 0,
  backend: null,
  dataset: null,
  panels: [],
  running: false,
  error: null,
  datasetVersion: 0,
};

export function fold(view: EngineView, e: EngineEvent): EngineView {
  switch (e.type) {
    case 'backend':
      return { ...view, backend: e.backend };
    case 'dataset':
      return { ...view, dataset: e.dataset, datasetVersion: view.datasetVersion + 1, error: null };
    case 'panels':
      return {
        ...view,
        panels: e.panels.map((info) => {
          const old = view.panels.find((p) => p.info.id === info.id);
          // Same id with a new label or method is a retrained panel; its old pictures stay until new ones arrive.
          return old
            ? { ...old, info }
            : { info, generation: -1, progress: null, frame: null, metrics: null, curve: null, error: null };
        }),
      };
    case 'running':
      return { ...view, running: e.running };
    // The hook restarts the engine; its old numbers stay until the new engine's arrive.
    case 'fault':
      return view;
    case 'error':
      if (e.panelId === null) return { ...view, error: e.message };
      return updatePanel(view, e.panelId, (p) => ({ ...p, error: e.message }));
    case 'progress':
      return e.progress.reduce(
        (v, p) =>
          updatePanel(v, p.panelId, (panel) =>
            p.generation < panel.generation ? panel : { ...renew(panel, p.generation), progress: p },
          ),
        view,
      );
    case 'frame':
    case 'metrics':
    case 'curve':
      return updatePanel(view, e.panelId, (p) => {
        if (e.generation < p.generation) return p;
        const fresh = renew(p, e.generation);
        if (e.type === 'frame') return { ...fresh, frame: e };
        if (e.type === 'metrics') return { ...fresh, metrics: e, error: null };
        return { ...fresh, curve: e };
      });
  }
}

/** The panel as of `generation`: a newer one (a retrained model) drops the old model's numbers. */
function renew(p: PanelView, generation: number): PanelView {
  if (generation <= p.generation) return p;
  return { ...p, generation, progress: null, metrics: null, curve: null, error: null };
}

function updatePanel(view: EngineView, id: string, f: (p: PanelView) => PanelView): EngineView {
  const i = view.panels.findIndex((p) => p.info.id === id);
  if (i < 0) return view;
  const panels = view.panels.slice();
  panels[i] = f(panels[i]!);
  return { ...view, panels };
}

/** More restarts than this within {@link RESTART_WINDOW_MS} and the page gives up and says so. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** A new engine after a fault: how many so far, and the backends that failed (left out from then on). */
interface Restart {
  readonly count: number;
  readonly excluded: readonly BackendRefusal[];
}

/**
 * The engine as React state. A fault — a lost WebGPU device, a worker that died — terminates the engine and
 * starts a new one without the failed backend; the page's settings reconfigure it (useEngineSync sees a new
 * engine), and `onNotice` tells the user what happened.
 */
export function useEngine(
  pinned: BackendName | null,
  workers: number,
  onNotice: (message: string) => void,
): EngineView {
  const [view, setView] = useState<EngineView>(EMPTY);
  const [restart, setRestart] = useState<Restart>({ count: 0, excluded: [] });
  const restartTimes = useRef<number[]>([]);
  const queue = useRef<EngineEvent[]>([]);
  const frame = useRef<number | null>(null);
  useEffect(() => {
    let cancelled = false;
    let terminate: (() => void) | null = null;
    let pump: FramePump | null = null;
    const fail = (what: string, lost: BackendRefusal | null) => {
      if (cancelled) return;
      const now = Date.now();
      const recent = restartTimes.current.filter((t) => now - t < RESTART_WINDOW_MS);
      if (recent.length >= MAX_RESTARTS) {
        cancelled = true;
        pump?.stop();
        terminate?.();
        setView((v) => ({
          ...v,
          engine: null,
          running: false,
          error:
            `The training engine failed ${recent.length + 1} times within a minute (last: ${what}). ` +
            'Reload the page; if it keeps failing, open it with ?backend=cpu.',
        }));
        return;
      }
      restartTimes.current = [...recent, now];
      // One restart per engine: a lost device is often followed by the failures of the work in flight.
      cancelled = true;
      onNotice(
        `${what[0]!.toUpperCase()}${what.slice(1)}. The engine was restarted${lost ? ` without ${lost.name}` : ''} ` +
          'with your settings; training started again from the initial weights.',
      );
      setRestart((r) => ({ count: r.count + 1, excluded: lost ? [...r.excluded, lost] : r.excluded }));
    };
    const flush = () => {
      frame.current = null;
      const events = queue.current;
      queue.current = [];
      if (!cancelled && events.length > 0) setView((v) => events.reduce(fold, v));
    };
    const onEvent = (e: EngineEvent) => {
      if (e.type === 'fault') {
        fail(e.fault.message, { name: e.fault.backend, reason: e.fault.message });
        return;
      }
      queue.current.push(e);
      frame.current ??= requestAnimationFrame(flush);
      if (e.type !== 'frame' && e.type !== 'curve') pump?.poke();
    };
    const onCrash = (message: string) => fail(`the training engine stopped with an error (${message})`, null);
    takeEngine(onEvent, pinned, workers, restart.excluded, onCrash).then(
      (handle) => {
        if (cancelled) {
          handle.terminate();
          return;
        }
        terminate = handle.terminate;
        pump = new FramePump(
          handle.engine,
          (frames) => frames.forEach(onEvent),
          (message) => onEvent({ type: 'error', panelId: null, message }),
        );
        setView((v) => ({ ...v, engine: handle.engine, pump, workers: handle.workers }));
      },
      (e: unknown) => {
        if (!cancelled)
          setView((v) => ({
            ...v,
            error: `The training engine could not start: ${e instanceof Error ? e.message : String(e)}. Reload the page; if it persists, try another browser.`,
          }));
      },
    );
    return () => {
      cancelled = true;
      // The next engine schedules its own flush: a cancelled one left in the ref would block it for good.
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
      queue.current = [];
      pump?.stop();
      terminate?.();
      // A new backend or worker count starts a new engine: nothing of the old one's may linger.
      setView(EMPTY);
    };
    // `onNotice` is a stable dispatcher.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pinned, workers, restart]);
  return view;
}
