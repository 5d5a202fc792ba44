import type { Embedder } from '../contracts/embedder.js';
import { FAILED_OUTCOMES, type ReleaseOutcome } from '../contracts/risk.js';
import type { ChunkHit } from '../contracts/search.js';
import { type BuiltFeatures, buildFeatures } from './features/build.js';
import { RECENT_INCIDENT_DAYS, RECENT_RELEASES, SIMILAR_RELEASES, type SimilarRelease } from './features/context.js';
import type {
  ChunkNeighbours,
  DocumentRelease,
  EarlierChange,
  PastIncident,
  PastOutcome,
  ReleaseHistory,
  RiskChange,
  RiskRelease,
} from './ports.js';

/**
 * Nearest chunks fetched once per assessment, as of the release time across
 * the tenant: the similar past releases (their change and diff chunks) and
 * the vector half of the evidence search both come from this one search.
 * 60, not 100: at 100k chunks the ten most similar releases came out the
 * same for 77 of 80 releases (mean similar-failure share apart by 0.002),
 * and the query took 10.7 instead of 14 ms in PGlite (the HNSW walk costs
 * the same; fetching 40 more texts does not).
 */
export const NEIGHBOURS = 60;
/**
 * Candidates the vector index examines for them (HNSW ef_search): 200, not
 * the 400 general search uses: the risk score needs its similar releases,
 * not every last neighbour, and the wider search costs latency on every
 * assessment (one trial at 100k chunks found the same ten similar releases
 * either way; it was not kept as a benchmark).
 */
export const NEIGHBOUR_BREADTH = 200;
const DAY_MS = 86_400_000;
/**
 * Earlier changes read for the file and author history, newest first: a
 * file edited thousands of times (a lock file) or a bot author must not make
 * one assessment read years of history. The history metrics count within it.
 */
export const EARLIER_CHANGES = 2000;

export interface ReleaseContext extends BuiltFeatures {
  release: RiskRelease;
  changes: RiskChange[];
  /** Past releases most like this one, with outcomes known at its time, most similar first. */
  similar: (SimilarRelease & { outcome: ReleaseOutcome })[];
  recentIncidents: PastIncident[];
  /** The service's recent failed releases, newest first (evidence for recent_failure_rate). */
  recentFailures: PastOutcome[];
  /** Earlier changes to the touched files or by the same authors, newest first (evidence for the history metrics). */
  earlier: EarlierChange[];
  /** The one similarity search's hits (the evidence search reuses them). */
  neighbours: ChunkHit[];
  /** The releases of the change and diff documents among the neighbours. */
  documentReleases: Map<string, DocumentRelease[]>;
}

export interface ContextDeps {
  history: Pick<ReleaseHistory, 'changesOf' | 'earlierChanges' | 'outcomeWindow' | 'incidents' | 'documentReleases'>;
  chunks: ChunkNeighbours;
  embedder: Pick<Embedder, 'embed'>;
}

/** What a release's changes say, as text: what similar past releases are found by. */
export function releaseText(
  release: Pick<RiskRelease, 'service' | 'version'>,
  changes: readonly Pick<RiskChange, 'title' | 'body' | 'files'>[],
): string {
  if (changes.length === 0) return `${release.service} ${release.version}`;
  return changes
    .map((c) => `${c.title}\n${c.body.slice(0, 500)}\n${c.files.map((f) => f.path).join('\n')}`)
    .join('\n\n')
    .slice(0, 8000);
}

const isChangeDoc = (h: ChunkHit) => h.kind === 'change' || h.kind === 'diff';

/** Extra neighbours fetched at first to make room for the release's own chunks (about two a change), which are dropped. */
const ownRoom = (changes: number) => Math.min(2 * changes, 40);

/**
 * The NEIGHBOURS nearest chunks that are not the release's own: a change or
 * diff document counts only if a release created before this one ships it
 * (or none ships it). A live assessment runs before its own documents are
 * indexed, and training after; dropping them the same way in both keeps
 * training and scoring alike, while a change re-landed from an earlier
 * release still finds that release. When its own chunks took more room than
 * ownRoom (a large diff is many chunks), the search is asked again for as
 * many more as it dropped, so training never sees fewer neighbours.
 */
async function neighboursOf(deps: ContextDeps, tenantId: string, release: RiskRelease, vector: number[], changes: number) {
  const query = { tenantId, asOf: release.createdAt, breadth: NEIGHBOUR_BREADTH };
  let limit = NEIGHBOURS + ownRoom(changes);
  for (;;) {
    const hits = await deps.chunks.nearest(query, vector, limit);
    const documentReleases = await deps.history.documentReleases(
      tenantId,
      hits.filter(isChangeDoc).map((h) => h.documentId),
      release.createdAt,
    );
    const own = (h: ChunkHit) => {
      const shipping = documentReleases.get(h.documentId);
      return shipping !== undefined && !shipping.some((r) => r.releaseId !== release.id && r.earlier);
    };
    const kept = hits.filter((h) => !own(h));
    if (kept.length >= NEIGHBOURS || hits.length < limit) return { neighbours: kept.slice(0, NEIGHBOURS), documentReleases };
    limit += hits.length - kept.length;
  }
}

/**
 * Everything the risk features of a release depend on, read as of its
 * creation time and bounded to this release: its changes, the history of
 * the files and authors it touches, an outcome window (aggregates, not the
 * tenant's history), incidents on its service, and one similarity search
 * (with the releases its change documents belong to). Only what happened
 * before the release time counts: a later outcome, incident or document
 * cannot change it. The reads that do not depend on each other run at once
 * (a PostgreSQL pool runs them in parallel; PGlite in turn).
 */
export async function releaseContext(
  deps: ContextDeps,
  tenantId: string,
  release: RiskRelease,
  /** The embedding of releaseText(release, its changes), when the caller embedded many releases in one call (training). */
  embedded?: number[],
): Promise<ReleaseContext> {
  const at = release.createdAt;
  const changes = await deps.history.changesOf(tenantId, [release.id]);
  const paths = [...new Set(changes.flatMap((c) => c.files.map((f) => f.path)))];
  const authors = [...new Set(changes.map((c) => c.author).filter((a): a is string => a !== null))];
  const vector = embedded ?? (await deps.embedder.embed([releaseText(release, changes)]))[0];
  const [{ neighbours, documentReleases }, earlier, recentIncidents, window] = await Promise.all([
    neighboursOf(deps, tenantId, release, vector!, changes.length),
    changes.length === 0
      ? []
      : deps.history.earlierChanges(tenantId, {
          serviceId: release.serviceId,
          before: at,
          paths,
          authors,
          excludeChangeIds: changes.map((c) => c.id),
          limit: EARLIER_CHANGES,
        }),
    deps.history.incidents(tenantId, {
      serviceId: release.serviceId,
      since: new Date(at.getTime() - RECENT_INCIDENT_DAYS * DAY_MS),
      before: at,
    }),
    deps.history.outcomeWindow(tenantId, {
      before: at,
      serviceId: release.serviceId,
      recent: RECENT_RELEASES,
      excludeReleaseId: release.id,
    }),
  ]);
  const similar = changes.length > 0 ? similarReleases(neighbours, documentReleases, release.id) : [];
  const built = buildFeatures({
    at,
    strategy: release.strategy,
    flags: release.flags,
    changes,
    metrics: release.metrics,
    changesBefore: earlier,
    outcomesBefore: window.recent.map((o) => o.outcome),
    tenantRate: window.tenant.known > 0 ? window.tenant.failed / window.tenant.known : DEFAULT_TENANT_RATE,
    recentIncidents: recentIncidents.length,
    similar,
  });
  const recentFailures = window.recent.filter((o) => FAILED_OUTCOMES.has(o.outcome)).reverse();
  return { ...built, release, changes, similar, recentIncidents, recentFailures, earlier, neighbours, documentReleases };
}

/** The failure rate assumed before a tenant has any known outcome (the prior's). */
export const DEFAULT_TENANT_RATE = 0.15;

/**
 * Nearest past releases: a release's similarity is its best change or diff
 * chunk's among the neighbours; only releases whose outcome was known by
 * then count. Ties go to the release id, so the order is stable.
 */
function similarReleases(
  neighbours: readonly ChunkHit[],
  documentReleases: Map<string, DocumentRelease[]>,
  self: string,
): (SimilarRelease & { outcome: ReleaseOutcome })[] {
  const outcomeOf = new Map<string, ReleaseOutcome>();
  const best = new Map<string, number>();
  for (const h of neighbours) {
    for (const { releaseId, outcome } of documentReleases.get(h.documentId) ?? []) {
      if (releaseId === self || !outcome) continue;
      outcomeOf.set(releaseId, outcome);
      best.set(releaseId, Math.max(best.get(releaseId) ?? 0, h.score));
    }
  }
  return [...best.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, SIMILAR_RELEASES)
    .map(([releaseId, similarity]) => {
      const outcome = outcomeOf.get(releaseId)!;
      return { releaseId, similarity, failed: FAILED_OUTCOMES.has(outcome), outcome };
    });
}
