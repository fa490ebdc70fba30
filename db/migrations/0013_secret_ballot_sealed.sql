ALTER TABLE "ballots" ALTER COLUMN "channel" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "vote_participation" ADD COLUMN "receipt_mac" text;--> statement-breakpoint
ALTER TABLE "vote_participation" ADD COLUMN "sealed" text;--> statement-breakpoint
CREATE UNIQUE INDEX "vote_participation_receipt_idx" ON "vote_participation" USING btree ("vote_id","receipt_mac") WHERE receipt_mac is not null;