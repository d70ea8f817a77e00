CREATE TABLE "trainee_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trainee_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"happened_on" date NOT NULL,
	"entity_id" uuid,
	"shop_name" text,
	"monthly_income_fen" bigint,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trainee_follow_ups_income_non_negative" CHECK ("trainee_follow_ups"."monthly_income_fen" is null or "trainee_follow_ups"."monthly_income_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "trainees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"village_name" text,
	"name" text NOT NULL,
	"gender" text NOT NULL,
	"birth_year" integer NOT NULL,
	"id_number_cipher" text NOT NULL,
	"id_number_masked" text NOT NULL,
	"id_number_index" text NOT NULL,
	"phone_cipher" text,
	"phone_masked" text,
	"category" text NOT NULL,
	"skills" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"certificates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_attendance" (
	"session_id" uuid NOT NULL,
	"trainee_id" uuid NOT NULL,
	"etown_code" text NOT NULL,
	"source" text NOT NULL,
	"signed_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_attendance_session_id_trainee_id_pk" PRIMARY KEY("session_id","trainee_id")
);
--> statement-breakpoint
CREATE TABLE "training_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"institution_entity_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"place" text NOT NULL,
	"teacher" text NOT NULL,
	"topic" text NOT NULL,
	"cross_border" boolean DEFAULT false NOT NULL,
	"capacity" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_sessions_capacity_positive" CHECK ("training_sessions"."capacity" > 0)
);
--> statement-breakpoint
ALTER TABLE "trainee_follow_ups" ADD CONSTRAINT "trainee_follow_ups_trainee_id_trainees_id_fk" FOREIGN KEY ("trainee_id") REFERENCES "public"."trainees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainee_follow_ups" ADD CONSTRAINT "trainee_follow_ups_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainees" ADD CONSTRAINT "trainees_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_trainee_id_trainees_id_fk" FOREIGN KEY ("trainee_id") REFERENCES "public"."trainees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_institution_entity_id_entities_id_fk" FOREIGN KEY ("institution_entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trainee_follow_ups_trainee_idx" ON "trainee_follow_ups" USING btree ("trainee_id","happened_on");--> statement-breakpoint
CREATE UNIQUE INDEX "trainees_id_number_index_unique" ON "trainees" USING btree ("id_number_index");--> statement-breakpoint
CREATE INDEX "trainees_etown_idx" ON "trainees" USING btree ("etown_code","name");--> statement-breakpoint
CREATE INDEX "training_attendance_trainee_idx" ON "training_attendance" USING btree ("trainee_id");--> statement-breakpoint
CREATE INDEX "training_sessions_etown_idx" ON "training_sessions" USING btree ("etown_code","held_on");
--> statement-breakpoint
-- Training sessions and their attendance feed indicator 11 through the ledger the scorecards keep: each bumps
-- its e-town's data version like the ledger lists do (0022).
--> statement-breakpoint
CREATE TRIGGER training_sessions_versions_insert AFTER INSERT ON training_sessions REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER training_sessions_versions_update AFTER UPDATE ON training_sessions REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER training_sessions_versions_delete AFTER DELETE ON training_sessions REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER training_sessions_versions_truncate AFTER TRUNCATE ON training_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER training_attendance_versions_insert AFTER INSERT ON training_attendance REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER training_attendance_versions_update AFTER UPDATE ON training_attendance REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER training_attendance_versions_delete AFTER DELETE ON training_attendance REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER training_attendance_versions_truncate AFTER TRUNCATE ON training_attendance
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
