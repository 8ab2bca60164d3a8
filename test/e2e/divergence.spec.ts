// A learning rate that blows one method up: that panel stops with an explanation and a one-click recovery, the
// other panel trains on, and the recovered panel trains to the end at the halved rate.
import { expect, test } from '@playwright/test';
import { expectNoErrors, openApp, readPanels } from './helpers.ts';

// Plain SGD at lr 10 on 60 moons points: gradient regularization (λ = 1) overflows within a few steps, natural
// training does not (the same setting as test/unit/playgroundDivergence.test.ts, found by a sweep).
const DIVERGING =
  '/?v=1&n=60&nt=30&arch=16x16&opt=sgd&lr=10&bs=32&epochs=20&res=16&panels=natural,gr:lambda=1&backend=wasm';

test('a diverged panel stops alone, and one click restores it at half the learning rate', async ({
  page,
}) => {
  const log = await openApp(page, DIVERGING);
  const gr = page.locator('[data-method="gr"]');
  const recover = gr.getByTestId('recover');
  await expect(recover).toBeVisible({ timeout: 90_000 });
  await expect(gr.locator('.diverged')).toContainText(
    /Training diverged at step \d+ .*learning rate \(10\) is too large/,
  );
  await expect(recover).toHaveText(
    /^Restore the (initial weights|weights of epoch \d+) and halve the learning rate to 5$/,
  );

  // The natural panel is not stopped: it trains all 20 epochs (2 steps each).
  await expect
    .poll(async () => (await readPanels(page)).find((p) => p.method === 'natural')?.step, { timeout: 90_000 })
    .toBe(40);
  await expect(page.locator('[data-method="natural"] .diverged')).toHaveCount(0);

  // Each click halves the rate; a run that blows up again offers the next halving. After a click the panel trains
  // until it is done or stops again, with a button offering a lower rate.
  let clicks = 0;
  for (; clicks < 6 && (await recover.count()) > 0; clicks++) {
    const text = await recover.innerText();
    await recover.click();
    await expect
      .poll(
        async () => {
          const done = (await gr.getAttribute('data-done')) === 'true';
          const offer = (await recover.count()) > 0 ? await recover.innerText() : null;
          return done && offer !== text;
        },
        { timeout: 90_000 },
      )
      .toBe(true);
  }
  expect(clicks).toBeGreaterThan(0);
  const note = gr.getByTestId('recovered');
  await expect(note).toContainText(`Learning rate ${10 / 2 ** clicks}: halved`, { timeout: 60_000 });
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const panels = await readPanels(page);
  expect(panels.find((p) => p.method === 'gr')).toMatchObject({ step: 40, done: true });
  expect(Number.isFinite(panels.find((p) => p.method === 'gr')!.metrics.trainAcc)).toBe(true);

  // Reset goes back to the setting.
  await page.getByTestId('reset').click();
  await expect(note).toHaveCount(0, { timeout: 30_000 });
  await expectNoErrors(page, log);
});
