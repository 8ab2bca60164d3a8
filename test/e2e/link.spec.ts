// Links that reproduce: a page's share link, opened in a fresh browser context, trains the same panels on the
// same (hand-edited) points from the same seed and shows the same numbers; a tampered link gets a notice and
// safe defaults, never a broken page.
import { expect, test } from '@playwright/test';
import { expectNoErrors, openApp, readPanels, waitForDone } from './helpers.ts';

test('a shared link reproduces the same picture and the same numbers in a fresh page', async ({
  page,
  browser,
}) => {
  const log = await openApp(page, '/?backend=wasm&epochs=30');
  await page.getByTestId('dataset-select').selectOption('spiral');
  await expect(page.getByTestId('dataset-name')).toContainText('spiral');
  await page.getByTestId('eps-slider').fill('0.05');
  // One hand edit: a class-1 training point in the middle of the first plot.
  await page.getByTestId('tool-add').check();
  await page.getByTestId('add-class').selectOption('1');
  const plot = (await page.getByTestId('panel-plot').first().boundingBox())!;
  await page.mouse.click(plot.x + plot.width * 0.5, plot.y + plot.height * 0.45);
  await expect(page.getByTestId('edit-count')).toHaveAttribute('data-value', '1');
  // The networks fine-tuned on the edit; a link trains from scratch, so retrain from scratch here too.
  await page.getByTestId('reset').click();
  await waitForDone(page);
  const here = await readPanels(page);

  await page.getByTestId('share-open').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('v=1');
  expect(link).toContain('edits=');
  await page.keyboard.press('Escape');

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  const otherLog = await openApp(other, link);
  await expect(other.getByTestId('dataset-name')).toContainText('spiral');
  await expect(other.getByTestId('edit-count')).toHaveAttribute('data-value', '1');
  await waitForDone(other);
  const there = await readPanels(other);
  expect(there.map((p) => p.method)).toEqual(here.map((p) => p.method));
  for (const [i, p] of there.entries()) {
    const q = here[i]!;
    expect(p.step, `${p.method} steps`).toBe(q.step);
    expect(p.metricsEps, `${p.method} ε`).toBe(0.05);
    expect(p.metrics, `${p.method} metrics`).toEqual(q.metrics);
  }
  await expectNoErrors(other, otherLog);
  await fresh.close();
  await expectNoErrors(page, log);
});

test('a tampered link gets a notice and safe defaults; an old link still works', async ({ page }) => {
  const log = await openApp(page, '/?v=1&eps=banana&data=nope&arch=9999x3&epochs=20&backend=wasm');
  const banner = page.getByRole('alert').first();
  await expect(banner).toContainText('eps');
  await expect(banner).toContainText('nope');
  await expect(page.getByTestId('eps-value')).toHaveText('0.100');
  await expect(page.getByTestId('dataset-name')).toContainText('moons');
  await waitForDone(page);
  expect((await readPanels(page)).length).toBeGreaterThan(0);
  // The app's own notices are not errors: the console stays clean.
  expect(log.messages.filter((m) => !m.includes('This link'))).toEqual([]);

  // A link from before the schema (no v=): backend, workers and epochs still apply.
  await page.goto('/?backend=wasm&epochs=7');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
  await waitForDone(page);
  const natural = (await readPanels(page)).find((p) => p.method === 'natural')!;
  expect(natural.step).toBe(7 * Math.ceil(400 / 128));
  await expectNoErrors(page, { messages: log.messages.filter((m) => !m.includes('This link')) });
});
