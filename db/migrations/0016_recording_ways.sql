CREATE TYPE "public"."record_method" AS ENUM('code', 'manual', 'group', 'declared', 'ecard', 'auto');--> statement-breakpoint
ALTER TYPE "public"."attendance_method" ADD VALUE 'group';--> statement-breakpoint
ALTER TYPE "public"."attendance_method" ADD VALUE 'ecard';--> statement-breakpoint
ALTER TYPE "public"."attendance_method" ADD VALUE 'auto';--> statement-breakpoint
ALTER TABLE "attendance" ADD COLUMN "walk_in" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "method" "record_method" DEFAULT 'manual' NOT NULL;--> statement-breakpoint
-- records made before this migration name the way their check-out was made (code or manual)
UPDATE "service_records" r SET "method" = 'code' FROM "attendance" a WHERE a."activity_id" = r."activity_id" AND a."volunteer_id" = r."volunteer_id" AND a."check_out_method" = 'code';
