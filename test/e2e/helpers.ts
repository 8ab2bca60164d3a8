// Shared helpers for the browser tests: open the app with error collection, wait for the `done` flag,
// read every panel's numbers from the DOM hooks (data-testid / data-metric / data-value).
import { expect, type Page } from '@playwright/test';

export const METRICS = [
  'trainAcc',
  'testAcc',
  'advTestAcc',
  'robustAcc',
  'lipschitz',
  'robustCount',
] as const;
export type MetricName = (typeof METRICS)[number];

/** What one method panel shows. A metric that is not computed yet reads as NaN. */
export interface PanelReading {
  method: string;
  panelId: string;
  step: number;
  done: boolean;
  metricsStep: number;
  metricsEps: number;
  metrics: Record<MetricName, number>;
  /** Only the 1-NN panel: exact robust accuracy on the training points at its radius r, and r. */
  nnRobustTrainAtR?: number;
  nnR?: number;
}

/** Console errors and uncaught page errors seen since `openApp`. */
export interface ErrorLog {
  messages: string[];
}

/** Opens `path` (e.g. `/?backend=wasm&epochs=40`) and collects console errors and page errors from then on. */
export async function openApp(page: Page, path: string): Promise<ErrorLog> {
  const log: ErrorLog = { messages: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.messages.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => log.messages.push(`pageerror: ${err.message}`));
  page.on('crash', () => log.messages.push('the page crashed'));
  await page.goto(path);
  return log;
}

/** Waits until the status flag reads `done`: every panel trained all its epochs and its metrics are fresh. */
export async function waitForDone(page: Page, timeout = 240_000): Promise<void> {
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'done', { timeout });
}

/** Reads every `[data-testid="panel"]` in document order. */
export async function readPanels(page: Page): Promise<PanelReading[]> {
  return page.getByTestId('panel').evaluateAll((nodes, names) => {
    const num = (s: string | null | undefined): number =>
      s === null || s === undefined || s.trim() === '' ? NaN : Number(s);
    return nodes.map((el) => {
      const metrics = {} as Record<MetricName, number>;
      for (const name of names) {
        metrics[name] = num(el.querySelector(`[data-metric="${name}"]`)?.getAttribute('data-value'));
      }
      const nn = el.querySelector('[data-metric="nnRobustTrainAtR"]');
      return {
        method: el.getAttribute('data-method') ?? '',
        panelId: el.getAttribute('data-panel-id') ?? '',
        step: num(el.getAttribute('data-step')),
        done: el.getAttribute('data-done') === 'true',
        metricsStep: num(el.getAttribute('data-metrics-step')),
        metricsEps: num(el.getAttribute('data-metrics-eps')),
        metrics,
        ...(nn
          ? { nnRobustTrainAtR: num(nn.getAttribute('data-value')), nnR: num(nn.getAttribute('data-r')) }
          : {}),
      };
    });
  }, METRICS);
}

/** The panels keyed by method (the default page has one panel per method). */
export function byMethod(panels: PanelReading[]): Record<string, PanelReading> {
  return Object.fromEntries(panels.map((p) => [p.method, p]));
}

/** Asserts that every metric of every panel is a finite number, naming the first that is not. */
export function expectFiniteMetrics(panels: PanelReading[]): void {
  for (const p of panels) {
    for (const name of METRICS) {
      expect(
        Number.isFinite(p.metrics[name]),
        `${p.method} (${p.panelId}) ${name} = ${p.metrics[name]}`,
      ).toBe(true);
    }
  }
}

/** The errors the app caught itself (`window.__rpErrors`), or null when the hook is missing. */
export async function appErrors(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __rpErrors?: unknown }).__rpErrors ?? null);
}

/** Asserts no console error, no page error and an empty `window.__rpErrors`. */
export async function expectNoErrors(page: Page, log: ErrorLog): Promise<void> {
  expect(log.messages, 'console errors and page errors').toEqual([]);
  expect(await appErrors(page), 'window.__rpErrors').toEqual([]);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bounding boxes of every panel, in document order. */
export async function panelBoxes(page: Page): Promise<Array<Box & { id: string }>> {
  return page.getByTestId('panel').evaluateAll((nodes) =>
    nodes.map((el) => {
      const r = el.getBoundingClientRect();
      const id = `${el.getAttribute('data-method')}#${el.getAttribute('data-panel-id')}`;
      return { id, x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
    }),
  );
}

/** Pairs of panels whose boxes overlap by more than a pixel in both directions. */
export function overlappingPairs(boxes: Array<Box & { id: string }>): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const dx = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (dx > 1 && dy > 1) pairs.push(`${a.id} overlaps ${b.id} by ${dx.toFixed(0)}×${dy.toFixed(0)} px`);
    }
  }
  return pairs;
}

/** The page's horizontal overflow: scrollWidth minus the viewport width (≤ 0 means none). */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

/** Asserts that no panel overlaps another and nothing overflows horizontally. */
export async function expectCleanLayout(page: Page): Promise<void> {
  const boxes = await panelBoxes(page);
  expect(boxes.length, 'number of panels').toBeGreaterThan(0);
  expect(overlappingPairs(boxes), 'overlapping panels').toEqual([]);
  const { scrollWidth, innerWidth } = await horizontalOverflow(page);
  expect(scrollWidth, `document scrollWidth against innerWidth ${innerWidth}`).toBeLessThanOrEqual(
    innerWidth,
  );
}

/**
 * Chromium with WebGPU and WebGL on SwiftShader (flag set D of reference/webgpu-feasibility.md: the only set where
 * reads back from WebGPU work headless). For `test.use` at the top of a spec that needs the GPU backends.
 */
export const WEBGPU_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--use-vulkan=swiftshader',
    '--use-angle=swiftshader',
    '--use-webgpu-adapter=swiftshader',
  ],
};
