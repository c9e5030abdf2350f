import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Fault tests kill servers and take minutes: `npm run test:faults` (vitest.faults.config.ts).
    exclude: [...configDefaults.exclude, 'tests/faults/**'],
    // PGlite takes seconds to create a database and the integration tests talk
    // to real PostgreSQL and Redis: give them room, but keep unit tests quick.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
