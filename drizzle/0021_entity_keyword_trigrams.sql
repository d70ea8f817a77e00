-- Trigram indexes need pg_trgm (trusted since PostgreSQL 13: the database owner may create it; PGlite loads it from
-- @electric-sql/pglite/contrib/pg_trgm, see src/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- The distinct pairs of adjacent characters of a text, lower-cased: a two-character keyword has no trigram, so the
-- entities' name is also indexed by these (entities.service.ts asks `ezhen_bigrams(name) @> array[keyword]`).
CREATE FUNCTION ezhen_bigrams(value text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(lower(value), i, 2)), '{}')
  FROM generate_series(1, char_length(value) - 1) AS i
$$;--> statement-breakpoint
CREATE INDEX "entities_name_trgm_idx" ON "entities" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "entities_credit_code_trgm_idx" ON "entities" USING gin ("credit_code" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "entities_name_bigrams_idx" ON "entities" USING gin (ezhen_bigrams("name"));