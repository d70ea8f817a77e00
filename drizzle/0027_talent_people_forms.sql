CREATE TABLE "talent_person_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "source" text DEFAULT 'ledger' NOT NULL;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "expertise" text;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "employer" text;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "engaged_from" date;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "engaged_to" date;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "entity_id" uuid;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "leads" text;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "platform" text;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "account" text;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "followers" integer;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "monthly_sales_fen" bigint;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "sales_month" text;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "talent_people" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "talent_person_evidence" ADD CONSTRAINT "talent_person_evidence_person_id_talent_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."talent_people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "talent_person_evidence_person_idx" ON "talent_person_evidence" USING btree ("person_id");--> statement-breakpoint
ALTER TABLE "talent_people" ADD CONSTRAINT "talent_people_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talent_people" ADD CONSTRAINT "talent_people_followers_non_negative" CHECK ("talent_people"."followers" is null or "talent_people"."followers" >= 0);--> statement-breakpoint
ALTER TABLE "talent_people" ADD CONSTRAINT "talent_people_sales_non_negative" CHECK ("talent_people"."monthly_sales_fen" is null or "talent_people"."monthly_sales_fen" >= 0);