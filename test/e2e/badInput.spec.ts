// Bad files through the page's real file inputs: each gets a short message that says what to do, nothing from the
// file becomes markup, and the page's data and panels stay as they were. Big files are generated here, not committed.
import { writeFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openApp, waitForDone } from './helpers.ts';

/** What must not change when a file is refused: the link, the panels and the data. */
async function pageState(page: Page) {
  return {
    url: page.url(),
    panels: await page.getByTestId('panel').count(),
    datasetName: await page.getByTestId('dataset-name').textContent(),
    dataset: await page.getByTestId('dataset-select').inputValue(),
    data: await page
      .getByTestId('data-view')
      .evaluate((el) => [el.dataset.ntrain, el.dataset.ntest, el.dataset.version]),
  };
}

async function openMenu(page: Page): Promise<void> {
  const menu = page.locator('details.file-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open)))
    await page.getByTestId('file-menu').click();
}

const HEADER = 'x1,x2,label,split\n';
const PAYLOAD = '<img src=x onerror="window.__pwned=1">';

test('bad files are refused with a clear message and leave the page as it was', async ({
  page,
}, testInfo) => {
  const log = await openApp(page, '/?backend=wasm&n=40&nt=20&epochs=3&res=16&panels=natural,nn');
  await waitForDone(page);
  // Count reads of file contents: a file over the size limit must be refused on its size alone.
  await page.evaluate(() => {
    const w = window as unknown as { __reads: number };
    w.__reads = 0;
    const read = Object.getOwnPropertyDescriptor(Blob.prototype, 'arrayBuffer')!.value as (
      this: Blob,
    ) => Promise<ArrayBuffer>;
    Blob.prototype.arrayBuffer = function (this: Blob) {
      w.__reads++;
      return read.call(this);
    };
  });
  const before = await pageState(page);
  expect(before.panels).toBe(2);
  expect(before.data).toEqual(['40', '20', expect.any(String)]);

  const upload = page.getByLabel(/upload CSV/);
  const csvMessage = page.getByTestId('csv-message');
  const openFiles = page.getByTestId('open-files');
  const fileMessage = page.getByTestId('file-message');
  const shown: string[] = [];
  async function expectRefused(message: Locator, text: string | RegExp): Promise<void> {
    await expect(message).toHaveText(text);
    await expect(message).toHaveClass('warn');
    shown.push((await message.textContent()) ?? '');
    // Nothing from a file became markup, and no script of one ran.
    await expect(page.locator('img[src="x"], script:not([src]):not([type])')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await pageState(page)).toEqual(before);
  }

  await test.step('a CSV whose label is HTML', async () => {
    const csv = `${HEADER}0,0,0,train\n1,1,${PAYLOAD},train\n`;
    await upload.setInputFiles({ name: 'evil.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expectRefused(
      csvMessage,
      `evil.csv was not loaded — Line 3: label "${PAYLOAD}" is not a class index; use a whole number from 0 ` +
        'to 9 (the app shows at most 10 classes). Your current data is unchanged.',
    );
    // The same file through the header's "open": the same words.
    await openMenu(page);
    await openFiles.setInputFiles({ name: 'evil.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expectRefused(fileMessage, /^evil\.csv was not loaded — Line 3: label "<img src=x onerror=/);
  });

  await test.step('a binary file', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    await upload.setInputFiles({ name: 'junk.csv', mimeType: 'text/csv', buffer: bytes });
    await expectRefused(
      csvMessage,
      'junk.csv is not a text file (it holds binary data); a dataset CSV is text with the header ' +
        'x1,x2,label,split, and a model is robust-mlp/1 JSON text. Open one of those, or a figure or table the ' +
        'app exported.',
    );
  });

  await test.step('a CSV of 200,000 rows', async () => {
    const csv = HEADER + '0.1,0.2,0,train\n0.3,0.4,1,test\n'.repeat(100_000);
    await upload.setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expectRefused(
      csvMessage,
      'big.csv was not loaded — The file has 200,000 rows of points; the app takes at most 10,000 training and ' +
        '10,000 test points. Sample the data down to at most 10,000 training and 10,000 test points and open it ' +
        'again. Your current data is unchanged.',
    );
  });

  await test.step('a 20 MB file, refused before a byte is read', async () => {
    const path = testInfo.outputPath('huge.csv');
    writeFileSync(path, HEADER + '0.1,0.2,0,train\n'.repeat(Math.ceil((20 * 1024 * 1024) / 16)));
    const readsBefore = await page.evaluate(() => (window as unknown as { __reads: number }).__reads);
    const message =
      'huge.csv is 20.0 MB, over the 16 MB the app opens; nothing was read. A dataset CSV of 10,000 training ' +
      'and 10,000 test points is about 1 MB: sample your data down, or open a smaller model.';
    await upload.setInputFiles(path);
    await expectRefused(csvMessage, `${message} Your current data is unchanged.`);
    await openMenu(page);
    await openFiles.setInputFiles(path);
    await expectRefused(fileMessage, message);
    expect(await page.evaluate(() => (window as unknown as { __reads: number }).__reads)).toBe(readsBefore);
  });

  await test.step('a model with wrong shapes, and one with another class count', async () => {
    const layer = (nIn: number, nOut: number) => ({
      W: Array.from({ length: nIn }, () => Array<number>(nOut).fill(0.1)),
      b: Array<number>(nOut).fill(0),
    });
    const model = (layers: unknown[]) =>
      Buffer.from(JSON.stringify({ format: 'robust-mlp/1', method: PAYLOAD, activation: 'relu', layers }));
    await openMenu(page);
    await openFiles.setInputFiles({
      name: 'shapes.model.json',
      mimeType: 'application/json',
      buffer: model([layer(2, 8), layer(4, 2)]),
    });
    await expectRefused(
      fileMessage,
      'shapes.model.json: Model file: layers[1].W has 4 rows but the previous layer has 8 outputs; the shapes ' +
        'must chain.',
    );
    await openFiles.setInputFiles({
      name: 'three.model.json',
      mimeType: 'application/json',
      buffer: model([layer(2, 8), layer(8, 3)]),
    });
    await expectRefused(
      fileMessage,
      'three.model.json was not added: This model has 3 classes (outputs) but the data has 2. Open the dataset ' +
        'it was trained on first (its CSV), or a model trained on this data.',
    );
  });

  // Later, too: the debounced link and the engine have had time to change, and did not.
  await page.waitForTimeout(1000);
  expect(await pageState(page)).toEqual(before);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'done');
  // The only errors are the refusals the file menu reports (it logs what it tells the user); no page error.
  const menuRefusals = new Set(shown);
  expect(log.messages.filter((m) => !menuRefusals.has(m.replace(/^console\.error: /, '')))).toEqual([]);
});
