ALTER TYPE "public"."vote_state" ADD VALUE 'scheduled';--> statement-breakpoint
ALTER TYPE "public"."vote_state" ADD VALUE 'cancelled';--> statement-breakpoint
ALTER TABLE "votes" ADD COLUMN "opens_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "votes_opening_idx" ON "votes" USING btree ("state","opens_at");