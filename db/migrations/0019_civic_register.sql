CREATE TYPE "public"."register_source" AS ENUM('census', 'household_register', 'other');--> statement-breakpoint
ALTER TYPE "public"."consultation_form" ADD VALUE 'representatives';--> statement-breakpoint
CREATE TABLE "community_register" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"residents" integer NOT NULL,
	"adults" integer NOT NULL,
	"households" integer NOT NULL,
	"as_of" date NOT NULL,
	"source" "register_source" NOT NULL,
	"note" text,
	"recorded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "community_representatives" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"term_start" date NOT NULL,
	"term_end" date,
	"added_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "birth_year" integer;--> statement-breakpoint
ALTER TABLE "matters" ADD COLUMN "notice_days" integer;--> statement-breakpoint
ALTER TABLE "matters" ADD COLUMN "public_names" "public_names";--> statement-breakpoint
ALTER TABLE "votes" ADD COLUMN "quorum_base" jsonb;--> statement-breakpoint
ALTER TABLE "community_register" ADD CONSTRAINT "community_register_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_register" ADD CONSTRAINT "community_register_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_representatives" ADD CONSTRAINT "community_representatives_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_representatives" ADD CONSTRAINT "community_representatives_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_representatives" ADD CONSTRAINT "community_representatives_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "community_register_idx" ON "community_register" USING btree ("community_id","as_of","id");--> statement-breakpoint
CREATE INDEX "community_representatives_idx" ON "community_representatives" USING btree ("community_id","user_id");