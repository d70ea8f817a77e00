CREATE TABLE "entity_shops" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"shop_name" text NOT NULL,
	"url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"occurred_on" date NOT NULL,
	"points" integer NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_records_points_sign" CHECK (("credit_records"."kind" = 'good' and "credit_records"."points" >= 0) or ("credit_records"."kind" = 'violation' and "credit_records"."points" <= 0))
);
--> statement-breakpoint
CREATE TABLE "entity_tag_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"effective_on" date NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entry_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"applicant_id" uuid NOT NULL,
	"proposal" jsonb NOT NULL,
	"statement" text,
	"status" text DEFAULT 'submitted' NOT NULL,
	"entity_id" uuid,
	"review_reason" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stats_deadlines" (
	"month" text PRIMARY KEY NOT NULL,
	"deadline" date NOT NULL,
	"set_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "entity_type" text DEFAULT 'enterprise' NOT NULL;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "contact_name" text;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "contact_phone_cipher" text;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "contact_phone_masked" text;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "credit_code_override" text;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "exited_on" date;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "exit_reason" text;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "entity_tags" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "entity_tags" ADD COLUMN "tagged_on" date;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "cross_border_fen" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "orders" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "employees" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "ecommerce_employees" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "status" text DEFAULT 'approved' NOT NULL;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "source" text DEFAULT 'ledger' NOT NULL;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "outlier_explanation" text;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "submitted_by" uuid;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "return_reason" text;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "reopen_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "entity_shops" ADD CONSTRAINT "entity_shops_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_records" ADD CONSTRAINT "credit_records_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_records" ADD CONSTRAINT "credit_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entity_tag_events" ADD CONSTRAINT "entity_tag_events_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entity_tag_events" ADD CONSTRAINT "entity_tag_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_applications" ADD CONSTRAINT "entry_applications_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_applications" ADD CONSTRAINT "entry_applications_applicant_id_users_id_fk" FOREIGN KEY ("applicant_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_applications" ADD CONSTRAINT "entry_applications_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_applications" ADD CONSTRAINT "entry_applications_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stats_deadlines" ADD CONSTRAINT "stats_deadlines_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entity_shops_entity_idx" ON "entity_shops" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "credit_records_entity_idx" ON "credit_records" USING btree ("entity_id","occurred_on");--> statement-breakpoint
CREATE INDEX "entity_tag_events_entity_idx" ON "entity_tag_events" USING btree ("entity_id","at");--> statement-breakpoint
CREATE INDEX "entry_applications_etown_idx" ON "entry_applications" USING btree ("etown_code","status");--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD CONSTRAINT "monthly_statistics_counts_non_negative" CHECK ("monthly_statistics"."cross_border_fen" >= 0 and "monthly_statistics"."orders" >= 0 and "monthly_statistics"."employees" >= 0 and "monthly_statistics"."ecommerce_employees" >= 0);