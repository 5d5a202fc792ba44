import { describe, expect, it } from 'vitest';
import { createJobQueue } from '../../src/jobs/index.js';
import type { RiskRelease, RiskStore } from '../../src/risk/ports.js';
import { createRiskService } from '../../src/risk/service.js';

const release: RiskRelease = {
  id: 'r1',
  serviceId: 's1',
  service: 'checkout',
  version: '1.0.0',
  strategy: null,
  flags: [],
  metrics: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  outcome: null,
  outcomeAt: null,
};

/** Just the ports recording an outcome touches; the count is what the store would answer after the commits. */
function service(counts: { outcomes: number; trainedOn: number }) {
  const queue = createJobQueue({ queueName: 'retrain-unit' });
  const store = {
    history: { release: async () => release },
    outcomes: { record: async () => ({ linkedIncidents: 0 }), count: async () => counts.outcomes },
    models: { trainedOn: async () => counts.trainedOn },
  } as unknown as RiskStore;
  const risk = createRiskService({
    store,
    queue,
    embedder: { embed: async () => [] },
    evidenceSearch: { search: async () => [] },
    policy: {},
    llmTimeoutMs: 100,
  });
  return { risk, queue };
}

describe('retraining as outcomes arrive', () => {
  it('two outcomes committed at once past a tenth queue the one job for that bucket', async () => {
    const { risk, queue } = service({ outcomes: 11, trainedOn: 0 });
    const [a, b] = await Promise.all([
      risk.recordOutcome('t', 'r1', { outcome: 'success' }),
      risk.recordOutcome('t', 'r1', { outcome: 'failure' }),
    ]);
    expect([a.retrainJobId, b.retrainJobId].filter(Boolean)).toEqual(['train-t-10']);
    expect((await queue.counts()).waiting).toBe(1);
    await queue.close();
  });

  it('queues a retrain at each multiple of ten outcomes above what the newest model learnt from, and nothing between', async () => {
    const counts = { outcomes: 309, trainedOn: 304 };
    const { risk, queue } = service(counts);
    expect((await risk.recordOutcome('t', 'r1', { outcome: 'success' })).retrainJobId).toBeUndefined();
    counts.outcomes = 310;
    expect((await risk.recordOutcome('t', 'r1', { outcome: 'success' })).retrainJobId).toBe('train-t-310');
    counts.outcomes = 311;
    expect((await risk.recordOutcome('t', 'r1', { outcome: 'success' })).retrainJobId).toBeUndefined();
    await queue.close();
  });
});
