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
ALTER TABLE "trainee_follow_ups" ADD CONSTRAINT "trainee_follow_ups_trainee_id_trainees_id_fk" FOREIGN KEY ("trainee_id") REFERENCES "public"."trainees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainee_follow_ups" ADD CONSTRAINT "trainee_follow_ups_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainees" ADD CONSTRAINT "trainees_etown_code_regions_code_fk" FOREIGN KEY ("etown_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trainee_follow_ups_trainee_idx" ON "trainee_follow_ups" USING btree ("trainee_id","happened_on");--> statement-breakpoint
CREATE UNIQUE INDEX "trainees_id_number_index_unique" ON "trainees" USING btree ("id_number_index");--> statement-breakpoint
CREATE INDEX "trainees_etown_idx" ON "trainees" USING btree ("etown_code","name");