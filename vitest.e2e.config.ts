import { defineConfig } from 'vitest/config';

// End-to-end: the built app in browser mode, driven by Playwright in Debian's Chromium. Run after `npm run build`.
export default defineConfig({
  test: {
    name: 'e2e',
    globals: true,
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // A poll waits for the app to get there, it does not time it: on a loaded CI machine a save or a pull can take
    // seconds, so waits get room (speed is measured by `npm run bench`, never here).
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
