/**
 * An ingest worker thread: chunks and embeds documents with the hashing
 * embedder, the same functions ingestNow runs in the main thread, and hands
 * back the vectors as the float4 values the database will store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chunkDocument } from '../chunk/index.js';
import { HashingEmbedder } from '../embed/hashing.js';
import { literalFloat4 } from '../../contracts/vectors.js';
import type { ChunkJob, ChunkReply, WorkerConfig } from './protocol.js';

const { dimension } = workerData as WorkerConfig;
const embedder = new HashingEmbedder({ dimension });
const port = parentPort!;

port.on('message', async (job: ChunkJob) => {
  try {
    const t0 = performance.now();
    const drafts = job.docs.map((d) => chunkDocument(d.kind, d.title, d.body));
    const t1 = performance.now();
    const flat = drafts.flat();
    const vectors = await embedder.embed(flat.map((c) => c.text));
    const out = job.raw ? new Float64Array(flat.length * dimension) : new Float32Array(flat.length * dimension);
    const round = job.raw ? (x: number) => x : literalFloat4;
    vectors.forEach((v, i) => {
      for (let j = 0; j < dimension; j++) out[i * dimension + j] = round(v[j]!);
    });
    const reply: ChunkReply = {
      id: job.id,
      chunks: drafts.map((list) => list.map((c) => ({ ordinal: c.ordinal, text: c.text, locator: c.locator ?? null }))),
      vectors: out,
      chunkMs: t1 - t0,
      embedMs: performance.now() - t1,
    };
    port.postMessage(reply, [out.buffer]);
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ChunkReply);
  }
});
