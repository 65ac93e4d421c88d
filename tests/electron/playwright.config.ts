import { defineConfig } from '@playwright/test';

// Playwright's `_electron` smoke tests of the desktop shell (`npm run test:electron`, which builds
// first). They skip, saying why, where no Electron binary is installed.
export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: '*.spec.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
});
