CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"release_id" uuid NOT NULL,
	"model_id" uuid,
	"probability" double precision NOT NULL,
	"level" text NOT NULL,
	"recommendation" text NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"service" text,
	"version" integer NOT NULL,
	"algorithm" text NOT NULL,
	"trained_at" timestamp with time zone NOT NULL,
	"data_until" timestamp with time zone NOT NULL,
	"n" integer NOT NULL,
	"failures" integer NOT NULL,
	"artifact" jsonb NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_model_id_risk_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."risk_models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_models" ADD CONSTRAINT "risk_models_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessments_release_created" ON "assessments" USING btree ("release_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_models_tenant_version" ON "risk_models" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "risk_models_tenant_service_trained" ON "risk_models" USING btree ("tenant_id","service","trained_at");--> statement-breakpoint
CREATE INDEX "changes_service_created" ON "changes" USING btree ("service_id","created_at");