/**
 * Test and support hooks on the engine worker's global scope, `self.__robustPlayground`: the browser tests read
 * tfjs's memory through them and inject the faults the app must survive (a lost WebGPU device, a crashed
 * worker). They reach nothing a page could not already do to its own worker, and hold no user data.
 */
import * as tf from '@tensorflow/tfjs';
import { activeWebGpuDevice } from '../ml/backend.ts';
import type { EngineMemory } from './protocol.ts';

export type { EngineMemory } from './protocol.ts';

export interface WorkerHooks {
  /** tfjs's live tensors and bytes on the active backend. */
  memory(): EngineMemory;
  /** `device.destroy()` on the WebGPU backend's device; false when the engine is not on WebGPU. */
  loseWebGpuDevice(): boolean;
  /** An uncaught error on the worker's event loop, as a bug in a library would throw one. */
  crash(message?: string): void;
}

export function engineMemory(): EngineMemory {
  const m = tf.memory();
  return {
    backend: tf.getBackend(),
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    numDataBuffers: m.numDataBuffers,
  };
}

export function installWorkerHooks(scope: object = globalThis): WorkerHooks {
  const hooks: WorkerHooks = {
    memory: engineMemory,
    loseWebGpuDevice() {
      const device = activeWebGpuDevice();
      device?.destroy();
      return device !== null;
    },
    crash(message = 'injected crash (test hook)') {
      setTimeout(() => {
        throw new Error(message);
      });
    },
  };
  Object.defineProperty(scope, '__robustPlayground', { value: hooks, configurable: true });
  return hooks;
}
