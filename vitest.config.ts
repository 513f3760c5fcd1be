import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests run the whole pipeline on the bundled sample; give them room on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
