// The production build under its Content-Security-Policy (vite.config.ts: no inline script, no eval, no inline
// style; 'wasm-unsafe-eval' for WebAssembly only). `vite preview` sends it as a header on every response, the worker
// scripts included, and the build puts it in each page's <meta>. Every backend trains under it, on the main thread
// of diagnostics.html as in the app's worker, and embed.html frames the app, with no violation anywhere.
//
// Chromium runs with the flag set of reference/webgpu-feasibility.md (D: WebGPU and WebGL on SwiftShader), so
// that all four backends exist here.
import { expect, test, type Page } from '@playwright/test';
import type { BackendName } from '../../src/ml/backendNames.ts';
import { WEBGPU_LAUNCH } from './helpers.ts';

test.use({ launchOptions: WEBGPU_LAUNCH });

type CspWindow = Window & { __cspViolations?: string[] };

/**
 * What a page reports about its policy: `securitypolicyviolation` events in every frame (listened for before any
 * of the page's scripts run), console messages that name the Content Security Policy (the frames' and, through
 * their logs, the workers'), and every console error and uncaught error.
 */
interface CspWatch {
  /** Violation events seen in the page's frames, read from each frame now. */
  violations(): Promise<string[]>;
  /** Console messages about CSP, from the page, its frames and its workers. */
  cspMessages(): Promise<string[]>;
  /** Console errors and uncaught errors of the page and its frames. */
  readonly errors: string[];
}

async function watchCsp(page: Page): Promise<CspWatch> {
  await page.addInitScript(() => {
    const w = window as CspWindow;
    w.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        w.__cspViolations!.push(
          `${e.effectiveDirective} refused ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
        );
      },
      true,
    );
  });
  const errors: string[] = [];
  const pageMessages: string[] = [];
  const isCsp = (text: string) => /content[- ]security[- ]policy/i.test(text);
  page.on('console', (msg) => {
    const where = msg.location().url;
    if (isCsp(msg.text())) pageMessages.push(`${where}: ${msg.text()}`);
    if (msg.type() === 'error') errors.push(`console.error in ${where}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('crash', () => errors.push('the page crashed'));

  // A worker's CSP messages go to its own log, which Playwright does not report: attach to every worker of the
  // page and read its log (Log.enable sends the entries so far, then each new one).
  const workerMessages: string[] = [];
  const cdp = await page.context().newCDPSession(page);
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type !== 'worker') return;
    const message = JSON.stringify({ id: nextId++, method: 'Log.enable' });
    void cdp.send('Target.sendMessageToTarget', { sessionId: event.sessionId, message }).catch(() => {});
  });
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as {
      method?: string;
      params?: { entry: { source: string; text: string; url?: string } };
    };
    const entry = message.method === 'Log.entryAdded' ? message.params?.entry : undefined;
    if (entry && (entry.source === 'security' || isCsp(entry.text))) {
      workerMessages.push(`worker ${entry.url ?? ''}: ${entry.text}`);
    }
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });

  return {
    async violations() {
      const all: string[] = [];
      for (const frame of page.frames()) {
        const seen = await frame
          .evaluate(() => (window as CspWindow).__cspViolations ?? [])
          .catch(() => [] as string[]);
        all.push(...seen.map((v) => `${frame.url()}: ${v}`));
      }
      return all;
    },
    async cspMessages() {
      // Let the workers' logs arrive.
      await page.waitForTimeout(300);
      return [...pageMessages, ...workerMessages];
    },
    errors,
  };
}

/** Asserts that the page got the policy as a header (its response) and as a <meta> (the build). */
async function expectPolicy(page: Page, headers: Record<string, string>): Promise<void> {
  const header = headers['content-security-policy'] ?? '';
  expect(header, 'the Content-Security-Policy header').toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  expect(header).toContain('frame-ancestors *');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta, 'the Content-Security-Policy <meta>').toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  for (const policy of [header, meta ?? '']) {
    expect(policy).not.toMatch(/unsafe-inline|'unsafe-eval'/);
    expect(policy).toMatch(/style-src 'self'(;|$)/);
  }
}

/**
 * Asserts that the policy is in force: a string evaluated in the page, an inline <script> and a string evaluated
 * in the engine's worker are all refused, and each refusal is reported, so the listeners above would have seen a
 * real one. (`page.evaluate` itself is exempt from CSP, so the probes go through a timer and the DOM.)
 */
async function expectEnforced(page: Page, watch: CspWatch, worker = true): Promise<void> {
  const before = (await watch.violations()).length;
  const inPage = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const w = window as unknown as { __evalRan?: boolean; __inlineRan?: boolean };
        w.__evalRan = false;
        w.__inlineRan = false;
        // A string timer is compiled like eval; an inline script needs 'unsafe-inline'.
        (setTimeout as (code: string, ms: number) => number)('window.__evalRan = true', 0);
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.head.append(script);
        setTimeout(
          () =>
            resolve(`eval ${w.__evalRan ? 'ran' : 'blocked'}, inline ${w.__inlineRan ? 'ran' : 'blocked'}`),
          100,
        );
      }),
  );
  expect(inPage, 'in the page').toBe('eval blocked, inline blocked');
  await expect
    .poll(async () => (await watch.violations()).length - before, { message: 'the probes are reported' })
    .toBeGreaterThanOrEqual(2);
  if (!worker) return;
  const engine = page.workers().find((w) => /\/worker-[^/]*\.js$/.test(w.url()));
  expect(
    engine,
    `the engine's worker among ${page
      .workers()
      .map((w) => w.url())
      .join(', ')}`,
  ).toBeDefined();
  const inWorker = await engine!.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const g = globalThis as unknown as { __evalRan?: boolean };
        g.__evalRan = false;
        (setTimeout as (code: string, ms: number) => number)('globalThis.__evalRan = true', 0);
        setTimeout(() => resolve(g.__evalRan ? 'ran' : 'blocked'), 100);
      }),
  );
  expect(inWorker, "eval in the engine's worker").toBe('blocked');
  await expect
    .poll(async () => (await watch.cspMessages()).filter((m) => m.startsWith('worker')).length, {
      message: "the worker's refusal is reported in its log",
    })
    .toBeGreaterThan(0);
}

/** Asserts no violation, no console message about CSP and no error so far. */
async function expectClean(watch: CspWatch): Promise<void> {
  expect(await watch.violations(), 'securitypolicyviolation events').toEqual([]);
  expect(await watch.cspMessages(), 'console messages about the Content Security Policy').toEqual([]);
  expect(watch.errors, 'console errors and page errors').toEqual([]);
}

/** The steps of the page's network panels. */
function steps(page: Page): Promise<number[]> {
  return page
    .getByTestId('panel')
    .evaluateAll((nodes) =>
      nodes
        .filter((n) => n.getAttribute('data-method') !== 'nn')
        .map((n) => Number(n.getAttribute('data-step'))),
    );
}

/** How many pixels of the first heatmap canvas are painted (alpha > 0). */
function paintedPixels(page: Page): Promise<number> {
  return page
    .locator('canvas.rp-panel-field')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
      return painted;
    });
}

/**
 * One small panel (natural training, 60 points, one hidden layer of 8, a 16×16 heatmap) that trains long enough
 * to be seen progressing. WebGPU on SwiftShader compiles a pipeline per kernel and is the slowest: fewer points
 * and a narrower net.
 */
const SETTINGS: Record<BackendName, string> = {
  cpu: 'panels=natural&n=60&nt=30&arch=8&res=16&epochs=2000',
  wasm: 'panels=natural&n=60&nt=30&arch=8&res=16&epochs=2000',
  webgl: 'panels=natural&n=60&nt=30&arch=8&res=16&epochs=2000',
  webgpu: 'panels=natural&n=40&nt=20&arch=4&res=16&epochs=2000',
};

for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu'] as const) {
  test(`the app trains on ${backend} under the policy, with no violation`, async ({ page }) => {
    test.setTimeout(180_000);
    const watch = await watchCsp(page);
    const response = await page.goto(`/?backend=${backend}&${SETTINGS[backend]}`);
    await expectPolicy(page, response!.headers());

    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend, { timeout: 90_000 });
    // The least-trained panel's step (0 while there is none yet, or none has started).
    const least = async () => {
      const s = await steps(page);
      return s.length > 0 ? Math.min(...s) : 0;
    };
    await expect.poll(least, { timeout: 90_000, message: 'training starts' }).toBeGreaterThan(0);
    const first = await least();
    await expect.poll(least, { timeout: 60_000, message: 'training goes on' }).toBeGreaterThan(first);
    await expect
      .poll(() => paintedPixels(page), { timeout: 60_000, message: 'painted heatmap pixels' })
      .toBeGreaterThan(0);

    if (backend === 'wasm') {
      // The figure export draws an SVG `data:` image onto a canvas (img-src data:), and the shortcuts dialog
      // closes through a `method="dialog"` form (form-action 'none' must not stop it).
      await page.getByTestId('file-menu').click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-png').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.png$/);
      await page.getByTestId('file-menu').click();
      await page.keyboard.press('?');
      const dialog = page.getByTestId('shortcuts-dialog');
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect(dialog).toBeHidden();
    }

    await expectClean(watch);
    expect(
      await page.evaluate(() => (window as unknown as { __rpErrors?: unknown }).__rpErrors ?? null),
    ).toEqual([]);
    await expectEnforced(page, watch);
  });
}

test('embed.html frames the app under the policy, with no violation', async ({ page }) => {
  test.setTimeout(120_000);
  const watch = await watchCsp(page);
  const response = await page.goto('/embed.html');
  await expectPolicy(page, response!.headers());
  // The snippets were filled in by the page's script (a module, not an inline script).
  await expect(page.locator('code.snippet').first()).toContainText(
    new URL('/robust-playground.js', page.url()).href,
  );

  const iframe = page.locator('robust-playground[preset="theorem"]').first().locator('iframe');
  const frame = iframe.contentFrame();
  await expect(frame.locator('[data-testid="embed"]')).toBeVisible({ timeout: 45_000 });
  await expect
    .poll(
      async () => {
        const s = await frame
          .getByTestId('panel')
          .evaluateAll((nodes) =>
            nodes
              .filter((n) => n.getAttribute('data-method') !== 'nn')
              .map((n) => Number(n.getAttribute('data-step'))),
          );
        return s.length > 0 && s.every((n) => n > 0);
      },
      { timeout: 60_000, message: 'every network panel in the frame trains' },
    )
    .toBe(true);
  // The way out of the frame opens a new tab that gets no handle on the frame and no referrer.
  const open = frame.locator('a.embed-open');
  await expect(open).toHaveAttribute('target', '_blank');
  await expect(open).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(iframe).toHaveAttribute('referrerpolicy', 'no-referrer');
  await expect(iframe).toHaveAttribute(
    'sandbox',
    /^(?!.*allow-top-navigation)(?!.*allow-forms).*allow-scripts/,
  );
  // The element's shadow style (a constructed sheet, not inline style) is applied: the frame fills the width.
  const widths = await page
    .locator('robust-playground[preset="theorem"]')
    .first()
    .evaluate((el) => ({
      element: el.clientWidth,
      frame: el.shadowRoot!.querySelector('iframe')!.clientWidth,
    }));
  expect(widths.frame).toBe(widths.element);

  await expectClean(watch);
  await expectEnforced(page, watch, false);
});

test('diagnostics.html checks every backend on the main thread under the policy, with no violation', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const watch = await watchCsp(page);
  const response = await page.goto('/diagnostics.html');
  await expectPolicy(page, response!.headers());
  const status = page.getByTestId('status');
  await expect(status).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });
  for (const name of ['webgpu', 'webgl', 'wasm', 'cpu']) {
    await expect(page.locator(`tr[data-backend="${name}"]`), name).toHaveAttribute('data-ok', 'true');
  }
  await page.getByLabel('Seconds per backend').fill('0.2');
  await page.getByLabel('Method').selectOption('natural');
  await page.getByRole('button', { name: 'Run parity and speed checks' }).click();
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  for (const name of ['webgpu', 'webgl', 'wasm']) {
    await expect(page.locator(`tr[data-backend="${name}"]`).getByTestId('parity'), name).toHaveText(/^✓ /);
  }
  await expectClean(watch);
  await expectEnforced(page, watch, false);
});
