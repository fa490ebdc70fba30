ALTER TABLE "service_records" ADD COLUMN "late_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "volunteer_settings" ADD COLUMN "cap_margin_minutes" integer;--> statement-breakpoint
ALTER TABLE "volunteer_settings" ADD COLUMN "updated_by" integer;--> statement-breakpoint
ALTER TABLE "volunteer_settings" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "volunteer_settings" ADD CONSTRAINT "volunteer_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;