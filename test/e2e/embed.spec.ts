// Embedding: the <robust-playground> element on /embed.html, the Share dialog's iframe snippet on another site's
// page, and the element's height following the height the embedded page reports.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { FRAME_SANDBOX } from '../../src/embed/frame.ts';
import { iframeSnippet } from '../../src/embed/snippets.ts';

/** The embedded page's root: the app's embed layout (its panels, a compact play/pause, a link to the app). */
const ROOT = '[data-testid="embed"]';

/** Console errors and uncaught errors of the page and of every frame in it (Playwright reports both). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error in ${msg.location().url}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('crash', () => errors.push('the page crashed'));
  return errors;
}

/** The steps of every network panel in the frame (the 1-NN construction has none). */
function networkSteps(frame: FrameLocator): Promise<number[]> {
  return frame
    .getByTestId('panel')
    .evaluateAll((nodes) =>
      nodes
        .filter((n) => n.getAttribute('data-method') !== 'nn')
        .map((n) => Number(n.getAttribute('data-step'))),
    );
}

/** Waits until the frame shows method panels and every network in it has trained at least one step. */
async function expectTraining(frame: FrameLocator): Promise<void> {
  await expect(frame.locator(ROOT), 'the app in embed mode').toBeVisible({ timeout: 45_000 });
  await expect(frame.getByTestId('panel').first()).toBeVisible({ timeout: 45_000 });
  await expect
    .poll(
      async () => {
        const steps = await networkSteps(frame);
        return steps.length > 0 && steps.every((s) => s > 0) ? 'trained' : `steps ${steps.join(', ')}`;
      },
      { timeout: 45_000, message: 'every network panel trains (data-step > 0)' },
    )
    .toBe('trained');
}

/** The window.__rpErrors of the app in the frame. */
function frameAppErrors(frame: FrameLocator): Promise<unknown> {
  return frame
    .locator('body')
    .evaluate(() => (window as unknown as { __rpErrors?: unknown }).__rpErrors ?? null);
}

/** How many pixels of the frame's first heatmap canvas are painted (alpha > 0). */
function paintedPixels(frame: FrameLocator): Promise<number> {
  return frame
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

/** The iframe's height and the height of the content in it, in CSS pixels. */
async function heights(iframe: Locator, frame: FrameLocator): Promise<{ frame: number; content: number }> {
  const frameHeight = await iframe.evaluate((el) => el.getBoundingClientRect().height);
  const content = await frame
    .locator(ROOT)
    .first()
    .evaluate((el) => {
      const margin = parseFloat(getComputedStyle(el).marginBottom) || 0;
      return el.getBoundingClientRect().bottom + window.scrollY + margin;
    });
  return { frame: frameHeight, content };
}

test.describe('embedding', () => {
  test.setTimeout(90_000);

  test('the element on /embed.html frames the app, which trains, paints and sets the frame height', async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await page.goto('/embed.html');
    await expect(page.locator('robust-playground')).toHaveCount(2);

    const iframe = page.locator('robust-playground[preset="theorem"]').first().locator('iframe');
    await expect(iframe).toHaveAttribute('title', 'Robust Playground: theorem');
    await expect(iframe).toHaveAttribute('sandbox', FRAME_SANDBOX);
    await expect(iframe).toHaveAttribute('loading', 'lazy');
    await expect(iframe).toHaveAttribute('referrerpolicy', 'no-referrer');
    const src = new URL((await iframe.getAttribute('src'))!);
    expect(src.origin + src.pathname, 'the app beside the script').toBe(new URL('/', page.url()).href);
    expect(src.searchParams.has('embed'), 'embed mode').toBe(true);
    expect(src.searchParams.get('preset')).toBe('theorem');
    await expect(page.locator('robust-playground[hide] iframe')).toHaveAttribute(
      'src',
      /[?&]hide=transport,legend(&|$)/,
    );

    // The app runs in the sandbox: its module worker trains (steps > 0) and a heatmap is painted.
    const frame = iframe.contentFrame();
    await expectTraining(frame);
    // (A panel out of the reader's view gets no pictures while training: bring the first into view.)
    await frame.locator('canvas.rp-panel-field').first().scrollIntoViewIfNeeded();
    await expect
      .poll(() => paintedPixels(frame), { timeout: 30_000, message: 'painted heatmap pixels' })
      .toBeGreaterThan(0);

    // The frame is as tall as the content the embedded page reports (no inner scroll bar, no empty band).
    await expect
      .poll(
        async () => {
          const h = await heights(iframe, frame);
          return h.frame > 200 && Math.abs(h.frame - h.content) <= 3 ? 'matches' : JSON.stringify(h);
        },
        { timeout: 20_000, message: 'the iframe height follows the embedded content' },
      )
      .toBe('matches');
    // And as wide as its container.
    const widths = await page
      .locator('robust-playground[preset="theorem"]')
      .first()
      .evaluate((el) => ({
        element: el.getBoundingClientRect().width,
        parent: el.parentElement!.getBoundingClientRect().width,
      }));
    expect(Math.abs(widths.element - widths.parent), JSON.stringify(widths)).toBeLessThanOrEqual(1);

    // A changed attribute changes the frame's address.
    await page
      .locator('robust-playground[preset="theorem"]')
      .first()
      .evaluate((el) => el.setAttribute('params', 'data=spiral'));
    await expect(iframe).toHaveAttribute('src', /data=spiral/);

    expect(await frameAppErrors(frame), 'window.__rpErrors in the frame').toEqual([]);
    expect(errors, 'console errors and page errors in the page and its frames').toEqual([]);
  });

  test("the iframe snippet on another site's page runs the app with its worker", async ({
    page,
    baseURL,
  }) => {
    const errors = collectErrors(page);
    const snippet = iframeSnippet(new URL('/?preset=theorem&embed', baseURL).href);
    // Another site: a server of its own on `localhost` (the app is on 127.0.0.1, another site). A real server,
    // not a routed page, so Chromium sees a local page framing a local one (a public page may not frame it).
    const blog = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><title>A post</title><main style="max-width: 720px">` +
          `<p>A figure:</p>${snippet}</main></html>`,
      );
    });
    await new Promise<void>((done) => blog.listen(0, 'localhost', done));
    try {
      const { port } = blog.address() as AddressInfo;
      await page.goto(`http://localhost:${port}/post.html`);
      const iframe = page.locator('iframe');
      await expect(iframe).toHaveAttribute('sandbox', FRAME_SANDBOX);
      const frame = iframe.contentFrame();
      await expectTraining(frame);
      expect(await frameAppErrors(frame), 'window.__rpErrors in the frame').toEqual([]);
      expect(errors, 'console errors and page errors in the page and its frame').toEqual([]);
    } finally {
      await new Promise((done) => blog.close(done));
    }
  });
});
