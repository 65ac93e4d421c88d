import { defineConfig } from 'vitest/config';

// Unit tests live beside the code as *.test.ts.
export default defineConfig({
  test: {
    include: ['{shared,server,main,preload,renderer}/**/*.test.{ts,tsx}'],
    env: { LOG_LEVEL: 'silent' },
  },
});
