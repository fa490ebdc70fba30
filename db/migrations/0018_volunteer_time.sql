CREATE TYPE "public"."record_method" AS ENUM('code', 'manual', 'group', 'declared', 'ecard', 'auto');--> statement-breakpoint
ALTER TYPE "public"."attendance_method" ADD VALUE 'group';--> statement-breakpoint
ALTER TYPE "public"."attendance_method" ADD VALUE 'ecard';--> statement-breakpoint
ALTER TYPE "public"."attendance_method" ADD VALUE 'auto';--> statement-breakpoint
ALTER TYPE "public"."service_record_status" ADD VALUE 'declined';--> statement-breakpoint
ALTER TABLE "attendance" ADD COLUMN "walk_in" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "method" "record_method" DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "decline_reason" text;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "declined_by" integer;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "declined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "late_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "volunteer_settings" ADD COLUMN "cap_margin_minutes" integer;--> statement-breakpoint
ALTER TABLE "volunteer_settings" ADD COLUMN "updated_by" integer;--> statement-breakpoint
ALTER TABLE "volunteer_settings" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "volunteers" ADD COLUMN "ecard_generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_declined_by_users_id_fk" FOREIGN KEY ("declined_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_settings" ADD CONSTRAINT "volunteer_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- records made before this migration name the way their check-out was made (code or manual)
UPDATE "service_records" r SET "method" = 'code' FROM "attendance" a WHERE a."activity_id" = r."activity_id" AND a."volunteer_id" = r."volunteer_id" AND a."check_out_method" = 'code';
