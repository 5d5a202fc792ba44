import type { Evidence } from '../contracts/risk.js';
import type { Retrieval } from '../retrieval/search.js';
import type { PastIncident } from '../store/index.js';
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
  retrieval: Retrieval,
  tenantId: string,
  ctx: ReleaseContext,
): Promise<GatheredEvidence> {
  const at = ctx.release.createdAt;
  const evidence = new Map<string, Evidence>();
  const byFactor: GatheredEvidence['byFactor'] = {};
  const cite = (factor: string, id: string) => (byFactor[factor] = [...new Set([...(byFactor[factor] ?? []), id])]);

  const failedSimilar = ctx.similar.filter((s) => s.failed).slice(0, SIMILAR_SHOWN);
  for (const s of failedSimilar) {
    const id = await addRelease(store, tenantId, s.releaseId, `similar past release (similarity ${s.similarity.toFixed(2)}) that ended ${s.outcome.replace('_', ' ')}`, evidence);
    if (id) cite('similar_failure_share', id);
  }
  const caused = await store.releases.incidentsCausedBy(tenantId, failedSimilar.map((s) => s.releaseId), at);
  for (const i of caused) {
    const rel = evidence.get(`release:${i.causedByReleaseId}`);
    cite('similar_failure_share', await addIncident(store, tenantId, i, `incident caused by ${rel ? rel.title : 'a similar past release'}`, at, evidence));
  }
  for (const i of ctx.recentIncidents.slice(0, 3)) {
    cite('recent_incidents', await addIncident(store, tenantId, i, `incident on ${ctx.release.service} in the ${RECENT_INCIDENT_DAYS} days before this release`, at, evidence));
  }
  for (const f of ctx.recentFailures.slice(0, 2)) {
    const id = await addRelease(store, tenantId, f.releaseId, `a recent release of ${ctx.release.service} that ended ${f.outcome.replace('_', ' ')}`, evidence);
    if (id) cite('recent_failure_rate', id);
  }

  await addRetrieved(store, retrieval, tenantId, ctx, evidence);
  return { evidence: [...evidence.values()], byFactor };
}

async function addRelease(
  store: RiskStore,
  tenantId: string,
  releaseId: string,
  why: string,
  out: Map<string, Evidence>,
): Promise<string | undefined> {
  const id = `release:${releaseId}`;
  if (out.has(id)) return id;
  const r = await store.releases.get(tenantId, releaseId);
  if (!r) return undefined;
  const changes = await store.releases.changesOf(tenantId, releaseId);
  const paths = [...new Set(changes.flatMap((c) => c.files.map((f) => f.path)))];
  out.set(id, {
    id,
    kind: 'release',
    title: `${r.service} ${r.version} (${r.outcome ?? 'no outcome'})`,
    snippet: clip(oneLine(`${changes.map((c) => c.title).join('; ')}. Files: ${paths.slice(0, 8).join(', ')}`)),
    occurredAt: r.createdAt.toISOString(),
    why,
  });
  return id;
}

/** An incident's own document chunk when it was ingested (openable), else the incident record. */
async function addIncident(
  store: RiskStore,
  tenantId: string,
  i: PastIncident,
  why: string,
  asOf: Date,
  out: Map<string, Evidence>,
): Promise<string> {
  const [doc] = await store.releases.incidentChunks(tenantId, [i.externalId], asOf);
  const id = doc ? doc.chunkId : `incident:${i.id}`;
  if (!out.has(id)) {
    out.set(id, {
      id,
      kind: 'incident',
      title: `${i.externalId}: ${i.title}`,
      snippet: clip(oneLine(doc ? doc.text : `${i.severity ?? ''} incident started ${i.startedAt.toISOString()}`)),
      occurredAt: (doc?.occurredAt ?? i.startedAt).toISOString(),
      why,
      ...(doc ? { documentId: doc.documentId } : {}),
    });
  }
  return id;
}

/** Hybrid retrieval over the service's artifacts for this release's change text, excluding its own documents. */
async function addRetrieved(
  store: RiskStore,
  retrieval: Retrieval,
  tenantId: string,
  ctx: ReleaseContext,
  out: Map<string, Evidence>,
): Promise<void> {
  const q = ctx.changes.map((c) => c.title).join(' ').slice(0, 1000) || `${ctx.release.service} ${ctx.release.version}`;
  const hits = await retrieval.search(tenantId, { q, k: RETRIEVED * 2, service: ctx.release.service, asOf: ctx.release.createdAt.toISOString() });
  const own = await store.releases.releasesOfDocuments(
    tenantId,
    hits.filter((h) => h.kind === 'change' || h.kind === 'diff').map((h) => h.documentId),
  );
  let added = 0;
  for (const h of hits) {
    if (added >= RETRIEVED) break;
    if (own.get(h.documentId) === ctx.release.id || out.has(h.chunkId)) continue;
    out.set(h.chunkId, {
      id: h.chunkId,
      kind: h.kind,
      title: h.title,
      snippet: clip(oneLine(h.snippet)),
      occurredAt: h.occurredAt,
      why: `${h.kind.replace('_', ' ')} retrieved for this release's changes (fused score ${h.score.fused.toFixed(3)})`,
      documentId: h.documentId,
    });
    added++;
  }
}
