import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src/contracts/search.js';
import { rollbackPlan } from '../../src/notes/rollback-plan.js';

const hit = (snippet: string): SearchHit => ({
  chunkId: '00000000-0000-4000-8000-000000000009',
  documentId: '00000000-0000-4000-8000-000000000008',
  kind: 'runbook',
  service: 'shop',
  title: 'Rollback procedure',
  snippet,
  occurredAt: '2026-01-01T00:00:00.000Z',
  score: { vector: 0, text: 0, fused: 0 },
});
const release = {
  id: 'r',
  serviceId: 's',
  service: 'shop',
  version: '1',
  environment: 'production',
  strategy: null,
  flags: [],
  commitRange: null,
  createdAt: new Date(),
};
const plan = (snippet: string) => rollbackPlan({ search: async () => [hit(snippet)] }, 't', release, new Date());

describe('the rollback plan from a runbook snippet', () => {
  it('keeps the steps up to the last whole one when the snippet was cut inside a step', async () => {
    const p = await plan('… > Steps 1. Pause the rollout. 2. Find the previous revision. 3. Roll back: `helm rollback`. 4.…');
    expect(p).toEqual({
      text: 'Rollback procedure: Steps 1. Pause the rollout. 2. Find the previous revision. 3. Roll back: `helm rollback`. …',
      evidence: ['00000000-0000-4000-8000-000000000009'],
    });
    const mid = await plan('Steps 1. Pause the rollout. 2. Find the previous rev…');
    expect(mid?.text).toBe('Rollback procedure: Steps 1. Pause the rollout. …');
  });

  it('keeps a whole snippet as it is', async () => {
    expect((await plan('Steps 1. Pause the rollout. 2. Roll back.'))?.text).toBe(
      'Rollback procedure: Steps 1. Pause the rollout. 2. Roll back.',
    );
  });
});
