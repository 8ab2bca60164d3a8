// The engine workers' memory stays flat in the browser: tfjs's live tensors and bytes, read in each worker through
// its test hook (`self.__robustPlayground.memory()`), are the same after 10,000 training steps of every method as a
// few dozen steps in, the same after 1,000 changes each of ε, of the dataset and resets as before them, and the
// same after the engine's workers are restarted. Readings are compared like with like: the page paused (or
// trained) with fresh metrics, the engine idle, the same settings and the same step of the same kind of state.
import { expect, test, type Page, type Worker } from '@playwright/test';
import { appErrors, openApp, readPanels } from './helpers.ts';

/** Training steps of every panel: 10 points, batches of 1, 1,000 epochs. */
const STEPS = 10_000;
/** Changes of each kind: ε, the dataset (a new draw) and resets. */
const CHANGES = 1000;
/** Keys of one kind in a row before the next kind: fewer focus moves, the kinds still interleaved. */
const BURST = 100;
/**
 * One panel of every method (the attacks one step long) and the 1-NN construction, on a tiny net and dataset,
 * in two workers (the pool's readings are summed). SGD for the 10,000 steps: Adam's update is as many small ops
 * again as a step of the cheap methods, and the wasm backend pays for every op; the changes below run with Adam.
 */
const PANELS = 'natural,gr,llr:steps=1,at:steps=1,trades:steps=1,rst:steps=1,cure,lipschitz,nn';
const URL =
  `/?backend=wasm&workers=2&n=10&nt=2&bs=1&epochs=${STEPS / 10}&arch=8&res=16&opt=sgd&speed=max&eps=0.1` +
  `&dseed=1&panels=${PANELS}`;

interface Reading {
  readonly numTensors: number;
  readonly numBytes: number;
}

/** The engine workers: the ones with the test hooks. */
async function engineWorkers(page: Page): Promise<Worker[]> {
  const hooked = await Promise.all(
    page.workers().map(async (w) => ((await w.evaluate(() => '__robustPlayground' in self)) ? w : null)),
  );
  return hooked.filter((w): w is Worker => w !== null);
}

/** tfjs's tensors and bytes summed over the engine workers. */
async function memory(page: Page): Promise<Reading> {
  const workers = await engineWorkers(page);
  expect(workers, 'engine workers').toHaveLength(2);
  const readings = await Promise.all(
    workers.map((w) =>
      w.evaluate(() => {
        const hooks = (self as unknown as { __robustPlayground: { memory(): Reading } }).__robustPlayground;
        const { numTensors, numBytes } = hooks.memory();
        return { numTensors, numBytes };
      }),
    ),
  );
  return {
    numTensors: readings.reduce((s, r) => s + r.numTensors, 0),
    numBytes: readings.reduce((s, r) => s + r.numBytes, 0),
  };
}

/**
 * Waits until every panel's metrics describe its step and the current ε, then until two readings a second apart
 * agree (the last pictures and curves are drawn), and returns that reading.
 */
async function settledMemory(page: Page): Promise<Reading> {
  const eps = Number(await page.getByTestId('eps-slider').inputValue());
  await expect
    .poll(
      async () => {
        const panels = await readPanels(page);
        const stale = panels.filter(
          (p) => p.metricsStep !== p.step || !(Math.abs(p.metricsEps - eps) < 1e-9),
        );
        return panels.length === 0 ? ['no panels yet'] : stale.map((p) => p.method);
      },
      { timeout: 120_000, message: 'panels whose metrics are stale' },
    )
    .toEqual([]);
  let last = await memory(page);
  for (let i = 0; i < 60; i++) {
    await page.waitForTimeout(1000);
    const now = await memory(page);
    if (now.numTensors === last.numTensors && now.numBytes === last.numBytes) return now;
    last = now;
  }
  throw new Error(`The engine's memory did not settle: last ${JSON.stringify(last)}`);
}

/** The fewest steps any trained panel has taken (−1 before the panels are shown). */
async function minStep(page: Page): Promise<number> {
  const steps = (await readPanels(page)).filter((p) => p.method !== 'nn').map((p) => p.step);
  return steps.length === 0 ? -1 : Math.min(...steps);
}

/** Blurs the focused control, so the next key is a page shortcut. */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

test('the workers hold the same tensors after 10,000 steps of every method, 1,000 changes and a restart', async ({
  page,
}) => {
  // About four minutes on an idle 2-core machine (two and a half of them the 80,000 training steps); twice that
  // and more on a busy one.
  test.setTimeout(900_000);
  const log = await openApp(page, URL);
  let t = Date.now();
  // The figures as they come (a report of the run's time and memory, phase by phase).
  const lap = (what: string, r: Reading) => {
    console.log(`${what}: ${seconds(Date.now() - t)}, ${r.numTensors} tensors, ${r.numBytes} bytes`);
    t = Date.now();
  };

  // Warm up a few dozen steps, then pause (space): the reference of the long run.
  await expect.poll(() => minStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(50);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });
  const warmed = await settledMemory(page);
  const warmedAt = await minStep(page);
  lap(`warm-up to step ${warmedAt}`, warmed);

  await page.keyboard.press(' ');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'done', { timeout: 480_000 });
  const trained = await settledMemory(page);
  lap(`${STEPS} steps`, trained);
  const steps = (await readPanels(page)).filter((p) => p.method !== 'nn').map((p) => [p.method, p.step]);
  expect(steps).toEqual(PANELS.split(',').flatMap((p) => (p === 'nn' ? [] : [[p.split(':')[0], STEPS]])));
  expect(trained, `after ${STEPS} steps against after ${warmedAt}`).toEqual(warmed);

  // → pauses the page; then Adam (a new configuration) and one step, so every optimizer holds its moments: the
  // reference of the changes.
  await page.keyboard.press('ArrowRight');
  await page.getByRole('combobox', { name: 'optimizer' }).selectOption('adam');
  await blur(page);
  await expect.poll(() => minStep(page), { timeout: 30_000 }).toBe(0);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => minStep(page), { timeout: 30_000 }).toBe(1);
  const reference = await settledMemory(page);
  lap('Adam, one step', reference);

  // The changes, by keyboard as a user makes them, in bursts: ε on its slider (→ ← …), the dataset by its seed
  // (↑ ↓ … in the data seed box: a new draw each time), and resets (r) with a step (→) after every tenth. Each
  // burst has an even count, so the page ends on the settings of the reference.
  const slider = page.getByTestId('eps-slider');
  const seed = page.getByRole('spinbutton', { name: 'data seed' });
  for (let b = 0; b < CHANGES / BURST; b++) {
    await slider.focus();
    for (let k = 0; k < BURST; k++) await page.keyboard.press(k % 2 === 0 ? 'ArrowRight' : 'ArrowLeft');
    await seed.focus();
    for (let k = 0; k < BURST; k++) await page.keyboard.press(k % 2 === 0 ? 'ArrowUp' : 'ArrowDown');
    await blur(page);
    for (let k = 0; k < BURST; k++) {
      await page.keyboard.press('r');
      if (k % 10 === 9) await page.keyboard.press('ArrowRight');
    }
  }
  await expect(page.getByTestId('eps-value')).toHaveText('0.100');
  await expect(seed).toHaveValue('1');
  await page.keyboard.press('r');
  await expect.poll(() => minStep(page), { timeout: 60_000 }).toBe(0);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => minStep(page), { timeout: 60_000 }).toBe(1);
  const changed = await settledMemory(page);
  lap(`${CHANGES} changes each of ε, dataset and reset, then reset and one step`, changed);
  expect(changed, `after ${CHANGES} changes each of ε, dataset and reset`).toEqual(reference);

  // A crashed worker: the page restarts the engine (both workers) with its settings, paused at step 0.
  const old = await engineWorkers(page);
  await old[0]!.evaluate(() =>
    (self as unknown as { __robustPlayground: { crash(m: string): void } }).__robustPlayground.crash(
      'injected crash (memory test)',
    ),
  );
  await expect(page.getByRole('alert').filter({ hasText: 'injected crash' })).toContainText(
    'restarted with your settings',
    { timeout: 30_000 },
  );
  await expect.poll(() => page.workers().some((w) => old.includes(w)), { timeout: 30_000 }).toBe(false);
  await expect.poll(() => minStep(page), { timeout: 60_000 }).toBe(0);
  await blur(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => minStep(page), { timeout: 60_000 }).toBe(1);
  const restarted = await settledMemory(page);
  lap('worker restart, one step', restarted);
  expect(restarted, 'after the workers restarted').toEqual(reference);

  // The only errors are the injected crash itself.
  expect(log.messages.filter((m) => !m.includes('injected crash'))).toEqual([]);
  const caught = ((await appErrors(page)) ?? []) as string[];
  expect(caught.filter((m) => !m.includes('injected crash'))).toEqual([]);
});
