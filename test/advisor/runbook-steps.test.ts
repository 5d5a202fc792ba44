import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src/contracts/search.js';
import { stepsOf } from '../../src/advisor/service.js';

const hit = (documentId: string, snippet: string): SearchHit => ({
  chunkId: `${documentId}-${snippet.length}`,
  documentId,
  kind: 'runbook',
  service: 'platform',
  title: `runbook ${documentId}`,
  snippet,
  occurredAt: '2026-01-01T00:00:00.000Z',
  score: { vector: 0.5, text: 0.5, fused: 0.03 },
});

describe('the runbook step an advisory cites', () => {
  it("is the runbook's steps when the search found them, one per runbook, best runbooks first", () => {
    const hits = [
      hit('a', 'Rollback procedure: canary deployments > Related runbooks - rb-x'),
      hit('b', 'Feature-flag kill switch > When to use'),
      hit('a', 'Rollback procedure: canary deployments > Steps 1. Announce in #incidents'),
      hit('c', 'TLS expiry'),
    ];
    expect(stepsOf(hits, 2).map((h) => h.snippet)).toEqual([
      'Rollback procedure: canary deployments > Steps 1. Announce in #incidents',
      'Feature-flag kill switch > When to use',
    ]);
  });

  it('keeps the best chunk when no step was found, and nothing when nothing was found', () => {
    expect(stepsOf([hit('a', 'Overview of the service')], 2)[0]!.snippet).toBe('Overview of the service');
    expect(stepsOf([], 2)).toEqual([]);
  });
});
