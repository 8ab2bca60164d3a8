/** The TensorFlow.js backends the engine can run on, fastest first — without tfjs, for the main thread. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
