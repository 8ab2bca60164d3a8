/**
 * The diagnostics API (`window.rpDiagnostics`): which tfjs backends this browser can run, whether each computes
 * the same numbers as `cpu`, and how fast it trains and evaluates a grid. Runs tfjs on the page's main thread and
 * switches backends with `tf.setBackend`, one call at a time (calls are queued), disposing every tensor between.
 * Unlike the playground it does not refuse software GPU adapters: it reports them as software.
 */
import * as tf from '@tensorflow/tfjs';
// Serves the wasm binaries through Vite's ?url imports; loads the WebGPU backend on request.
import { loadWebGpuBackend } from '../engine/browserBackends.ts';
import { BACKENDS, pickBackend, type BackendName } from '../ml/backend.ts';
import {
  compareProbes,
  DEFAULT_PARITY_CASE,
  parityInputs,
  probe,
  type ParityCase,
  type ParityResult,
} from './parity.ts';
import { grid128Ms, trainingStepsPerSecond } from './speed.ts';

export interface Availability {
  readonly name: BackendName;
  /** The backend initialised and a smoke op read back the right value. */
  readonly ok: boolean;
  /** Why it is not available ('' when it is). */
  readonly reason: string;
  /** Adapter, renderer or build, e.g. "google / swiftshader — software adapter". */
  readonly detail: string;
  /** A software GPU (SwiftShader, llvmpipe, a fallback adapter): it works, but slower than wasm. */
  readonly software: boolean;
}

export interface ParityReport extends ParityResult {
  /** Wall time of both probes, ms. */
  readonly ms: number;
}

export interface RpDiagnostics {
  /** Every backend (webgpu, webgl, wasm, cpu): available or why not, and what it runs on. */
  available(): Promise<Availability[]>;
  /** `backend` against `cpu` on identical weights and inputs (default: 2→16→16→2 ReLU, 32 points, seed 0). */
  parity(backend: BackendName, parityCase?: Partial<ParityCase>): Promise<ParityReport>;
  /** Training steps per second at the benchmark size (src/cli/bench.ts); `seconds` defaults to 2. */
  stepsPerSecond(backend: BackendName, methodId: string, seconds?: number): Promise<number>;
  /** One 128×128 grid evaluation, median of 7 after a warm-up, ms. */
  gridMs(backend: BackendName): Promise<number>;
  /** Live tensors (all backends): unchanged after any call when nothing leaks. */
  numTensors(): number;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

let queue: Promise<unknown> = Promise.resolve();
/** Runs jobs one at a time, in call order, so two calls never interleave backends. */
function serial<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

/** Makes `name` the current backend (smoke-tested; wasm without threads) or throws the reason. */
async function switchTo(name: BackendName): Promise<void> {
  if (!BACKENDS.includes(name))
    throw new Error(`Unknown backend "${String(name)}"; use ${BACKENDS.join(', ')}.`);
  try {
    if (name === 'webgpu') await loadWebGpuBackend();
    await pickBackend([name]);
  } catch (e) {
    throw new Error(`${name} is not available: ${reasonOf(e)}`, { cause: e });
  }
}

function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // pickBackend's message: "No TensorFlow.js backend could start (tried x): x: <reason>".
  return /\(tried [^)]*\): \w+: (.*)$/s.exec(message)?.[1] ?? message;
}

interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<{
    readonly info?: GpuAdapterInfoLike;
    readonly isFallbackAdapter?: boolean;
  } | null>;
}

/** What the browser itself says before tfjs tries: the adapter or renderer, or why the backend cannot work. */
async function preflight(name: BackendName): Promise<{ detail: string; software: boolean } | string> {
  switch (name) {
    case 'webgpu': {
      const gpu = (navigator as { gpu?: GpuLike }).gpu;
      if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
      const adapter = await gpu.requestAdapter().catch(() => null);
      if (!adapter) return 'no WebGPU adapter is available (no supported GPU, or WebGPU is disabled)';
      const info = adapter.info ?? {};
      const name = [info.vendor, info.architecture].filter(Boolean).join(' / ') || 'unnamed adapter';
      const words = [name, info.description].filter(Boolean).join(', ');
      const software = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || SOFTWARE.test(words);
      return { detail: software ? `${words} — software adapter` : words, software };
    }
    case 'webgl': {
      const renderer = webglRenderer();
      if (renderer === null) return 'WebGL 2 is not available';
      const software = SOFTWARE.test(renderer);
      return { detail: software ? `${renderer} — software renderer` : renderer, software };
    }
    case 'wasm':
      return { detail: '', software: false };
    case 'cpu':
      return { detail: 'plain JavaScript; the numeric reference', software: false };
  }
}

function webglRenderer(): string | null {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

async function availability(name: BackendName): Promise<Availability> {
  const pre = await preflight(name);
  if (typeof pre === 'string') return { name, ok: false, reason: pre, detail: '', software: false };
  try {
    if (name === 'webgpu') await loadWebGpuBackend();
    await pickBackend([name]);
  } catch (e) {
    return { name, ok: false, reason: reasonOf(e), detail: pre.detail, software: pre.software };
  }
  let detail = pre.detail;
  if (name === 'wasm') {
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    detail = `WebAssembly, ${simd ? 'SIMD' : 'no SIMD'}, one thread`;
  }
  return { name, ok: true, reason: '', detail, software: pre.software };
}

/**
 * WebGL and WebGPU run small ops on tensors still held on the CPU with the cpu backend's kernels ("CPU
 * forwarding"); parity switches that off so that every kernel under test runs on the GPU backend itself.
 */
async function withoutCpuForwarding<T>(job: () => Promise<T>): Promise<T> {
  const saved: [string, boolean][] = [];
  for (const flag of ['WEBGL_CPU_FORWARD', 'WEBGPU_CPU_FORWARD']) {
    try {
      saved.push([flag, tf.env().getBool(flag)]);
      tf.env().set(flag, false);
    } catch {
      // The backend that registers this flag is not loaded.
    }
  }
  try {
    return await job();
  } finally {
    for (const [f, v] of saved) tf.env().set(f, v);
  }
}

export const rpDiagnostics: RpDiagnostics = {
  available: () =>
    serial(async () => {
      const out: Availability[] = [];
      for (const name of BACKENDS) out.push(await availability(name));
      return out;
    }),
  parity: (backend, parityCase) =>
    serial(async () => {
      const c: ParityCase = { ...DEFAULT_PARITY_CASE, ...parityCase };
      const t0 = performance.now();
      await switchTo('cpu');
      const inputs = await parityInputs(c);
      const ref = await probe(inputs);
      await switchTo(backend);
      const got = await withoutCpuForwarding(() => probe(inputs));
      return { ...compareProbes(backend, 'cpu', c, got, ref), ms: performance.now() - t0 };
    }),
  stepsPerSecond: (backend, methodId, seconds = 2) =>
    serial(async () => {
      await switchTo(backend);
      return trainingStepsPerSecond(methodId, seconds);
    }),
  gridMs: (backend) =>
    serial(async () => {
      await switchTo(backend);
      return grid128Ms();
    }),
  numTensors: () => tf.memory().numTensors,
};

declare global {
  interface Window {
    rpDiagnostics?: RpDiagnostics;
  }
}
