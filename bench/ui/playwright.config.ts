import { defineConfig } from '@playwright/test';
import e2e from '../../test/e2e/playwright.config';

// The UI benchmarks: the e2e setup (Debian's Chromium, browser mode, the real cluster), its own files.
export default defineConfig({
  ...e2e,
  testDir: '.',
  testMatch: '**/*.bench.ts',
  outputDir: '../../test-results/bench-ui',
  timeout: 600_000,
  reporter: [['list']],
  // Playwright's trace recorder watches every DOM mutation of the page (to snapshot it): load that no
  // user has, and most of it from the very panel being measured. Benchmarks run without it.
  use: { ...e2e.use, trace: 'off' },
});
