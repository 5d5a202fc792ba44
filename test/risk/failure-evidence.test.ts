import { describe, expect, it } from 'vitest';
import type { ReleaseContext } from '../../src/risk/context.js';
import { gatherEvidence, readEvidenceRecords } from '../../src/risk/evidence.js';
import type { EarlierChange, RiskChange, RiskRelease } from '../../src/risk/ports.js';

const at = new Date('2026-03-20T12:00:00Z');
const daysBefore = (d: number) => new Date(at.getTime() - d * 86_400_000);
const file = (path: string) => ({ path, additions: 5, deletions: 1 });

const release: RiskRelease = {
  id: 'rel-now',
  serviceId: 'svc',
  service: 'checkout',
  version: '2.0.0',
  strategy: null,
  flags: [],
  metrics: null,
  createdAt: at,
  outcome: null,
  outcomeAt: null,
};
const own: RiskChange = {
  id: 'ch-own',
  externalId: 'own',
  title: 'tweak totals',
  body: '',
  author: 'ana',
  labels: [],
  files: [file('src/cart/totals.ts')],
  createdAt: daysBefore(1),
};
const earlier = (id: string, d: number, author: string, path: string, outcome: EarlierChange['outcome']): EarlierChange => ({
  id,
  title: `change ${id}`,
  author,
  createdAt: daysBefore(d + 1),
  files: [file(path)],
  releaseId: `rel-${id}`,
  releasedAt: daysBefore(d),
  outcome,
});

// Newest first, as the store returns them.
const history = [
  earlier('same-file-ok', 2, 'bo', 'src/cart/totals.ts', 'success'),
  earlier('area-failed', 3, 'cy', 'src/cart/tax.ts', 'rolled_back'),
  earlier('same-file-not-known', 4, 'bo', 'src/cart/totals.ts', null),
  earlier('by-ana-failed', 5, 'ana', 'docs/readme.md', 'failure'),
  earlier('same-file-failed', 6, 'bo', 'src/cart/totals.ts', 'failure'),
];

function context(): ReleaseContext {
  return {
    features: {},
    riskyPaths: new Map(),
    subsystems: ['src/cart'],
    release,
    changes: [own],
    similar: [],
    recentIncidents: [],
    recentFailures: [],
    earlier: history,
    neighbours: [],
    documentReleases: new Map(),
  };
}

describe('evidence for the failure-history factors', () => {
  it('cites the earlier failed changes and their releases, failures first, and reads those releases as cards', async () => {
    const asked: string[][] = [];
    const records = await readEvidenceRecords(
      {
        async releases(_t, ids) {
          asked.push(ids);
          return ids.map((id) => ({ ...release, id, version: id, createdAt: daysBefore(3) }));
        },
        async changesOf() {
          return [];
        },
        async incidentsCausedBy() {
          return [];
        },
      },
      't',
      context(),
    );
    // The failed releases behind the three inputs, and no others.
    expect(asked.flat().sort()).toEqual(['rel-area-failed', 'rel-by-ana-failed', 'rel-same-file-failed']);
    const { evidence, byFactor } = gatherEvidence(context(), records, []);
    expect(byFactor.file_failure_rate).toEqual(['change:same-file-failed', 'release:rel-same-file-failed', 'change:same-file-ok']);
    expect(byFactor.author_failure_rate).toEqual(['change:by-ana-failed', 'release:rel-by-ana-failed']);
    expect(byFactor.days_since_area_failure).toEqual(['change:area-failed', 'release:rel-area-failed']);
    // A change whose outcome was not known at the release time backs the file history (nuc …), never a rate.
    expect(byFactor.nuc).toContain('change:same-file-not-known');
    expect([byFactor.file_failure_rate, byFactor.author_failure_rate, byFactor.days_since_area_failure].flat()).not.toContain(
      'change:same-file-not-known',
    );
    const card = evidence.find((e) => e.id === 'release:rel-area-failed')!;
    expect(card.title).toBe('checkout rel-area-failed (rolled back)');
    expect(card.why).toMatch(/subsystems: it was rolled back$/);
    expect(evidence.find((e) => e.id === 'change:same-file-ok')!.kind).toBe('change');
  });
});
