/**
 * Node entry setup: registers the wasm backend (its Node build finds its own .wasm files) and silences tfjs's
 * "running in Node" banner. The webgpu backend is browser-only (no navigator.gpu in Node).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { pickBackend, type BackendChoice, type BackendName } from '../ml/backend.ts';

export const NODE_BACKENDS = ['wasm', 'cpu'] as const satisfies readonly BackendName[];
export type NodeBackend = (typeof NODE_BACKENDS)[number];

export async function startNodeBackend(name: NodeBackend): Promise<BackendChoice> {
  tf.enableProdMode();
  return pickBackend([name]);
}
