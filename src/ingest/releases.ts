import type { DocumentInput } from '../contracts/documents.js';
import type { Page, PageKey } from '../contracts/paging.js';
import { AppError, NotFoundError, ValidationError } from '../contracts/errors.js';
import {
  fileLine,
  type ParsedReleaseInput,
  type ReleaseCreated,
  type ReleaseDetail,
  ReleaseInput,
  type ReleaseView,
} from '../contracts/risk.js';
import type {
  HistoryIncident,
  HistoryRelease,
  IntakeChange,
  IntakeDifference,
  IntakeRelease,
  ReleaseIntakeStore,
  StoredIntake,
} from './ports.js';
import { describeIssues, prepareDocument } from './prepare.js';
import { redactHistoryIncident, redactHistoryRelease, redactReleaseInput, secretInName } from './redact-fields.js';

type ReleaseQuery = { service?: string; from?: string; to?: string; limit: number };

const releaseFilter = (q: ReleaseQuery) => ({
  limit: q.limit,
  ...(q.service ? { service: q.service } : {}),
  ...(q.from ? { from: new Date(q.from) } : {}),
  ...(q.to ? { to: new Date(q.to) } : {}),
});

/** The same service and version was registered before with other content: 409, naming what differs. */
export class ReleaseConflictError extends AppError {
  constructor(service: string, version: string, diff: IntakeDifference) {
    const parts = [
      ...(diff.release.length ? [`release ${service} ${version}: ${diff.release.join(', ')}`] : []),
      ...diff.changes.map((c) => `change ${c.id}: ${c.fields.join(', ')}`),
    ];
    // What fixes it depends on what differs: a release is named by its version, a change by its id.
    const fix = diff.release.length
      ? 'register a new version, or re-send exactly what was stored'
      : 'a change id names one change for good: give the changed commit or PR its own id, or re-send the change as stored';
    super(diff.release.length ? 'release_conflict' : 'change_conflict', `already stored with other content (${parts.join('; ')}); ${fix}`, {
      details: diff,
    });
  }
}

/**
 * The documents a release's changes become, so retrieval (and the
 * similar-release search of later releases) can find them: one `change`
 * document per change, one `diff` per change that carries its diff.
 */
export function changeDocuments(input: ParsedReleaseInput, at: Date): DocumentInput[] {
  return input.changes.flatMap((c) => {
    const occurredAt = (c.createdAt ? new Date(c.createdAt) : at).toISOString();
    const files = c.files.map((f) => `  ${fileLine(f)}`).join('\n');
    const docs: DocumentInput[] = [
      {
        kind: 'change',
        service: input.service,
        title: c.title,
        // The id is part of the body: two changes with the same words (bot version bumps) stay two documents.
        body: `${c.title}\n\nchange: ${c.id}\nauthor: ${c.author ?? 'unknown'}\nlabels: ${(c.labels ?? []).join(', ')}\nfiles:\n${files}\n\n${c.body ?? ''}`.trim(),
        occurredAt,
        source: `release:${input.service}@${input.version}`,
        externalId: c.id,
      },
    ];
    if (c.diff?.trim()) {
      docs.push({ kind: 'diff', service: input.service, title: c.title, body: c.diff, occurredAt, externalId: `${c.id}:diff` });
    }
    return docs;
  });
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');
const filesKey = (files: IntakeChange['files']) =>
  JSON.stringify(
    [...files].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)).map((f) => [f.path, f.additions, f.deletions]),
  );

/**
 * What differs between a re-sent release and what is stored: the release's
 * own fields (optional ones only when the re-send states them) and every
 * change id stored before with other content. Undefined when nothing does.
 */
export function intakeDifference(incoming: IntakeRelease, stored: StoredIntake): IntakeDifference | undefined {
  const release: string[] = [];
  const r = stored.release;
  if (r) {
    if (incoming.environment !== r.environment) release.push('environment');
    if (incoming.strategy !== null && incoming.strategy !== r.strategy) release.push('strategy');
    if (!sameSet(incoming.flags, r.flags)) release.push('flags');
    if (incoming.externalId !== null && incoming.externalId !== r.externalId) release.push('externalId');
    if (incoming.commitRange !== null && incoming.commitRange !== r.commitRange) release.push('commitRange');
    if (incoming.createdAtGiven && incoming.createdAt.getTime() !== r.createdAt.getTime()) release.push('createdAt');
    if (
      !sameSet(
        incoming.changes.map((c) => c.externalId),
        r.changeIds,
      )
    )
      release.push('changes');
  }
  const changes: IntakeDifference['changes'] = [];
  for (const c of incoming.changes) {
    const old = stored.changes.get(c.externalId);
    if (!old) continue;
    const fields: string[] = [];
    if (c.title !== old.title) fields.push('title');
    if (c.body !== old.body) fields.push('body');
    if (c.author !== old.author) fields.push('author');
    if (!sameSet(c.labels, old.labels)) fields.push('labels');
    if (filesKey(c.files) !== filesKey(old.files)) fields.push('files');
    if (c.createdAtGiven && c.createdAt.getTime() !== old.createdAt.getTime()) fields.push('createdAt');
    if (c.diffHash !== null && c.diffHash !== old.diffHash) fields.push('diff');
    if (fields.length) changes.push({ id: c.externalId, fields });
  }
  return release.length || changes.length ? { release, changes } : undefined;
}

/** Refuses the whole import (naming the row) when a service name looks like a secret: it would be stored as sent. */
function assertPlainServices(rows: readonly { service: string }[]): void {
  rows.forEach((r, i) => {
    const problem = secretInName('service', r.service);
    if (problem) throw new ValidationError(`row ${i + 1}: ${problem}`);
  });
}

/**
 * Release intake: register a release candidate with its changes, record
 * past history, read releases back. Registering is one unit in the store:
 * the release, its changes (linked to every release that ships them), their
 * documents and the documents' index jobs commit together or not at all.
 */
export function createReleaseIntake(deps: {
  store: ReleaseIntakeStore;
  /** Called after a commit that queued index jobs, to hand the outbox to the job queue; not awaited. */
  afterCommit?: () => void;
}) {
  const { store } = deps;
  return {
    /**
     * Idempotent on (service, version): the same content again answers
     * `created: false` (and re-queues any of its documents that were lost or
     * failed); other content is a ReleaseConflictError naming the fields.
     */
    /** `registeredBy`: the token's name when registered through the API (a policy may forbid it to approve the release). */
    async create(tenantId: string, raw: unknown, registeredBy: string | null = null): Promise<ReleaseCreated> {
      const parsed = ReleaseInput.safeParse(raw);
      if (!parsed.success) throw new ValidationError(describeIssues(parsed.error.issues), { issues: parsed.error.issues });
      const serviceProblem = secretInName('service', parsed.data.service);
      if (serviceProblem) throw new ValidationError(serviceProblem);
      // Redacted once, here: the comparison with what is stored, the store, the documents, every answer
      // and the risk assessment (and its LLM prompt) only ever see redacted text.
      const input = redactReleaseInput(parsed.data);
      const createdAt = input.createdAt ? new Date(input.createdAt) : new Date();
      const documents = changeDocuments(input, createdAt).map((d) => {
        const p = prepareDocument(d);
        if (!p.ok) throw new ValidationError(`change ${d.externalId}: ${p.error}`);
        const { service: _service, ...doc } = p.doc;
        return { ...doc, source: doc.source ?? null, externalId: doc.externalId ?? null, contentHash: p.contentHash };
      });
      const diffHashOf = new Map(
        documents.filter((d) => d.kind === 'diff').map((d) => [d.externalId!.replace(/:diff$/, ''), d.contentHash]),
      );
      const intake: IntakeRelease = {
        service: input.service,
        version: input.version,
        environment: input.environment,
        strategy: input.strategy ?? null,
        flags: input.flags,
        externalId: input.externalId ?? null,
        commitRange: input.commitRange ?? null,
        createdAt,
        createdAtGiven: input.createdAt !== undefined,
        registeredBy,
        changes: input.changes.map((c) => ({
          externalId: c.id,
          title: c.title,
          body: c.body ?? '',
          author: c.author ?? null,
          labels: c.labels ?? [],
          files: c.files,
          createdAt: c.createdAt ? new Date(c.createdAt) : createdAt,
          firstCommitAt: c.firstCommitAt ? new Date(c.firstCommitAt) : null,
          createdAtGiven: c.createdAt !== undefined,
          diffHash: diffHashOf.get(c.id) ?? null,
        })),
        documents,
      };
      const outcome = await store.intake(tenantId, intake, (stored) => intakeDifference(intake, stored));
      if ('conflict' in outcome) throw new ReleaseConflictError(input.service, input.version, outcome.conflict);
      if (outcome.queuedDocuments > 0) deps.afterCommit?.();
      const view = await store.view(tenantId, outcome.releaseId);
      if (!view) throw new NotFoundError(`no release ${outcome.releaseId}`);
      const { changeList: _changes, documents: _docs, commitRange: _range, ...summary } = view;
      return { ...summary, created: outcome.created, queuedDocuments: outcome.queuedDocuments };
    },

    async get(tenantId: string, releaseId: string): Promise<ReleaseDetail> {
      const view = await store.view(tenantId, releaseId);
      if (!view) throw new NotFoundError(`no release ${releaseId}`);
      return view;
    },

    async list(tenantId: string, q: ReleaseQuery): Promise<ReleaseView[]> {
      return store.list(tenantId, releaseFilter(q));
    },

    /** One page, newest first; `after` is the key the page before answered with. */
    page(tenantId: string, q: ReleaseQuery & { after?: PageKey }): Promise<Page<ReleaseView>> {
      return store.page(tenantId, { ...releaseFilter(q), ...(q.after ? { after: q.after } : {}) });
    },

    /** Past releases with their outcomes (history import, the demo): idempotent on service and version. */
    importHistory(tenantId: string, releases: HistoryRelease[]): Promise<number> {
      assertPlainServices(releases);
      return store.importHistory(tenantId, releases.map(redactHistoryRelease));
    },

    /** Incidents; `causedByRelease` names a history release's external id, as it was sent (it is redacted the same way). */
    /** A person promoted the release: it is deployed from then on (DORA counts it), unless a deploy time is known already. */
    async markDeployed(tenantId: string, releaseId: string, at: Date): Promise<void> {
      if (!(await store.markDeployed(tenantId, releaseId, at))) throw new NotFoundError(`no release ${releaseId}`);
    },

    importIncidents(tenantId: string, incidents: HistoryIncident[]): Promise<number> {
      assertPlainServices(incidents);
      return store.importIncidents(tenantId, incidents.map(redactHistoryIncident));
    },
  };
}

export type ReleaseIntake = ReturnType<typeof createReleaseIntake>;
