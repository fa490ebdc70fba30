ALTER TABLE "notification_deliveries" ADD COLUMN "bundle_key" text;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "sms_urgent_kinds" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "matter_id" integer;--> statement-breakpoint
ALTER TABLE "matter_follows" ADD COLUMN "muted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "notification_deliveries_bundle_idx" ON "notification_deliveries" USING btree ("bundle_key");--> statement-breakpoint
CREATE INDEX "notification_deliveries_notification_idx" ON "notification_deliveries" USING btree ("notification_id");--> statement-breakpoint
CREATE INDEX "notifications_matter_idx" ON "notifications" USING btree ("matter_id","created_at");--> statement-breakpoint
-- hand-written: notices written before this migration name their matter only in their link
UPDATE "notifications" SET "matter_id" = substring("link" from '^/matters/([0-9]{1,9})(?:[/?#]|$)')::integer WHERE "link" ~ '^/matters/[0-9]{1,9}([/?#]|$)';
