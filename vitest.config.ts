import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/support/global-leak-check.ts'],
    setupFiles: ['test/support/neutral-home.ts'],
    coverage: {
      provider: 'v8',
      include: [
        'specs/**',
        'clients/**',
        'store/**',
        'observers/**',
        'diff/**',
        'actions/**',
        'controllers/**',
        'banner/**',
        'facades/**',
        'bin/**',
      ],
      // Entry points run as child processes in tests (black box), which v8 coverage cannot see.
      exclude: ['**/README.md', 'bin/demo.ts', 'bin/helios-recover.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        lines: 85,
        'diff/**': { lines: 85 },
        'actions/**': { lines: 85 },
        'clients/**': { lines: 85 },
        'controllers/**': { lines: 85 },
      },
    },
  },
});
