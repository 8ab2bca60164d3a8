// Export and import as a user does it: a model file and the dataset go out and come back in; a PNG figure
// carries the page's link and opening it restores that setup.
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { expectNoErrors, openApp, readPanels, waitForDone } from './helpers.ts';

async function saved(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path);
}

async function openMenu(page: Page): Promise<void> {
  const menu = page.locator('details.file-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open)))
    await page.getByTestId('file-menu').click();
}

test('a model and the dataset go out and come back in; a PNG figure restores its setup', async ({ page }) => {
  const log = await openApp(page, '/?backend=wasm&epochs=20');
  await waitForDone(page);
  const natural = (await readPanels(page)).find((p) => p.method === 'natural')!;

  // The natural panel's model, downloaded from its panel…
  const panel = page.locator('[data-testid="panel"][data-method="natural"]');
  const [modelDownload] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: /Download the .* model/ }).click(),
  ]);
  const modelText = (await saved(modelDownload)).toString('utf8');
  const model = JSON.parse(modelText) as { format: string; method: string; layers: unknown[] };
  expect(model.format).toBe('robust-mlp/1');
  expect(model.method).toBe('natural');
  expect(model.layers).toHaveLength(3);

  // …opened again: a new panel with the same weights gives the same numbers.
  await openMenu(page);
  await page.getByTestId('open-files').setInputFiles({
    name: 'natural.model.json',
    mimeType: 'application/json',
    buffer: Buffer.from(modelText),
  });
  const imported = page.locator('[data-testid="panel"][data-method="imported"]');
  await expect(imported).toHaveCount(1);
  await expect(imported).toContainText('natural.model.json');
  await waitForDone(page);
  const copy = (await readPanels(page)).find((p) => p.method === 'imported')!;
  expect(copy.metrics.trainAcc).toBe(natural.metrics.trainAcc);
  expect(copy.metrics.testAcc).toBe(natural.metrics.testAcc);
  expect(copy.metrics.advTestAcc).toBe(natural.metrics.advTestAcc);
  expect(copy.metrics.robustCount).toBe(natural.metrics.robustCount);

  // The figure as PNG carries the link; change ε, open the PNG, and ε is back.
  await openMenu(page);
  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-png').click(),
  ]);
  const png = await saved(pngDownload);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.includes(Buffer.from('robust-playground-link'))).toBe(true);
  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-svg').click(),
  ]);
  const svg = (await saved(svgDownload)).toString('utf8');
  expect(svg).toContain('<svg');
  expect((svg.match(/<image /g) ?? []).length).toBeGreaterThanOrEqual(6);
  await page.getByTestId('eps-slider').fill('0.2');
  await expect(page.getByTestId('eps-value')).toHaveText('0.200');
  await page
    .getByTestId('open-files')
    .setInputFiles({ name: 'figure.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByTestId('eps-value')).toHaveText('0.100');
  await expect(page.locator('[data-testid="panel"][data-method="imported"]')).toHaveCount(0);

  // The dataset as CSV, opened again: the same points, now as an imported CSV.
  await openMenu(page);
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-dataset').click(),
  ]);
  const csv = (await saved(csvDownload)).toString('utf8');
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('x1,x2,label,split');
  expect(lines.length).toBe(1 + 400 + 400);
  await page
    .getByTestId('open-files')
    .setInputFiles({ name: 'moons-copy.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('dataset-name')).toContainText('moons-copy', { timeout: 90_000 });
  await expect(page.getByTestId('data-view')).toHaveAttribute('data-ntrain', '400');
  await expect(page.getByTestId('data-view')).toHaveAttribute('data-ntest', '400');

  // The table as CSV names the link that made it.
  await openMenu(page);
  const [tableDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-metrics').click(),
  ]);
  const table = (await saved(tableDownload)).toString('utf8');
  expect(table.split('\n')[0]).toContain('link');
  await expectNoErrors(page, log);
});
