/**
 * Backend choice: try each backend in order with a timeout around `setBackend` (it can hang, e.g. the threaded
 * wasm build in a minified bundle) and a smoke op read back with `await data()`; report why each faster one
 * was refused. Environment-specific registration (the webgpu import, wasm paths) happens in the entry files,
 * never here, so this module runs unchanged in a worker and in Node.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './backendNames.ts';

export { BACKENDS, type BackendName } from './backendNames.ts';

export interface BackendChoice {
  readonly name: BackendName;
  /** Backends tried before it, each with the reason it was not used. */
  readonly refused: readonly { readonly name: BackendName; readonly reason: string }[];
}

/** A backend the app will not use again this session, and why (e.g. its WebGPU device was lost). */
export interface BackendRefusal {
  readonly name: BackendName;
  readonly reason: string;
}

/** The part of a `GPUDevice` the engine watches. */
export interface WebGpuDeviceLike {
  destroy(): void;
  readonly lost: Promise<{ readonly reason?: string; readonly message?: string }>;
}

/** The WebGPU backend's device, when the active backend is WebGPU. */
export function activeWebGpuDevice(): WebGpuDeviceLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: WebGpuDeviceLike }).device ?? null;
}

const INIT_TIMEOUT_MS = 15_000;

export async function pickBackend(order: readonly BackendName[]): Promise<BackendChoice> {
  // The threaded wasm build hangs in minified bundles and brings nothing on tiny nets (worker-feasibility.md).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const refused: { name: BackendName; reason: string }[] = [];
  for (const name of order) {
    const reason = await tryBackend(name);
    if (reason === null) return { name, refused };
    refused.push({ name, reason });
  }
  throw new Error(
    `No TensorFlow.js backend could start (tried ${order.join(', ')}): ` +
      refused.map((r) => `${r.name}: ${r.reason}`).join('; '),
  );
}

async function tryBackend(name: BackendName): Promise<string | null> {
  if (!tf.findBackendFactory(name)) return 'not available in this environment';
  try {
    const ok = await withTimeout(tf.setBackend(name), INIT_TIMEOUT_MS);
    if (!ok) return 'failed to initialise';
    await tf.ready();
    const probe = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
    const [v] = await probe.data();
    probe.dispose();
    if (v !== 11) return `smoke test returned ${v} instead of 11`;
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not initialise within ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
