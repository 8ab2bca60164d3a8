// Hands-on editing as a user does it: upload a tiny dataset whose separation is known, drag a point with the
// mouse, add one, delete one, undo and redo — and watch the separation, the 1-NN construction's r and the
// networks follow.
import { expect, test, type Page } from '@playwright/test';
import { expectNoErrors, openApp, readPanels, waitForDone } from './helpers.ts';

// Class 0 on the left, class 1 on the right: the L∞ train–train separation is 1.0 (the pair at y = 0).
const CSV = [
  'x1,x2,label,split',
  '-0.5,0,0,train',
  '-0.5,0.5,0,train',
  '0.5,0,1,train',
  '0.5,0.5,1,train',
  '-0.4,0.25,0,test',
  '0.4,0.25,1,test',
].join('\n');

async function separation(page: Page): Promise<number> {
  return Number(await page.getByTestId('data-view').getAttribute('data-separation'));
}

/** The page pixel of data point (x, y) on the first panel's plot (the plot keeps the box's aspect, centred). */
async function pixelOf(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const plot = page.getByTestId('panel-plot').first();
  await plot.scrollIntoViewIfNeeded();
  const [xMin, xMax, yMin, yMax] = (await plot.getAttribute('data-box'))!.split(',').map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const r = (await plot.boundingBox())!;
  const k = Math.min(r.width / (xMax - xMin), r.height / (yMax - yMin));
  const left = (r.width - k * (xMax - xMin)) / 2;
  const top = (r.height - k * (yMax - yMin)) / 2;
  return { x: r.x + left + (x - xMin) * k, y: r.y + top + (yMax - y) * k };
}

test('drag, add, delete, undo and redo points; the separation and the construction follow', async ({
  page,
}) => {
  const log = await openApp(page, '/?backend=wasm&epochs=40');
  await page.getByLabel(/upload CSV/).setInputFiles({
    name: 'four.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV),
  });
  await expect(page.getByTestId('dataset-name')).toContainText('four');
  await waitForDone(page);
  expect(await separation(page)).toBeCloseTo(1.0, 6);
  const trainedSteps = (await readPanels(page)).find((p) => p.method === 'natural')!.step;
  expect(trainedSteps).toBe(40);

  // Drag the class-1 point at (0.5, 0) to (0.1, 0): the nearest pair is now 0.6 apart.
  await page.getByTestId('tool-move').check();
  const from = await pixelOf(page, 0.5, 0);
  const to = await pixelOf(page, 0.1, 0);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => separation(page), { message: 'separation after the drag' }).toBeLessThan(0.61);
  expect(await separation(page)).toBeGreaterThan(0.59);
  await expect(page.getByTestId('edit-count')).toHaveAttribute('data-value', '1');
  // The theorem's construction takes r = half the separation at once.
  await expect
    .poll(async () => (await readPanels(page)).find((p) => p.method === 'nn')?.nnR ?? NaN)
    .toBeCloseTo((await separation(page)) / 2, 6);
  // The networks go on from their weights on the edited points: more steps than the first training's.
  await expect
    .poll(async () => (await readPanels(page)).find((p) => p.method === 'natural')!.step, { timeout: 60_000 })
    .toBeGreaterThan(trainedSteps);
  await waitForDone(page);
  const natural = (await readPanels(page)).find((p) => p.method === 'natural')!;
  // Every edit that reached a finished network gave it a quarter of the epochs more (a drag sends several).
  expect(natural.step).toBeGreaterThan(trainedSteps);
  expect((natural.step - trainedSteps) % 10, `fine-tune steps ${natural.step - trainedSteps}`).toBe(0);

  // Add a class-1 training point at (-0.2, 0.25): 0.3 from both class-0 points.
  await page.getByTestId('tool-add').check();
  await page.getByTestId('add-class').selectOption('1');
  const at = await pixelOf(page, -0.2, 0.25);
  await page.mouse.click(at.x, at.y);
  await expect(page.getByTestId('data-view')).toHaveAttribute('data-ntrain', '5');
  await expect.poll(() => separation(page)).toBeCloseTo(0.3, 2);
  await expect(page.getByTestId('edit-count')).toHaveAttribute('data-value', '2');

  // Undo (button, then keyboard) and redo.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('data-view')).toHaveAttribute('data-ntrain', '4');
  await expect.poll(() => separation(page)).toBeCloseTo(0.6, 1);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Control+z');
  await expect.poll(() => separation(page)).toBeCloseTo(1.0, 6);
  await expect(page.getByTestId('edit-count')).toHaveAttribute('data-value', '0');
  await page.getByTestId('redo').click();
  await expect.poll(() => separation(page)).toBeLessThan(0.61);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('data-view')).toHaveAttribute('data-ntrain', '5');

  // Delete the point just added: back to 4 training points and 0.6.
  await page.getByTestId('tool-delete').check();
  const added = await pixelOf(page, -0.2, 0.25);
  await page.mouse.click(added.x, added.y);
  await expect(page.getByTestId('data-view')).toHaveAttribute('data-ntrain', '4');
  await expect.poll(() => separation(page)).toBeCloseTo(0.6, 1);
  await expect(page.getByTestId('edit-count')).toHaveAttribute('data-value', '3');
  await waitForDone(page);
  await expectNoErrors(page, log);
});
