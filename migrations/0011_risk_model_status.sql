ALTER TABLE "risk_models" ADD COLUMN "status" text DEFAULT 'serving' NOT NULL;--> statement-breakpoint
ALTER TABLE "risk_models" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "risk_models" ADD CONSTRAINT "risk_models_status" CHECK ("risk_models"."status" in ('serving', 'rejected'));