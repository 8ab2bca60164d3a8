import { expect, test } from '@playwright/test';
import {
  byMethod,
  expectCleanLayout,
  expectFiniteMetrics,
  expectNoErrors,
  openApp,
  readPanels,
  waitForDone,
} from './helpers.ts';

const DEFAULT_METHODS = ['natural', 'at', 'trades', 'llr', 'gr', 'nn'];
const TRAINED = ['natural', 'at', 'trades', 'llr', 'gr'];

test.use({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });

test("the default page shows the paper's ordering", async ({ page }) => {
  // Training every default panel to the end on wasm takes 1–2 minutes on a 2-core machine.
  test.setTimeout(300_000);
  const log = await openApp(page, '/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await waitForDone(page, 240_000);

  const panels = await readPanels(page);
  expect(panels.map((p) => p.method)).toEqual(DEFAULT_METHODS);
  for (const p of panels) {
    expect(p.done, `${p.method} data-done`).toBe(true);
    expect(p.metricsStep, `${p.method} data-metrics-step`).toBe(p.step);
    expect(p.metricsEps, `${p.method} data-metrics-eps`).toBeCloseTo(0.1, 9);
  }
  expectFiniteMetrics(panels);
  for (const p of panels) {
    for (const name of ['trainAcc', 'testAcc', 'advTestAcc', 'robustAcc'] as const) {
      expect(p.metrics[name], `${p.method} ${name}`).toBeGreaterThanOrEqual(0);
      expect(p.metrics[name], `${p.method} ${name}`).toBeLessThanOrEqual(1);
    }
    expect(Number.isInteger(p.metrics.robustCount), `${p.method} robustCount is an integer`).toBe(true);
  }

  const m = byMethod(panels);
  const natural = m.natural!;
  const trades = m.trades!;
  const summary = TRAINED.map(
    (k) => `${k}: adv ${m[k]!.metrics.advTestAcc}, lip ${m[k]!.metrics.lipschitz}`,
  ).join('; ');
  // Natural training: the lowest accuracy under attack and the largest local Lipschitz value (the paper's tables).
  for (const k of TRAINED.filter((k) => k !== 'natural')) {
    expect(natural.metrics.advTestAcc, `natural advTestAcc ≤ ${k}'s (${summary})`).toBeLessThanOrEqual(
      m[k]!.metrics.advTestAcc,
    );
    expect(natural.metrics.lipschitz, `natural lipschitz ≥ ${k}'s (${summary})`).toBeGreaterThanOrEqual(
      m[k]!.metrics.lipschitz,
    );
  }
  expect(trades.metrics.advTestAcc, summary).toBeGreaterThanOrEqual(natural.metrics.advTestAcc + 0.05);
  expect(trades.metrics.lipschitz, summary).toBeLessThanOrEqual(natural.metrics.lipschitz / 3);
  // The theorem's 1-NN construction is exactly robust at (just under) its radius on the training points.
  expect(m.nn!.nnRobustTrainAtR, 'nn nnRobustTrainAtR').toBe(1);
  expect(m.nn!.nnR, 'nn data-r').toBeGreaterThan(0);

  await expect(page.getByTestId('paper-table').locator('tr[data-panel-id]')).toHaveCount(6);
  await expectNoErrors(page, log);

  await expectCleanLayout(page);
  await expect(page).toHaveScreenshot('desktop-1280x800.png', { fullPage: true });
});
