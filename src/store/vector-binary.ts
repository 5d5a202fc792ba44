import { type Embedding, literalFloat4 } from '../contracts/vectors.js';

/**
 * A one-dimensional `vector[]` in PostgreSQL's binary array format (array_recv),
 * each element in pgvector's binary format (vector_recv: int16 dimensions,
 * int16 unused, float4 values, all big-endian).
 */
export function encodeVectorArray(rows: readonly { embedding: Embedding }[], arrayElementOid: number): Uint8Array {
  let size = 20;
  for (const r of rows) size += 8 + 4 * r.embedding.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setInt32(0, 1); // dimensions
  view.setInt32(4, 0); // no nulls
  view.setInt32(8, arrayElementOid);
  view.setInt32(12, rows.length);
  view.setInt32(16, 1); // lower bound
  let at = 20;
  for (const r of rows) {
    const v = r.embedding;
    view.setInt32(at, 4 + 4 * v.length);
    view.setInt16(at + 4, v.length);
    view.setInt16(at + 6, 0);
    at += 8;
    if (v instanceof Float32Array) for (let i = 0; i < v.length; i++, at += 4) view.setFloat32(at, v[i]!);
    else for (let i = 0; i < v.length; i++, at += 4) view.setFloat32(at, literalFloat4(v[i]!));
  }
  return out;
}
