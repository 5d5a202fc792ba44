import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryRelease } from '../../src/ingest/ports.js';
import { snapshotHistory } from '../../src/risk/snapshot.js';
import type { Store } from '../../src/store/index.js';
import { ENGINES, useStore } from '../support/db.js';

/**
 * The risk reads of one assessment (SQL, bounded to the release) and the
 * same reads answered from a training snapshot in memory must agree, on both
 * engines: training and a live assessment see the same history.
 */
const day = (d: number, h = 10) => new Date(Date.UTC(2026, 0, d, h));
const change = (id: string, d: number, author: string, paths: string[]) => ({
  externalId: id,
  title: `change ${id}`,
  body: '',
  author,
  labels: [],
  files: paths.map((path) => ({ path, additions: 10, deletions: 2 })),
  createdAt: day(d, 8),
});

/** Three services' worth of history with outcomes known later than the release, a re-landed change, and incidents. */
function history(): HistoryRelease[] {
  const out: HistoryRelease[] = [];
  for (let i = 1; i <= 24; i++) {
    const service = i % 3 === 0 ? 'search' : 'checkout';
    const failed = i % 4 === 0;
    out.push({
      service,
      version: `1.${i}`,
      externalId: `r${i}`,
      createdAt: day(i),
      outcome: failed ? (i % 8 === 0 ? 'rolled_back' : 'failure') : 'success',
      // Some outcomes become known days after the release.
      outcomeAt: day(i + (i % 5 === 0 ? 4 : 0), 12),
      changes: [
        change(`c${i}`, i, i % 2 ? 'ana' : 'bo', [`src/${service}/a.ts`, `src/${service}/${i % 4}.ts`]),
        // Release 12 ships change c4 again (re-landed after release 4 failed); search 1.18 ships checkout's c2 too.
        ...(i === 12 ? [change('c4', 4, 'bo', ['src/checkout/a.ts', 'src/checkout/0.ts'])] : []),
        ...(i === 18 ? [change('c2', 2, 'bo', ['src/checkout/a.ts', 'src/checkout/2.ts'])] : []),
      ],
    });
  }
  return out;
}

for (const engine of ENGINES) {
  describe.runIf(await engine.available())(`risk history reads on ${engine.name} agree with the training snapshot`, () => {
    const on = useStore(engine);
    // The store exists once beforeAll has run: read it through on.store then.
    const store = new Proxy({} as Store, { get: (_t, key) => Reflect.get(on.store, key) });
    let tenant: string;
    beforeAll(async () => {
      tenant = await on.tenant('acme');
      expect(await store.releases.importHistory(tenant, history())).toBe(24);
      await store.releases.importIncidents(tenant, [
        { service: 'checkout', externalId: 'INC-1', title: 'cart down', startedAt: day(8, 11), causedByRelease: 'r8' },
        { service: 'checkout', externalId: 'INC-2', title: 'slow', startedAt: day(15, 9) },
      ]);
      // Idempotent.
      expect(await store.releases.importHistory(tenant, history())).toBe(0);
    });

    it('changes, earlier changes, outcome windows and incidents, for every release', async () => {
      const snapshot = await store.risk.training.snapshot(tenant, day(40));
      const memory = snapshotHistory(snapshot);
      const sql = store.risk.history;
      expect(snapshot.releases).toHaveLength(24);
      let nonEmpty = 0;
      for (const r of snapshot.releases) {
        const own = await sql.changesOf(tenant, [r.id]);
        expect(await memory.changesOf(tenant, [r.id])).toEqual(own);
        const q = {
          serviceId: r.serviceId,
          before: r.createdAt,
          paths: [...new Set(own.flatMap((c) => c.files.map((f) => f.path)))],
          authors: [...new Set(own.map((c) => c.author!))],
          excludeChangeIds: own.map((c) => c.id),
          limit: 2000,
        };
        // A small limit cuts both the same way (the newest first).
        expect(await memory.earlierChanges(tenant, { ...q, limit: 3 })).toEqual(await sql.earlierChanges(tenant, { ...q, limit: 3 }));
        const earlier = await sql.earlierChanges(tenant, q);
        expect(await memory.earlierChanges(tenant, q)).toEqual(earlier);
        if (earlier.length > 0) nonEmpty++;
        const w = { before: r.createdAt, serviceId: r.serviceId, recent: 5, excludeReleaseId: r.id };
        expect(await memory.outcomeWindow(tenant, w)).toEqual(await sql.outcomeWindow(tenant, w));
        const i = { serviceId: r.serviceId, since: day(1), before: r.createdAt };
        expect(await memory.incidents(tenant, i)).toEqual((await sql.incidents(tenant, i)).map(({ document: _d, ...x }) => x));
      }
      expect(nonEmpty).toBeGreaterThan(10);
    });

    it('counts only what was known before the time asked', async () => {
      const snapshot = await store.risk.training.snapshot(tenant, day(40));
      const r10 = snapshot.releases.find((r) => r.version === '1.10')!;
      const w = await store.risk.history.outcomeWindow(tenant, {
        before: r10.createdAt,
        serviceId: r10.serviceId,
        recent: 20,
        excludeReleaseId: r10.id,
      });
      // Releases 1–9 were created before; release 5's outcome became known on day 9 (known), none after.
      expect(w.tenant.known).toBe(9);
      expect(w.recent.every((o) => o.outcomeAt < r10.createdAt && o.createdAt < r10.createdAt)).toBe(true);
      // A re-landed change belongs to both releases; the later release's own history excludes it.
      const r12 = snapshot.releases.find((r) => r.version === '1.12')!;
      const own = await store.risk.history.changesOf(tenant, [r12.id]);
      expect(own.map((c) => c.externalId).sort()).toEqual(['c12', 'c4']);
      // A change shipped by two services is history for both, from the time each shipped it.
      const r24 = snapshot.releases.find((r) => r.version === '1.24')!;
      const search = await store.risk.history.earlierChanges(tenant, {
        serviceId: r24.serviceId,
        before: r24.createdAt,
        paths: ['src/checkout/2.ts'],
        authors: [],
        excludeChangeIds: [],
        limit: 100,
      });
      expect(search.map((c) => c.title)).toEqual(['change c2']);
      const r4 = snapshot.releases.find((r) => r.version === '1.4')!;
      expect((await store.risk.history.changesOf(tenant, [r4.id])).map((c) => c.id)).toContain(own.find((c) => c.externalId === 'c4')!.id);
      // Across services, the change carries the release of the service asked about, and its outcome.
      const r18 = snapshot.releases.find((r) => r.version === '1.18')!;
      expect(search.map((c) => [c.releaseId, c.outcome])).toEqual([[r18.id, 'success']]);
    });

    it("gives each earlier change its first release's outcome only once it was recorded before the time asked", async () => {
      const snapshot = await store.risk.training.snapshot(tenant, day(40));
      const memory = snapshotHistory(snapshot);
      const byVersion = (v: string) => snapshot.releases.find((r) => r.version === v)!;
      const r20 = byVersion('1.20');
      const c20 = (await store.risk.history.changesOf(tenant, [r20.id])).find((c) => c.externalId === 'c20')!;
      // Release 20 failed; its outcome was recorded on day 24 at noon.
      expect([r20.outcome, r20.outcomeAt]).toEqual(['failure', day(24, 12)]);
      const ask = (before: Date) => ({
        serviceId: r20.serviceId,
        before,
        paths: ['src/checkout/0.ts'],
        authors: [],
        excludeChangeIds: [],
        limit: 100,
      });
      for (const [before, outcome] of [
        [day(22), null], // release 22's time: not known yet
        [day(24, 12), null], // recorded at the very instant asked: not before it
        [new Date(day(24, 12).getTime() + 1), 'failure'],
        [day(30), 'failure'],
      ] as const) {
        const sqlRows = await store.risk.history.earlierChanges(tenant, ask(before));
        expect(await memory.earlierChanges(tenant, ask(before))).toEqual(sqlRows);
        const row = sqlRows.find((c) => c.id === c20.id)!;
        expect([row.releaseId, row.releasedAt, row.outcome]).toEqual([r20.id, r20.createdAt, outcome]);
      }
      // A re-landed change carries its first release (4 failed; 12 shipped it again): from then on, that failure.
      const r4 = byVersion('1.4');
      const c4 = (await store.risk.history.changesOf(tenant, [r4.id])).find((c) => c.externalId === 'c4')!;
      const later = await store.risk.history.earlierChanges(tenant, { ...ask(day(30)), paths: ['src/checkout/0.ts'] });
      expect(later.filter((c) => c.id === c4.id).map((c) => [c.releaseId, c.outcome])).toEqual([[r4.id, 'failure']]);
      // Before release 4 itself: no release had shipped c4, so it is no history at all.
      expect((await store.risk.history.earlierChanges(tenant, ask(r4.createdAt))).some((c) => c.id === c4.id)).toBe(false);
    });
  });
}
