ALTER TABLE "training_sessions" ADD COLUMN "sign_in_code_hash" text;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD COLUMN "sign_in_code_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "training_sessions_sign_in_code_unique" ON "training_sessions" USING btree ("sign_in_code_hash");