import type { DocumentKind } from '../../contracts/documents.js';

/** What a worker needs to build its embedder (see HashingEmbedder.threadSpec). */
export interface WorkerConfig {
  dimension: number;
}

export interface ChunkJob {
  id: number;
  docs: { kind: DocumentKind; title: string; body: string }[];
  /** Tests: hand back the embedder's numbers as they are (Float64Array) instead of the float4 values to store. */
  raw?: boolean;
}

export type ChunkReply =
  | {
      id: number;
      /** Per document, its chunks in order. */
      chunks: { ordinal: number; text: string; locator: string | null }[][];
      /** The chunks' vectors, one after another (`dimension` values each), as float4 values to store (or raw, see ChunkJob). */
      vectors: Float32Array | Float64Array;
      chunkMs: number;
      embedMs: number;
    }
  | { id: number; error: string };
