CREATE TYPE "public"."room_checkin_method" AS ENUM('list', 'code', 'name');--> statement-breakpoint
CREATE TYPE "public"."room_minutes_response" AS ENUM('confirm', 'comment');--> statement-breakpoint
CREATE TYPE "public"."room_reaction" AS ENUM('agree', 'disagree', 'pass');--> statement-breakpoint
CREATE TYPE "public"."room_session_status" AS ENUM('scheduled', 'open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."room_stance" AS ENUM('support', 'oppose', 'neutral', 'question');--> statement-breakpoint
CREATE TABLE "room_agenda_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"minutes" integer NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "room_attendance" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"user_id" integer,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"in_person" boolean NOT NULL,
	"method" "room_checkin_method",
	"checked_in_by" integer,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"actor_id" integer,
	"payload" jsonb NOT NULL,
	"audience" text DEFAULT 'all' NOT NULL,
	"client_key" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_hands" (
	"session_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	CONSTRAINT "room_hands_session_id_user_id_pk" PRIMARY KEY("session_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "room_minutes" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"compiled" jsonb NOT NULL,
	"compiled_at" timestamp with time zone NOT NULL,
	"summary" text,
	"summary_by" integer,
	"summary_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "room_minutes_responses" (
	"session_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"kind" "room_minutes_response" NOT NULL,
	"comment" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "room_minutes_responses_session_id_user_id_pk" PRIMARY KEY("session_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "room_mutes" (
	"session_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"muted_by" integer NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "room_mutes_session_id_user_id_pk" PRIMARY KEY("session_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "room_questions" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"body" text NOT NULL,
	"surfaced_at" timestamp with time zone,
	"surfaced_by" integer,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_reactions" (
	"statement_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"value" "room_reaction" NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "room_reactions_statement_id_user_id_pk" PRIMARY KEY("statement_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "room_sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"place" text,
	"moderator_id" integer NOT NULL,
	"status" "room_session_status" DEFAULT 'scheduled' NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"checkin_code" text NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"current_item_id" integer,
	"item_started_at" timestamp with time zone,
	"item_extra_seconds" integer DEFAULT 0 NOT NULL,
	"floor_user_id" integer,
	"turn_started_at" timestamp with time zone,
	"turn_seconds" integer DEFAULT 180 NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_statements" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"agenda_item_id" integer,
	"author_id" integer,
	"speaker_name" text,
	"recorded_by" integer,
	"stance" "room_stance" NOT NULL,
	"reply_to_id" integer,
	"body" text NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_reason" text,
	"hidden_by" integer,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_turns" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "room_agenda_items" ADD CONSTRAINT "room_agenda_items_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_attendance" ADD CONSTRAINT "room_attendance_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_attendance" ADD CONSTRAINT "room_attendance_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_attendance" ADD CONSTRAINT "room_attendance_checked_in_by_users_id_fk" FOREIGN KEY ("checked_in_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_events" ADD CONSTRAINT "room_events_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_events" ADD CONSTRAINT "room_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_hands" ADD CONSTRAINT "room_hands_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_hands" ADD CONSTRAINT "room_hands_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_minutes" ADD CONSTRAINT "room_minutes_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_minutes" ADD CONSTRAINT "room_minutes_summary_by_users_id_fk" FOREIGN KEY ("summary_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_minutes_responses" ADD CONSTRAINT "room_minutes_responses_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_minutes_responses" ADD CONSTRAINT "room_minutes_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_mutes" ADD CONSTRAINT "room_mutes_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_mutes" ADD CONSTRAINT "room_mutes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_mutes" ADD CONSTRAINT "room_mutes_muted_by_users_id_fk" FOREIGN KEY ("muted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_questions" ADD CONSTRAINT "room_questions_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_questions" ADD CONSTRAINT "room_questions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_questions" ADD CONSTRAINT "room_questions_surfaced_by_users_id_fk" FOREIGN KEY ("surfaced_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_reactions" ADD CONSTRAINT "room_reactions_statement_id_room_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."room_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_reactions" ADD CONSTRAINT "room_reactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_sessions" ADD CONSTRAINT "room_sessions_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_sessions" ADD CONSTRAINT "room_sessions_moderator_id_users_id_fk" FOREIGN KEY ("moderator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_sessions" ADD CONSTRAINT "room_sessions_floor_user_id_users_id_fk" FOREIGN KEY ("floor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_sessions" ADD CONSTRAINT "room_sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_statements" ADD CONSTRAINT "room_statements_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_statements" ADD CONSTRAINT "room_statements_agenda_item_id_room_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."room_agenda_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_statements" ADD CONSTRAINT "room_statements_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_statements" ADD CONSTRAINT "room_statements_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_statements" ADD CONSTRAINT "room_statements_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_turns" ADD CONSTRAINT "room_turns_session_id_room_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."room_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_turns" ADD CONSTRAINT "room_turns_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "room_agenda_items_order" ON "room_agenda_items" USING btree ("session_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "room_attendance_once" ON "room_attendance" USING btree ("session_id","user_id","in_person");--> statement-breakpoint
CREATE INDEX "room_attendance_session_idx" ON "room_attendance" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "room_events_seq" ON "room_events" USING btree ("session_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "room_events_client_key" ON "room_events" USING btree ("session_id","client_key");--> statement-breakpoint
CREATE INDEX "room_questions_session_idx" ON "room_questions" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "room_sessions_matter_idx" ON "room_sessions" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "room_statements_session_idx" ON "room_statements" USING btree ("session_id","id");--> statement-breakpoint
CREATE INDEX "room_turns_session_idx" ON "room_turns" USING btree ("session_id");