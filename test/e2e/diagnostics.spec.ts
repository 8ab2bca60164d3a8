// The diagnostics page (diagnostics.html) under the project's default Chromium flags, where WebGPU has no
// adapter: it says why WebGPU is not available, lists the other backends, and its button checks and times each.
import { expect, test } from '@playwright/test';
import { openApp } from './helpers.ts';

test('the diagnostics page lists every backend, says why one is missing, and checks the rest', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const log = await openApp(page, '/diagnostics.html');
  const status = page.getByTestId('status');
  await expect(status).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });

  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(4);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-backend')))).toEqual([
    'webgpu',
    'webgl',
    'wasm',
    'cpu',
  ]);
  // Without --enable-unsafe-webgpu Chromium gives no adapter: the page says so instead of failing.
  const webgpu = page.locator('tr[data-backend="webgpu"]');
  await expect(webgpu).toHaveAttribute('data-ok', 'false');
  await expect(webgpu.getByTestId('detail')).toContainText(/WebGPU/);
  for (const name of ['webgl', 'wasm', 'cpu']) {
    await expect(page.locator(`tr[data-backend="${name}"]`), name).toHaveAttribute('data-ok', 'true');
  }

  await page.getByLabel('Seconds per backend').fill('0.2');
  await page.getByLabel('Method').selectOption('natural');
  await page.getByRole('button', { name: 'Run parity and speed checks' }).click();
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 100_000 });

  for (const name of ['webgl', 'wasm', 'cpu']) {
    const row = page.locator(`tr[data-backend="${name}"]`);
    await expect(row.getByTestId('parity'), `${name} parity`).toHaveText(
      name === 'cpu' ? 'reference' : /^✓ /,
    );
    const steps = Number(await row.getByTestId('steps').textContent());
    expect(steps, `${name} steps/s`).toBeGreaterThan(0);
    const grid = await row.getByTestId('grid').textContent();
    expect(grid, `${name} grid`).toMatch(/^[\d.]+ ms$/);
  }
  await expect(webgpu.getByTestId('steps')).toHaveText('');
  await expect(page.locator('#summary a')).toHaveAttribute('href', /\?backend=(webgl|wasm|cpu)$/);
  expect(log.messages, 'console errors and page errors').toEqual([]);
});
