import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DynamoDB Local starts once per run; every test file gets its own table (test/support/table.ts).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Handlers log through Powertools; tests that look at logs capture them on purpose.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
