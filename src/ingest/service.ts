import type { IngestResult } from '../contracts/documents.js';
import type { Embedder } from '../contracts/embedder.js';
import { AppError, type ErrorCode } from '../contracts/errors.js';
import { INDEX_ATTEMPTS, INDEX_JOB, type IndexJob, indexJobId } from '../contracts/jobs.js';
import { JobFailedError, publicFailure } from '../jobs/errors.js';
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
/**
 * The API path gives the event loop a turn every this many documents: with an
 * in-process database every query resolves in a microtask, and a whole batch
 * in one run of them kept the HTTP server from reading any other request (a
 * health probe waited 18 s behind a 1,000-document POST).
 */
const YIELD_EVERY = 5;
/** The reconciler reads queued documents in pages of this many, and at most RECONCILE_PAGES pages a pass. */
const RECONCILE_PAGE = 500;
const RECONCILE_PAGES = 20;

export interface IngestDeps {
  store: Pick<IngestStore, 'documents' | 'services' | 'bulkLoad'>;
  embedder: Embedder;
  queue: Pick<JobQueue, 'enqueue' | 'waitFor' | 'state'>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /**
   * Hands committed outbox entries to the job queue now (the outbox relay's
   * drain). Without it, or when it fails, the relay's own timer does it.
   */
  handOver?: () => Promise<unknown>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
  /** Where the reconciler's next pass starts (see reconcile). */
  let reconcileFrom: string | undefined;

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
  async function triage(raws: readonly unknown[], opts: { yielding: boolean }) {
    const results: IngestResult[] = [];
    const accepted: Accepted[] = [];
    const repeats: { index: number; contentHash: string }[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of raws.entries()) {
      if (opts.yielding && index > 0 && index % YIELD_EVERY === 0) await yieldToEventLoop();
      const p = prepareDocument(raw);
      if (!p.ok) {
        results[index] = { index, status: 'rejected', redactions: 0, code: 'validation_failed', error: p.error };
      } else if (seen.has(p.contentHash)) {
        results[index] = { index, status: 'duplicate', redactions: p.doc.redactions };
        repeats.push({ index, contentHash: p.contentHash });
      } else {
        seen.add(p.contentHash);
        accepted.push({ index, doc: p.doc, contentHash: p.contentHash });
      }
    }
    /**
     * Call once the accepted ones have ids: in-batch repeats point at their first copy's document, and a repeat
     * of a copy the database refused is refused with it (it was not stored either).
     */
    const linkRepeats = () => {
      const firstByHash = new Map(accepted.map((a) => [a.contentHash, results[a.index]]));
      for (const r of repeats) {
        const first = firstByHash.get(r.contentHash);
        const repeat = results[r.index]!;
        if (first?.status === 'rejected') results[r.index] = { ...first, index: r.index, redactions: repeat.redactions };
        else if (first?.documentId) repeat.documentId = first.documentId;
      }
    };
    return { results, accepted, linkRepeats };
  }

  /**
   * Stores each accepted document queued, in a transaction of its own with its
   * index job, and records its result. A document whose values the database
   * refuses is rejected alone; any other failure ends the request (what was
   * stored before it is whole).
   */
  async function storeQueued(tenantId: string, accepted: Accepted[], results: IngestResult[], jobs: { index: number; jobId: string }[]) {
    const services = new Map<string, string>();
    for (const [n, a] of accepted.entries()) {
      if (n > 0 && n % YIELD_EVERY === 0) await yieldToEventLoop();
      const base = { index: a.index, redactions: a.doc.redactions };
      let stored: Awaited<ReturnType<typeof store.documents.insertQueued>>;
      try {
        stored = await store.documents.insertQueued(await toRow(tenantId, a, services));
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        log('document refused by the database', { index: a.index, code: err.code, error: err.message });
        results[a.index] = { ...base, status: 'rejected', code: err.code, error: err.message };
        continue;
      }
      if (stored.status === 'indexed') {
        results[a.index] = { ...base, documentId: stored.id, status: 'duplicate' };
        continue;
      }
      // New, or stored before and not indexed yet: its job is in the outbox either way.
      const jobId = indexJobId(stored.id);
      results[a.index] = { ...base, documentId: stored.id, status: 'queued', jobId };
      jobs.push({ index: a.index, jobId });
    }
  }

  /**
   * What a waited-for document ended as, read from the store: the answer never
   * says `rejected` or `indexed` while the store says otherwise. A failure
   * reads as its code and a sentence for callers; the detail is in the log.
   */
  async function settled(tenantId: string, r: IngestResult, jobId: string, timeoutMs: number): Promise<IngestResult> {
    let code: ErrorCode | undefined;
    try {
      await queue.waitFor(jobId, timeoutMs);
    } catch (err) {
      // A timeout, or a queue that cannot say: the store below tells what happened.
      if (err instanceof JobFailedError) code = err.failureCode;
    }
    const doc = await store.documents.get(tenantId, r.documentId!);
    if (!doc) return { ...r, status: 'rejected', code: 'not_found', error: 'not_found: the document was deleted while it was indexed' };
    if (doc.status === 'indexed') return { ...r, status: 'indexed', chunks: doc.chunks };
    if (doc.status === 'failed')
      return { ...r, status: 'failed', ...(code ? { code } : {}), error: doc.error ?? publicFailure(code ?? 'internal') };
    return r;
  }

  return {
    /**
     * The API path: each document is stored `queued` with its indexing job
     * (one transaction a document, the job through the outbox; job id derived
     * from the document, unique per content hash, so a retry never indexes
     * twice), and its own result says what is stored. With `wait`, returns
     * when the jobs end or the timeout passes (then the status stays
     * `queued`), telling what the store holds by then.
     */
    async submit(tenantId: string, raws: readonly unknown[], opts: { wait: boolean; timeoutMs?: number }) {
      const { results, accepted, linkRepeats } = await triage(raws, { yielding: true });
      const jobs: { index: number; jobId: string }[] = [];
      try {
        await storeQueued(tenantId, accepted, results, jobs);
      } finally {
        // Whatever committed (all of it, or what came before a failure that ends the request) has its jobs in
        // the outbox; handing them over now means a caller that looks finds them in the queue. If that fails
        // (the queue is down), the answer stays `queued` and the relay's timer hands them over later.
        if (jobs.length > 0 && deps.handOver) {
          await deps
            .handOver()
            .catch((err: unknown) =>
              log('outbox hand-over failed; the relay will retry', { error: err instanceof Error ? err.message : String(err) }),
            );
        }
      }
      linkRepeats();
      if (opts.wait) {
        const timeoutMs = opts.timeoutMs ?? 60_000;
        await Promise.all(
          jobs.map(async ({ index, jobId }) => {
            results[index] = await settled(tenantId, results[index]!, jobId, timeoutMs);
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
      const { results, accepted, linkRepeats } = await triage(raws, { yielding: false });
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
      stats: (tenantId: string) => store.documents.stats(tenantId),
    },

    /**
     * The job handler: idempotent, so a retried or repeated job does no harm. It completes only with the
     * document indexed (or deleted): a completed job is never left beside a document still to index.
     */
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
        log('index job failed', { documentId: doc.id, attempt: ctx.attempt, error: (err as Error).message });
        throw err;
      }
    },

    /**
     * The queue calls this once an index job has failed for good (its attempts used up, or an error that
     * no retry can mend): the document is marked failed with a message for callers; the server log has
     * the detail. A document indexed meanwhile stays indexed.
     */
    async indexFailed(job: IndexJob, failure: { code: ErrorCode; message: string }): Promise<void> {
      log('document failed to index', { documentId: job.documentId, code: failure.code, error: failure.message });
      await store.documents.markFailed(job.documentId, publicFailure(failure.code));
    },

    /**
     * Compares queued documents with the job queue and gives a job again to
     * each one whose job is lost (unknown: an in-process queue that died with
     * its process, a job expired from Redis) or failed without its document
     * being told (the process died in between, or BullMQ failed a job that
     * stalled too often). Enqueueing is idempotent by job id, so a document
     * whose outbox entry is on its way is not indexed twice. A pass reads at
     * most RECONCILE_PAGES pages and the next goes on from there, so a large
     * backlog is covered over a few passes without one pass growing with it.
     * Returns how many were given a job.
     */
    async reconcile(): Promise<number> {
      let requeued = 0;
      for (let page = 0; page < RECONCILE_PAGES; page++) {
        const docs = await store.documents.queued(RECONCILE_PAGE, reconcileFrom);
        for (const doc of docs) {
          const jobId = indexJobId(doc.id);
          const state = await queue.state(jobId);
          if (state !== 'unknown' && state !== 'failed') continue;
          await queue.enqueue<IndexJob>(INDEX_JOB, { documentId: doc.id, tenantId: doc.tenantId }, { jobId, attempts: INDEX_ATTEMPTS });
          requeued++;
        }
        reconcileFrom = docs.length === RECONCILE_PAGE ? docs.at(-1)!.id : undefined;
        if (!reconcileFrom) break;
      }
      if (requeued > 0) log('queued documents given their job again', { requeued });
      return requeued;
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
