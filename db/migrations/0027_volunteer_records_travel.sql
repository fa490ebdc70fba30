CREATE TYPE "public"."volunteer_move_status" AS ENUM('pending', 'accepted', 'declined', 'withdrawn');--> statement-breakpoint
CREATE TABLE "imported_volunteer_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"volunteer_id" integer NOT NULL,
	"issuer_origin" text NOT NULL,
	"key_id" text NOT NULL,
	"public_key" text NOT NULL,
	"document_sha256" text NOT NULL,
	"document" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"confirmed_minutes" integer NOT NULL,
	"record_count" integer NOT NULL,
	"imported_by" integer NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "imported_volunteer_records_once" UNIQUE("volunteer_id","document_sha256")
);
--> statement-breakpoint
CREATE TABLE "volunteer_training_attendees" (
	"training_id" integer NOT NULL,
	"volunteer_id" integer NOT NULL,
	CONSTRAINT "volunteer_training_attendees_training_id_volunteer_id_pk" PRIMARY KEY("training_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "volunteer_honours" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"volunteer_id" integer NOT NULL,
	"title" text NOT NULL,
	"citation" text DEFAULT '' NOT NULL,
	"given_on" date NOT NULL,
	"given_by" integer NOT NULL,
	"given_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_moves" (
	"id" serial PRIMARY KEY NOT NULL,
	"volunteer_id" integer NOT NULL,
	"from_community_id" integer NOT NULL,
	"to_community_id" integer NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"status" "volunteer_move_status" DEFAULT 'pending' NOT NULL,
	"decline_reason" text,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"requested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_trainings" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"recorded_by" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "volunteer_trainings_minutes" CHECK ("volunteer_trainings"."minutes" between 1 and 1440)
);
--> statement-breakpoint
ALTER TABLE "imported_volunteer_records" ADD CONSTRAINT "imported_volunteer_records_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_volunteer_records" ADD CONSTRAINT "imported_volunteer_records_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_training_attendees" ADD CONSTRAINT "volunteer_training_attendees_training_id_volunteer_trainings_id_fk" FOREIGN KEY ("training_id") REFERENCES "public"."volunteer_trainings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_training_attendees" ADD CONSTRAINT "volunteer_training_attendees_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_honours" ADD CONSTRAINT "volunteer_honours_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_honours" ADD CONSTRAINT "volunteer_honours_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_honours" ADD CONSTRAINT "volunteer_honours_given_by_users_id_fk" FOREIGN KEY ("given_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_moves" ADD CONSTRAINT "volunteer_moves_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_moves" ADD CONSTRAINT "volunteer_moves_from_community_id_areas_id_fk" FOREIGN KEY ("from_community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_moves" ADD CONSTRAINT "volunteer_moves_to_community_id_areas_id_fk" FOREIGN KEY ("to_community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_moves" ADD CONSTRAINT "volunteer_moves_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_trainings" ADD CONSTRAINT "volunteer_trainings_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_trainings" ADD CONSTRAINT "volunteer_trainings_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imported_volunteer_records_volunteer_idx" ON "imported_volunteer_records" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "volunteer_training_attendees_volunteer_idx" ON "volunteer_training_attendees" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "volunteer_honours_volunteer_idx" ON "volunteer_honours" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "volunteer_moves_to_idx" ON "volunteer_moves" USING btree ("to_community_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_moves_one_pending" ON "volunteer_moves" USING btree ("volunteer_id") WHERE "volunteer_moves"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "volunteer_trainings_team_idx" ON "volunteer_trainings" USING btree ("team_id","held_on");