import type { DocumentInput } from '../contracts/documents.js';
import { NotFoundError, ValidationError } from '../contracts/errors.js';
import { ReleaseInput, type OutcomeInput, type ParsedReleaseInput, type ReleaseView } from '../contracts/risk.js';
import type { IngestService } from '../ingest/service.js';
import type { Store, StoredRelease } from '../store/index.js';

export type ReleaseStore = Pick<Store, 'releases' | 'history' | 'services'>;

export class ReleaseNotFoundError extends NotFoundError {
  constructor(releaseId: string) {
    super(`no release ${releaseId}`);
  }
}

export function releaseView(r: StoredRelease): ReleaseView {
  return {
    id: r.id,
    service: r.service,
    version: r.version,
    environment: r.environment,
    strategy: r.strategy,
    flags: r.flags,
    createdAt: r.createdAt.toISOString(),
    deployedAt: r.deployedAt?.toISOString() ?? null,
    outcome: (r.outcome as ReleaseView['outcome']) ?? null,
    outcomeAt: r.outcomeAt?.toISOString() ?? null,
    changes: r.changes,
    externalId: r.externalId,
  };
}

/**
 * The documents a release's changes become, so retrieval (and the
 * similar-release search of later releases) can find them: one `change`
 * document per change, one `diff` per change that carries its diff.
 */
export function changeDocuments(input: ParsedReleaseInput, at: Date): DocumentInput[] {
  return input.changes.flatMap((c) => {
    const occurredAt = (c.createdAt ? new Date(c.createdAt) : at).toISOString();
    const files = c.files.map((f) => `  ${f.path} (+${f.additions} -${f.deletions})`).join('\n');
    const docs: DocumentInput[] = [
      {
        kind: 'change',
        service: input.service,
        title: c.title,
        body: `${c.title}\n\nauthor: ${c.author ?? 'unknown'}\nlabels: ${(c.labels ?? []).join(', ')}\nfiles:\n${files}\n\n${c.body ?? ''}`.trim(),
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

/** Release intake: create (idempotent), record outcomes, list. */
export function createReleaseService(deps: { store: ReleaseStore; ingest: Pick<IngestService, 'ingestNow'> }) {
  const { store } = deps;
  return {
    async create(tenantId: string, raw: unknown): Promise<ReleaseView & { created: boolean }> {
      const input = ReleaseInput.parse(raw);
      const createdAt = input.createdAt ? new Date(input.createdAt) : new Date();
      const serviceId = await store.services.ensure(tenantId, input.service);
      const { id, created } = await store.history.upsertRelease(
        {
          tenantId,
          serviceId,
          version: input.version,
          environment: input.environment,
          strategy: input.strategy ?? null,
          externalId: input.externalId ?? null,
          flags: input.flags,
          createdAt,
        },
        input.changes.map((c) => ({
          externalId: c.id,
          title: c.title,
          body: c.body ?? '',
          author: c.author ?? null,
          labels: c.labels ?? [],
          files: c.files,
          createdAt: c.createdAt ? new Date(c.createdAt) : createdAt,
        })),
      );
      // Indexed now (not queued): the risk assessment that usually follows must see them.
      if (created && input.changes.length > 0) await deps.ingest.ingestNow(tenantId, changeDocuments(input, createdAt));
      const r = await store.releases.get(tenantId, id);
      return { ...releaseView(r!), created };
    },

    async recordOutcome(
      tenantId: string,
      releaseId: string,
      input: OutcomeInput & { incidentIds: string[] },
    ): Promise<ReleaseView & { linkedIncidents: number }> {
      const r = await store.releases.get(tenantId, releaseId);
      if (!r) throw new ReleaseNotFoundError(releaseId);
      const at = input.at ? new Date(input.at) : new Date();
      if (at < r.createdAt)
        throw new ValidationError(`at: outcome time ${at.toISOString()} is before the release was created (${r.createdAt.toISOString()})`);
      await store.releases.setOutcome(tenantId, releaseId, input.outcome, at);
      const linkedIncidents = await store.releases.linkIncidents(tenantId, releaseId, input.incidentIds);
      return { ...releaseView((await store.releases.get(tenantId, releaseId))!), linkedIncidents };
    },

    async get(tenantId: string, releaseId: string): Promise<StoredRelease> {
      const r = await store.releases.get(tenantId, releaseId);
      if (!r) throw new ReleaseNotFoundError(releaseId);
      return r;
    },

    async list(tenantId: string, q: { service?: string; from?: string; to?: string; limit: number }): Promise<ReleaseView[]> {
      let serviceId: string | undefined;
      if (q.service) {
        serviceId = await store.services.find(tenantId, q.service);
        if (!serviceId) return [];
      }
      const rows = await store.releases.list(tenantId, {
        ...(serviceId ? { serviceId } : {}),
        ...(q.from ? { from: new Date(q.from) } : {}),
        ...(q.to ? { to: new Date(q.to) } : {}),
        limit: q.limit,
      });
      return rows.map(releaseView);
    },
  };
}

export type ReleaseService = ReturnType<typeof createReleaseService>;
