import { configDefaults, defineConfig } from 'vitest/config';

/** Test files that replace a module (vi.mock): they get modules of their own, not the shared ones. */
const ISOLATED = ['tests/unit/web/constant-time.test.ts'];

export default defineConfig({
  test: {
    // PGlite, real PostgreSQL and Redis, SMTP and a browser: give them room, but keep unit tests quick.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most of the time is spent waiting on PostgreSQL, Redis, SMTP, Chromium and child processes, not
    // on this process's CPU: three files at a time keep two cores busy (vitest's default is one fewer than the cores).
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['tests/**/*.test.ts'],
          // The samples ingested and processed once, for the tests that start from them (sampleConfig's `processed`).
          globalSetup: ['tests/global-setup.ts'],
          // Fault tests kill servers and take minutes: `npm run test:faults` (vitest.faults.config.ts).
          exclude: [...configDefaults.exclude, 'tests/faults/**', ...ISOLATED],
          // A file's modules are loaded once per worker and reused by the next file (no test file leaves module
          // state behind that another reads): loading them again for each of 150 files took more time than the tests.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
