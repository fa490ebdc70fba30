CREATE TYPE "public"."appeal_status" AS ENUM('pending', 'upheld', 'overturned');--> statement-breakpoint
CREATE TYPE "public"."moderation_status" AS ENUM('open', 'pending', 'kept', 'hidden');--> statement-breakpoint
CREATE TYPE "public"."moderation_target" AS ENUM('comment');--> statement-breakpoint
CREATE TYPE "public"."report_reason" AS ENUM('abuse', 'personal_info', 'off_topic', 'false_info');--> statement-breakpoint
CREATE TABLE "content_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_type" "moderation_target" NOT NULL,
	"target_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"reason" "report_reason" NOT NULL,
	"note" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "content_reports_once" UNIQUE("target_type","target_id","reporter_id")
);
--> statement-breakpoint
CREATE TABLE "moderation_cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_type" "moderation_target" NOT NULL,
	"target_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"matter_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"status" "moderation_status" DEFAULT 'open' NOT NULL,
	"report_count" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"public_reason" text,
	"appeal_text" text,
	"appealed_at" timestamp with time zone,
	"appeal_status" "appeal_status",
	"appeal_reason" text,
	"appeal_decided_by" integer,
	"appeal_decided_at" timestamp with time zone,
	CONSTRAINT "moderation_cases_target" UNIQUE("target_type","target_id")
);
--> statement-breakpoint
ALTER TABLE "content_reports" ADD CONSTRAINT "content_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_cases" ADD CONSTRAINT "moderation_cases_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_cases" ADD CONSTRAINT "moderation_cases_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_cases" ADD CONSTRAINT "moderation_cases_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_cases" ADD CONSTRAINT "moderation_cases_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_cases" ADD CONSTRAINT "moderation_cases_appeal_decided_by_users_id_fk" FOREIGN KEY ("appeal_decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "moderation_cases_queue" ON "moderation_cases" USING btree ("community_id","status");--> statement-breakpoint
CREATE INDEX "moderation_cases_appeals" ON "moderation_cases" USING btree ("appeal_status");