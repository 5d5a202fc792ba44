CREATE TABLE "release_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"release_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"draft" jsonb NOT NULL,
	"summary" text,
	"markdown" text NOT NULL,
	"base_version" integer NOT NULL,
	"edit_distance" integer NOT NULL,
	"actor" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "notes_version" integer;--> statement-breakpoint
ALTER TABLE "release_notes" ADD CONSTRAINT "release_notes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_notes" ADD CONSTRAINT "release_notes_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "release_notes_release_version" ON "release_notes" USING btree ("release_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_notes_approved_once" ON "decisions" USING btree ("release_id","notes_version") WHERE action = 'approve_notes';