import { expect, test } from '@playwright/test';
import { expectFiniteMetrics, expectNoErrors, openApp, readPanels, waitForDone } from './helpers.ts';

test('switching the dataset retrains every panel on the new data', async ({ page }) => {
  const log = await openApp(page, '/?backend=wasm&epochs=40');
  await waitForDone(page);
  await expect(page.getByTestId('dataset-name')).toContainText(/moons/i);
  const before = await readPanels(page);

  // Record, from now on, whether the status left `done` and the smallest step any panel showed: the restart
  // can be quick, and at the end the step counts are the same as before (same epochs, same size).
  await page.evaluate(() => {
    const w = window as unknown as { __e2e: { leftDone: boolean; minStep: number } };
    w.__e2e = { leftDone: false, minStep: Infinity };
    const look = () => {
      const state = document.querySelector('[data-testid="status"]')?.getAttribute('data-state');
      if (state !== 'done') w.__e2e.leftDone = true;
      // The 1-NN panel is built, not trained: its step stays 0.
      for (const el of document.querySelectorAll('[data-testid="panel"]:not([data-method="nn"])')) {
        const s = Number(el.getAttribute('data-step'));
        if (Number.isFinite(s)) w.__e2e.minStep = Math.min(w.__e2e.minStep, s);
      }
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state', 'data-step'],
    });
  });

  await page.getByTestId('dataset-select').selectOption('spiral');
  await expect(page.getByTestId('dataset-name')).toContainText(/spiral/i);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __e2e: { leftDone: boolean } }).__e2e.leftDone), {
      message: 'the status left `done` after the switch',
    })
    .toBe(true);
  await waitForDone(page);

  const after = await readPanels(page);
  expect(after.map((p) => p.method)).toEqual(before.map((p) => p.method));
  const minStep = await page.evaluate(
    () => (window as unknown as { __e2e: { minStep: number } }).__e2e.minStep,
  );
  const trainedBefore = before.filter((p) => p.method !== 'nn');
  expect(minStep, 'some trained panel went back to a small step count').toBeLessThan(
    Math.min(...trainedBefore.map((p) => p.step)),
  );
  for (const p of after) {
    if (p.method !== 'nn') expect(p.step, `${p.method} data-step`).toBeGreaterThan(0);
    expect(p.done, `${p.method} data-done`).toBe(true);
  }
  expectFiniteMetrics(after);
  // New data, new numbers: the test accuracies are not all the same as on moons.
  expect(after.map((p) => p.metrics.testAcc)).not.toEqual(before.map((p) => p.metrics.testAcc));
  await expectNoErrors(page, log);
});
