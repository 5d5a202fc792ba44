-- The outbox keeps only rows not yet relayed (a relayed row is deleted), so the 'dispatched' column and its
-- partial index go; every writer states the attempts its job gets.
DROP INDEX "outbox_pending";--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "attempts" DROP DEFAULT;--> statement-breakpoint
CREATE INDEX "outbox_created" ON "outbox" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "outbox" DROP COLUMN "dispatched_at";