/**
 * The browser benchmark: the production build (`vite build` + `vite preview`) driven by Debian's Chromium through
 * playwright-core. `npx tsx src/cli/benchBrowser.ts` prints JSON; `runBrowserBench` is the same as a function.
 *
 * It measures
 *  1. the time from navigation start to the first drawn heatmap (`performance.mark('rp:first-heatmap')`), median
 *     of 3 fresh page loads, for the default URL (automatic backend choice) and for `?backend=wasm`;
 *  2. the main thread while every default panel trains, for `?backend=wasm` with `workers=` unset, 1, 2 and
 *     `panel`: the gaps between animation frames (max, p95), the longest long task and a 10 ms timer chain over a
 *     ~15 s window, the mean training steps/s per panel over that window, and the time until the page reads
 *     `done` (each of these loads runs `&epochs=60`, and the window lies inside its training);
 *  3. the time from switching to the spiral until TRADES first reaches TRADES_TARGET adversarial test accuracy;
 *  4. when the build has `/diagnostics.html` (`window.rpDiagnostics`), steps/s of natural, AT and TRADES and
 *     the grid time on every backend it offers, in a second browser with a software WebGPU adapter.
 *
 * A benchmark, not a test: the machine may be shared, so compare within one run. Environment: CHROMIUM_PATH
 * (default /usr/bin/chromium); BENCH_ONLY=heatmap,frames,trades,diagnostics runs a subset;
 * BENCH_TRADES_CALIBRATE=1 makes part 3 train the whole default schedule and report where TRADES ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import {
  errorText,
  freePort,
  median,
  ROOT,
  round,
  runNpx,
  sleep,
  stopGroup,
  waitForHttp,
} from './benchServer.ts';
import {
  backendOf,
  closePage,
  firstHeatmap,
  installTradesWatch,
  openPage,
  pageSnapshot,
  readSteps,
  statusOf,
  waitForState,
  windowStats,
  type TradesWatch,
} from './benchPage.ts';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
}

export interface FrameReport {
  variant: string;
  url: string;
  backend: string;
  /** Navigation start to the first heatmap on this load; null when none was drawn within the wait (15 s). */
  firstHeatmapMs: number | null;
  /** Seconds the window actually lasted (shorter when training ended first). */
  windowS: number;
  frames: number;
  maxRafGapMs: number;
  p95RafGapMs: number;
  longTasks: number;
  longestLongTaskMs: number;
  maxTimerGapMs: number;
  /** Mean over the trained panels of (step at the end − step at the start) / window. */
  meanStepsPerSecond: number;
  stepsPerSecondByMethod: Record<string, number>;
  /** Navigation start to `done` with `&epochs=60`; null when the cap was reached first. */
  doneMs: number | null;
}

export interface TradesReport {
  url: string;
  /** null while calibrating. */
  target: number | null;
  /** Seconds from the switch to the first reading ≥ target; null when the cap was reached first. */
  seconds: number | null;
  metricsStep: number | null;
  step: number | null;
  /** Seconds from the switch to the spiral's first TRADES metrics, and what they said. */
  firstMetrics: { seconds: number; advTestAcc: number; metricsStep: number } | null;
  /** The last reading seen (the final one when training ended). */
  last: { advTestAcc: number; metricsStep: number; step: number; done: boolean } | null;
  calibrate: boolean;
}

export interface DiagnosticsReport {
  available: unknown;
  backends: Record<
    string,
    {
      label: string;
      stepsPerSecond: Record<string, number | string>;
      gridMs: number | string;
    }
  >;
  adapter: unknown;
}

export interface BrowserBenchResult {
  rows: BenchRow[];
  baseUrl: string;
  chromium: string;
  startedAt: string;
  totalSeconds: number;
  firstHeatmapMs: Record<string, number[]>;
  frames: FrameReport[];
  trades: TradesReport | null;
  diagnostics: DiagnosticsReport | null;
  notes: string[];
  /** Console errors, page errors, crashes and `window.__rpErrors`, each prefixed by the scenario. */
  errors: string[];
}

/**
 * TRADES's target adversarial test accuracy on the default spiral (a fraction, as `data-value` holds it).
 * Calibrated with BENCH_TRADES_CALIBRATE=1 on 2026-11-24 at commit 119b020 (`?backend=wasm`, moons → spiral, every other setting at
 * its default: 400/400 points, 2→64→64→2 ReLU, Adam 0.01, batch 128, 200 epochs = 800 steps, ε = ε_train = 0.1
 * L∞): TRADES ended at advTestAcc = 0.4275 (42.75 %) at step 800, after about 0.46 around steps 120–280 and
 * 0.445–0.45 at steps 330–630. The target is the final value minus 5 points, rounded down to a whole percent:
 * 42.75 − 5 = 37.75 → 37 %. TRADES passes it with its first few metric readings on the spiral, so this time is
 * mostly the time to its first fresh adversarial accuracy after the switch.
 */
export const TRADES_CALIBRATED_FINAL = 0.4275;
export const TRADES_TARGET = 0.37;

const FIRST_HEATMAP_TARGET_MS = 1500;
const LONGEST_FRAME_TARGET_MS = 50;
const STEPS_TARGETS: Record<string, number> = { natural: 100, at: 15, trades: 15 };
const FIRST_HEATMAP_LOADS = 3;
const WINDOW_MS = 15_000;
/** Epochs of the main-thread loads: long enough that the slow methods train through the whole window. */
const FRAMES_EPOCHS = 60;
/** A page that has drawn no heatmap by then is reported as failing to draw one. */
const FIRST_HEATMAP_TIMEOUT_MS = 30_000;
const LATER_HEATMAP_WAIT_MS = 15_000;
const DONE_CAP_MS = 240_000;
const TRADES_CAP_MS = 240_000;
const TRADES_CALIBRATE_CAP_MS = 600_000;
const DIAG_SECONDS = 2;
const DIAG_CALL_TIMEOUT_MS = 90_000;
const WORKER_VARIANTS = ['', '1', '2', 'panel'] as const;

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WEBGPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

type Section = 'heatmap' | 'frames' | 'trades' | 'diagnostics';

// ---------------------------------------------------------------------------------------------------------
// 1. First heatmap

async function measureFirstHeatmap(
  browser: Browser,
  base: string,
  query: string,
  log: (s: string) => void,
  errors: string[],
): Promise<{ times: number[]; loads: number }> {
  const times: number[] = [];
  let failures = 0;
  let loads = 0;
  for (let i = 0; i < FIRST_HEATMAP_LOADS; i++) {
    const label = `first-heatmap ${query || '/'} #${i + 1}`;
    const s = await openPage(browser, label, errors, false);
    let failed = false;
    loads++;
    try {
      await s.page.goto(`${base}/${query}`);
      const t = await firstHeatmap(s.page, FIRST_HEATMAP_TIMEOUT_MS);
      times.push(t);
      log(`  ${label}: ${t.toFixed(0)} ms (${await backendOf(s.page)})`);
    } catch (e) {
      const state = await pageSnapshot(s.page).catch(() => '');
      errors.push(`${label}: ${errorText(e)}; the page then: ${state}`);
      log(`  ${label}: failed (${errorText(e)}); the page then: ${state}`);
      failed = true;
    } finally {
      await closePage(s, label, errors);
    }
    // Some loads draw no heatmap at all (seen: training runs, no picture ever arrives); two such loads are
    // enough to report it, and each costs the whole timeout.
    if (failed && ++failures >= 2) break;
  }
  return { times, loads };
}

// ---------------------------------------------------------------------------------------------------------
// 2. The main thread while every default panel trains, per worker variant

async function measureFrames(
  browser: Browser,
  base: string,
  workers: string,
  heatWaitMs: number,
  log: (s: string) => void,
  errors: string[],
): Promise<FrameReport> {
  const query = `?backend=wasm${workers ? `&workers=${workers}` : ''}&epochs=${FRAMES_EPOCHS}`;
  const variant = workers ? `workers=${workers}` : 'workers unset';
  const label = `frames ${query}`;
  const s = await openPage(browser, label, errors, true);
  const { page } = s;
  try {
    await page.goto(`${base}/${query}`);
    const heat = await firstHeatmap(page, heatWaitMs).catch(() => null);
    if (heat === null) {
      errors.push(`${label}: no heatmap drawn within ${heatWaitMs / 1000} s; measuring anyway`);
      log(`  ${variant}: no heatmap within ${heatWaitMs / 1000} s; measuring anyway`);
    }
    const training = await waitForState(page, 'training', 30_000);
    if (training === null)
      throw new Error(`the status never read training (it reads ${await statusOf(page)})`);
    const backend = await backendOf(page);
    const start = await page.evaluate(readSteps);
    let end = start;
    // Each panel's rate counts only while it trains: a cheap method finishes early at full speed.
    const lastTraining = new Map(start.panels.map((p) => [p.id, { t: start.t, step: p.step }]));
    for (;;) {
      await sleep(250);
      end = await page.evaluate(readSteps);
      for (const p of end.panels) if (!p.done) lastTraining.set(p.id, { t: end.t, step: p.step });
      if (end.t - start.t >= WINDOW_MS || (await statusOf(page)) !== 'training') break;
    }
    // Let the frame after the window and any long task entry arrive before reading the recorder.
    await sleep(400);
    const stats = await page.evaluate(windowStats, { t0: start.t, t1: end.t });
    const seconds = (end.t - start.t) / 1000;
    const rates = new Map<string, number[]>();
    for (const p of end.panels) {
      const before = start.panels.find((q) => q.id === p.id);
      const last = lastTraining.get(p.id);
      if (!before || !last || before.done || last.t - start.t < 1000) continue;
      if (!Number.isFinite(last.step) || !Number.isFinite(before.step)) continue;
      rates.set(p.method, [
        ...(rates.get(p.method) ?? []),
        (last.step - before.step) / ((last.t - start.t) / 1000),
      ]);
    }
    const all = [...rates.values()].flat();
    const byMethod = Object.fromEntries(
      [...rates].map(([m, r]) => [m, round(r.reduce((a, b) => a + b, 0) / r.length)]),
    );
    const meanSps = all.length ? all.reduce((a, b) => a + b, 0) / all.length : NaN;
    log(
      `  ${variant}: ${backend}; window ${seconds.toFixed(1)} s, max rAF gap ${stats.maxRafGapMs.toFixed(1)} ms, ` +
        `p95 ${stats.p95RafGapMs.toFixed(1)} ms, long tasks ${stats.longTasks} (longest ${stats.longestLongTaskMs.toFixed(0)} ms), ` +
        `${meanSps.toFixed(1)} steps/s per panel; waiting for done…`,
    );
    const done = await waitForState(
      page,
      'done',
      Math.max(1000, DONE_CAP_MS - (await page.evaluate(() => performance.now()))),
    );
    log(
      `  ${variant}: done ${done === null ? `not within ${DONE_CAP_MS / 1000} s` : `at ${(done / 1000).toFixed(1)} s`}`,
    );
    return {
      variant,
      url: query,
      backend,
      firstHeatmapMs: heat === null ? null : Math.round(heat),
      windowS: round(seconds, 2),
      frames: stats.frames,
      maxRafGapMs: round(stats.maxRafGapMs),
      p95RafGapMs: round(stats.p95RafGapMs),
      longTasks: stats.longTasks,
      longestLongTaskMs: round(stats.longestLongTaskMs),
      maxTimerGapMs: round(stats.maxTimerGapMs),
      meanStepsPerSecond: round(meanSps),
      stepsPerSecondByMethod: byMethod,
      doneMs: done === null ? null : Math.round(done),
    };
  } finally {
    await closePage(s, label, errors);
  }
}

// ---------------------------------------------------------------------------------------------------------
// 3. TRADES on the spiral: time to the target adversarial accuracy

async function measureTrades(
  browser: Browser,
  base: string,
  calibrate: boolean,
  heatWaitMs: number,
  log: (s: string) => void,
  errors: string[],
): Promise<TradesReport> {
  const query = '?backend=wasm';
  const label = `trades ${query} spiral`;
  const target = calibrate ? null : TRADES_TARGET;
  const cap = calibrate ? TRADES_CALIBRATE_CAP_MS : TRADES_CAP_MS;
  const s = await openPage(browser, label, errors, false);
  const { page } = s;
  try {
    await page.goto(`${base}/${query}`);
    if ((await firstHeatmap(page, heatWaitMs).catch(() => null)) === null)
      errors.push(`${label}: no heatmap drawn within ${heatWaitMs / 1000} s; measuring anyway`);
    // Switch once moons training is a few epochs in, so the restart is visible as a smaller step count.
    const s0Handle = await page.waitForFunction(
      () => {
        const v = Number(
          document.querySelector('[data-testid="panel"][data-method="trades"]')?.getAttribute('data-step'),
        );
        return v >= 20 ? v : false;
      },
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    const s0 = (await s0Handle.jsonValue()) as number;
    await page.evaluate(installTradesWatch, { target: target ?? 2, s0 });
    await page.evaluate(() => {
      (window as unknown as { __rpTrades: TradesWatch }).__rpTrades.t0 = performance.now();
    });
    await page.getByTestId('dataset-select').selectOption('spiral');
    log(
      `  switched to spiral (TRADES was at step ${s0}); target advTestAcc ≥ ${calibrate ? '(calibrating)' : target}`,
    );
    const t0 = Date.now();
    let w: TradesWatch;
    for (;;) {
      await sleep(1000);
      w = await page.evaluate(() => (window as unknown as { __rpTrades: TradesWatch }).__rpTrades);
      if (w.hit) break;
      if (calibrate && w.last?.done && w.last.metricsStep === w.last.step) break;
      if (Date.now() - t0 > cap) break;
      if ((Date.now() - t0) % 30_000 < 1000 && w.last)
        log(
          `  … ${((Date.now() - t0) / 1000).toFixed(0)} s: TRADES step ${w.last.step}, advTestAcc ${w.last.advTestAcc}`,
        );
    }
    const seconds = w.hit ? round(w.hit.t / 1000, 2) : null;
    log(
      seconds !== null
        ? `  TRADES reached ${target} at ${seconds} s (metrics of step ${w.hit!.metricsStep})`
        : `  TRADES ${calibrate ? 'ended' : 'did not reach the target'}: last ${JSON.stringify(w.last)}`,
    );
    return {
      url: query,
      target,
      seconds,
      metricsStep: w.hit?.metricsStep ?? null,
      step: w.hit?.step ?? null,
      firstMetrics: w.firstMetrics
        ? {
            seconds: round(w.firstMetrics.t / 1000, 2),
            advTestAcc: w.firstMetrics.advTestAcc,
            metricsStep: w.firstMetrics.metricsStep,
          }
        : null,
      last: w.last,
      calibrate,
    };
  } finally {
    await closePage(s, label, errors);
  }
}

// ---------------------------------------------------------------------------------------------------------
// 4. Per-backend diagnostics page (software WebGPU / WebGL here)

interface RpDiagnostics {
  available(): unknown;
  stepsPerSecond(backend: string, methodId: string, seconds: number): unknown;
  gridMs(backend: string): unknown;
}

function backendNames(av: unknown): string[] {
  const isOn = (v: unknown): boolean => {
    if (v === true) return true;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return (o.available ?? o.ok ?? o.usable ?? true) !== false;
    }
    return false;
  };
  if (Array.isArray(av))
    return av.flatMap((x: unknown) =>
      typeof x === 'string'
        ? [x]
        : x && typeof x === 'object' && 'name' in x && isOn(x)
          ? [String(x.name)]
          : [],
    );
  if (av && typeof av === 'object')
    return Object.entries(av as Record<string, unknown>)
      .filter(([, v]) => isOn(v))
      .map(([k]) => k);
  return [];
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function asNumber(v: unknown): number | string {
  if (typeof v === 'number') return round(v, 2);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['stepsPerSecond', 'value', 'ms', 'gridMs'])
      if (typeof o[k] === 'number') return round(o[k], 2);
  }
  return JSON.stringify(v);
}

async function measureDiagnostics(
  base: string,
  executablePath: string,
  log: (s: string) => void,
  errors: string[],
): Promise<DiagnosticsReport> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...BASE_ARGS, ...WEBGPU_ARGS],
  });
  const label = 'diagnostics (software WebGPU flags)';
  const s = await openPage(browser, label, errors, false);
  const { page } = s;
  try {
    await page.goto(`${base}/diagnostics.html`);
    await page.waitForFunction(() => 'rpDiagnostics' in window, undefined, { timeout: 30_000 });
    const adapter = await page.evaluate(async () => {
      const out: Record<string, unknown> = {};
      try {
        const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        const a = (await gpu?.requestAdapter()) as
          | {
              info?: {
                vendor?: string;
                architecture?: string;
                description?: string;
                isFallbackAdapter?: boolean;
              };
            }
          | null
          | undefined;
        out.webgpu = a
          ? {
              vendor: a.info?.vendor,
              architecture: a.info?.architecture,
              description: a.info?.description,
              isFallbackAdapter: a.info?.isFallbackAdapter,
            }
          : null;
      } catch (e) {
        out.webgpu = String(e);
      }
      const gl = document.createElement('canvas').getContext('webgl2');
      const ext = gl?.getExtension('WEBGL_debug_renderer_info');
      out.webgl = gl
        ? ext
          ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)
          : gl.getParameter(gl.RENDERER)
        : null;
      return out;
    });
    const available = await withTimeout(
      page.evaluate(async () => {
        const d = (window as unknown as { rpDiagnostics: RpDiagnostics }).rpDiagnostics;
        return await d.available();
      }),
      DIAG_CALL_TIMEOUT_MS,
      'available()',
    );
    const names = backendNames(available);
    log(`  diagnostics: backends ${JSON.stringify(names)}; adapters ${JSON.stringify(adapter)}`);
    // What the page and the adapters say: SwiftShader (a CPU rasteriser) is software, not a GPU.
    const entries = Array.isArray(available) ? (available as unknown[]) : [];
    const entryOf = (b: string) =>
      entries.find((e): e is { software?: unknown; detail?: unknown } => {
        return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === b;
      });
    const gpuInfo = adapter.webgpu as { description?: string; isFallbackAdapter?: boolean } | string | null;
    const rendererText = `${JSON.stringify(gpuInfo)} ${String(adapter.webgl)}`;
    const kind = (b: string): string => {
      if (b !== 'webgpu' && b !== 'webgl') return '';
      const e = entryOf(b);
      const detail = `${typeof e?.detail === 'string' ? e.detail : ''} ${b === 'webgpu' ? JSON.stringify(gpuInfo) : String(adapter.webgl)}`;
      const fallback = b === 'webgpu' && typeof gpuInfo === 'object' && gpuInfo?.isFallbackAdapter === true;
      if (e?.software === true || fallback || /swiftshader/i.test(detail))
        return /swiftshader/i.test(detail) ? ' (software: SwiftShader)' : ' (software)';
      return ` (${detail.trim() || rendererText})`;
    };
    // Software GPUs last: they are slow, and a call that times out ends the section.
    names.sort((a, b) => Number(kind(a).includes('software')) - Number(kind(b).includes('software')));
    const backends: DiagnosticsReport['backends'] = {};
    for (const b of names) {
      const entry = {
        label: `${b}${kind(b)}`,
        stepsPerSecond: {} as Record<string, number | string>,
        gridMs: '' as number | string,
      };
      backends[b] = entry;
      try {
        for (const m of ['natural', 'at', 'trades']) {
          const v = await withTimeout(
            page.evaluate(
              async ({ b, m, sec }) => {
                const d = (window as unknown as { rpDiagnostics: RpDiagnostics }).rpDiagnostics;
                return await d.stepsPerSecond(b, m, sec);
              },
              // Software GPUs: 1 s is plenty to see how slow they are, and their warm-up dominates anyway.
              { b, m, sec: kind(b).includes('software') ? 1 : DIAG_SECONDS },
            ),
            DIAG_CALL_TIMEOUT_MS,
            `stepsPerSecond(${b}, ${m})`,
          );
          entry.stepsPerSecond[m] = asNumber(v);
          log(`  diagnostics ${entry.label} ${m}: ${JSON.stringify(entry.stepsPerSecond[m])} steps/s`);
        }
        const g = await withTimeout(
          page.evaluate(async (b) => {
            const d = (window as unknown as { rpDiagnostics: RpDiagnostics }).rpDiagnostics;
            return await d.gridMs(b);
          }, b),
          DIAG_CALL_TIMEOUT_MS,
          `gridMs(${b})`,
        );
        entry.gridMs = asNumber(g);
        log(`  diagnostics ${entry.label} grid: ${JSON.stringify(entry.gridMs)} ms`);
      } catch (e) {
        errors.push(`${label}: ${b}: ${errorText(e)}`);
        log(`  diagnostics ${entry.label}: ${errorText(e)}`);
        // A call that timed out may still be running in the page; the next backend would wait behind it.
        if (/no answer within/.test(errorText(e))) break;
      }
    }
    return { available, backends, adapter };
  } finally {
    await closePage(s, label, errors);
    await browser.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------------
// The whole benchmark

export async function runBrowserBench(opts: {
  log: (line: string) => void;
  baseUrl?: string;
}): Promise<BrowserBenchResult> {
  const started = Date.now();
  const log = (line: string) =>
    opts.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
  const only = new Set(
    (process.env.BENCH_ONLY ?? 'heatmap,frames,trades,diagnostics').split(',').map((x) => x.trim()),
  ) as Set<Section>;
  const calibrate = process.env.BENCH_TRADES_CALIBRATE === '1';
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const rows: BenchRow[] = [];
  const notes: string[] = [
    'Production build (vite build + vite preview), headless Chromium; a shared 2-core machine: numbers are noisy, compare within one run.',
  ];
  const errors: string[] = [];
  const result: BrowserBenchResult = {
    rows,
    baseUrl: '',
    chromium: executablePath,
    startedAt: new Date(started).toISOString(),
    totalSeconds: 0,
    firstHeatmapMs: {},
    frames: [],
    trades: null,
    diagnostics: null,
    notes,
    errors,
  };

  let server: ChildProcess | null = null;
  let outDir: string | null = null;
  let browser: Browser | null = null;
  const stopServer = () => stopGroup(server);
  const onSignal = () => {
    stopServer();
    process.exit(130);
  };
  process.once('exit', stopServer);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let base = opts.baseUrl?.replace(/\/+$/, '');
    if (!base) {
      outDir = await mkdtemp(path.join(tmpdir(), 'rp-bench-'));
      log(`building the app into ${outDir} …`);
      const tb = Date.now();
      await runNpx(['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn']);
      log(`  built in ${((Date.now() - tb) / 1000).toFixed(1)} s`);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = spawn(
        'npx',
        [
          'vite',
          'preview',
          '--outDir',
          outDir,
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--strictPort',
        ],
        { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let serverOut = '';
      const keep = (d: Buffer) => (serverOut = (serverOut + d.toString()).slice(-4000));
      server.stdout?.on('data', keep);
      server.stderr?.on('data', keep);
      try {
        await waitForHttp(`${base}/`, server, 60_000);
      } catch (e) {
        throw new Error(`${errorText(e)}; vite preview said:\n${serverOut}`, { cause: e });
      }
      log(`serving ${outDir} at ${base}`);
    }
    result.baseUrl = base;

    browser = await chromium.launch({ executablePath, headless: true, args: BASE_ARGS });
    log(`Chromium ${browser.version()}`);

    // Parts 2 and 3 wait this long for a first heatmap, then measure anyway: some loads never draw one, and
    // training goes on (faster, without pictures) meanwhile. Shorter when part 1 saw none at all.
    let heatWaitMs = LATER_HEATMAP_WAIT_MS;
    if (only.has('heatmap')) {
      for (const query of ['', '?backend=wasm']) {
        log(
          `1. first heatmap, ${query || 'default URL (automatic backend)'}, ${FIRST_HEATMAP_LOADS} fresh loads`,
        );
        const { times, loads } = await measureFirstHeatmap(browser, base, query, log, errors);
        result.firstHeatmapMs[query || '/'] = times.map((t) => Math.round(t));
        const m = median(times);
        if (times.length === 0) {
          heatWaitMs = 5000;
          notes.push(`No heatmap was drawn within ${FIRST_HEATMAP_TIMEOUT_MS / 1000} s on ${query || '/'}.`);
        }
        rows.push({
          name: `first heatmap, ${query || 'default URL'} (median of ${times.length} of ${loads} loads${times.length < loads ? `; the others drew none within ${FIRST_HEATMAP_TIMEOUT_MS / 1000} s` : ''})`,
          value: Math.round(m),
          unit: 'ms',
          target: `≤ ${FIRST_HEATMAP_TARGET_MS} ms`,
          met: m <= FIRST_HEATMAP_TARGET_MS,
        });
      }
    }

    if (only.has('frames')) {
      for (const workers of WORKER_VARIANTS) {
        const variant = workers ? `workers=${workers}` : 'workers unset';
        log(`2. main thread while training, ?backend=wasm, ${variant}, epochs=${FRAMES_EPOCHS}`);
        try {
          const f = await measureFrames(browser, base, workers, heatWaitMs, log, errors);
          result.frames.push(f);
          if (!(f.meanStepsPerSecond > 0))
            notes.push(
              `frames ${variant}: no panel advanced during the window (training had already ended); its frame and steps/s numbers describe an idle page.`,
            );
          rows.push(
            {
              name: `longest frame (max rAF gap) while training, ${variant}`,
              value: f.maxRafGapMs,
              unit: 'ms',
              target: `< ${LONGEST_FRAME_TARGET_MS} ms`,
              met: f.maxRafGapMs < LONGEST_FRAME_TARGET_MS,
            },
            { name: `p95 rAF gap while training, ${variant}`, value: f.p95RafGapMs, unit: 'ms' },
            { name: `longest long task while training, ${variant}`, value: f.longestLongTaskMs, unit: 'ms' },
            { name: `mean steps/s per panel, ${variant}`, value: f.meanStepsPerSecond, unit: 'steps/s' },
          );
          for (const [m, min] of Object.entries(STEPS_TARGETS)) {
            const v = f.stepsPerSecondByMethod[m];
            if (v === undefined) continue;
            rows.push({
              name: `${m} steps/s per panel, ${variant}`,
              value: v,
              unit: 'steps/s',
              target: `≥ ${min} steps/s`,
              met: v >= min,
            });
          }
          rows.push({
            name: `time to done, epochs=${FRAMES_EPOCHS}, ${variant}${f.doneMs === null ? ` (not done within ${DONE_CAP_MS / 1000} s)` : ''}`,
            value: f.doneMs === null ? DONE_CAP_MS / 1000 : round(f.doneMs / 1000, 1),
            unit: 's',
          });
        } catch (e) {
          notes.push(`frames ${variant}: failed: ${errorText(e)}`);
          log(`  ${variant}: failed (${errorText(e)})`);
        }
      }
      notes.push(
        'Part 2: each window starts when the first heatmap is drawn and the status reads training, on a ?backend=wasm&epochs=60 load (the same load gives the time to done); it ends after 15 s or when training ends, and each panel’s steps/s counts only until that panel finishes.',
      );
    }

    if (only.has('trades')) {
      log(`3. TRADES on the spiral${calibrate ? ' (calibrating: the full schedule)' : ''}`);
      try {
        const t = await measureTrades(browser, base, calibrate, heatWaitMs, log, errors);
        result.trades = t;
        if (!calibrate)
          rows.push({
            name: `TRADES to advTestAcc ≥ ${Math.round(TRADES_TARGET * 100)} % on spiral${t.seconds === null ? ` (not within ${TRADES_CAP_MS / 1000} s)` : ''}`,
            value: t.seconds ?? TRADES_CAP_MS / 1000,
            unit: 's',
          });
      } catch (e) {
        notes.push(`TRADES: failed: ${errorText(e)}`);
        log(`  failed (${errorText(e)})`);
      }
    }

    if (only.has('diagnostics')) {
      const exists = outDir
        ? existsSync(path.join(outDir, 'diagnostics.html'))
        : await diagnosticsServed(base);
      if (!exists) {
        notes.push('4. /diagnostics.html is not in the build: per-backend diagnostics skipped.');
        log('4. /diagnostics.html is missing: skipped');
      } else {
        log('4. diagnostics page, software WebGPU flags');
        try {
          const d = await measureDiagnostics(base, executablePath, log, errors);
          result.diagnostics = d;
          for (const [, entry] of Object.entries(d.backends)) {
            for (const [m, v] of Object.entries(entry.stepsPerSecond)) {
              if (typeof v !== 'number') continue;
              const min = STEPS_TARGETS[m];
              rows.push({
                name: `diagnostics ${entry.label}: ${m} steps/s`,
                value: v,
                unit: 'steps/s',
                ...(min !== undefined ? { target: `≥ ${min} steps/s`, met: v >= min } : {}),
              });
            }
            if (typeof entry.gridMs === 'number')
              rows.push({ name: `diagnostics ${entry.label}: 128² grid`, value: entry.gridMs, unit: 'ms' });
          }
        } catch (e) {
          notes.push(`diagnostics: failed: ${errorText(e)}`);
          log(`  failed (${errorText(e)})`);
        }
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    stopServer();
    if (server && server.exitCode === null && server.signalCode === null)
      await new Promise<void>((r) => {
        const t = setTimeout(r, 5000);
        server!.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    process.off('exit', stopServer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (outDir) await rm(outDir, { recursive: true, force: true });
    result.totalSeconds = round((Date.now() - started) / 1000, 1);
  }
  return result;
}

/** Whether the server has a diagnostics page of its own (not the app's index served as a fallback). */
async function diagnosticsServed(base: string): Promise<boolean> {
  try {
    const [d, i] = await Promise.all([fetch(`${base}/diagnostics.html`), fetch(`${base}/`)]);
    if (!d.ok) return false;
    return (await d.text()) !== (await i.text());
  } catch {
    return false;
  }
}

const invoked = process.argv[1] ? pathToFileURL(path.resolve(process.argv[1])).href : '';
if (import.meta.url === invoked) {
  runBrowserBench({ log: (line) => process.stderr.write(`${line}\n`) }).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(
        `benchBrowser failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
