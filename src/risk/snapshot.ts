import { FAILED_OUTCOMES } from '../contracts/risk.js';
import type {
  EarlierChange,
  EarlierChangesQuery,
  HistorySnapshot,
  OutcomeWindow,
  OutcomeWindowQuery,
  PastIncident,
  PastOutcome,
  ReleaseHistory,
  RiskRelease,
  ShippedChange,
} from './ports.js';

type SnapshotReads = Pick<ReleaseHistory, 'changesOf' | 'earlierChanges' | 'outcomeWindow' | 'incidents'>;

const byTimeThenId = (a: { createdAt: Date; externalId: string }, b: { createdAt: Date; externalId: string }) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0);

/**
 * The per-release reads of ReleaseHistory, answered from a snapshot in
 * memory with exactly the filters the store's SQL applies (a test holds the
 * two to the same answers). Training uses it to cut the history once read
 * for every release instead of querying again per release.
 */
export function snapshotHistory(snapshot: HistorySnapshot): SnapshotReads {
  const releaseById = new Map(snapshot.releases.map((r) => [r.id, r]));
  const changesByRelease = groupBy(snapshot.changes, (c) => c.releaseId);
  // Per service and change: the change and the first release of that service that shipped it (ties by release id, as
  // the SQL orders them); its outcome is the change's, once known.
  const firstShipped = new Map<string, { change: HistorySnapshot['changes'][number]; at: number; release: RiskRelease | undefined }>();
  for (const c of snapshot.changes) {
    const release = releaseById.get(c.releaseId);
    const at = release?.createdAt.getTime() ?? Number.POSITIVE_INFINITY;
    const key = `${c.serviceId}\0${c.id}`;
    const seen = firstShipped.get(key);
    if (!seen || at < seen.at || (at === seen.at && c.releaseId < seen.change.releaseId)) firstShipped.set(key, { change: c, at, release });
  }
  const shippedByService = groupBy([...firstShipped.values()], (s) => s.change.serviceId);
  for (const list of shippedByService.values()) list.sort((a, b) => byTimeThenId(a.change, b.change));
  // Releases with an outcome, by service, oldest first (the recent window walks back from the cut).
  const labelled = snapshot.releases.filter((r) => r.outcome !== null && r.outcomeAt !== null).sort(byCreated);
  const byService = groupBy(labelled, (r) => r.serviceId);

  return {
    async changesOf(_tenantId, releaseIds) {
      return releaseIds
        .flatMap((id) => changesByRelease.get(id) ?? [])
        .sort(byTimeThenId)
        .map(({ serviceId: _s, ...c }: ShippedChange & { serviceId?: string }) => c);
    },

    async earlierChanges(_tenantId, q: EarlierChangesQuery): Promise<EarlierChange[]> {
      const before = q.before.getTime();
      const paths = new Set(q.paths);
      const authors = new Set(q.authors);
      const excluded = new Set(q.excludeChangeIds);
      const out: EarlierChange[] = [];
      const shipped = shippedByService.get(q.serviceId) ?? [];
      // Newest first, as the SQL orders them, until the limit.
      let i = shipped.length - 1;
      while (i >= 0 && shipped[i]!.change.createdAt.getTime() >= before) i--;
      for (; i >= 0 && out.length < q.limit; i--) {
        const { change: c, at, release } = shipped[i]!;
        if (at >= before || excluded.has(c.id) || !release) continue;
        if (!(c.author !== null && authors.has(c.author)) && !c.files.some((f) => paths.has(f.path))) continue;
        const known = release.outcomeAt !== null && release.outcomeAt.getTime() < before;
        out.push({
          id: c.id,
          title: c.title,
          author: c.author,
          createdAt: c.createdAt,
          files: c.files,
          releaseId: release.id,
          releasedAt: release.createdAt,
          outcome: known ? release.outcome : null,
        });
      }
      return out;
    },

    async outcomeWindow(_tenantId, q: OutcomeWindowQuery): Promise<OutcomeWindow> {
      const knownBefore = (r: RiskRelease) =>
        r.id !== q.excludeReleaseId && r.createdAt < q.before && r.outcomeAt !== null && r.outcomeAt < q.before;
      let known = 0;
      let failed = 0;
      for (const r of labelled) {
        if (!knownBefore(r)) continue;
        known++;
        if (FAILED_OUTCOMES.has(r.outcome!)) failed++;
      }
      const recent: PastOutcome[] = [];
      const own = byService.get(q.serviceId) ?? [];
      for (let i = own.length - 1; i >= 0 && recent.length < q.recent; i--) if (knownBefore(own[i]!)) recent.push(pastOutcome(own[i]!));
      return { tenant: { known, failed }, recent: recent.reverse() };
    },

    async incidents(_tenantId, q): Promise<PastIncident[]> {
      return snapshot.incidents
        .filter((i) => i.serviceId === q.serviceId && i.startedAt >= q.since && i.startedAt < q.before)
        .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? -1 : 1))
        .map(({ serviceId: _s, ...i }) => i);
    },
  };
}

/** Oldest first; ties by id (the store orders the same way). */
function byCreated(a: RiskRelease, b: RiskRelease): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function pastOutcome(r: RiskRelease): PastOutcome {
  return { releaseId: r.id, serviceId: r.serviceId, createdAt: r.createdAt, outcome: r.outcome!, outcomeAt: r.outcomeAt! };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
