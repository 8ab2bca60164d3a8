// Backend parity in Chromium: on the diagnostics page (diagnostics.html), WebGPU, WebGL and WASM compute the same
// logits and gradients as the CPU backend from identical weights and inputs. Chromium runs with a software
// WebGPU adapter and WebGL through SwiftShader (the flag set of reference/webgpu-feasibility.md: never
// --disable-gpu), so both GPU backends must be available here; the test fails if either is not.
import { expect, test } from '@playwright/test';
import type { Availability, ParityReport, RpDiagnostics } from '../../src/diagnostics/api.ts';
import type { BackendName } from '../../src/ml/backend.ts';
import { openApp, WEBGPU_LAUNCH } from './helpers.ts';

test.use({ launchOptions: WEBGPU_LAUNCH });

const TOLERANCE = 1e-5;
type Win = Window & { rpDiagnostics: RpDiagnostics };

test('WebGPU, WebGL and WASM match the CPU backend within 1e-5', async ({ page }) => {
  // About 30 s on an idle 2-core machine (WebGPU and WebGL compile their shaders on first use).
  test.setTimeout(180_000);
  const log = await openApp(page, '/diagnostics.html');
  await page.waitForFunction(() => 'rpDiagnostics' in window);

  const available = await page.evaluate(() => (window as unknown as Win).rpDiagnostics.available());
  const byName = Object.fromEntries(available.map((a) => [a.name, a])) as Record<BackendName, Availability>;
  expect(Object.keys(byName).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
  for (const a of available) {
    expect(a.ok, `${a.name} should be available under the SwiftShader flags: ${a.reason}`).toBe(true);
  }
  // On this machine both GPU backends are software; the page says so rather than refusing them.
  for (const name of ['webgpu', 'webgl'] as const) expect(byName[name].detail, name).not.toBe('');

  const cases = [
    { backend: 'wasm', parityCase: {} },
    { backend: 'webgl', parityCase: {} },
    { backend: 'webgpu', parityCase: {} },
    { backend: 'webgl', parityCase: { activation: 'tanh', classes: 3, hidden: [8] } },
    { backend: 'webgpu', parityCase: { activation: 'softplus', classes: 3, hidden: [8] } },
  ] as const;
  const tensorsBefore = await page.evaluate(() => (window as unknown as Win).rpDiagnostics.numTensors());
  for (const { backend, parityCase } of cases) {
    const r: ParityReport = await page.evaluate(
      ([b, c]) => (window as unknown as Win).rpDiagnostics.parity(b, c),
      [backend, parityCase] as const,
    );
    const what = `${backend} ${r.case.activation} ${r.case.classes} classes [${r.case.hidden.join(',')}]`;
    expect(r.backend).toBe(backend);
    expect(r.reference).toBe('cpu');
    for (const key of ['maxRelLogits', 'maxRelInputGrad', 'maxRelParamGrad', 'maxRelPenaltyGrad'] as const) {
      expect(r[key], `${what}: ${key}`).toBeLessThanOrEqual(TOLERANCE);
    }
    for (const key of ['maxAbsLogits', 'maxAbsInputGrad', 'maxAbsParamGrad'] as const) {
      expect(Number.isFinite(r[key]), `${what}: ${key} = ${r[key]}`).toBe(true);
    }
    expect(r.ok, what).toBe(true);
    console.log(
      `${what}: |Δ| logits ${r.maxAbsLogits.toExponential(1)}, ∇ₓ ${r.maxAbsInputGrad.toExponential(1)}, ` +
        `∇θ ${r.maxAbsParamGrad.toExponential(1)}, ∇θ‖∇ₓ‖² ${r.maxAbsPenaltyGrad.toExponential(1)} (${r.ms.toFixed(0)} ms)`,
    );
  }
  expect(
    await page.evaluate(() => (window as unknown as Win).rpDiagnostics.numTensors()),
    'leaked tensors',
  ).toBe(tensorsBefore);

  // The page itself listed every backend as available.
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'idle');
  for (const name of ['webgpu', 'webgl', 'wasm', 'cpu']) {
    await expect(page.locator(`tr[data-backend="${name}"]`)).toHaveAttribute('data-ok', 'true');
  }
  expect(log.messages, 'console errors and page errors').toEqual([]);
});
