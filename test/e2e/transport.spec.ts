import { expect, test } from '@playwright/test';
import { expectNoErrors, openApp, readPanels } from './helpers.ts';

const steps = async (page: Parameters<typeof readPanels>[0]) =>
  (await readPanels(page)).filter((p) => p.method !== 'nn').map((p) => [p.method, p.step] as const);

test('pause stops training and step advances every trained panel by exactly one step', async ({ page }) => {
  const log = await openApp(page, '/?backend=wasm&epochs=200');
  const status = page.getByTestId('status');
  const play = page.getByTestId('play');
  await expect
    .poll(async () => Math.max(...(await readPanels(page)).map((p) => p.step)), { timeout: 120_000 })
    .toBeGreaterThan(0);
  await expect(status).toHaveAttribute('data-state', 'training');
  await expect(play).toHaveAttribute('aria-pressed', 'true');

  await play.click();
  await expect(status).toHaveAttribute('data-state', 'paused');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  const paused = await steps(page);
  const finished = (await readPanels(page)).filter((p) => p.method !== 'nn' && p.done).map((p) => p.method);
  expect(finished, 'trained panels that finished all 200 epochs before the pause').toEqual([]);
  await page.waitForTimeout(1500);
  expect(await steps(page), 'steps while paused for 1.5 s').toEqual(paused);

  await page.getByTestId('step').click();
  const advanced = paused.map(([m, s]) => [m, s + 1] as const);
  await expect.poll(() => steps(page), { timeout: 30_000 }).toEqual(advanced);
  await page.waitForTimeout(1000);
  expect(await steps(page), 'one click is one step').toEqual(advanced);
  await expect(status).toHaveAttribute('data-state', 'paused');
  await expectNoErrors(page, log);
});
