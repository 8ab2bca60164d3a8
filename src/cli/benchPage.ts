/**
 * The browser benchmark's pages: opening and closing them, reading the app's status, and the recorders installed
 * in the page (serialised by Playwright: they close over no Node values).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

// ---------------------------------------------------------------------------------------------------------
// In-page recorders (serialised by Playwright: no closures over Node values)

export interface PageRecorder {
  frames: number[];
  timers: number[];
  longTasks: { start: number; duration: number }[];
}

/** Installed before any page script: rAF timestamps, a 10 ms timer chain and long tasks, from navigation on. */
export function installRecorder(): void {
  const rec: PageRecorder = { frames: [], timers: [], longTasks: [] };
  (window as unknown as { __rpBench: PageRecorder }).__rpBench = rec;
  const frame = (t: number) => {
    rec.frames.push(t);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const timer = () => {
    rec.timers.push(performance.now());
    setTimeout(timer, 10);
  };
  setTimeout(timer, 10);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) rec.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long task timing in this browser
  }
}

/** The page's clock and the step of every trained panel (the 1-NN construction is built, not trained). */
export function readSteps(): {
  t: number;
  panels: { id: string; method: string; step: number; done: boolean }[];
} {
  const panels = Array.from(document.querySelectorAll('[data-testid="panel"]:not([data-method="nn"])')).map(
    (el) => ({
      id: el.getAttribute('data-panel-id') ?? '',
      method: el.getAttribute('data-method') ?? '',
      step: Number(el.getAttribute('data-step')),
      done: el.getAttribute('data-done') === 'true',
    }),
  );
  return { t: performance.now(), panels };
}

export function windowStats(arg: { t0: number; t1: number }) {
  const rec = (window as unknown as { __rpBench: PageRecorder }).__rpBench;
  const { t0, t1 } = arg;
  const gapsIn = (ts: number[]) => {
    const gaps: number[] = [];
    for (let i = 1; i < ts.length; i++) if (ts[i]! > t0 && ts[i - 1]! < t1) gaps.push(ts[i]! - ts[i - 1]!);
    return gaps;
  };
  const frameGaps = gapsIn(rec.frames).sort((a, b) => a - b);
  const timerGaps = gapsIn(rec.timers);
  const tasks = rec.longTasks.filter((e) => e.start < t1 && e.start + e.duration > t0);
  return {
    frames: frameGaps.length,
    maxRafGapMs: frameGaps.length ? frameGaps[frameGaps.length - 1]! : NaN,
    p95RafGapMs: frameGaps.length ? frameGaps[Math.max(0, Math.ceil(0.95 * frameGaps.length) - 1)]! : NaN,
    maxTimerGapMs: timerGaps.length ? Math.max(...timerGaps) : NaN,
    longTasks: tasks.length,
    longestLongTaskMs: tasks.length ? Math.max(...tasks.map((e) => e.duration)) : 0,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Pages

export interface Session {
  context: BrowserContext;
  page: Page;
}

export async function openPage(
  browser: Browser,
  label: string,
  errors: string[],
  withRecorder: boolean,
): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${label}: console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`${label}: pageerror: ${err.message}`));
  page.on('crash', () => errors.push(`${label}: the page crashed`));
  // tsx (esbuild, keepNames) wraps named inner functions in `__name(…)`; functions sent to the page need it too.
  await page.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  if (withRecorder) await page.addInitScript(installRecorder);
  return { context, page };
}

/** Appends the app's own caught errors (`window.__rpErrors`), then closes the context. */
export async function closePage(s: Session, label: string, errors: string[]): Promise<void> {
  try {
    const own = await s.page.evaluate(
      () => (window as unknown as { __rpErrors?: unknown }).__rpErrors ?? null,
    );
    if (Array.isArray(own)) for (const e of own) errors.push(`${label}: __rpErrors: ${JSON.stringify(e)}`);
  } catch {
    // the page is gone
  }
  await s.context.close().catch(() => {});
}

/** The navigation-relative time of the first heatmap, waiting up to `timeoutMs`. */
export async function firstHeatmap(page: Page, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(
    () => performance.getEntriesByName('rp:first-heatmap')[0]?.startTime ?? false,
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

export async function statusOf(page: Page): Promise<string> {
  return page.evaluate(
    () => document.querySelector('[data-testid="status"]')?.getAttribute('data-state') ?? 'missing',
  );
}

/** The backend badge as the page shows it, e.g. "wasm: Backend: WASM · 2 workers". */
export async function backendOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="backend"]');
    const shown = (el?.querySelector('summary') ?? el)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    return `${el?.getAttribute('data-backend') || '?'}: ${shown}`;
  });
}

/** What the page shows, in one line: status, backend, and each panel's step and picture step. */
export async function pageSnapshot(page: Page): Promise<string> {
  const badge = await backendOf(page);
  const rest = await page.evaluate(() => {
    const status = document.querySelector('[data-testid="status"]')?.getAttribute('data-state') ?? 'missing';
    const panels = Array.from(document.querySelectorAll('[data-testid="panel"]')).map(
      (el) =>
        `${el.getAttribute('data-method')} step ${el.getAttribute('data-step')} picture ${el.getAttribute('data-frame-step') ?? '?'}`,
    );
    return `status ${status}; ${panels.join(', ') || 'no panels'}`;
  });
  return `${rest}; backend ${badge}`;
}

/** Waits until the status reads `state`; returns the page's performance.now() then, or null at the cap. */
export async function waitForState(page: Page, state: string, timeoutMs: number): Promise<number | null> {
  try {
    const handle = await page.waitForFunction(
      (s) =>
        document.querySelector('[data-testid="status"]')?.getAttribute('data-state') === s
          ? performance.now()
          : false,
      state,
      { timeout: timeoutMs, polling: 200 },
    );
    return (await handle.jsonValue()) as number;
  } catch (e) {
    if (e instanceof Error && e.name === 'TimeoutError') return null;
    throw e;
  }
}

export interface TradesWatch {
  target: number;
  s0: number;
  t0: number | null;
  resetSeen: boolean;
  /** The numbers the panel still showed when the restart was seen (moons's, while the app keeps them). */
  stale: string | null;
  fresh: boolean;
  firstMetrics: { t: number; advTestAcc: number; metricsStep: number; step: number } | null;
  hit: { t: number; metricsStep: number; step: number } | null;
  last: { advTestAcc: number; metricsStep: number; step: number; done: boolean } | null;
}

/** Watches the TRADES panel (DOM changes and a 100 ms poll) from the dataset switch on. */
export function installTradesWatch(arg: { target: number; s0: number }): void {
  const w: TradesWatch = {
    target: arg.target,
    s0: arg.s0,
    t0: null,
    resetSeen: false,
    stale: null,
    fresh: false,
    firstMetrics: null,
    hit: null,
    last: null,
  };
  (window as unknown as { __rpTrades: TradesWatch }).__rpTrades = w;
  const look = () => {
    if (w.t0 === null || w.hit) return;
    const el = document.querySelector('[data-testid="panel"][data-method="trades"]');
    if (!el) return;
    const num = (s: string | null | undefined) =>
      s === null || s === undefined || s.trim() === '' ? NaN : Number(s);
    const step = num(el.getAttribute('data-step'));
    const metricsStep = num(el.getAttribute('data-metrics-step'));
    // data-value is a fraction (MethodPanel's dataValue(metrics.advTestAcc)); '' until computed.
    const adv = num(el.querySelector('[data-metric="advTestAcc"]')?.getAttribute('data-value'));
    const name = document.querySelector('[data-testid="dataset-name"]')?.textContent ?? '';
    const testAcc = el.querySelector('[data-metric="testAcc"]')?.getAttribute('data-value') ?? '';
    const key = `${metricsStep}|${adv}|${testAcc}`;
    // The switch restarts training: the step falls back below where moons training was. The engine runs one
    // request at a time, so whatever numbers arrive after that are the spiral's; the ones still shown then may
    // be moons's (the panel keeps them until the spiral's first metrics replace them).
    if (!w.resetSeen && /spiral/i.test(name) && step < w.s0) {
      w.resetSeen = true;
      w.stale = key;
    }
    if (!w.resetSeen) return;
    if (!w.fresh && key !== w.stale && Number.isFinite(adv)) {
      w.fresh = true;
      w.firstMetrics = { t: performance.now() - w.t0, advTestAcc: adv, metricsStep, step };
    }
    if (!w.fresh || !Number.isFinite(adv) || !Number.isFinite(metricsStep)) return;
    w.last = { advTestAcc: adv, metricsStep, step, done: el.getAttribute('data-done') === 'true' };
    if (adv >= w.target) w.hit = { t: performance.now() - w.t0, metricsStep, step };
  };
  new MutationObserver(look).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-step', 'data-metrics-step', 'data-value', 'data-done'],
    characterData: true,
  });
  setInterval(look, 100);
}
