CREATE TABLE "fund_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"region_code" text NOT NULL,
	"application_id" uuid,
	"balance_fen" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_accounts_identity_uq" UNIQUE NULLS NOT DISTINCT("kind","source","region_code","application_id"),
	CONSTRAINT "fund_accounts_non_negative" CHECK ("fund_accounts"."kind" = 'source' or "fund_accounts"."balance_fen" >= 0),
	CONSTRAINT "fund_accounts_application" CHECK (("fund_accounts"."kind" in ('commitment', 'paid')) = ("fund_accounts"."application_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "fund_application_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"file_sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fund_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"etown_code" text NOT NULL,
	"entity_id" uuid,
	"applicant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"requested_fen" bigint NOT NULL,
	"approved_fen" bigint,
	"status" text DEFAULT 'submitted' NOT NULL,
	"review_reason" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_applications_requested" CHECK ("fund_applications"."requested_fen" > 0),
	CONSTRAINT "fund_applications_approved" CHECK ("fund_applications"."approved_fen" is null or ("fund_applications"."approved_fen" > 0 and "fund_applications"."approved_fen" <= "fund_applications"."requested_fen"))
);
--> statement-breakpoint
CREATE TABLE "fund_disbursements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"instalment" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"paid_on" date NOT NULL,
	"voucher_number" text NOT NULL,
	"transaction_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_disbursements_instalment_uq" UNIQUE("application_id","instalment"),
	CONSTRAINT "fund_disbursements_amount" CHECK ("fund_disbursements"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "fund_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "fund_entries_non_zero" CHECK ("fund_entries"."amount_fen" <> 0)
);
--> statement-breakpoint
CREATE TABLE "fund_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"name" text NOT NULL,
	"support_mode" text NOT NULL,
	"source" text NOT NULL,
	"standard_kind" text NOT NULL,
	"amount_fen" bigint,
	"rate_bp" integer,
	"cap_fen" bigint,
	"conditions" text NOT NULL,
	"document_title" text NOT NULL,
	"document_number" text NOT NULL,
	"issued_on" date NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_policies_standard" CHECK (("fund_policies"."standard_kind" = 'amount' and "fund_policies"."amount_fen" > 0 and "fund_policies"."rate_bp" is null)
        or ("fund_policies"."standard_kind" = 'rate' and "fund_policies"."rate_bp" between 1 and 10000 and "fund_policies"."amount_fen" is null)),
	CONSTRAINT "fund_policies_cap" CHECK ("fund_policies"."cap_fen" is null or "fund_policies"."cap_fen" > 0),
	CONSTRAINT "fund_policies_validity" CHECK ("fund_policies"."valid_to" is null or "fund_policies"."valid_to" >= "fund_policies"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "fund_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"application_id" uuid,
	"memo" text NOT NULL,
	"reference" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"route" text NOT NULL,
	"request_sha256" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "fund_accounts" ADD CONSTRAINT "fund_accounts_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_accounts" ADD CONSTRAINT "fund_accounts_application_id_fund_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."fund_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_application_files" ADD CONSTRAINT "fund_application_files_application_id_fund_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."fund_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_application_files" ADD CONSTRAINT "fund_application_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_applications" ADD CONSTRAINT "fund_applications_policy_id_fund_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."fund_policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_applications" ADD CONSTRAINT "fund_applications_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_applications" ADD CONSTRAINT "fund_applications_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_applications" ADD CONSTRAINT "fund_applications_applicant_id_users_id_fk" FOREIGN KEY ("applicant_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_applications" ADD CONSTRAINT "fund_applications_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disbursements" ADD CONSTRAINT "fund_disbursements_application_id_fund_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."fund_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disbursements" ADD CONSTRAINT "fund_disbursements_transaction_id_fund_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."fund_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disbursements" ADD CONSTRAINT "fund_disbursements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_transaction_id_fund_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."fund_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_account_id_fund_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."fund_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_policies" ADD CONSTRAINT "fund_policies_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_policies" ADD CONSTRAINT "fund_policies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_transactions" ADD CONSTRAINT "fund_transactions_application_id_fund_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."fund_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_transactions" ADD CONSTRAINT "fund_transactions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fund_application_files_idx" ON "fund_application_files" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "fund_applications_etown_idx" ON "fund_applications" USING btree ("etown_code","status");--> statement-breakpoint
CREATE INDEX "fund_entries_transaction_idx" ON "fund_entries" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "fund_entries_account_idx" ON "fund_entries" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "fund_policies_region_idx" ON "fund_policies" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "fund_transactions_application_idx" ON "fund_transactions" USING btree ("application_id");