import { defineConfig } from 'vitest/config';

// Real relays on port 0, real desktop cores in temp dirs, real SQLite / PostgreSQL / Redis.
// QIXIN_TEST_STORE=sqlite (default) or postgres selects the store and bus.
export default defineConfig({
  test: {
    include: ['tests/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    env: { LOG_LEVEL: 'silent' },
  },
});
