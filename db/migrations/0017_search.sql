-- Search (app/modules/search): trigram indexes for substring search, Chinese included (no word
-- boundaries). Written by hand: drizzle-kit does not declare extensions or operator classes, so
-- these indexes live here only; pg_trgm ships with PostgreSQL's contrib and with PGlite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "matters_search_trgm" ON "matters" USING gin (("title" || ' ' || "description") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "comments_search_trgm" ON "comments" USING gin ("body" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outcomes_search_trgm" ON "outcomes" USING gin ("decision" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "volunteer_activities_search_trgm" ON "volunteer_activities" USING gin (("title" || ' ' || "content") gin_trgm_ops);
