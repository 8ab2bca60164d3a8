/**
 * Starts the engine: a pool of Web Workers (one for all panels by default: DEFAULT_WORKERS), or — when no worker
 * can start (a blocked worker script, a browser without module workers) — one engine on the main thread, where
 * training then competes with drawing.
 */
import * as Comlink from 'comlink';
import type { EngineApi, EngineEvent } from '../engine/protocol.ts';
import type { WorkerFactory } from '../engine/worker.ts';
import { EnginePool } from '../engine/enginePool.ts';
import type { BackendName, BackendRefusal } from '../ml/backend.ts';

/** Comlink cannot see a worker that failed to load: give the first answer this long. */
const WORKER_START_TIMEOUT_MS = 45_000;

export interface EngineHandle {
  readonly engine: EngineApi;
  /** Workers running the engine (0: on the main thread). */
  readonly workers: number;
  readonly terminate: () => void;
}

/** How the page learns that a running worker died: its uncaught error, in words. */
export type CrashListener = (message: string) => void;

interface EarlyStart {
  readonly key: string;
  readonly handle: Promise<EngineHandle>;
  /** Events that arrived before the page took the engine over. */
  readonly events: EngineEvent[];
  /** Crashes reported before the page took the engine over. */
  readonly crashes: string[];
  /** The page's listeners, once it has taken the engine over (a crash before that waits for it). */
  readonly slot: { listener: ((event: EngineEvent) => void) | null; onCrash: CrashListener };
}

let early: EarlyStart | null = null;

/**
 * Starts the engine before React renders the page: loading the worker script and the backend is the longest wait
 * of a first visit, and it need not wait for the page's first render.
 */
export function prestartEngine(pinned: BackendName | null, workers: number): void {
  const events: EngineEvent[] = [];
  const crashes: string[] = [];
  const slot: EarlyStart['slot'] = { listener: null, onCrash: (m) => crashes.push(m) };
  const handle = startEngine(
    (event) => (slot.listener ? slot.listener(event) : events.push(event)),
    pinned,
    workers,
    [],
    (message) => slot.onCrash(message),
  );
  handle.catch(() => {});
  early = { key: `${pinned}|${workers}`, handle, events, crashes, slot };
}

/**
 * The engine started by {@link prestartEngine} for these settings, or a new one (always a new one after a
 * fault: `excluded` then names the backends to leave out).
 */
export function takeEngine(
  onEvent: (event: EngineEvent) => void,
  pinned: BackendName | null,
  workers: number,
  excluded: readonly BackendRefusal[],
  onCrash: CrashListener,
): Promise<EngineHandle> {
  const started = early;
  early = null;
  if (started?.key !== `${pinned}|${workers}` || excluded.length > 0) {
    void started?.handle.then(
      (h) => h.terminate(),
      () => {},
    );
    return startEngine(onEvent, pinned, workers, excluded, onCrash);
  }
  for (const e of started.events.splice(0)) onEvent(e);
  started.slot.listener = onEvent;
  started.slot.onCrash = onCrash;
  for (const m of started.crashes.splice(0)) onCrash(m);
  return started.handle;
}

/**
 * Starts the engine. `onCrash` hears of a worker that dies after it started (an uncaught error in it); the page
 * then terminates this engine and starts another.
 */
export async function startEngine(
  onEvent: (event: EngineEvent) => void,
  pinned: BackendName | null,
  workers: number,
  excluded: readonly BackendRefusal[],
  onCrash: CrashListener,
): Promise<EngineHandle> {
  const pool = new EnginePool(onEvent);
  const started: Worker[] = [];
  try {
    const parts = await Promise.all(
      Array.from({ length: Math.max(1, workers) }, (_, k) =>
        startInWorker((e) => pool.receive(k, e), pinned, excluded, started),
      ),
    );
    let crashed = false;
    for (const worker of started)
      worker.addEventListener('error', (e) => {
        // One report per engine: the page replaces the whole pool.
        if (crashed) return;
        crashed = true;
        e.preventDefault();
        onCrash(e.message || 'the worker stopped with an error');
      });
    pool.attach(parts);
    return { engine: pool, workers: parts.length, terminate: () => started.forEach((w) => w.terminate()) };
  } catch (e) {
    started.forEach((w) => w.terminate());
    console.warn(`The engine could not start in a Web Worker (${String(e)}); running it on the main thread.`);
    const { createBrowserEngine } = await import('../engine/startEngine.ts');
    const engine = await createBrowserEngine((event) => pool.receive(0, event), pinned, false, excluded);
    pool.attach([engine]);
    return { engine: pool, workers: 0, terminate: () => engine.dispose() };
  }
}

async function startInWorker(
  onEvent: (event: EngineEvent) => void,
  pinned: BackendName | null,
  excluded: readonly BackendRefusal[],
  started: Worker[],
): Promise<EngineApi> {
  const worker = new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module' });
  started.push(worker);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) =>
      reject(new Error(e.message || 'the worker script failed to load')),
    );
    timer = setTimeout(
      () => reject(new Error(`no answer within ${WORKER_START_TIMEOUT_MS / 1000} s`)),
      WORKER_START_TIMEOUT_MS,
    );
  });
  failed.catch(() => {});
  try {
    const factory = Comlink.wrap<WorkerFactory>(worker);
    const remote = await Promise.race([factory.create(Comlink.proxy(onEvent), pinned, excluded), failed]);
    return remote;
  } finally {
    clearTimeout(timer);
  }
}
