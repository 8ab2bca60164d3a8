/**
 * The Web Worker that owns every tensor: it hosts one PlaygroundEngine and talks to the app through Comlink.
 * Worker: no DOM. Events go back through the app's proxied callback, and pictures as the reply to `frames`,
 * with their buffers transferred rather than copied.
 */
// First: Zod must be jitless before any schema is built (the CSP forbids eval; core/zodConfig.ts).
import '../core/zodConfig.ts';
import * as Comlink from 'comlink';
import { createBrowserEngine } from './startEngine.ts';
import type { EngineApi, EngineEvent } from './protocol.ts';
import type { BackendName, BackendRefusal } from '../ml/backend.ts';
import { installWorkerHooks } from './workerHooks.ts';

/**
 * A lost WebGPU device rejects the reads in flight (mapAsync's AbortError) before its `lost` promise settles:
 * an unhandled rejection waits this long, so the page hears "device lost" (and leaves WebGPU out), not a crash.
 */
const FAULT_SETTLE_MS = 500;

let current: { readonly faulted: boolean } | null = null;

const factory = {
  async create(
    onEvent: (event: EngineEvent) => void,
    pinned: BackendName | null,
    excluded: readonly BackendRefusal[],
  ) {
    const engine = await createBrowserEngine(
      (event, transfer) => {
        void onEvent(Comlink.transfer(event, [...transfer]));
      },
      pinned,
      true,
      excluded,
    );
    current = engine;
    const api: EngineApi = {
      configure: (config) => engine.configure(config),
      setEdits: (edits) => engine.setEdits(edits),
      setEvaluation: (evaluation) => engine.setEvaluation(evaluation),
      setField: (field) => engine.setField(field),
      frames: async (request) => {
        const reply = await engine.frames(request);
        const buffers = reply.frames.flatMap((f) => [f.grid.buffer, f.margin.buffer, f.classes.buffer]);
        return Comlink.transfer(reply, [...new Set(buffers)] as ArrayBuffer[]);
      },
      upsertPanel: (panel) => engine.upsertPanel(panel),
      removePanel: (id) => engine.removePanel(id),
      play: () => engine.play(),
      pause: () => engine.pause(),
      step: () => engine.step(),
      reset: () => engine.reset(),
      setSpeed: (speed) => engine.setSpeed(speed),
      pointInfo: (panelId, split, index) => engine.pointInfo(panelId, split, index),
      paths: (panelId) => engine.paths(panelId),
      requestCurves: (eps) => engine.requestCurves(eps),
      recover: (panelId) => engine.recover(panelId),
      exportModel: (panelId) => engine.exportModel(panelId),
      memory: () => engine.memory(),
    };
    return Comlink.proxy(api);
  },
};

export type WorkerFactory = typeof factory;

installWorkerHooks();
// A rejected promise nobody awaited is a bug that may have left the engine half-updated: rethrown on the event
// loop, it reaches the page as the worker's `error` event, and the page restarts the engine with its settings.
self.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
  e.preventDefault();
  setTimeout(() => {
    if (current?.faulted) return;
    throw e.reason instanceof Error ? e.reason : new Error(String(e.reason));
  }, FAULT_SETTLE_MS);
});
Comlink.expose(factory);
