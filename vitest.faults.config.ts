import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault tests kill and restart servers of their own
// (tests/faults/rig.ts), one file at a time so their timings do not collide.
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
