/**
 * The PyTorch side of `npm run bench`: runs bench/torch_bench.py (CPU) on exactly the bench's setup — the same
 * 400 training points, box, initial weights, hyperparameters and variants, sent as JSON on stdin — and returns
 * its steps/s per method and 128×128 grid time, per thread count. Torch is optional: without a Python that can
 * `import torch` the result is `{ skipped }` with the reason and how to install it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One method as the bench trains it: its id, every hyperparameter's value and the variant id ('' if none). */
export interface TorchBenchMethod {
  readonly id: string;
  readonly hyper: Readonly<Record<string, number>>;
  readonly variant: string;
}

export interface TorchBenchBox {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

export interface TorchBenchInput {
  /** Training points, `[n·2]` row-major (float32 values). */
  readonly x: readonly number[];
  /** Labels, `[n]`. */
  readonly y: readonly number[];
  readonly nClasses: number;
  /** The box attacks clip to, rounded inward to float32 as attacks.ts does. */
  readonly box: TorchBenchBox;
  /** The data box the 128×128 grid spans. */
  readonly gridBox: TorchBenchBox;
  /** Initial weights, `W` is `nIn × nOut` (row-vector convention). */
  readonly weights: readonly { readonly W: readonly (readonly number[])[]; readonly b: readonly number[] }[];
  readonly methods: readonly TorchBenchMethod[];
  /** Seconds each method is timed after 3 warm-up steps (at least 5 steps). */
  readonly seconds: number;
  readonly eps: number;
  readonly batchSize: number;
  readonly lr: number;
  /** Epochs of the trainer config (sets CURE's ramp progress = step / (steps per epoch · epochs)). */
  readonly epochs: number;
  /** Thread settings to time: 'default' (torch's own choice) and/or counts. Default `['default', 1]`. */
  readonly threads?: readonly ('default' | number)[];
}

export interface TorchBenchRun {
  /** The thread settings this run stands for: 'default' and/or '1' (one run when they coincide). */
  readonly labels: readonly string[];
  /** torch intra-op threads. */
  readonly threads: number;
  /** OpenBLAS threads when torch's BLAS is OpenBLAS, else null. */
  readonly blasThreads: number | null;
  readonly stepsPerSecond: Readonly<Record<string, number>>;
  /** Median time of one training step, ms (robust to a busy machine's preemptions). */
  readonly medianStepMs: Readonly<Record<string, number>>;
  readonly grid128Ms: number;
  readonly nonFiniteSteps?: Readonly<Record<string, number>>;
}

export interface TorchBenchResult {
  readonly torch: string;
  readonly python: string;
  readonly executable: string;
  readonly cpuCount: number;
  /** torch.get_num_threads() before the script changed it. */
  readonly defaultThreads: number;
  readonly interopThreads: number;
  /**
   * The BLAS torch's matmuls run on (Debian's python3-torch uses the system libblas.so.3): `reference` is true for
   * the netlib reference BLAS (libblas3), far slower than the MKL or OpenBLAS a PyTorch wheel ships.
   */
  readonly blas: {
    readonly libraries: readonly string[];
    readonly buildBlas: string | null;
    readonly reference: boolean;
    readonly defaultThreads: number | null;
  };
  /** One run per distinct thread setting (the default and 1 coincide when torch and its BLAS default to 1). */
  readonly runs: readonly TorchBenchRun[];
  /** What each torch method computes (mirroring src/ml/methods/*.ts). */
  readonly implements: Readonly<Record<string, string>>;
  /** Where the torch side differs from ours, and why that does not change the work per step. */
  readonly deviations: readonly string[];
  /** Methods the script could not mirror (e.g. a non-default variant), with the reason. */
  readonly errors?: Readonly<Record<string, string>>;
}

export const TORCH_SCRIPT = fileURLToPath(new URL('../../bench/torch_bench.py', import.meta.url));

const INSTALL_HINT =
  'install PyTorch with `apt-get install -y python3-torch` (as root; Debian), or set BENCH_PYTHON to a Python ' +
  'that can `import torch`';

/**
 * The first Python that imports torch: $BENCH_PYTHON, then `python3`, then `/usr/bin/python3` (a pyenv or venv
 * `python3` on PATH does not see Debian's python3-torch). Returns the interpreter or the reasons each failed.
 */
export function findTorchPython(): { python: string; torch: string } | { tried: string[] } {
  const candidates = [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (c, i, all): c is string => !!c && all.indexOf(c) === i,
  );
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status === 0) return { python, torch: r.stdout.trim() };
    const why = r.error
      ? r.error.message
      : (r.stderr.trim().split('\n').pop() ?? `exit status ${String(r.status)}`);
    tried.push(`${python}: ${why}`);
  }
  return { tried };
}

/** Runs the PyTorch bench; `{ skipped }` when no Python has torch or the script fails. */
export async function runTorchBench(
  input: TorchBenchInput,
  opts: { readonly log?: (line: string) => void } = {},
): Promise<TorchBenchResult | { skipped: string }> {
  const log = opts.log ?? (() => {});
  const found = findTorchPython();
  if ('tried' in found) {
    return { skipped: `no Python with PyTorch (${found.tried.join('; ')}); ${INSTALL_HINT}.` };
  }
  log(`torch ${found.torch} via ${found.python}`);
  return new Promise((resolve) => {
    const child = spawn(found.python, [TORCH_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderrTail = (stderrTail + s).slice(-4000);
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) log(line);
    });
    child.on('error', (e) => resolve({ skipped: `could not start ${found.python}: ${e.message}` }));
    child.on('close', (code) => {
      if (pending.trim()) log(pending);
      if (code !== 0) {
        const last = stderrTail.trim().split('\n').slice(-3).join(' | ');
        resolve({ skipped: `${TORCH_SCRIPT} failed (exit status ${String(code)}): ${last}` });
        return;
      }
      try {
        resolve(JSON.parse(stdout) as TorchBenchResult);
      } catch (e) {
        resolve({ skipped: `${TORCH_SCRIPT} printed no JSON: ${(e as Error).message}` });
      }
    });
    child.stdin.on('error', () => {}); // an early exit is reported by 'close'
    child.stdin.end(JSON.stringify({ threads: ['default', 1], ...input }));
  });
}
