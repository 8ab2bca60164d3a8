/**
 * `npm run bench`: training steps per second of every method at the default size (2→64→64→2 ReLU, 400 spiral
 * training points, batch 128, Adam 1e-2, ε = 0.05 L∞) on Node's `wasm` and `cpu` backends, the same steps in
 * PyTorch on the CPU (bench/torch_bench.py, same points, weights and hyperparameters; skipped when no Python has
 * torch), and the time of one 128×128 grid evaluation; then, unless --no-browser, the browser bench
 * (./benchBrowser.ts). Prints a table (stderr) and the full JSON (stdout and bench-results.json in the
 * repository root). A benchmark, not a test: compare ratios within one run on a shared machine.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeDataset } from '../core/datasets/index.ts';
import { Rng } from '../core/rng.ts';
import { innerFloat32Box } from '../ml/attacks.ts';
import { Mlp } from '../ml/model.ts';
import { METHODS } from '../ml/methods/index.ts';
import { defaultFor, type TrainingMethod } from '../ml/methods/types.ts';
import { Trainer } from '../ml/trainer.ts';
import { evaluateGrid } from '../ml/metrics.ts';
import { FlagError, number } from './flags.ts';
import { NODE_BACKENDS, startNodeBackend } from './nodeBackend.ts';
import { runTorchBench, type TorchBenchResult, type TorchBenchRun } from './benchTorch.ts';

const USAGE = `npm run bench -- [flags]

  --seconds N      seconds each method is timed after 3 warm-up steps (default: $BENCH_SECONDS or 2)
  --methods a,b    methods to time (default: all: ${Object.keys(METHODS).join(',')})
  --no-torch       skip the PyTorch comparison (bench/torch_bench.py)
  --no-browser     skip the browser bench (src/cli/benchBrowser.ts)
  --json-only      print only the JSON (stdout); no progress, no table
  --help           this text

Writes the JSON to bench-results.json in the repository root as well.`;

interface BenchFlags {
  seconds: number;
  methods: string[];
  torch: boolean;
  browser: boolean;
  jsonOnly: boolean;
}

function parseBenchFlags(argv: readonly string[]): BenchFlags | 'help' {
  const envSeconds = process.env.BENCH_SECONDS;
  const flags: BenchFlags = {
    seconds: envSeconds ? number('seconds (BENCH_SECONDS)', 0.05, 3600)(envSeconds) : 2,
    methods: Object.keys(METHODS),
    torch: true,
    browser: true,
    jsonOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (raw === undefined) throw new FlagError(`${name} needs a value.`);
      return raw;
    };
    switch (name) {
      case '--help':
      case '-h':
        return 'help';
      case '--seconds':
        flags.seconds = number('seconds', 0.05, 3600)(value());
        break;
      case '--methods': {
        const ids = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const bad = ids.filter((id) => !(id in METHODS));
        if (ids.length === 0 || bad.length > 0) {
          throw new FlagError(
            `--methods takes a comma-separated list of ${Object.keys(METHODS).join(', ')}; got "${bad.join(',')}".`,
          );
        }
        flags.methods = ids;
        break;
      }
      case '--no-torch':
        flags.torch = false;
        break;
      case '--no-browser':
        flags.browser = false;
        break;
      case '--json-only':
        flags.jsonOnly = true;
        break;
      default:
        throw new FlagError(
          `Unknown argument "${arg}". Allowed: --seconds N, --methods a,b, --no-torch, --no-browser, --json-only, --help.`,
        );
    }
  }
  return flags;
}

let flags: BenchFlags;
try {
  const parsed = parseBenchFlags(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    process.exit(0);
  }
  flags = parsed;
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}

const progress = (line: string) => {
  if (!flags.jsonOnly) process.stderr.write(`${line}\n`);
};

const EPS = 0.05;
const BATCH = 128;
const LR = 0.01;
const EPOCHS = 100_000;
const data = makeDataset({ name: 'spiral', nTrain: 400, nTest: 400, seed: 0 });
const spec = { inputDim: 2, hidden: [64, 64], outputDim: 2, activation: 'relu', dropout: 0 } as const;

/** The setting every side trains each method with: its default variant and that variant's defaults. */
function setting(method: TrainingMethod): { hyper: Record<string, number>; variant: string } {
  const variant = method.variants?.[0]?.id ?? '';
  return { hyper: Object.fromEntries(method.hyper.map((h) => [h.key, defaultFor(h, variant)])), variant };
}

/** Median of a list (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/**
 * Steps per second over `seconds` after 3 warm-up steps (at least 5 steps), and the median time of one step (ms),
 * which a busy machine's preemptions skew far less than the mean.
 */
async function stepsPerSecond(methodId: string, seconds: number): Promise<{ sps: number; medianMs: number }> {
  const method = METHODS[methodId]!;
  const model = Mlp.init(spec, new Rng(0));
  const trainer = new Trainer(model, method, data.train, data.nClasses, {
    optimizer: 'adam',
    lr: LR,
    momentum: 0,
    schedule: 'constant',
    epochs: EPOCHS,
    batchSize: BATCH,
    seed: 0,
    eps: EPS,
    norm: 'linf',
    box: data.meta.box,
    ...setting(method),
  });
  for (let i = 0; i < 3; i++) await trainer.trainStep();
  const times: number[] = [];
  const t0 = performance.now();
  let last = t0;
  while (last - t0 < seconds * 1000 || times.length < 5) {
    if (!(await trainer.trainStep()))
      throw new Error(`${methodId}: ${trainer.stopped?.message ?? 'stopped'}`);
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  const sps = times.length / ((last - t0) / 1000);
  trainer.dispose();
  model.dispose();
  return { sps, medianMs: median(times) };
}

async function gridMs(): Promise<number> {
  const model = Mlp.init(spec, new Rng(0));
  await evaluateGrid(model, data.meta.box, 128, 2, 'probability');
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await evaluateGrid(model, data.meta.box, 128, 2, 'probability');
    times.push(performance.now() - t0);
  }
  model.dispose();
  return times.sort((a, b) => a - b)[3]!;
}

interface BrowserRow {
  name: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
}
type BrowserResult = { rows: BrowserRow[]; [k: string]: unknown };
type BrowserBench = (opts: { log: (line: string) => void }) => Promise<BrowserResult>;

/** The browser bench from ./benchBrowser.ts, loaded only when asked for (it may not exist). */
async function browserBench(): Promise<BrowserResult | { skipped: string }> {
  const url = new URL('./benchBrowser.ts', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return { skipped: `${fileURLToPath(url)} does not exist` };
  let run: BrowserBench | undefined;
  try {
    const mod = (await import(url.href)) as { runBrowserBench?: BrowserBench };
    run = mod.runBrowserBench;
  } catch (e) {
    return { skipped: `could not load ./benchBrowser.ts: ${(e as Error).message}` };
  }
  if (typeof run !== 'function') return { skipped: './benchBrowser.ts exports no runBrowserBench' };
  return run({ log: progress });
}

const isSkipped = (v: object): v is { skipped: string } =>
  typeof (v as { skipped?: unknown }).skipped === 'string';

const round1 = (v: number) => Math.round(v * 10) / 10;

// ---- Node: wasm and cpu ----
const nodeResults: Record<
  string,
  { stepsPerSecond: Record<string, number>; medianStepMs: Record<string, number>; grid128Ms: number }
> = {};
let wasmThreads: number | null = null;
for (const backend of NODE_BACKENDS) {
  await startNodeBackend(backend);
  if (backend === 'wasm') wasmThreads = getThreadsCount();
  const perMethod: Record<string, number> = {};
  const medianMs: Record<string, number> = {};
  for (const id of flags.methods) {
    const r = await stepsPerSecond(id, flags.seconds);
    perMethod[id] = round1(r.sps);
    medianMs[id] = Math.round(r.medianMs * 1000) / 1000;
    progress(`${backend} ${id}: ${perMethod[id]} steps/s (median step ${medianMs[id]} ms)`);
  }
  const grid = Math.round((await gridMs()) * 100) / 100;
  progress(`${backend} grid 128×128: ${grid} ms`);
  nodeResults[backend] = { stepsPerSecond: perMethod, medianStepMs: medianMs, grid128Ms: grid };
}

// ---- PyTorch ----
let torch: TorchBenchResult | { skipped: string } = { skipped: '--no-torch' };
if (flags.torch) {
  const init = Mlp.init(spec, new Rng(0));
  const weights = await init.toPlain();
  init.dispose();
  torch = await runTorchBench(
    {
      x: Array.from(Float32Array.from(data.train.x)),
      y: Array.from(data.train.y),
      nClasses: data.nClasses,
      box: innerFloat32Box(data.meta.box),
      gridBox: data.meta.box,
      weights,
      methods: flags.methods.map((id) => ({ id, ...setting(METHODS[id]!) })),
      seconds: flags.seconds,
      eps: EPS,
      batchSize: BATCH,
      lr: LR,
      epochs: EPOCHS,
    },
    { log: progress },
  );
  if ('skipped' in torch) progress(`torch: skipped — ${torch.skipped}`);
}

// ---- Browser ----
let browser: BrowserResult | { skipped: string } = { skipped: '--no-browser' };
if (flags.browser) {
  try {
    browser = await browserBench();
  } catch (e) {
    browser = { skipped: `the browser bench failed: ${(e as Error).message}` };
  }
  if (isSkipped(browser)) progress(`browser: skipped — ${browser.skipped}`);
}

// ---- Table and JSON ----
const torchRuns = 'runs' in torch ? torch : null;
const torchDefault: TorchBenchRun | undefined = torchRuns?.runs.find((r) => r.labels.includes('default'));
const torchOne: TorchBenchRun | undefined = torchRuns?.runs.find((r) => r.labels.includes('1'));

function threadText(r: TorchBenchRun): string {
  return `${r.threads} thr` + (r.blasThreads === null ? '' : `, BLAS ${r.blasThreads}`);
}

function table(): string {
  const fmt = (v: number | undefined, d = 1) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
  const defLabel = torchDefault ? `torch (default: ${threadText(torchDefault)})` : 'torch (default)';
  const header = [
    'method',
    'wasm steps/s',
    'cpu steps/s',
    defLabel,
    'torch (1 thr)',
    'wasm/torch (1 thr)',
    'same, median step',
  ];
  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? fmt(a / b, 2) : '—');
  const rows: string[][] = flags.methods.map((id) => [
    id,
    fmt(nodeResults.wasm?.stepsPerSecond[id]),
    fmt(nodeResults.cpu?.stepsPerSecond[id]),
    fmt(torchDefault?.stepsPerSecond[id]),
    fmt(torchOne?.stepsPerSecond[id]),
    ratio(nodeResults.wasm?.stepsPerSecond[id], torchOne?.stepsPerSecond[id]),
    ratio(torchOne?.medianStepMs[id], nodeResults.wasm?.medianStepMs[id]),
  ]);
  const wasmGrid = nodeResults.wasm?.grid128Ms;
  rows.push([
    'grid 128² (ms)',
    fmt(wasmGrid, 2),
    fmt(nodeResults.cpu?.grid128Ms, 2),
    fmt(torchDefault?.grid128Ms, 2),
    fmt(torchOne?.grid128Ms, 2),
    ratio(torchOne?.grid128Ms, wasmGrid),
    '',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
  out.push(
    '',
    `Node ${process.version}, tfjs ${tf.version.tfjs}; wasm ${wasmThreads ?? '?'} thread(s), cpu backend 1 thread (JS); ` +
      `${flags.seconds} s per method after 3 warm-up steps. Ratios are speeds (> 1: wasm faster); ` +
      '"same, median step" compares median step times, which a busy machine skews less.',
  );
  if (torchRuns) {
    const blas = torchRuns.blas;
    out.push(
      `PyTorch ${torchRuns.torch} (Python ${torchRuns.python}, ${torchRuns.executable}), ${torchRuns.cpuCount} CPUs; ` +
        `BLAS: ${blas.libraries.join(', ') || 'none found'}` +
        (torchDefault && torchDefault === torchOne
          ? '; the default is 1 thread, so both torch columns are one run'
          : '') +
        '. The ratio uses torch at 1 thread, like wasm here.',
    );
    if (blas.reference) {
      out.push(
        'WARNING: torch runs its matmuls on the netlib reference BLAS (Debian libblas3), many times slower than the ' +
          'MKL/OpenBLAS of a PyTorch wheel, so the torch columns understate PyTorch. Install an optimised BLAS ' +
          '(`apt-get install -y libopenblas0-pthread`) or point LD_LIBRARY_PATH at one, and rerun.',
      );
    }
    if (torchRuns.errors) {
      for (const [id, why] of Object.entries(torchRuns.errors)) out.push(`torch ${id}: ${why}`);
    }
  } else out.push(`PyTorch: skipped — ${(torch as { skipped: string }).skipped}`);
  if (!isSkipped(browser) && Array.isArray(browser.rows)) {
    const bRows = browser.rows.map((r) => [
      r.name,
      `${fmt(r.value, 2)} ${r.unit}`,
      r.target ?? '',
      r.met === undefined ? '' : r.met ? 'met' : 'NOT met',
    ]);
    const bHeader = ['browser', 'value', 'target', ''];
    const bw = bHeader.map((h, c) => Math.max(h.length, ...bRows.map((r) => r[c]!.length)));
    const bLine = (cells: readonly string[]) =>
      cells.map((cell, c) => (c === 1 ? cell.padStart(bw[c]!) : cell.padEnd(bw[c]!))).join('  ');
    out.push('', bLine(bHeader), bw.map((w) => '─'.repeat(w)).join('  '), ...bRows.map(bLine));
  } else if (isSkipped(browser)) out.push(`Browser: skipped — ${browser.skipped}`);
  return out.join('\n');
}

const result = {
  what:
    'training steps/s per method (2→64→64→2 ReLU, 400 spiral points, batch 128, Adam 1e-2, ε = 0.05 L∞) on ' +
    'Node wasm/cpu and PyTorch CPU, and one 128×128 grid evaluation (median of 7, ms)',
  date: new Date().toISOString(),
  seconds: flags.seconds,
  methods: Object.fromEntries(flags.methods.map((id) => [id, setting(METHODS[id]!)])),
  machine: { cpus: availableParallelism(), platform: `${process.platform} ${process.arch}` },
  node: process.version,
  tfjs: tf.version.tfjs,
  wasmThreads,
  backends: nodeResults,
  torch,
  browser,
};

if (!flags.jsonOnly) process.stderr.write(`\n${table()}\n\n`);
const json = JSON.stringify(result, null, 2);
const file = fileURLToPath(new URL('../../bench-results.json', import.meta.url));
writeFileSync(file, `${json}\n`);
progress(`wrote ${file}`);
console.log(json);
