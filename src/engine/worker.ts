/**
 * The Web Worker that owns every tensor: it hosts one PlaygroundEngine and talks to the app through Comlink.
 * Worker: no DOM. Events go back through the app's proxied callback, and pictures as the reply to `frames`,
 * with their buffers transferred rather than copied.
 */
import * as Comlink from 'comlink';
import { createBrowserEngine } from './startEngine.ts';
import type { EngineApi, EngineEvent } from './protocol.ts';
import type { BackendName } from '../ml/backend.ts';
import { installWorkerHooks } from './workerHooks.ts';

const factory = {
  async create(onEvent: (event: EngineEvent) => void, pinned: BackendName | null) {
    const engine = await createBrowserEngine(
      (event, transfer) => {
        void onEvent(Comlink.transfer(event, [...transfer]));
      },
      pinned,
      true,
    );
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
      exportModel: (panelId) => engine.exportModel(panelId),
    };
    return Comlink.proxy(api);
  },
};

export type WorkerFactory = typeof factory;

installWorkerHooks();
Comlink.expose(factory);
