import { expect, test } from '@playwright/test';
import {
  expectCleanLayout,
  expectFiniteMetrics,
  expectNoErrors,
  openApp,
  panelBoxes,
  readPanels,
  waitForDone,
} from './helpers.ts';

test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: false });

test('on a phone the panels stack without overflowing', async ({ page }) => {
  const log = await openApp(page, '/?backend=wasm&epochs=40');
  await waitForDone(page);
  expectFiniteMetrics(await readPanels(page));

  const boxes = await panelBoxes(page);
  for (const b of boxes) expect(b.width, `${b.id} width`).toBeLessThanOrEqual(390);
  // Stacked: each panel starts below the one before it.
  for (let i = 1; i < boxes.length; i++) {
    expect(boxes[i]!.y, `${boxes[i]!.id} below ${boxes[i - 1]!.id}`).toBeGreaterThanOrEqual(
      boxes[i - 1]!.y + boxes[i - 1]!.height - 1,
    );
  }
  await expectCleanLayout(page);
  await expectNoErrors(page, log);
  await expect(page).toHaveScreenshot('phone-390x844.png', { fullPage: true });
});
