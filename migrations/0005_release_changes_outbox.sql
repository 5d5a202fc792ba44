-- Changes link to every release that ships them (release_changes); the transactional outbox.
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"job" text NOT NULL,
	"job_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 3 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "release_changes" (
	"release_id" uuid NOT NULL,
	"change_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	CONSTRAINT "release_changes_release_id_change_id_pk" PRIMARY KEY("release_id","change_id")
);
--> statement-breakpoint
ALTER TABLE "changes" ADD COLUMN "paths" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "changes" ADD COLUMN "diff_hash" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "outbox" USING btree ("created_at") WHERE "outbox"."dispatched_at" is null;--> statement-breakpoint
CREATE INDEX "release_changes_change" ON "release_changes" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "changes_paths" ON "changes" USING gin ("paths");--> statement-breakpoint
CREATE INDEX "changes_tenant_author_created" ON "changes" USING btree ("tenant_id","author","created_at");
--> statement-breakpoint
-- Existing links move to the join table, and each change's paths are read out of its files.
INSERT INTO "release_changes" ("release_id", "change_id", "tenant_id")
  SELECT "release_id", "id", "tenant_id" FROM "changes" WHERE "release_id" IS NOT NULL;--> statement-breakpoint
UPDATE "changes" SET "paths" = ARRAY(SELECT f->>'path' FROM jsonb_array_elements("files") AS f WHERE f ? 'path');--> statement-breakpoint
ALTER TABLE "changes" DROP CONSTRAINT "changes_release_id_releases_id_fk";
--> statement-breakpoint
DROP INDEX "changes_release";--> statement-breakpoint
ALTER TABLE "changes" DROP COLUMN "release_id";--> statement-breakpoint
CREATE INDEX "documents_tenant_kind_external" ON "documents" USING btree ("tenant_id","kind","external_id");--> statement-breakpoint
-- Full-text hits in one statement: every word first, then (when they are fewer than asked) the
-- fallback query, ranked by ts_rank_cd. enable_seqscan is off for this function only: with a LIMIT
-- on the match the planner expects to meet enough rows early and picks a sequential scan that
-- detoasts every row's tsvector, while the GIN bitmap path is exact here (2.4x faster with a
-- service filter at 28k chunks). One call replaces a transaction per query (BEGIN, SET LOCAL,
-- SELECT, COMMIT) and a second round trip for the fallback.
CREATE OR REPLACE FUNCTION shipcheck_text_hits(
  p_tenant uuid, p_service uuid, p_kind text, p_as_of timestamptz,
  p_all tsquery, p_any tsquery, p_candidates int, p_limit int
) RETURNS TABLE (
  chunk_id uuid, document_id uuid, kind text, service text, title text, body text, locator text, occurred_at timestamptz, score real
) LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
  found_rows int;
BEGIN
  RETURN QUERY
    SELECT m.id, m.document_id, m.kind, s.name, m.title, m.text, m.locator, m.occurred_at, ts_rank_cd(m.tsv, p_all)
    FROM (SELECT c.* FROM chunks c
          WHERE c.tenant_id = p_tenant AND (p_service IS NULL OR c.service_id = p_service) AND (p_kind IS NULL OR c.kind = p_kind)
            AND (p_as_of IS NULL OR c.occurred_at <= p_as_of) AND c.tsv @@ p_all
          LIMIT p_candidates) m
    JOIN services s ON s.id = m.service_id
    ORDER BY 9 DESC, m.occurred_at DESC
    LIMIT p_limit;
  GET DIAGNOSTICS found_rows = ROW_COUNT;
  IF found_rows < p_limit AND p_any IS NOT NULL THEN
    -- Fewer matches than the limit means every chunk matching all the words is returned already.
    RETURN QUERY
      SELECT m.id, m.document_id, m.kind, s.name, m.title, m.text, m.locator, m.occurred_at, ts_rank_cd(m.tsv, p_any)
      FROM (SELECT c.* FROM chunks c
            WHERE c.tenant_id = p_tenant AND (p_service IS NULL OR c.service_id = p_service) AND (p_kind IS NULL OR c.kind = p_kind)
              AND (p_as_of IS NULL OR c.occurred_at <= p_as_of) AND c.tsv @@ p_any AND NOT (c.tsv @@ p_all)
            LIMIT p_candidates) m
      JOIN services s ON s.id = m.service_id
      ORDER BY 9 DESC, m.occurred_at DESC
      LIMIT p_limit - found_rows;
  END IF;
END
$$;
