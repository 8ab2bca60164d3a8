// Browser tests: the production build (`vite build` + `vite preview`) driven by Debian's Chromium.
// Never `playwright install`: the tests use the system browser at CHROMIUM_PATH (default /usr/bin/chromium).
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  // One line, before the build starts: say what is missing and the command that fixes it.
  process.stderr.write(
    `Chromium not found at ${chromiumPath}: install it with \`apt-get install -y chromium\` (as root), or set CHROMIUM_PATH.\n`,
  );
  process.exit(1);
}

// E2E_PORT and E2E_OUT_DIR let two checkouts (or two people) run the browser tests at once without sharing a
// port or a build folder; CI uses the defaults.
const PORT = Number(process.env.E2E_PORT ?? 4179);
const OUT_DIR = process.env.E2E_OUT_DIR ?? 'dist';
const RESULTS_DIR = process.env.E2E_OUT_DIR ? `${OUT_DIR}-results` : 'test-results';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: RESULTS_DIR,
  // Reference images live next to the specs, one name per screenshot: test/e2e/screenshots/desktop-1280x800.png.
  snapshotPathTemplate: '{testDir}/screenshots/{arg}{ext}',
  // A missing reference image is written and the test passes; an existing one is compared.
  updateSnapshots: 'missing',
  // The app trains every panel on the CPU (wasm in a Web Worker): one test at a time on a 2-core machine,
  // and up to ~4 minutes for a test that trains every panel to the end at the default epochs.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 300_000,
  expect: {
    timeout: 10_000,
    toHaveScreenshot: { maxDiffPixelRatio: 0.03, animations: 'disabled' },
  },
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--no-sandbox',
            '--disable-gpu-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite build --outDir ${OUT_DIR} && npx vite preview --outDir ${OUT_DIR} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
