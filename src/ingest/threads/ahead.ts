import type { IndexedDocument } from '../ports.js';
import type { Embedder } from '../../contracts/embedder.js';
import type { CleanDocument } from '../types.js';
import { sharedPool, threadSpecOf, type ChunkEmbedPool, type ChunkResult } from './pool.js';

type DocChunks = IndexedDocument['chunks'];

/** Fewer fresh documents than this are chunked and embedded in this thread: starting workers costs more than it saves. */
export const THREAD_MIN_DOCS = 1000;

/** The pool to use for a load of `docs` documents, started now so it is ready when needed; undefined = this thread. */
export function poolFor(embedder: Embedder, docs: number): ChunkEmbedPool | undefined {
  const spec = threadSpecOf(embedder);
  if (!spec || docs < THREAD_MIN_DOCS) return undefined;
  const pool = sharedPool(spec);
  pool.warm();
  return pool;
}

/**
 * Chunks and embeds `docs` in consecutive batches of `size`, for a writer that
 * asks for them in order (`batch(start)`). With a pool, the next batches are
 * queued on the workers ahead of the writer, so they are ready when it is;
 * a batch whose job fails (worker crash, or an error chunking a document) is
 * done again in this thread by `inThread`, which gives the same result or
 * throws the same error. Without a pool, each batch is done by `inThread`
 * when asked for.
 */
export function batchesAhead(
  docs: readonly CleanDocument[],
  size: number,
  inThread: (docs: CleanDocument[]) => Promise<DocChunks[]>,
  pool: ChunkEmbedPool | undefined,
) {
  const queued = new Map<number, Promise<DocChunks[] | undefined>>();
  let next = 0;
  const limit = pool ? 2 * pool.size + 1 : 0;
  const fill = () => {
    while (pool && next < docs.length && queued.size < limit) {
      const slice = docs.slice(next, next + size);
      const dimension = pool.spec.dimension;
      queued.set(
        next,
        pool.run(slice.map((d) => ({ kind: d.kind, title: d.title, body: d.body }))).then(
          (r) => fromReply(r, dimension),
          () => undefined,
        ),
      );
      next += size;
    }
  };
  return {
    async batch(start: number): Promise<DocChunks[]> {
      const slice = docs.slice(start, start + size);
      if (!pool) return inThread(slice);
      fill();
      const job = queued.get(start);
      queued.delete(start);
      fill();
      return (await job) ?? inThread(slice);
    },
  };
}

function fromReply(r: ChunkResult, dimension: number): DocChunks[] {
  let k = 0;
  return r.chunks.map((list) => list.map((c) => ({ ...c, embedding: r.vectors.subarray(k * dimension, ++k * dimension) as Float32Array })));
}
