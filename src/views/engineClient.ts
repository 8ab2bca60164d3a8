/**
 * Starts the engine in a Web Worker, or — when the worker cannot start (a blocked worker script, a browser
 * without module workers) — on the main thread, where training then competes with drawing.
 */
import * as Comlink from 'comlink';
import type { EngineApi, EngineEvent } from '../engine/protocol.ts';
import type { WorkerFactory } from '../engine/worker.ts';
import type { BackendName } from '../ml/backend.ts';

/** Comlink cannot see a worker that failed to load: give the first answer this long. */
const WORKER_START_TIMEOUT_MS = 45_000;

export interface EngineHandle {
  readonly engine: EngineApi;
  readonly terminate: () => void;
}

export async function startEngine(
  onEvent: (event: EngineEvent) => void,
  pinned: BackendName | null,
): Promise<EngineHandle> {
  try {
    return await startInWorker(onEvent, pinned);
  } catch (e) {
    console.warn(`The engine could not start in a Web Worker (${String(e)}); running it on the main thread.`);
    const { createBrowserEngine } = await import('../engine/startEngine.ts');
    const engine = await createBrowserEngine((event) => onEvent(event), pinned, false);
    return { engine, terminate: () => engine.dispose() };
  }
}

async function startInWorker(
  onEvent: (event: EngineEvent) => void,
  pinned: BackendName | null,
): Promise<EngineHandle> {
  const worker = new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module' });
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
    return { engine: remote as unknown as EngineApi, terminate: () => worker.terminate() };
  } catch (e) {
    worker.terminate();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
