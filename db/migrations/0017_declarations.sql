ALTER TYPE "public"."service_record_status" ADD VALUE 'declined';--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "decline_reason" text;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "declined_by" integer;--> statement-breakpoint
ALTER TABLE "service_records" ADD COLUMN "declined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_declined_by_users_id_fk" FOREIGN KEY ("declined_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;