CREATE TABLE "enterprise_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"token_sha256" text NOT NULL,
	"invitee_name" text NOT NULL,
	"invited_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_user_id" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprise_invitations_token_sha256_unique" UNIQUE("token_sha256")
);
--> statement-breakpoint
CREATE TABLE "batch_inspections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"inspected_on" date NOT NULL,
	"agency" text NOT NULL,
	"items" text NOT NULL,
	"result" text NOT NULL,
	"report_file_sha256" text,
	"report_file_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "brand_authorization_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"authorization_id" uuid NOT NULL,
	"action" text NOT NULL,
	"reason" text,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "brand_authorizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand_id" uuid NOT NULL,
	"entity_id" uuid NOT NULL,
	"product_names" text[] NOT NULL,
	"application_note" text,
	"status" text DEFAULT 'applied' NOT NULL,
	"certificate_number" text,
	"valid_from" date,
	"valid_to" date,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brand_authorizations_certificate_number_unique" UNIQUE("certificate_number"),
	CONSTRAINT "brand_authorizations_certificate" CHECK ("brand_authorizations"."status" in ('applied','rejected') or ("brand_authorizations"."certificate_number" is not null
        and "brand_authorizations"."valid_from" is not null and "brand_authorizations"."valid_to" is not null and "brand_authorizations"."valid_to" >= "brand_authorizations"."valid_from"))
);
--> statement-breakpoint
CREATE TABLE "brand_supervision_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"authorization_id" uuid NOT NULL,
	"checked_on" date NOT NULL,
	"result" text NOT NULL,
	"findings" text NOT NULL,
	"inspector_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"batch_number" text NOT NULL,
	"produced_on" date NOT NULL,
	"quantity" integer NOT NULL,
	"unit" text NOT NULL,
	"origin_base" text NOT NULL,
	"recalled_at" timestamp with time zone,
	"recall_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_batches_quantity" CHECK ("product_batches"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "product_certifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"issuer" text,
	"valid_from" date,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"file_sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_shops" (
	"product_id" uuid NOT NULL,
	"shop_id" uuid NOT NULL,
	"url" text,
	CONSTRAINT "product_shops_product_id_shop_id_pk" PRIMARY KEY("product_id","shop_id")
);
--> statement-breakpoint
CREATE TABLE "scan_anomalies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"run_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"scan_count" integer NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"review_note" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scan_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"run_id" uuid NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"region_code" text,
	"client" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace_code_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_number" bigserial NOT NULL,
	"batch_id" uuid NOT NULL,
	"first_serial" bigint NOT NULL,
	"count" integer NOT NULL,
	"created_by" uuid,
	"job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trace_code_runs_run_number_unique" UNIQUE("run_number"),
	CONSTRAINT "trace_code_runs_count" CHECK ("trace_code_runs"."count" between 1 and 1000000)
);
--> statement-breakpoint
CREATE TABLE "trace_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"serial" bigint NOT NULL,
	"first_scanned_at" timestamp with time zone,
	"last_scanned_at" timestamp with time zone,
	"scan_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "standard_text" text;--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "standard_file_sha256" text;--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "standard_file_name" text;--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "trademark_number" text;--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "owner_entity_id" uuid;--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "parent_brand_id" uuid;--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "brands" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "brand_id" uuid;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "entity_id" uuid;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "specification" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "price_fen" bigint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "enterprise_invitations" ADD CONSTRAINT "enterprise_invitations_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_invitations" ADD CONSTRAINT "enterprise_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_invitations" ADD CONSTRAINT "enterprise_invitations_accepted_user_id_users_id_fk" FOREIGN KEY ("accepted_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_inspections" ADD CONSTRAINT "batch_inspections_batch_id_product_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."product_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_authorization_events" ADD CONSTRAINT "brand_authorization_events_authorization_id_brand_authorizations_id_fk" FOREIGN KEY ("authorization_id") REFERENCES "public"."brand_authorizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_authorization_events" ADD CONSTRAINT "brand_authorization_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_authorizations" ADD CONSTRAINT "brand_authorizations_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_authorizations" ADD CONSTRAINT "brand_authorizations_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_authorizations" ADD CONSTRAINT "brand_authorizations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_supervision_checks" ADD CONSTRAINT "brand_supervision_checks_authorization_id_brand_authorizations_id_fk" FOREIGN KEY ("authorization_id") REFERENCES "public"."brand_authorizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_supervision_checks" ADD CONSTRAINT "brand_supervision_checks_inspector_id_users_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_batches" ADD CONSTRAINT "product_batches_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_batches" ADD CONSTRAINT "product_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_certifications" ADD CONSTRAINT "product_certifications_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_shops" ADD CONSTRAINT "product_shops_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_shops" ADD CONSTRAINT "product_shops_shop_id_entity_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."entity_shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scan_anomalies" ADD CONSTRAINT "scan_anomalies_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trace_code_runs" ADD CONSTRAINT "trace_code_runs_batch_id_product_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."product_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trace_code_runs" ADD CONSTRAINT "trace_code_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trace_codes" ADD CONSTRAINT "trace_codes_run_id_trace_code_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."trace_code_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprise_invitations_entity_idx" ON "enterprise_invitations" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "batch_inspections_batch_idx" ON "batch_inspections" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "brand_authorization_events_idx" ON "brand_authorization_events" USING btree ("authorization_id","at");--> statement-breakpoint
CREATE INDEX "brand_authorizations_brand_idx" ON "brand_authorizations" USING btree ("brand_id","status");--> statement-breakpoint
CREATE INDEX "brand_authorizations_entity_idx" ON "brand_authorizations" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "brand_supervision_checks_idx" ON "brand_supervision_checks" USING btree ("authorization_id","checked_on");--> statement-breakpoint
CREATE UNIQUE INDEX "product_batches_number_uq" ON "product_batches" USING btree ("product_id","batch_number");--> statement-breakpoint
CREATE INDEX "product_certifications_product_idx" ON "product_certifications" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "product_photos_product_idx" ON "product_photos" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scan_anomalies_code_kind_uq" ON "scan_anomalies" USING btree ("code","kind");--> statement-breakpoint
CREATE INDEX "scan_anomalies_status_idx" ON "scan_anomalies" USING btree ("status","detected_at");--> statement-breakpoint
CREATE INDEX "scan_events_code_idx" ON "scan_events" USING btree ("code");--> statement-breakpoint
CREATE INDEX "scan_events_run_at_idx" ON "scan_events" USING btree ("run_id","scanned_at");--> statement-breakpoint
CREATE INDEX "trace_code_runs_batch_idx" ON "trace_code_runs" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "trace_codes_run_idx" ON "trace_codes" USING btree ("run_id");--> statement-breakpoint
ALTER TABLE "brands" ADD CONSTRAINT "brands_owner_entity_id_entities_id_fk" FOREIGN KEY ("owner_entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brands" ADD CONSTRAINT "brands_parent_brand_id_brands_id_fk" FOREIGN KEY ("parent_brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;