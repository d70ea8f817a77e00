CREATE TABLE "brands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"name" text NOT NULL,
	"brand_name" text NOT NULL,
	"online" boolean NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotion_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"kind" text NOT NULL,
	"held_on" date NOT NULL,
	"title" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"doc_no" text,
	"issued_on" date NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entity_tags" (
	"entity_id" uuid NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "entity_tags_entity_id_tag_pk" PRIMARY KEY("entity_id","tag")
);
--> statement-breakpoint
CREATE TABLE "pavilions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"platform" text NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supply_chains" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"occurred_on" date NOT NULL,
	"category" text NOT NULL,
	"description" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"building_area_m2" numeric(14, 2) NOT NULL,
	"features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "investments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"project" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"invested_on" date NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investments_amount_non_negative" CHECK ("investments"."amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "city_output_growth" (
	"city_code" text NOT NULL,
	"year" integer NOT NULL,
	"growth_pct" numeric(10, 4) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "city_output_growth_city_code_year_pk" PRIMARY KEY("city_code","year")
);
--> statement-breakpoint
CREATE TABLE "monthly_statistics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"month" text NOT NULL,
	"output_fen" bigint NOT NULL,
	"online_retail_fen" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monthly_statistics_entity_month" UNIQUE("entity_id","month"),
	CONSTRAINT "monthly_statistics_month_shape" CHECK ("monthly_statistics"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "monthly_statistics_money_non_negative" CHECK ("monthly_statistics"."output_fen" >= 0 and "monthly_statistics"."online_retail_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "talent_people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trainings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etown_code" text NOT NULL,
	"held_on" date NOT NULL,
	"title" text NOT NULL,
	"cross_border" boolean NOT NULL,
	"attendance" integer NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trainings_attendance_non_negative" CHECK ("trainings"."attendance" >= 0)
);
--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "legal_entity" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "registered_on" date;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "sort_order" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "brands" ADD CONSTRAINT "brands_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_channels" ADD CONSTRAINT "media_channels_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_events" ADD CONSTRAINT "promotion_events_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_documents" ADD CONSTRAINT "policy_documents_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entity_tags" ADD CONSTRAINT "entity_tags_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pavilions" ADD CONSTRAINT "pavilions_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supply_chains" ADD CONSTRAINT "supply_chains_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_incidents" ADD CONSTRAINT "compliance_incidents_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investments" ADD CONSTRAINT "investments_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "city_output_growth" ADD CONSTRAINT "city_output_growth_city_code_regions_code_fk" FOREIGN KEY ("city_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD CONSTRAINT "monthly_statistics_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_statistics" ADD CONSTRAINT "monthly_statistics_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talent_people" ADD CONSTRAINT "talent_people_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "brands_etown_idx" ON "brands" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "media_channels_etown_idx" ON "media_channels" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "products_etown_idx" ON "products" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "promotion_events_etown_idx" ON "promotion_events" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "policy_documents_etown_idx" ON "policy_documents" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "pavilions_etown_idx" ON "pavilions" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "supply_chains_etown_idx" ON "supply_chains" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "compliance_incidents_etown_idx" ON "compliance_incidents" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "facilities_etown_idx" ON "facilities" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "investments_etown_idx" ON "investments" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "monthly_statistics_etown_month_idx" ON "monthly_statistics" USING btree ("etown_code","month");--> statement-breakpoint
CREATE INDEX "talent_people_etown_idx" ON "talent_people" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "trainings_etown_idx" ON "trainings" USING btree ("etown_code");