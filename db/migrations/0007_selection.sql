CREATE TYPE "public"."fixed_seat_reason" AS ENUM('proposer', 'affected', 'owners_committee', 'property_company', 'deputy', 'expert', 'other');--> statement-breakpoint
CREATE TYPE "public"."panel_member_source" AS ENUM('fixed', 'lottery', 'reserve');--> statement-breakpoint
CREATE TYPE "public"."panel_member_status" AS ENUM('invited', 'accepted', 'declined', 'expired');--> statement-breakpoint
CREATE TYPE "public"."panel_plan_status" AS ENUM('draft', 'open', 'computed', 'drawn');--> statement-breakpoint
CREATE TABLE "panel_fixed_seats" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"user_id" integer,
	"name" text NOT NULL,
	"reason" "fixed_seat_reason" NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "panel_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"user_id" integer,
	"fixed_seat_id" integer,
	"registration_id" integer,
	"source" "panel_member_source" NOT NULL,
	"status" "panel_member_status" DEFAULT 'invited' NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"invited_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"replaces_id" integer
);
--> statement-breakpoint
CREATE TABLE "panel_plans" (
	"matter_id" integer PRIMARY KEY NOT NULL,
	"panel_size" integer NOT NULL,
	"one_per_household" boolean DEFAULT true NOT NULL,
	"registration_deadline" timestamp with time zone NOT NULL,
	"attributes" jsonb NOT NULL,
	"quotas" jsonb NOT NULL,
	"status" "panel_plan_status" DEFAULT 'draft' NOT NULL,
	"pool_digest" text,
	"distribution" jsonb,
	"distribution_digest" text,
	"solver_report" jsonb,
	"commitment" text,
	"secret" text,
	"secret_revealed" boolean DEFAULT false NOT NULL,
	"entropy" text,
	"seed" text,
	"drawn_at" timestamp with time zone,
	"response_days" integer DEFAULT 3 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "panel_registrations" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"pseudonym" text NOT NULL,
	"household" text NOT NULL,
	"answers" jsonb NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "panel_fixed_seats" ADD CONSTRAINT "panel_fixed_seats_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_fixed_seats" ADD CONSTRAINT "panel_fixed_seats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_members" ADD CONSTRAINT "panel_members_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_members" ADD CONSTRAINT "panel_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_members" ADD CONSTRAINT "panel_members_fixed_seat_id_panel_fixed_seats_id_fk" FOREIGN KEY ("fixed_seat_id") REFERENCES "public"."panel_fixed_seats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_members" ADD CONSTRAINT "panel_members_registration_id_panel_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."panel_registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_plans" ADD CONSTRAINT "panel_plans_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_registrations" ADD CONSTRAINT "panel_registrations_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_registrations" ADD CONSTRAINT "panel_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "panel_fixed_seats_matter_idx" ON "panel_fixed_seats" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "panel_members_matter_idx" ON "panel_members" USING btree ("matter_id","status");--> statement-breakpoint
CREATE INDEX "panel_members_user_idx" ON "panel_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "panel_registrations_once" ON "panel_registrations" USING btree ("matter_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "panel_registrations_pseudonym" ON "panel_registrations" USING btree ("matter_id","pseudonym");