import { expect, test } from '@playwright/test';
import {
  byMethod,
  expectFiniteMetrics,
  expectNoErrors,
  openApp,
  readPanels,
  waitForDone,
} from './helpers.ts';

test('moving ε re-evaluates without retraining', async ({ page }) => {
  const log = await openApp(page, '/?backend=wasm&epochs=40');
  await waitForDone(page);
  const before = await readPanels(page);
  expectFiniteMetrics(before);
  for (const p of before) expect(p.metricsEps, `${p.method} data-metrics-eps`).toBeCloseTo(0.1, 9);

  // Move the slider the way a user does; Playwright's fill() on a range input sets the value and fires
  // `input` and `change`, which React's onChange hears.
  const slider = page.getByTestId('eps-slider');
  await slider.fill('0.03');
  const eps = Number(await slider.inputValue());
  expect(eps, 'the slider took the new ε').toBeCloseTo(0.03, 9);
  await expect(page.getByTestId('eps-value')).toContainText('0.03');

  // Every panel's shown metrics describe the new ε (within float noise).
  await expect
    .poll(
      async () =>
        (await readPanels(page)).filter((p) => !(Math.abs(p.metricsEps - eps) < 1e-9)).map((p) => p.method),
      { timeout: 120_000, message: 'panels whose metrics are not yet at the new ε' },
    )
    .toEqual([]);
  const after = await readPanels(page);
  expectFiniteMetrics(after);

  // Re-evaluation only: no panel trained a step more.
  expect(after.map((p) => [p.method, p.step])).toEqual(before.map((p) => [p.method, p.step]));
  const total = (ps: typeof before) => ps.reduce((s, p) => s + p.metrics.robustCount, 0);
  expect(total(after), 'total robust count across panels at ε = 0.03 against ε = 0.1').not.toBe(
    total(before),
  );
  // A smaller ball is easier to be robust in.
  expect(byMethod(after).natural!.metrics.robustCount).toBeGreaterThanOrEqual(
    byMethod(before).natural!.metrics.robustCount,
  );
  await expectNoErrors(page, log);
});
