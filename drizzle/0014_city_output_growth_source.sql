ALTER TABLE "city_output_growth" ADD COLUMN "source" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "city_output_growth" ADD COLUMN "updated_by" uuid;--> statement-breakpoint
ALTER TABLE "city_output_growth" ADD CONSTRAINT "city_output_growth_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;