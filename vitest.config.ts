import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: on a 2-core CI machine that is 1, and the suite ran
    // serially (640 s); two workers took 423 s with every test green. Each test opens its own database and queue.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // CI also writes machine-readable results for .ci/run's closing line.
    reporters: process.env.CI === 'true' ? ['default', ['json', { outputFile: 'test/.tmp/results.json' }]] : ['default'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // LangSmith tracing would try the network; there is none.
    env: { LANGSMITH_TRACING: 'false', LANGCHAIN_TRACING_V2: 'false' },
  },
});
