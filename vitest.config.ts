import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // CI also writes machine-readable results for .ci/run's closing line.
    reporters: process.env.CI === 'true' ? ['default', ['json', { outputFile: 'test/.tmp/results.json' }]] : ['default'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // LangSmith tracing would try the network; there is none.
    env: { LANGSMITH_TRACING: 'false', LANGCHAIN_TRACING_V2: 'false' },
  },
});
