-- Trigram indexes need pg_trgm (trusted since PostgreSQL 13: the database owner may create it; PGlite loads it from
-- @electric-sql/pglite/contrib/pg_trgm, see src/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "entities_name_trgm_idx" ON "entities" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "entities_credit_code_trgm_idx" ON "entities" USING gin ("credit_code" gin_trgm_ops);