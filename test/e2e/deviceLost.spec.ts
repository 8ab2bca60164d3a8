// A lost WebGPU device (simulated with device.destroy()) moves training to the next backend, with a notice.
// Headless Chromium runs WebGPU on SwiftShader with these flags (reference/webgpu-feasibility.md, flag set D).
import { expect, test } from '@playwright/test';
import { openApp, readPanels, WEBGPU_LAUNCH } from './helpers.ts';

test.use({ launchOptions: WEBGPU_LAUNCH });

test('losing the WebGPU device falls back to the next backend and training goes on', async ({ page }) => {
  const log = await openApp(page, '/?backend=webgpu&n=40&nt=20&epochs=400&res=16&eps=0.06&panels=natural');
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'webgpu', { timeout: 90_000 });
  await expect
    .poll(async () => (await readPanels(page))[0]?.step ?? 0, { timeout: 120_000 })
    .toBeGreaterThan(2);
  const worker = page.workers()[0]!;
  const lost = await worker.evaluate(() =>
    (
      self as unknown as { __robustPlayground: { loseWebGpuDevice(): boolean } }
    ).__robustPlayground.loseWebGpuDevice(),
  );
  expect(lost).toBe(true);

  const banner = page.getByRole('alert').filter({ hasText: 'WebGPU device was lost' });
  await expect(banner).toContainText('restarted without webgpu with your settings', { timeout: 30_000 });
  // SwiftShader's WebGL is refused as a software renderer, so the next backend is wasm.
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await badge.locator('summary').click();
  await expect(badge).toContainText('the WebGPU device was lost');
  await expect.poll(() => page.workers().includes(worker), { timeout: 30_000 }).toBe(false);
  await expect(page.getByTestId('eps-slider')).toHaveValue('0.06');
  await expect.poll(async () => (await readPanels(page))[0]!.step, { timeout: 60_000 }).toBeGreaterThan(10);
  // Work in flight on the lost device may fail and say so; nothing else may.
  expect(log.messages.filter((m) => !/device|WebGPU|GPU/i.test(m))).toEqual([]);
});
