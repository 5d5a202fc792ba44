import type { Evidence } from '../contracts/risk.js';
import type { Retrieval } from '../retrieval/search.js';
import type { PastIncident, StoredChange, StoredRelease } from '../store/index.js';
import { RECENT_INCIDENT_DAYS, type ReleaseContext, type RiskStore } from './as-of.js';

/** Retrieved documents kept as evidence, besides the releases and incidents linked by history. */
const RETRIEVED = 5;
/** Similar failed releases shown. */
const SIMILAR_SHOWN = 3;
const SNIPPET = 280;

export interface GatheredEvidence {
  evidence: Evidence[];
  /** Evidence ids behind each factor. */
  byFactor: Partial<Record<string, string[]>>;
}

const clip = (s: string) => (s.length <= SNIPPET ? s : `${s.slice(0, SNIPPET - 1)}…`);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Evidence a person can open, all as of the release time: past failed
 * releases most like this one and the incidents they caused, recent
 * incidents on the service, and the runbooks, incidents, logs and diffs that
 * hybrid retrieval finds for this release's changes.
 */
export async function gatherEvidence(
  store: RiskStore,
  tenantId: string,
  ctx: ReleaseContext,
  /** From retrieveEvidence, for the same release. */
  retrieved: readonly Evidence[],
): Promise<GatheredEvidence> {
  const at = ctx.release.createdAt;
  const failedSimilar = ctx.similar.filter((s) => s.failed).slice(0, SIMILAR_SHOWN);
  const recentFailures = ctx.recentFailures.slice(0, 2);
  // Independent reads at once: a PostgreSQL pool runs them in parallel (PGlite in turn).
  const [cards, caused] = await Promise.all([
    releaseCards(store, tenantId, [...failedSimilar.map((s) => s.releaseId), ...recentFailures.map((f) => f.releaseId)]),
    store.releases.incidentsCausedBy(
      tenantId,
      failedSimilar.map((s) => s.releaseId),
      at,
    ),
  ]);
  const recentIncidents = ctx.recentIncidents.slice(0, 3);
  const incidentDocs = new Map<string, IncidentChunk>();
  for (const d of await store.releases.incidentChunks(
    tenantId,
    [...new Set([...caused, ...recentIncidents].map((i) => i.externalId))],
    at,
  )) {
    if (!incidentDocs.has(d.externalId)) incidentDocs.set(d.externalId, d);
  }

  const evidence = new Map<string, Evidence>();
  const byFactor: GatheredEvidence['byFactor'] = {};
  const cite = (factor: string, id: string) => (byFactor[factor] = [...new Set([...(byFactor[factor] ?? []), id])]);
  const addRelease = (factor: string, releaseId: string, why: string) => {
    const card = cards.get(releaseId);
    if (!card) return;
    if (!evidence.has(card.id)) evidence.set(card.id, { ...card, why });
    cite(factor, card.id);
  };
  const addIncident = (factor: string, i: PastIncident, why: string) => {
    const e = incidentEvidence(i, incidentDocs.get(i.externalId), why);
    if (!evidence.has(e.id)) evidence.set(e.id, e);
    cite(factor, e.id);
  };

  for (const s of failedSimilar) {
    addRelease(
      'similar_failure_share',
      s.releaseId,
      `similar past release (similarity ${s.similarity.toFixed(2)}) that ended ${s.outcome.replace('_', ' ')}`,
    );
  }
  for (const i of caused) {
    const rel = evidence.get(`release:${i.causedByReleaseId}`);
    addIncident('similar_failure_share', i, `incident caused by ${rel ? rel.title : 'a similar past release'}`);
  }
  for (const i of recentIncidents) {
    addIncident('recent_incidents', i, `incident on ${ctx.release.service} in the ${RECENT_INCIDENT_DAYS} days before this release`);
  }
  for (const f of recentFailures) {
    addRelease('recent_failure_rate', f.releaseId, `a recent release of ${ctx.release.service} that ended ${f.outcome.replace('_', ' ')}`);
  }
  let added = 0;
  for (const e of retrieved) {
    if (added >= RETRIEVED) break;
    if (evidence.has(e.id)) continue;
    evidence.set(e.id, e);
    added++;
  }
  return { evidence: [...evidence.values()], byFactor };
}

type IncidentChunk = Awaited<ReturnType<RiskStore['releases']['incidentChunks']>>[number];

/** Releases as evidence (without the why), read in two queries however many. */
async function releaseCards(store: RiskStore, tenantId: string, ids: string[]): Promise<Map<string, Omit<Evidence, 'why'>>> {
  if (ids.length === 0) return new Map();
  const [rows, changes] = await Promise.all([store.releases.getMany(tenantId, ids), store.releases.changesOfMany(tenantId, ids)]);
  const cards = new Map<string, Omit<Evidence, 'why'>>();
  for (const r of rows) {
    const own = changes.filter((c) => c.releaseId === r.id);
    const paths = [...new Set(own.flatMap((c) => c.files.map((f) => f.path)))];
    cards.set(r.id, {
      id: `release:${r.id}`,
      kind: 'release',
      title: `${r.service} ${r.version} (${r.outcome ?? 'no outcome'})`,
      snippet: clip(oneLine(`${own.map((c) => c.title).join('; ')}. Files: ${paths.slice(0, 8).join(', ')}`)),
      occurredAt: r.createdAt.toISOString(),
    });
  }
  return cards;
}

/** An incident's own document chunk when it was ingested (openable), else the incident record. */
function incidentEvidence(i: PastIncident, doc: IncidentChunk | undefined, why: string): Evidence {
  return {
    id: doc ? doc.chunkId : `incident:${i.id}`,
    kind: 'incident',
    title: `${i.externalId}: ${i.title}`,
    snippet: clip(oneLine(doc ? doc.text : `${i.severity ?? ''} incident started ${i.startedAt.toISOString()}`)),
    occurredAt: (doc?.occurredAt ?? i.startedAt).toISOString(),
    why,
    ...(doc ? { documentId: doc.documentId } : {}),
  };
}

/**
 * The evidence search for a release: its change titles over its service's
 * artifacts as of its creation; up to twice RETRIEVED, so some remain after
 * its own documents and those already cited are skipped.
 */
export function evidenceQuery(
  release: Pick<StoredRelease, 'service' | 'version' | 'createdAt'>,
  changes: readonly Pick<StoredChange, 'title'>[],
) {
  const q =
    changes
      .map((c) => c.title)
      .join(' ')
      .slice(0, 1000) || `${release.service} ${release.version}`;
  return { q, k: RETRIEVED * 2, service: release.service, asOf: release.createdAt.toISOString() };
}

/** Hybrid retrieval for the release (evidenceQuery), excluding its own documents. */
export async function retrieveEvidence(
  store: RiskStore,
  retrieval: Retrieval,
  tenantId: string,
  release: StoredRelease,
  changes: readonly StoredChange[],
): Promise<Evidence[]> {
  const hits = await retrieval.search(tenantId, evidenceQuery(release, changes));
  const own = await store.releases.releasesOfDocuments(
    tenantId,
    hits.filter((h) => h.kind === 'change' || h.kind === 'diff').map((h) => h.documentId),
  );
  return hits
    .filter((h) => own.get(h.documentId) !== release.id)
    .map((h) => ({
      id: h.chunkId,
      kind: h.kind,
      title: h.title,
      snippet: clip(oneLine(h.snippet)),
      occurredAt: h.occurredAt,
      why: `${h.kind.replace('_', ' ')} retrieved for this release's changes (fused score ${h.score.fused.toFixed(3)})`,
      documentId: h.documentId,
    }));
}
