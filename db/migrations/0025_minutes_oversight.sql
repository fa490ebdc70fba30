CREATE TYPE "public"."objection_target" AS ENUM('matter', 'vote', 'commitment');--> statement-breakpoint
ALTER TYPE "public"."role_name" ADD VALUE 'supervisor';--> statement-breakpoint
ALTER TYPE "public"."vote_electorate" ADD VALUE 'representatives';--> statement-breakpoint
CREATE TABLE "room_minutes_corrections" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"body" text NOT NULL,
	"by" integer NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objections" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"matter_id" integer NOT NULL,
	"target" "objection_target" NOT NULL,
	"target_id" integer NOT NULL,
	"body" text NOT NULL,
	"filed_by" integer NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"answer_due" timestamp with time zone NOT NULL,
	"answer" text,
	"answered_by" integer,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "objection_answer_days" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "room_minutes" ADD COLUMN "confirm_by" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "room_minutes" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "room_minutes" ADD COLUMN "confirmed_by" integer;--> statement-breakpoint
ALTER TABLE "room_minutes_corrections" ADD CONSTRAINT "room_minutes_corrections_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_minutes_corrections" ADD CONSTRAINT "room_minutes_corrections_by_users_id_fk" FOREIGN KEY ("by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objections" ADD CONSTRAINT "objections_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objections" ADD CONSTRAINT "objections_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objections" ADD CONSTRAINT "objections_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objections" ADD CONSTRAINT "objections_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "room_minutes_corrections_session_idx" ON "room_minutes_corrections" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "objections_community_idx" ON "objections" USING btree ("community_id","answered_at");--> statement-breakpoint
CREATE INDEX "objections_matter_idx" ON "objections" USING btree ("matter_id");--> statement-breakpoint
ALTER TABLE "room_minutes" ADD CONSTRAINT "room_minutes_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;