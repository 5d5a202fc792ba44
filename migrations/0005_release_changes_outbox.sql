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
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_changes" ADD CONSTRAINT "release_changes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "outbox" USING btree ("created_at") WHERE "outbox"."dispatched_at" is null;--> statement-breakpoint
CREATE INDEX "release_changes_change" ON "release_changes" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "changes_paths" ON "changes" USING gin ("paths");--> statement-breakpoint
CREATE INDEX "changes_service_author_created" ON "changes" USING btree ("service_id","author","created_at");
--> statement-breakpoint
-- Existing links move to the join table, and each change's paths are read out of its files.
INSERT INTO "release_changes" ("release_id", "change_id", "tenant_id")
  SELECT "release_id", "id", "tenant_id" FROM "changes" WHERE "release_id" IS NOT NULL;--> statement-breakpoint
UPDATE "changes" SET "paths" = ARRAY(SELECT f->>'path' FROM jsonb_array_elements("files") AS f WHERE f ? 'path');--> statement-breakpoint
ALTER TABLE "changes" DROP CONSTRAINT "changes_release_id_releases_id_fk";
--> statement-breakpoint
DROP INDEX "changes_release";--> statement-breakpoint
ALTER TABLE "changes" DROP COLUMN "release_id";--> statement-breakpoint
CREATE INDEX "documents_tenant_kind_external" ON "documents" USING btree ("tenant_id","kind","external_id");