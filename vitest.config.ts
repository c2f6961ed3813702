import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/test/**/*.test.ts', 'server/src/**/*.test.ts', 'widget/src/**/*.test.{ts,tsx}', 'console/src/**/*.test.{ts,tsx}'],
    // Most integration tests wait on paced replies and child processes, not the CPU: two files at
    // a time halve the run on this 2-core machine (the default here is one).
    maxWorkers: 2,
    // A worker runs its files in one module registry instead of loading the server's module graph
    // again for each of them (~5-10 s a file here); every file starts and stops its own servers,
    // and the tests that fake timers or set TZ put them back.
    isolate: false,
    // The migrated database every embedded test server starts from (support/global-setup.ts).
    globalSetup: ['server/test/support/global-setup.ts'],
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});
