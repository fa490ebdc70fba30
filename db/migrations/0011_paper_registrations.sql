ALTER TABLE "panel_registrations" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "panel_registrations" ADD COLUMN "paper_ref" text;--> statement-breakpoint
CREATE UNIQUE INDEX "panel_registrations_paper" ON "panel_registrations" USING btree ("matter_id","paper_ref");--> statement-breakpoint
ALTER TABLE "panel_registrations" ADD CONSTRAINT "panel_registrations_who" CHECK ("panel_registrations"."user_id" is not null or "panel_registrations"."paper_ref" is not null);