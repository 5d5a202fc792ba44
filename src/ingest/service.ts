import type { IngestResult } from '../contracts/documents.js';
import type { Embedder } from '../contracts/embedder.js';
import { INDEX_ATTEMPTS, INDEX_JOB, type IndexJob, indexJobId } from '../contracts/jobs.js';
import { JobTimeoutError } from '../jobs/errors.js';
import type { JobQueue } from '../jobs/port.js';
import { chunkDocument } from './chunk/index.js';
import type { IndexedDocument, IngestStore, NewDocument } from './ports.js';
import { prepareDocument } from './prepare.js';
import { batchesAhead, poolFor, THREAD_MIN_DOCS } from './threads/ahead.js';
import type { CleanDocument } from './types.js';

/** Chunks per embedder call: bounds memory and request size for remote embedders. */
const EMBED_BATCH = 256;
/** Documents per transaction on the direct path. */
const STORE_BATCH = 200;

export interface IngestDeps {
  store: Pick<IngestStore, 'documents' | 'services' | 'bulkLoad'>;
  embedder: Embedder;
  queue: JobQueue;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

type Accepted = { index: number; doc: CleanDocument; contentHash: string };

/** Chunks and embeds documents, in batches across documents (one embedder call serves many). */
async function chunkAndEmbed(embedder: Embedder, docs: readonly CleanDocument[]): Promise<IndexedDocument['chunks'][]> {
  const drafts = docs.map((d) => chunkDocument(d.kind, d.title, d.body));
  const flat = drafts.flat();
  const vectors: number[][] = [];
  for (let i = 0; i < flat.length; i += EMBED_BATCH) {
    vectors.push(...(await embedder.embed(flat.slice(i, i + EMBED_BATCH).map((c) => c.text))));
  }
  let next = 0;
  return drafts.map((list) =>
    list.map((c) => ({ ordinal: c.ordinal, text: c.text, locator: c.locator ?? null, embedding: vectors[next++]! })),
  );
}

export function createIngestService(deps: IngestDeps) {
  const { store, embedder, queue, log } = deps;

  async function toRow(tenantId: string, a: Accepted, services: Map<string, string>): Promise<NewDocument> {
    let serviceId = services.get(a.doc.service);
    if (!serviceId) {
      serviceId = await store.services.ensure(tenantId, a.doc.service);
      services.set(a.doc.service, serviceId);
    }
    return {
      tenantId,
      serviceId,
      kind: a.doc.kind,
      title: a.doc.title,
      body: a.doc.body,
      occurredAt: a.doc.occurredAt,
      source: a.doc.source ?? null,
      externalId: a.doc.externalId ?? null,
      contentHash: a.contentHash,
      redactions: a.doc.redactions,
    };
  }

  /** Validates every document; repeats inside the batch are duplicates of their first copy. */
  function triage(raws: readonly unknown[]) {
    const results: IngestResult[] = [];
    const accepted: Accepted[] = [];
    const repeats: { index: number; contentHash: string }[] = [];
    const seen = new Set<string>();
    raws.forEach((raw, index) => {
      const p = prepareDocument(raw);
      if (!p.ok) {
        results[index] = { index, status: 'rejected', redactions: 0, error: p.error };
      } else if (seen.has(p.contentHash)) {
        results[index] = { index, status: 'duplicate', redactions: p.doc.redactions };
        repeats.push({ index, contentHash: p.contentHash });
      } else {
        seen.add(p.contentHash);
        accepted.push({ index, doc: p.doc, contentHash: p.contentHash });
      }
    });
    /** Call once the accepted ones have ids: in-batch repeats point at their first copy's document. */
    const linkRepeats = () => {
      const idByHash = new Map(accepted.map((a) => [a.contentHash, results[a.index]?.documentId]));
      for (const r of repeats) {
        const id = idByHash.get(r.contentHash);
        if (id) results[r.index]!.documentId = id;
      }
    };
    return { results, accepted, linkRepeats };
  }

  return {
    /**
     * The API path: record each document as queued and enqueue an indexing
     * job (job id derived from the document, which is unique per content
     * hash, so a retry never indexes twice). With `wait`, returns when the
     * jobs end or the timeout passes (then the status stays `queued`).
     */
    async submit(tenantId: string, raws: readonly unknown[], opts: { wait: boolean; timeoutMs?: number }) {
      const { results, accepted, linkRepeats } = triage(raws);
      const services = new Map<string, string>();
      const jobs: { index: number; jobId: string }[] = [];
      for (const a of accepted) {
        const row = await toRow(tenantId, a, services);
        const stored = await store.documents.insertQueued(row);
        const base = { index: a.index, documentId: stored.id, redactions: a.doc.redactions };
        if (stored.duplicate && stored.status !== 'failed') {
          results[a.index] = { ...base, status: 'duplicate' };
          continue;
        }
        if (stored.duplicate) await store.documents.requeue(tenantId, stored.id);
        const { jobId } = await queue.enqueue<IndexJob>(
          INDEX_JOB,
          { documentId: stored.id },
          { jobId: indexJobId(stored.id), attempts: INDEX_ATTEMPTS },
        );
        results[a.index] = { ...base, status: 'queued', jobId };
        jobs.push({ index: a.index, jobId });
      }
      linkRepeats();
      if (opts.wait) {
        await Promise.all(
          jobs.map(async ({ index, jobId }) => {
            const r = results[index]!;
            try {
              const out = (await queue.waitFor<{ chunks: number }>(jobId, opts.timeoutMs ?? 60_000)) ?? { chunks: 0 };
              results[index] = { ...r, status: 'indexed', chunks: out.chunks };
            } catch (err) {
              const timedOut = err instanceof JobTimeoutError;
              if (!timedOut) results[index] = { ...r, status: 'rejected', error: (err as Error).message };
            }
          }),
        );
      }
      return results;
    },

    /**
     * The direct path (CLI, demo load, benchmark): chunk, embed and store in
     * the caller's process, many documents per transaction, no queue.
     */
    async ingestNow(tenantId: string, raws: readonly unknown[], onProgress: (done: number) => void = () => {}): Promise<IngestResult[]> {
      // A large load chunks and embeds on worker threads (ingest/threads); they start while this thread validates.
      const pool = poolFor(embedder, raws.length);
      const { results, accepted, linkRepeats } = triage(raws);
      const existing = await store.documents.existingByHash(
        tenantId,
        accepted.map((a) => a.contentHash),
      );
      const fresh: Accepted[] = [];
      for (const a of accepted) {
        const dup = existing.get(a.contentHash);
        if (dup) results[a.index] = { index: a.index, documentId: dup.id, status: 'duplicate', redactions: a.doc.redactions };
        else fresh.push(a);
      }
      onProgress(raws.length - fresh.length);
      const services = new Map<string, string>();
      // About two chunks a document (bench corpus and demo): enough to decide whether this is a bulk load.
      const batches = batchesAhead(
        fresh.map((a) => a.doc),
        STORE_BATCH,
        (docs) => chunkAndEmbed(embedder, docs),
        fresh.length >= THREAD_MIN_DOCS ? pool : undefined,
      );
      const prepare = async (batch: Accepted[], start: number): Promise<IndexedDocument[]> => {
        const embedded = await batches.batch(start);
        const items: IndexedDocument[] = [];
        for (let j = 0; j < batch.length; j++) items.push({ doc: await toRow(tenantId, batch[j]!, services), chunks: embedded[j]! });
        return items;
      };
      const record = (batch: Accepted[], items: IndexedDocument[], stored: { id: string; duplicate: boolean }[]) =>
        stored.forEach((s, j) => {
          const a = batch[j]!;
          results[a.index] = {
            index: a.index,
            documentId: s.id,
            status: s.duplicate ? 'duplicate' : 'indexed',
            redactions: a.doc.redactions,
            ...(s.duplicate ? {} : { chunks: items[j]!.chunks.length }),
          };
        });
      // About two chunks a document (bench corpus and demo): enough to decide whether this is a bulk load.
      await store.bulkLoad(fresh.length * 2, async () => {
        // Pipelined: the next batch is chunked and embedded (on worker threads for a large load,
        // else in this thread) while the database stores the previous one.
        // A failed write is kept, not left as a rejected promise: nothing awaits it while the next batch is prepared.
        let pending: Promise<void> = Promise.resolve();
        let failure: { error: unknown } | undefined;
        for (let i = 0; i < fresh.length && !failure; i += STORE_BATCH) {
          const batch = fresh.slice(i, i + STORE_BATCH);
          const items = await prepare(batch, i).catch(async (error: unknown) => {
            await pending;
            throw error;
          });
          await pending;
          if (failure) break; // the previous write failed: write no later batch
          const done = raws.length - fresh.length + i + batch.length;
          pending = store.documents.insertIndexed(items).then(
            (stored) => {
              record(batch, items, stored);
              onProgress(done);
            },
            (error: unknown) => {
              failure = { error };
            },
          );
        }
        await pending;
        if (failure) throw failure.error;
      });
      linkRepeats();
      return results;
    },

    /** Stored documents as the API shows them (tenant-scoped reads and deletes). */
    documents: {
      get: (tenantId: string, id: string, opts?: { withBody?: boolean }) => store.documents.get(tenantId, id, opts),
      list: (tenantId: string, f: Parameters<IngestStore['documents']['list']>[1]) => store.documents.list(tenantId, f),
      page: (tenantId: string, f: Parameters<IngestStore['documents']['page']>[1]) => store.documents.page(tenantId, f),
      delete: (tenantId: string, id: string) => store.documents.delete(tenantId, id),
    },

    /** The job handler: idempotent, so a retried or repeated job does no harm. */
    async indexDocument(job: IndexJob, ctx: { attempt: number }): Promise<{ chunks: number; skipped?: string }> {
      const doc = await store.documents.forIndexing(job.documentId);
      if (!doc) return { chunks: 0, skipped: 'deleted' };
      if (doc.status === 'indexed') return { chunks: 0, skipped: 'already indexed' };
      try {
        const [rows] = await chunkAndEmbed(embedder, [
          { kind: doc.kind, service: '', title: doc.title, body: doc.body, occurredAt: doc.occurredAt, redactions: 0 },
        ]);
        const committed = await store.documents.commitChunks(doc, rows!);
        if (!committed) return { chunks: 0, skipped: 'deleted' };
        return { chunks: rows!.length };
      } catch (err) {
        const message = (err as Error).message;
        log('index job failed', { documentId: doc.id, attempt: ctx.attempt, error: message });
        if (ctx.attempt >= INDEX_ATTEMPTS) await store.documents.markFailed(doc.id, message);
        throw err;
      }
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
