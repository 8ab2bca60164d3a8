/**
 * The Web Worker that owns every tensor: it hosts one PlaygroundEngine and talks to the app through Comlink.
 * Worker: no DOM. Events go back through the app's proxied callback with their buffers transferred.
 */
import * as Comlink from 'comlink';
import { createBrowserEngine } from './startEngine.ts';
import type { EngineEvent } from './protocol.ts';
import type { BackendName } from '../ml/backend.ts';

const factory = {
  async create(onEvent: (event: EngineEvent) => void, pinned: BackendName | null) {
    const engine = await createBrowserEngine(
      (event, transfer) => {
        void onEvent(Comlink.transfer(event, [...transfer]));
      },
      pinned,
      true,
    );
    return Comlink.proxy(engine);
  },
};

export type WorkerFactory = typeof factory;

Comlink.expose(factory);
