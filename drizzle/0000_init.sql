CREATE TABLE "expert_assignments" (
	"user_id" uuid NOT NULL,
	"etown_code" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expert_assignments_user_id_etown_code_pk" PRIMARY KEY("user_id","etown_code")
);
--> statement-breakpoint
CREATE TABLE "login_throttles" (
	"username" text PRIMARY KEY NOT NULL,
	"failed_count" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_failed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"scope_region_code" text,
	"entity_id" uuid,
	"password_hash" text NOT NULL,
	"must_change_password" boolean DEFAULT true NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"totp_secret_encrypted" text,
	"totp_enabled" boolean DEFAULT false NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"last_login_at" timestamp with time zone,
	"password_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_username_shape" CHECK ("users"."username" ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
	CONSTRAINT "users_scope_by_role" CHECK (("users"."role" in ('province_admin','auditor','security_admin','system_admin','expert'))
        or "users"."scope_region_code" is not null)
);
--> statement-breakpoint
CREATE TABLE "audit_chain_head" (
	"id" smallint PRIMARY KEY NOT NULL,
	"last_id" bigint NOT NULL,
	"hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_chain_head_single_row" CHECK ("audit_chain_head"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"user_id" text,
	"username" text,
	"role" text,
	"ip" text,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"diff" jsonb,
	"result" text NOT NULL,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "entities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"credit_code" text NOT NULL,
	"name" text NOT NULL,
	"etown_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entities_credit_code_unique" UNIQUE("credit_code")
);
--> statement-breakpoint
CREATE TABLE "county_tier_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"county_code" text NOT NULL,
	"previous_tier" text,
	"tier" text NOT NULL,
	"reason" text,
	"changed_by" uuid,
	"changed_by_name" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "etown_profiles" (
	"code" text PRIMARY KEY NOT NULL,
	"villages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"boundary_east" text,
	"boundary_west" text,
	"boundary_south" text,
	"boundary_north" text,
	"land_area_km2" numeric(12, 4),
	"building_area_m2" numeric(14, 2),
	"boundary" jsonb,
	"boundary_area_km2" numeric(14, 6),
	"leading_industries" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"operating_entity" text,
	"phases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leading_group_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"unit_id" uuid,
	"position" text NOT NULL,
	"person_name" text NOT NULL,
	"title" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"since" date,
	"until" date,
	"replaces_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leading_group_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"name" text NOT NULL,
	"duties" text,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leading_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"name" text NOT NULL,
	"doc_no" text,
	"established_on" date,
	"responsibilities" text,
	"office_location" text,
	"member_change_rule" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	"tier" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "regions_code_shape" CHECK (("regions"."level" = 'province' and "regions"."code" ~ '^[0-9]{2}$')
        or ("regions"."level" = 'city' and "regions"."code" ~ '^[0-9]{4}$')
        or ("regions"."level" = 'county' and "regions"."code" ~ '^[0-9]{6}$')
        or ("regions"."level" = 'etown' and "regions"."code" ~ '^[0-9]{6}-E[0-9]{2}$')),
	CONSTRAINT "regions_tier_only_on_counties" CHECK ("regions"."tier" is null or "regions"."level" = 'county')
);
--> statement-breakpoint
CREATE TABLE "system_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
ALTER TABLE "expert_assignments" ADD CONSTRAINT "expert_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_assignments" ADD CONSTRAINT "expert_assignments_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_scope_region_code_regions_code_fk" FOREIGN KEY ("scope_region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entities" ADD CONSTRAINT "entities_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "county_tier_changes" ADD CONSTRAINT "county_tier_changes_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "etown_profiles" ADD CONSTRAINT "etown_profiles_code_regions_code_fk" FOREIGN KEY ("code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD CONSTRAINT "leading_group_members_group_id_leading_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."leading_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD CONSTRAINT "leading_group_members_unit_id_leading_group_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."leading_group_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD CONSTRAINT "leading_group_members_replaces_id_leading_group_members_id_fk" FOREIGN KEY ("replaces_id") REFERENCES "public"."leading_group_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_group_units" ADD CONSTRAINT "leading_group_units_group_id_leading_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."leading_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_groups" ADD CONSTRAINT "leading_groups_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_code_regions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_log_username_idx" ON "audit_log" USING btree ("username");--> statement-breakpoint
CREATE INDEX "entities_etown_idx" ON "entities" USING btree ("etown_code");--> statement-breakpoint
CREATE INDEX "county_tier_changes_county_idx" ON "county_tier_changes" USING btree ("county_code","changed_at");--> statement-breakpoint
CREATE INDEX "leading_group_members_group_idx" ON "leading_group_members" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "leading_group_units_group_idx" ON "leading_group_units" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "leading_groups_region_idx" ON "leading_groups" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "regions_parent_code_idx" ON "regions" USING btree ("parent_code");