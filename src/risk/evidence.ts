import { evidenceId } from '../contracts/evidence.js';
import { type Evidence, fileLine, OUTCOME_WORDS, type ReleaseOutcome } from '../contracts/risk.js';
import type { SearchHit, SearchQuery } from '../contracts/search.js';
import type { ReleaseContext } from './context.js';
import { RECENT_INCIDENT_DAYS } from './features/context.js';
import { RISKY_FEATURE } from './features/build.js';
import { isFixChange } from './features/change-metrics.js';
import { failed, failureHistorySources } from './features/failure-history.js';
import type { DocumentRelease, EarlierChange, EvidenceSearch, PastIncident, ReleaseHistory, RiskChange, RiskRelease } from './ports.js';

/** Retrieved documents kept as evidence, besides the records linked by history. */
const RETRIEVED = 5;
/** Similar failed releases shown, and the service's recent failed releases. */
const SIMILAR_SHOWN = 3;
const RECENT_FAILURES_SHOWN = 2;
/** Recent incidents on the service shown. */
const RECENT_INCIDENTS_SHOWN = 3;
/** The release's own changes shown (the biggest first), and earlier changes to its files. */
const OWN_CHANGES_SHOWN = 5;
const EARLIER_SHOWN = 3;
const SNIPPET = 280;

export interface GatheredEvidence {
  evidence: Evidence[];
  /** Evidence ids behind each factor (by model input name). */
  byFactor: Partial<Record<string, string[]>>;
}

const clip = (s: string) => (s.length <= SNIPPET ? s : `${s.slice(0, SNIPPET - 1)}…`);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const size = (c: RiskChange) => c.files.reduce((n, f) => n + f.additions + f.deletions, 0);

/** Inputs whose evidence is the release's own changes (the biggest first). */
const SIZE_INPUTS = ['la', 'ld', 'nf', 'nd', 'ns', 'entropy', 'la_per_nf', 'la_per_lt'];
/** Inputs whose evidence is the earlier changes to the same files. */
const FILE_HISTORY_INPUTS = ['lt', 'ndev', 'age', 'nuc'];
/** Inputs whose evidence is the authors' earlier changes. */
const AUTHOR_INPUTS = ['exp', 'rexp', 'sexp'];
/** Inputs about how and when the release ships: the release itself is the evidence. */
const RELEASE_INPUTS = ['flags_touched', 'strategy_canary', 'strategy_blue_green', 'strategy_flag', 'off_hours', 'pre_weekend'];

/**
 * The earlier changes shown for the failure-history inputs: for each rate the
 * failed ones first (newest first), then ones whose release succeeded, so a
 * low rate is backed too; and the newest failure in the area.
 */
export function failureHistoryShown(ctx: Pick<ReleaseContext, 'changes' | 'earlier'>): {
  file_failure_rate: EarlierChange[];
  author_failure_rate: EarlierChange[];
  days_since_area_failure: EarlierChange[];
} {
  const s = failureHistorySources(ctx.changes, ctx.earlier);
  const failedFirst = (list: EarlierChange[]) => [...list.filter(failed), ...list.filter((c) => !failed(c))].slice(0, EARLIER_SHOWN);
  return {
    file_failure_rate: failedFirst(s.files),
    author_failure_rate: failedFirst(s.authors),
    days_since_area_failure: s.areaFailure ? [s.areaFailure] : [],
  };
}

/** The past releases shown beyond the context, as cards, and the incidents the similar ones caused. */
export interface EvidenceRecords {
  failedSimilar: ReleaseContext['similar'];
  recentFailures: ReleaseContext['recentFailures'];
  cards: Map<string, Omit<Evidence, 'why'>>;
  caused: PastIncident[];
}

/**
 * The records the evidence shows beyond the context: the failed similar and
 * recent releases (as cards) and the incidents the similar ones caused. Read
 * beside the evidence search: neither needs the other.
 */
export async function readEvidenceRecords(
  history: Pick<ReleaseHistory, 'releases' | 'changesOf' | 'incidentsCausedBy'>,
  tenantId: string,
  ctx: ReleaseContext,
): Promise<EvidenceRecords> {
  const failedSimilar = ctx.similar.filter((s) => s.failed).slice(0, SIMILAR_SHOWN);
  const recentFailures = ctx.recentFailures.slice(0, RECENT_FAILURES_SHOWN);
  // The failed releases behind the failure-history inputs come as cards in the same read.
  const failedEarlier = Object.values(failureHistoryShown(ctx))
    .flat()
    .filter(failed)
    .map((c) => c.releaseId);
  const cardIds = [...new Set([...failedSimilar.map((s) => s.releaseId), ...recentFailures.map((f) => f.releaseId), ...failedEarlier])];
  const [cards, caused] = await Promise.all([
    releaseCards(history, tenantId, cardIds),
    history.incidentsCausedBy(
      tenantId,
      failedSimilar.map((s) => s.releaseId),
      ctx.release.createdAt,
    ),
  ]);
  return { failedSimilar, recentFailures, cards, caused };
}

/**
 * Pure: evidence a person can open, all as of the release time, with the ids
 * behind each factor: past failed releases most like this one and the
 * incidents they caused, recent incidents and failures on the service, the
 * release's own changes (size and risky paths), earlier changes to the same
 * files or by the same authors, and what hybrid retrieval found for the changes.
 */
export function gatherEvidence(ctx: ReleaseContext, records: EvidenceRecords, retrieved: readonly SearchHit[]): GatheredEvidence {
  const { failedSimilar, recentFailures, cards, caused } = records;

  const evidence = new Map<string, Evidence>();
  const byFactor: GatheredEvidence['byFactor'] = {};
  const cite = (factor: string, id: string) => (byFactor[factor] = [...new Set([...(byFactor[factor] ?? []), id])]);
  const add = (factors: readonly string[], e: Evidence) => {
    if (!evidence.has(e.id)) evidence.set(e.id, e);
    for (const f of factors) cite(f, e.id);
  };

  const outcomeOf = new Map<string, ReleaseOutcome>(ctx.similar.map((s) => [s.releaseId, s.outcome]));
  for (const f of recentFailures) outcomeOf.set(f.releaseId, f.outcome);
  const release = (factor: string, releaseId: string, why: string) => {
    const card = cards.get(releaseId);
    if (card) add([factor], { ...card, title: `${card.title} (${stateOf(outcomeOf.get(releaseId))})`, why });
  };
  for (const s of failedSimilar) {
    release(
      'similar_failure_share',
      s.releaseId,
      `similar past release (similarity ${s.similarity.toFixed(2)}) that ${OUTCOME_WORDS[s.outcome].clause}`,
    );
  }
  for (const i of caused) {
    const rel = evidence.get(evidenceId.release(i.causedByReleaseId ?? ''));
    add(['similar_failure_share'], incidentEvidence(i, `incident caused by ${rel ? rel.title : 'a similar past release'}`));
  }
  for (const i of ctx.recentIncidents.slice(0, RECENT_INCIDENTS_SHOWN)) {
    add(
      ['recent_incidents'],
      incidentEvidence(i, `incident on ${ctx.release.service} in the ${RECENT_INCIDENT_DAYS} days before this release`),
    );
  }
  for (const f of recentFailures) {
    release('recent_failure_rate', f.releaseId, `a recent release of ${ctx.release.service} that ${OUTCOME_WORDS[f.outcome].clause}`);
  }

  const own = [...ctx.changes].sort((a, b) => size(b) - size(a) || (a.externalId < b.externalId ? -1 : 1));
  for (const c of own.slice(0, OWN_CHANGES_SHOWN)) {
    const risky = Object.entries(RISKY_FEATURE)
      .filter(([cat]) => c.files.some((f) => ctx.riskyPaths.get(cat as keyof typeof RISKY_FEATURE)?.includes(f.path)))
      .map(([, name]) => name);
    add(
      [...SIZE_INPUTS, ...risky, ...(isFixChange(c) ? ['fix'] : [])],
      changeEvidence(c, `a change ${ctx.release.service} ${ctx.release.version} ships`),
    );
  }
  const touched = new Set(ctx.changes.flatMap((c) => c.files.map((f) => f.path)));
  const fileHistory = ctx.earlier.filter((c) => c.files.some((f) => touched.has(f.path))).slice(0, EARLIER_SHOWN);
  for (const c of fileHistory) add(FILE_HISTORY_INPUTS, changeEvidence(c, 'an earlier change to the same files'));
  const authors = new Set(ctx.changes.map((c) => c.author).filter(Boolean));
  for (const c of ctx.earlier.filter((e) => e.author !== null && authors.has(e.author)).slice(0, EARLIER_SHOWN)) {
    add(AUTHOR_INPUTS, changeEvidence(c, `an earlier change by ${c.author}`));
  }
  // Failure history: the earlier changes behind each input, and the failed releases that shipped them.
  const whatChange: Record<keyof ReturnType<typeof failureHistoryShown>, (c: EarlierChange) => string> = {
    file_failure_rate: () => 'an earlier change to the same files',
    author_failure_rate: (c) => `an earlier change by ${c.author}`,
    days_since_area_failure: () => 'the latest earlier change to the same subsystems',
  };
  for (const [factor, shown] of Object.entries(failureHistoryShown(ctx)) as [keyof typeof whatChange, EarlierChange[]][]) {
    for (const c of shown) {
      const state = c.outcome ? OUTCOME_WORDS[c.outcome].clause : 'has no outcome yet';
      add([factor], changeEvidence(c, `${whatChange[factor](c)}, whose release ${state}`));
      if (c.outcome && failed(c)) {
        outcomeOf.set(c.releaseId, c.outcome);
        release(factor, c.releaseId, `the release of ${whatChange[factor](c)}: it ${OUTCOME_WORDS[c.outcome].clause}`);
      }
    }
  }
  add(RELEASE_INPUTS, {
    id: evidenceId.release(ctx.release.id),
    kind: 'release',
    title: `${ctx.release.service} ${ctx.release.version} (this release)`,
    snippet: clip(
      oneLine(
        `${ctx.release.strategy ?? 'no'} strategy; created ${ctx.release.createdAt.toISOString()}; ` +
          `${ctx.release.flags.length} feature flags${ctx.release.flags.length ? `: ${ctx.release.flags.join(', ')}` : ''}`,
      ),
    ),
    occurredAt: ctx.release.createdAt.toISOString(),
    why: 'this release: how and when it ships',
  });

  let added = 0;
  for (const h of retrieved) {
    if (added >= RETRIEVED) break;
    if (evidence.has(h.chunkId)) continue;
    evidence.set(h.chunkId, {
      id: evidenceId.chunk(h.chunkId),
      kind: h.kind,
      title: h.title,
      snippet: clip(oneLine(h.snippet)),
      occurredAt: h.occurredAt,
      why: `${h.kind.replace('_', ' ')} retrieved for this release's changes (fused score ${h.score.fused.toFixed(3)})`,
      documentId: h.documentId,
    });
    added++;
  }
  return { evidence: [...evidence.values()], byFactor };
}

/** Releases as evidence (without the why and the outcome), in two reads however many. */
async function releaseCards(
  history: Pick<ReleaseHistory, 'releases' | 'changesOf'>,
  tenantId: string,
  ids: string[],
): Promise<Map<string, Omit<Evidence, 'why'>>> {
  if (ids.length === 0) return new Map();
  const [rows, changes] = await Promise.all([history.releases(tenantId, ids), history.changesOf(tenantId, ids)]);
  const cards = new Map<string, Omit<Evidence, 'why'>>();
  for (const r of rows) {
    const own = changes.filter((c) => c.releaseId === r.id);
    const paths = [...new Set(own.flatMap((c) => c.files.map((f) => f.path)))];
    cards.set(r.id, {
      id: evidenceId.release(r.id),
      kind: 'release',
      title: `${r.service} ${r.version}`,
      snippet: clip(oneLine(`${own.map((c) => c.title).join('; ')}. Files: ${paths.slice(0, 8).join(', ')}`)),
      occurredAt: r.createdAt.toISOString(),
    });
  }
  return cards;
}

function changeEvidence(c: Pick<RiskChange, 'id' | 'title' | 'files' | 'createdAt'>, why: string): Evidence {
  const files = c.files.slice(0, 8).map(fileLine).join(', ');
  return {
    id: evidenceId.change(c.id),
    kind: 'change',
    title: c.title,
    snippet: clip(oneLine(`${files}${c.files.length > 8 ? `, and ${c.files.length - 8} more files` : ''}`)),
    occurredAt: c.createdAt.toISOString(),
    why,
  };
}

/** An incident's own document chunk when it was ingested (openable as a chunk), else the incident record. */
function incidentEvidence(i: PastIncident, why: string): Evidence {
  const doc = i.document;
  return {
    id: doc ? evidenceId.chunk(doc.chunkId) : evidenceId.incident(i.id),
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
  release: Pick<RiskRelease, 'service' | 'version' | 'createdAt'>,
  changes: readonly Pick<RiskChange, 'title'>[],
): SearchQuery {
  const q =
    changes
      .map((c) => c.title)
      .join(' ')
      .slice(0, 1000) || `${release.service} ${release.version}`;
  return { q, k: RETRIEVED * 2, service: release.service, asOf: release.createdAt.toISOString() };
}

/**
 * Hybrid retrieval for the release (evidenceQuery), reusing the context's
 * similarity search as its vector half, without the release's own documents.
 */
export async function retrieveEvidence(
  search: EvidenceSearch,
  history: Pick<ReleaseHistory, 'documentReleases'>,
  tenantId: string,
  ctx: Pick<ReleaseContext, 'release' | 'changes' | 'neighbours' | 'documentReleases'>,
): Promise<SearchHit[]> {
  const hits = await search.search(tenantId, evidenceQuery(ctx.release, ctx.changes), {
    vectorHits: ctx.neighbours,
    serviceId: ctx.release.serviceId,
  });
  const unknown = hits.filter((h) => (h.kind === 'change' || h.kind === 'diff') && !ctx.documentReleases.has(h.documentId));
  const more =
    unknown.length > 0
      ? await history.documentReleases(
          tenantId,
          unknown.map((h) => h.documentId),
          ctx.release.createdAt,
        )
      : new Map<string, DocumentRelease[]>();
  const releasesOf = (documentId: string) => ctx.documentReleases.get(documentId) ?? more.get(documentId) ?? [];
  return hits.filter((h) => !releasesOf(h.documentId).some((r) => r.releaseId === ctx.release.id));
}

const stateOf = (outcome: ReleaseOutcome | undefined) => (outcome ? OUTCOME_WORDS[outcome].state : 'no outcome yet');
