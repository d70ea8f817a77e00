CREATE TABLE "code_scans" (
	"code" text PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"first_scanned_at" timestamp with time zone NOT NULL,
	"last_scanned_at" timestamp with time zone NOT NULL,
	"scan_count" integer NOT NULL,
	CONSTRAINT "code_scans_count" CHECK ("code_scans"."scan_count" > 0)
);
--> statement-breakpoint
CREATE TABLE "scan_tallies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"day" date NOT NULL,
	"client" text NOT NULL,
	"region_code" text,
	"scans" integer NOT NULL,
	CONSTRAINT "scan_tallies_cell_uq" UNIQUE NULLS NOT DISTINCT("run_id","day","client","region_code"),
	CONSTRAINT "scan_tallies_scans" CHECK ("scan_tallies"."scans" > 0)
);
--> statement-breakpoint
ALTER TABLE "code_scans" ADD CONSTRAINT "code_scans_code_trace_codes_code_fk" FOREIGN KEY ("code") REFERENCES "public"."trace_codes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_scans" ADD CONSTRAINT "code_scans_run_id_trace_code_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."trace_code_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scan_tallies" ADD CONSTRAINT "scan_tallies_run_id_trace_code_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."trace_code_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "code_scans_run_first_idx" ON "code_scans" USING btree ("run_id","first_scanned_at");--> statement-breakpoint
CREATE INDEX "scan_tallies_day_idx" ON "scan_tallies" USING btree ("day");--> statement-breakpoint
-- Scans update code_scans rows in place; room on each page keeps those updates HOT (no index writes).
ALTER TABLE "code_scans" SET (fillfactor = 70);--> statement-breakpoint
-- The codes' scan state moves out of trace_codes, which becomes write-once.
INSERT INTO "code_scans" ("code", "run_id", "first_scanned_at", "last_scanned_at", "scan_count")
SELECT "code", "run_id", "first_scanned_at", coalesce("last_scanned_at", "first_scanned_at"), "scan_count"
FROM "trace_codes" WHERE "first_scanned_at" IS NOT NULL AND "scan_count" > 0;--> statement-breakpoint
-- Per-scan rows become tallies per run, China day, client and region.
INSERT INTO "scan_tallies" ("run_id", "day", "client", "region_code", "scans")
SELECT "run_id", ("scanned_at" AT TIME ZONE 'Asia/Shanghai')::date, "client", "region_code", count(*)
FROM "scan_events"
GROUP BY 1, 2, 3, 4;
