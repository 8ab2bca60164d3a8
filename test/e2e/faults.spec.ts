// Faults the page must survive: a worker that dies is reported and restarted with the user's settings, and the
// old worker is gone (nothing of it lingers).
import { expect, test, type Page, type Worker } from '@playwright/test';
import { openApp, readPanels } from './helpers.ts';

interface Memory {
  backend: string;
  numTensors: number;
  numBytes: number;
}

/** The engine's worker (the page starts exactly one with `workers` unset). */
async function engineWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().length, { timeout: 60_000 }).toBe(1);
  return page.workers()[0]!;
}

test('a crashed worker is reported and restarted with the same settings; training starts again', async ({
  page,
}) => {
  const log = await openApp(
    page,
    '/?backend=wasm&n=60&nt=30&epochs=400&res=16&eps=0.07&lr=0.02&panels=natural,at',
  );
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect
    .poll(async () => (await readPanels(page))[0]?.step ?? 0, { timeout: 60_000 })
    .toBeGreaterThan(20);
  const before = await readPanels(page);
  const url = page.url();
  const first = await engineWorker(page);
  const memory = await first.evaluate<Memory>(() =>
    (self as unknown as { __robustPlayground: { memory(): Memory } }).__robustPlayground.memory(),
  );
  expect(memory.numTensors).toBeGreaterThan(0);

  await first.evaluate(() =>
    (self as unknown as { __robustPlayground: { crash(m: string): void } }).__robustPlayground.crash(
      'injected crash (test)',
    ),
  );
  const banner = page.getByRole('alert').filter({ hasText: 'injected crash' });
  await expect(banner).toContainText('The training engine stopped with an error', { timeout: 30_000 });
  await expect(banner).toContainText('restarted with your settings');

  // A new worker, the old one terminated.
  await expect.poll(() => page.workers().some((w) => w === first), { timeout: 30_000 }).toBe(false);
  const second = await engineWorker(page);
  expect(second).not.toBe(first);
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  // The same panels and settings (the link did not change), training again from the start.
  expect(page.url()).toBe(url);
  await expect(page.getByTestId('eps-slider')).toHaveValue('0.07');
  await expect
    .poll(async () => (await readPanels(page)).map((p) => p.method), { timeout: 60_000 })
    .toEqual(before.map((p) => p.method));
  await expect.poll(async () => (await readPanels(page))[0]!.step, { timeout: 60_000 }).toBeGreaterThan(5);

  // The new worker holds what a fresh one holds for the same page: nothing of the old one came along.
  const fresh = await second.evaluate<Memory>(() =>
    (self as unknown as { __robustPlayground: { memory(): Memory } }).__robustPlayground.memory(),
  );
  expect(fresh.backend).toBe('wasm');
  expect(fresh.numTensors).toBe(memory.numTensors);

  // The only errors are the injected crash itself.
  expect(log.messages.filter((m) => !m.includes('injected crash'))).toEqual([]);
});

test('a worker that keeps crashing is given up on with a message that says what to do', async ({ page }) => {
  await openApp(page, '/?backend=wasm&n=40&nt=20&epochs=400&res=16&panels=natural');
  for (let k = 0; k < 4; k++) {
    const worker = await engineWorker(page);
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await worker.evaluate(() =>
      (self as unknown as { __robustPlayground: { crash(m: string): void } }).__robustPlayground.crash(
        'injected crash (test)',
      ),
    );
    if (k < 3) await expect.poll(() => page.workers().includes(worker), { timeout: 30_000 }).toBe(false);
  }
  await expect(page.getByRole('alert').filter({ hasText: 'failed 4 times within a minute' })).toContainText(
    'Reload the page',
    { timeout: 30_000 },
  );
  await expect.poll(() => page.workers().length, { timeout: 30_000 }).toBe(0);
});
