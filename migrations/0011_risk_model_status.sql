ALTER TABLE "risk_models" ADD COLUMN "status" text DEFAULT 'serving' NOT NULL;--> statement-breakpoint
ALTER TABLE "risk_models" ADD COLUMN "status_reason" text;