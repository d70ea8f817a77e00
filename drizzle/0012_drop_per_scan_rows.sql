DROP TABLE "scan_events" CASCADE;--> statement-breakpoint
ALTER TABLE "trace_codes" DROP COLUMN "first_scanned_at";--> statement-breakpoint
ALTER TABLE "trace_codes" DROP COLUMN "last_scanned_at";--> statement-breakpoint
ALTER TABLE "trace_codes" DROP COLUMN "scan_count";