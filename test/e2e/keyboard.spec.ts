// The page by keyboard only: every control reachable with Tab, named, with a visible focus ring; the lecture
// shortcuts (space, →, r, 1–9, ?) work; sliders move with the arrow keys.
import { expect, test } from '@playwright/test';
import { expectNoErrors, openApp, readPanels, waitForDone } from './helpers.ts';

test('every control is reachable by Tab, has an accessible name and a visible focus ring', async ({
  page,
}) => {
  const log = await openApp(page, '/?backend=wasm&epochs=10');
  await waitForDone(page);
  const problems: string[] = [];
  const seen = new Set<string>();
  let reached = 0;
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const labelled = el.getAttribute('aria-labelledby');
      const labels = (el as HTMLInputElement).labels;
      const name =
        (el.getAttribute('aria-label') ?? '').trim() ||
        (labelled ? (document.getElementById(labelled)?.textContent ?? '') : '').trim() ||
        (labels && labels.length > 0 ? (labels[0]!.textContent ?? '').trim() : '') ||
        (el.textContent ?? '').trim() ||
        (el.getAttribute('title') ?? '').trim();
      const style = getComputedStyle(el);
      const ring =
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) ||
        style.boxShadow !== 'none' ||
        // A visually hidden radio shows its ring on its label.
        (el.parentElement ? getComputedStyle(el.parentElement).outlineStyle !== 'none' : false);
      const path = `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}#${name.slice(0, 40)}`;
      return { path, name, ring, key: `${path}@${Math.round(el.getBoundingClientRect().top + scrollY)}` };
    });
    if (!info) continue;
    if (seen.has(info.key)) break;
    seen.add(info.key);
    reached++;
    if (!info.name) problems.push(`${info.path}: no accessible name`);
    if (!info.ring) problems.push(`${info.path}: no visible focus ring`);
  }
  expect(reached, 'focusable controls reached by Tab').toBeGreaterThan(30);
  expect(problems).toEqual([]);
  const reachedTestIds = [...seen].join('\n');
  for (const id of ['step', 'reset', 'eps-slider', 'dataset-select', 'tool-move', 'share-open']) {
    expect(reachedTestIds, `Tab reaches ${id}`).toContain(`[${id}]`);
  }
  await expectNoErrors(page, log);
});

test('lecture shortcuts and sliders work from the keyboard alone', async ({ page }) => {
  const log = await openApp(page, '/?backend=wasm&epochs=400');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'training');

  // Space pauses; → takes exactly one step of every panel; r resets to step 0.
  await page.keyboard.press(' ');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });
  const before = (await readPanels(page)).find((p) => p.method === 'natural')!.step;
  await page.keyboard.press('ArrowRight');
  // A step waits for the metrics of the panel being evaluated when it arrives (seconds on a busy machine).
  await expect
    .poll(async () => (await readPanels(page)).find((p) => p.method === 'natural')!.step, { timeout: 60_000 })
    .toBe(before + 1);
  await page.keyboard.press('r');
  await expect
    .poll(async () => (await readPanels(page)).find((p) => p.method === 'natural')!.step, { timeout: 60_000 })
    .toBe(0);

  // ? lists the shortcuts; Escape closes the list.
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-dialog')).toBeVisible();
  await expect(page.getByTestId('shortcuts-dialog')).toContainText('play / pause');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-dialog')).toBeHidden();

  // The ε slider moves with the arrow keys and the value shown follows.
  await page.getByTestId('eps-slider').focus();
  const eps0 = Number(await page.getByTestId('eps-value').textContent());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('eps-value')).toHaveText((eps0 + 0.01).toFixed(3));
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  // 2 opens the second lecture preset: its story shows and the link names it.
  await page.keyboard.press('2');
  await expect(page.getByTestId('story')).toBeVisible();
  await expect.poll(() => page.url()).toContain('preset=');
  // p toggles the presenter view.
  await page.keyboard.press('p');
  await expect(page.getByTestId('app')).toHaveClass(/present/);
  await page.keyboard.press('p');
  await expect(page.getByTestId('app')).not.toHaveClass(/present/);
  await expectNoErrors(page, log);
});
