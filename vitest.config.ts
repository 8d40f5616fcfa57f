import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/support/global-leak-check.ts'],
    coverage: {
      provider: 'v8',
      include: [
        'specs/**',
        'observers/**',
        'diff/**',
        'actions/**',
        'controllers/**',
        'banner/**',
        'bin/**',
      ],
      exclude: ['**/README.md'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: { lines: 85 },
    },
  },
});
