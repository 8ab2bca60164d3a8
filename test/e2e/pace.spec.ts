import { expect, test } from '@playwright/test';
import { expectNoErrors, openApp, readPanels } from './helpers.ts';

/** The step each panel's picture shows (-1: no picture yet), by method. */
const pictureSteps = (page: Parameters<typeof readPanels>[0]) =>
  page
    .getByTestId('panel')
    .evaluateAll((nodes) =>
      Object.fromEntries(
        nodes.map((el): [string, number] => [
          el.getAttribute('data-method') ?? '',
          Number(el.getAttribute('data-frame-step') ?? -1),
        ]),
      ),
    );

test('panels out of view get no pictures while training, and catch up when scrolled in', async ({ page }) => {
  // At 1280×800, at the top of the page, only the first row of panels is near the viewport.
  const log = await openApp(page, '/?backend=wasm&epochs=200');
  await expect
    .poll(async () => (await pictureSteps(page)).natural ?? -1, { timeout: 120_000 })
    .toBeGreaterThan(0);
  // GR, in the second row, trains on while out of view, but its picture (if the first moments gave it one,
  // before training had started) stays where it was.
  const stepOf = async (method: string) => (await readPanels(page)).find((p) => p.method === method)!.step;
  const picture = (await pictureSteps(page)).gr ?? -1;
  const trained = await stepOf('gr');
  await page.waitForTimeout(3000);
  expect(await stepOf('gr'), 'GR trains while out of view').toBeGreaterThan(trained + 5);
  expect((await pictureSteps(page)).gr, 'GR gets no new picture while out of view').toBe(picture);

  await page.locator('[data-method="gr"]').scrollIntoViewIfNeeded();
  await expect
    .poll(async () => (await pictureSteps(page)).gr ?? -1, { timeout: 30_000 })
    .toBeGreaterThan(trained + 5);
  await expectNoErrors(page, log);
});

test('the backend can be chosen in the badge, and training restarts on it', async ({ page }) => {
  // From cpu to wasm: the 1-NN construction's attack alone takes minutes on cpu.
  const log = await openApp(page, '/?backend=cpu&epochs=3');
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'cpu', { timeout: 60_000 });
  await badge.locator('summary').click();
  await page.getByTestId('backend-select').selectOption('wasm');
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  expect(new URL(page.url()).searchParams.get('backend')).toBe('wasm');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  const panels = await readPanels(page);
  expect(panels.filter((p) => p.method !== 'nn').every((p) => p.step > 0 && p.done)).toBe(true);
  await expectNoErrors(page, log);
});
