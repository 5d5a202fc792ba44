-- A denser HNSW graph: ef_construction 128 → 512 took recall@10 at 100k chunks from 0.89–0.90 to 0.97–0.99
-- (bench/README.md). Building it needs room for the graph: 1 GB for this transaction only.
SET LOCAL maintenance_work_mem = '1GB';--> statement-breakpoint
DROP INDEX "chunks_embedding_hnsw";--> statement-breakpoint
-- Narrow filters (one service or one kind, as of a time) are served by an exact scan of just their rows,
-- which the planner picks below about 1,000–2,000 rows: recall 1.0 at the cost of the index query.
CREATE INDEX "chunks_tenant_service_time" ON "chunks" USING btree ("tenant_id","service_id","occurred_at");--> statement-breakpoint
CREATE INDEX "chunks_tenant_kind_time" ON "chunks" USING btree ("tenant_id","kind","occurred_at");--> statement-breakpoint
CREATE INDEX "chunks_embedding_hnsw" ON "chunks" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=512);
--> statement-breakpoint
-- Nearest chunks of a tenant as of a time with a search breadth of the caller's choosing (hnsw.ef_search,
-- for this statement only): the risk score's similarity search finds the same ten similar releases at 200
-- as at 400 (80 of 80 at 100k chunks) in about half the time. The query is built per call (EXECUTE) so its
-- plan sees the limit and takes the HNSW index.
CREATE OR REPLACE FUNCTION shipcheck_nearest(p_tenant uuid, p_as_of timestamptz, p_query vector, p_k int, p_ef_search int)
RETURNS TABLE (
  chunk_id uuid, document_id uuid, kind text, service text, title text, body text, locator text, occurred_at timestamptz, score double precision
) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('hnsw.ef_search', p_ef_search::text, true);
  RETURN QUERY EXECUTE format(
    'SELECT c.id, c.document_id, c.kind, s.name, c.title, c.text, c.locator, c.occurred_at, 1 - (c.embedding <=> $3)
     FROM chunks c JOIN services s ON s.id = c.service_id
     WHERE c.tenant_id = $1 AND c.occurred_at <= $2 AND c.embedding IS NOT NULL
     ORDER BY c.embedding <=> $3 LIMIT %s', p_k)
  USING p_tenant, p_as_of, p_query;
END
$$;
