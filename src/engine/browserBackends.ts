/**
 * Browser-only backend setup for the engine: loads the WebGPU backend only where a hardware adapter exists (it is
 * a separate chunk), serves the wasm binaries through Vite's `?url` imports, and refuses software GPU adapters
 * (SwiftShader and the like), on which training runs 4–60× slower than on wasm (reference/worker-feasibility.md).
 * Node never imports this file.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKENDS, type BackendName, type BackendRefusal } from '../ml/backend.ts';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

export interface BrowserBackendPlan {
  /** Backends to try, fastest first. */
  readonly order: readonly BackendName[];
  /** Backends left out before trying, each with the reason. */
  readonly skipped: readonly { readonly name: BackendName; readonly reason: string }[];
  /** What the GPU probes saw, for the badge. */
  readonly detail: string;
}

interface GpuAdapterLike {
  readonly info?: {
    readonly vendor?: string;
    readonly architecture?: string;
    readonly isFallbackAdapter?: boolean;
  };
  readonly isFallbackAdapter?: boolean;
}

/**
 * The order to try: `pinned` alone when given (tests and links pin a backend), else WebGPU, WebGL, wasm, cpu
 * without the GPU backends whose adapter is a software renderer. `excluded` backends failed earlier in this
 * session (a lost WebGPU device): they are left out, pinned or not, and reported with their reason.
 */
export async function planBackends(
  pinned: BackendName | null,
  excluded: readonly BackendRefusal[] = [],
): Promise<BrowserBackendPlan> {
  const usable = pinned && !excluded.some((e) => e.name === pinned) ? pinned : null;
  const planned = await planOrder(usable);
  const out = (name: BackendName) => excluded.some((e) => e.name === name);
  const plan: BrowserBackendPlan = {
    order: planned.order.filter((b) => !out(b)),
    skipped: [...excluded, ...planned.skipped.filter((s) => !out(s.name))],
    detail: planned.detail,
  };
  if (plan.order.includes('webgpu')) await loadWebGpuBackend();
  return plan;
}

/** Registers 'webgpu' with tfjs; without navigator.gpu it registers nothing and pickBackend moves on. */
export async function loadWebGpuBackend(): Promise<void> {
  await import('@tensorflow/tfjs-backend-webgpu');
}

async function planOrder(pinned: BackendName | null): Promise<BrowserBackendPlan> {
  if (pinned) return { order: [pinned], skipped: [], detail: `pinned to ${pinned}` };
  const skipped: { name: BackendName; reason: string }[] = [];
  const details: string[] = [];
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) skipped.push({ name: 'webgpu', reason: 'this browser has no WebGPU (navigator.gpu is missing)' });
  else {
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) skipped.push({ name: 'webgpu', reason: 'no WebGPU adapter is available' });
      else if (adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter) {
        const name = [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ');
        skipped.push({
          name: 'webgpu',
          reason: `the WebGPU adapter is a software fallback (${name || 'CPU'}), slower than wasm`,
        });
      } else details.push(`WebGPU: ${adapter.info?.vendor ?? ''} ${adapter.info?.architecture ?? ''}`.trim());
    } catch (e) {
      skipped.push({ name: 'webgpu', reason: `requesting an adapter failed: ${String(e)}` });
    }
  }
  const renderer = webglRenderer();
  if (renderer === null) skipped.push({ name: 'webgl', reason: 'WebGL 2 is not available' });
  else if (/swiftshader|llvmpipe|software/i.test(renderer)) {
    skipped.push({
      name: 'webgl',
      reason: `WebGL runs on a software renderer (${shortRenderer(renderer)}), slower than wasm`,
    });
  } else details.push(`WebGL: ${shortRenderer(renderer)}`);
  const order = BACKENDS.filter((b) => !skipped.some((s) => s.name === b));
  return { order, skipped, detail: details.join('; ') };
}

function webglRenderer(): string | null {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

function shortRenderer(r: string): string {
  return r.length > 60 ? `${r.slice(0, 57)}…` : r;
}
