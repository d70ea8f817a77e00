-- A keyword of one or two characters is tested row by row with `ilike` (entities.service.ts): the index of the name's
-- character pairs (0021) made PostgreSQL run ezhen_bigrams, a SQL function some thirty times slower than `ilike`, on
-- every row whenever the planner read rows rather than the index (a credit-code search alongside, a common keyword).
DROP INDEX "entities_name_bigrams_idx";--> statement-breakpoint
DROP FUNCTION ezhen_bigrams(text);
