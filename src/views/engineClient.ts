/**
 * Starts the engine: a pool of Web Workers (one for all panels by default: DEFAULT_WORKERS), or — when no worker
 * can start (a blocked worker script, a browser without module workers) — one engine on the main thread, where
 * training then competes with drawing.
 */
import * as Comlink from 'comlink';
import type { EngineApi, EngineEvent } from '../engine/protocol.ts';
import type { WorkerFactory } from '../engine/worker.ts';
import { EnginePool } from '../engine/enginePool.ts';
import type { BackendName } from '../ml/backend.ts';

/** Comlink cannot see a worker that failed to load: give the first answer this long. */
const WORKER_START_TIMEOUT_MS = 45_000;

export interface EngineHandle {
  readonly engine: EngineApi;
  /** Workers running the engine (0: on the main thread). */
  readonly workers: number;
  readonly terminate: () => void;
}

interface EarlyStart {
  readonly key: string;
  readonly handle: Promise<EngineHandle>;
  /** Events that arrived before the page took the engine over. */
  readonly events: EngineEvent[];
  /** The page's listener, once it has taken the engine over. */
  readonly slot: { listener: ((event: EngineEvent) => void) | null };
}

let early: EarlyStart | null = null;

/**
 * Starts the engine before React renders the page: loading the worker script and the backend is the longest wait
 * of a first visit, and it need not wait for the page's first render.
 */
export function prestartEngine(pinned: BackendName | null, workers: number): void {
  const events: EngineEvent[] = [];
  const slot: { listener: ((event: EngineEvent) => void) | null } = { listener: null };
  const handle = startEngine(
    (event) => (slot.listener ? slot.listener(event) : events.push(event)),
    pinned,
    workers,
  );
  handle.catch(() => {});
  early = { key: `${pinned}|${workers}`, handle, events, slot };
}

/** The engine started by {@link prestartEngine} for these settings, or a new one. */
export function takeEngine(
  onEvent: (event: EngineEvent) => void,
  pinned: BackendName | null,
  workers: number,
): Promise<EngineHandle> {
  const started = early;
  early = null;
  if (started?.key !== `${pinned}|${workers}`) {
    void started?.handle.then(
      (h) => h.terminate(),
      () => {},
    );
    return startEngine(onEvent, pinned, workers);
  }
  for (const e of started.events.splice(0)) onEvent(e);
  started.slot.listener = onEvent;
  return started.handle;
}

export async function startEngine(
  onEvent: (event: EngineEvent) => void,
  pinned: BackendName | null,
  workers: number,
): Promise<EngineHandle> {
  const pool = new EnginePool(onEvent);
  const started: Worker[] = [];
  try {
    const parts = await Promise.all(
      Array.from({ length: Math.max(1, workers) }, (_, k) =>
        startInWorker((e) => pool.receive(k, e), pinned, started),
      ),
    );
    pool.attach(parts);
    return { engine: pool, workers: parts.length, terminate: () => started.forEach((w) => w.terminate()) };
  } catch (e) {
    started.forEach((w) => w.terminate());
    console.warn(`The engine could not start in a Web Worker (${String(e)}); running it on the main thread.`);
    const { createBrowserEngine } = await import('../engine/startEngine.ts');
    const engine = await createBrowserEngine((event) => pool.receive(0, event), pinned, false);
    pool.attach([engine]);
    return { engine: pool, workers: 0, terminate: () => engine.dispose() };
  }
}

async function startInWorker(
  onEvent: (event: EngineEvent) => void,
  pinned: BackendName | null,
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
    const remote = await Promise.race([factory.create(Comlink.proxy(onEvent), pinned), failed]);
    return remote;
  } finally {
    clearTimeout(timer);
  }
}
