import type { Embedder } from '../ingest/embedder.js';
import type { PastIncident, PastOutcome, Store, StoredChange, StoredRelease } from '../store/index.js';
import { buildFeatures, type BuiltFeatures } from './features/build.js';
import { FAILED_OUTCOMES, SIMILAR_RELEASES, type SimilarRelease } from './features/context.js';

export type RiskStore = Pick<Store, 'releases' | 'risk' | 'chunks' | 'services'>;

/** Look-back for "recent incidents on the service". */
export const RECENT_INCIDENT_DAYS = 14;
/** Change chunks fetched to find SIMILAR_RELEASES distinct past releases. */
const SIMILAR_CANDIDATES = 60;

export interface ReleaseContext extends BuiltFeatures {
  release: StoredRelease;
  changes: StoredChange[];
  /** Past releases most like this one, with outcomes known at its time. */
  similar: (SimilarRelease & { outcome: string })[];
  recentIncidents: PastIncident[];
  /** Recent failed releases of the service, newest first (evidence for recent_failure_rate). */
  recentFailures: PastOutcome[];
}

/** What a release's changes say, as text: what similar past releases are found by. */
export function releaseText(changes: readonly Pick<StoredChange, 'title' | 'body' | 'files'>[]): string {
  return changes
    .map((c) => `${c.title}\n${c.body.slice(0, 500)}\n${c.files.map((f) => f.path).join('\n')}`)
    .join('\n\n')
    .slice(0, 8000);
}

/**
 * The tenant's whole change and outcome history, read once: training
 * computes the context of every release from it instead of querying the
 * history before each release again (which grows with the square of the
 * history). Cut per release by the same filters as the per-release path.
 */
export interface HistorySnapshot {
  changes: (StoredChange & { serviceId: string })[];
  outcomes: PastOutcome[];
}

/** The history known at `now` (inclusive). */
export async function loadSnapshot(store: RiskStore, tenantId: string, now: Date): Promise<HistorySnapshot> {
  const [changes, outcomes] = await Promise.all([
    store.releases.changesOfTenant(tenantId),
    store.releases.outcomesKnownBefore(tenantId, undefined, new Date(now.getTime() + 1)),
  ]);
  return { changes, outcomes };
}

/**
 * Everything the risk features of a release depend on, read as of its
 * creation time: only changes made before it, outcomes KNOWN before it
 * (outcome_at < time), incidents started before it and documents that
 * occurred by then. A later outcome, incident or document cannot change it.
 */
export async function contextAsOf(
  store: RiskStore,
  embedder: Embedder,
  tenantId: string,
  release: StoredRelease,
  /** Already read: the whole history (training), or this release's changes (an assessment, which needs them earlier). */
  read: { snapshot?: HistorySnapshot; changes?: StoredChange[] } = {},
): Promise<ReleaseContext> {
  const at = release.createdAt;
  const { snapshot } = read;
  const [changes, changesBefore, outcomes, recentIncidents] = await Promise.all([
    read.changes ??
      (snapshot ? snapshot.changes.filter((c) => c.releaseId === release.id) : store.releases.changesOf(tenantId, release.id)),
    snapshot
      ? snapshot.changes.filter((c) => c.serviceId === release.serviceId)
      : store.releases.changesBefore(tenantId, release.serviceId, at, release.id),
    snapshot ? snapshot.outcomes : store.releases.outcomesKnownBefore(tenantId, undefined, at),
    store.releases.incidentsBefore(tenantId, release.serviceId, at, new Date(at.getTime() - RECENT_INCIDENT_DAYS * 86_400_000)),
  ]);
  // The as-of cut, in one place for both paths (the SQL of the per-release path is only a pre-filter).
  const before = changesBefore.filter((c) => c.createdAt < at && c.releaseId !== release.id);
  const known = new Map(
    outcomes.filter((o) => o.outcomeAt < at && o.createdAt < at && o.releaseId !== release.id).map((o) => [o.releaseId, o]),
  );
  const serviceOutcomes = [...known.values()].filter((o) => o.serviceId === release.serviceId);
  const tenantFailures = [...known.values()].filter((o) => FAILED_OUTCOMES.has(o.outcome)).length;
  const tenantRate = known.size > 0 ? tenantFailures / known.size : 0.15;
  const similar = changes.length > 0 ? await similarReleases(store, embedder, tenantId, release, changes, known) : [];
  const built = buildFeatures({
    at,
    strategy: release.strategy,
    flags: release.flags,
    changes,
    metrics: release.metrics,
    changesBefore: before,
    outcomesBefore: serviceOutcomes.map((o) => o.outcome),
    tenantRate,
    recentIncidents: recentIncidents.length,
    similar,
  });
  const recentFailures = serviceOutcomes
    .filter((o) => FAILED_OUTCOMES.has(o.outcome))
    .slice(-3)
    .reverse();
  return { ...built, release, changes, similar, recentIncidents, recentFailures };
}

/**
 * Nearest past releases by the embedding of change text and paths: the
 * change documents of other releases, as of this release's time, whose
 * outcome was known by then. A release's similarity is its best chunk's.
 */
async function similarReleases(
  store: RiskStore,
  embedder: Embedder,
  tenantId: string,
  release: StoredRelease,
  changes: StoredChange[],
  known: Map<string, PastOutcome>,
): Promise<(SimilarRelease & { outcome: string })[]> {
  const [vector] = await embedder.embed([releaseText(changes)]);
  const hits = await store.chunks.vectorSearch({ tenantId, kind: 'change', asOf: release.createdAt }, vector!, SIMILAR_CANDIDATES);
  const releaseOf = await store.releases.releasesOfDocuments(
    tenantId,
    hits.map((h) => h.documentId),
  );
  const best = new Map<string, number>();
  for (const h of hits) {
    const rid = releaseOf.get(h.documentId);
    if (!rid || rid === release.id || !known.has(rid)) continue;
    best.set(rid, Math.max(best.get(rid) ?? 0, h.score));
  }
  return [...best.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, SIMILAR_RELEASES)
    .map(([releaseId, similarity]) => {
      const outcome = known.get(releaseId)!.outcome;
      return { releaseId, similarity, failed: FAILED_OUTCOMES.has(outcome), outcome };
    });
}
