CREATE TABLE "county_fund_settings" (
	"county_code" text PRIMARY KEY NOT NULL,
	"disbursement_approval_required" boolean DEFAULT false NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fund_disbursement_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"voucher_number" text NOT NULL,
	"note" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"disbursement_id" uuid,
	CONSTRAINT "fund_disbursement_requests_amount" CHECK ("fund_disbursement_requests"."amount_fen" > 0),
	CONSTRAINT "fund_disbursement_requests_decided" CHECK (("fund_disbursement_requests"."status" = 'approved') = ("fund_disbursement_requests"."disbursement_id" is not null)
        and ("fund_disbursement_requests"."status" = 'pending') = ("fund_disbursement_requests"."decided_at" is null))
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "fund_disbursements" ADD COLUMN "approved_by" uuid;--> statement-breakpoint
ALTER TABLE "compliance_incidents" ADD COLUMN "recorded_by" uuid;--> statement-breakpoint
ALTER TABLE "compliance_incidents" ADD COLUMN "answer" text;--> statement-breakpoint
ALTER TABLE "compliance_incidents" ADD COLUMN "answered_by" uuid;--> statement-breakpoint
ALTER TABLE "compliance_incidents" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "county_fund_settings" ADD CONSTRAINT "county_fund_settings_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "county_fund_settings" ADD CONSTRAINT "county_fund_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disbursement_requests" ADD CONSTRAINT "fund_disbursement_requests_application_id_fund_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."fund_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disbursement_requests" ADD CONSTRAINT "fund_disbursement_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disbursement_requests" ADD CONSTRAINT "fund_disbursement_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disbursement_requests" ADD CONSTRAINT "fund_disbursement_requests_disbursement_id_fund_disbursements_id_fk" FOREIGN KEY ("disbursement_id") REFERENCES "public"."fund_disbursements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fund_disbursement_requests_application_idx" ON "fund_disbursement_requests" USING btree ("application_id","status");--> statement-breakpoint
ALTER TABLE "fund_disbursements" ADD CONSTRAINT "fund_disbursements_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_incidents" ADD CONSTRAINT "compliance_incidents_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_incidents" ADD CONSTRAINT "compliance_incidents_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_region_idx" ON "audit_log" USING btree ("region_code" text_pattern_ops,"id");