ALTER TABLE "matters" ADD COLUMN "notice_days" integer;--> statement-breakpoint
ALTER TABLE "matters" ADD COLUMN "public_names" "public_names";