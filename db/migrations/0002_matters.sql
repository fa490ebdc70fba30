CREATE TYPE "public"."public_names" AS ENUM('real', 'masked');--> statement-breakpoint
CREATE TYPE "public"."consultation_form" AS ENUM('panel', 'meeting', 'household_vote');--> statement-breakpoint
CREATE TYPE "public"."matter_state" AS ENUM('draft', 'collecting', 'under_review', 'accepted', 'rejected', 'merged', 'withdrawn', 'selecting', 'scheduled', 'deliberating', 'voting', 'decided', 'no_consensus', 'implementing', 'completed', 'annulled');--> statement-breakpoint
CREATE TABLE "categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"area_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_area_name" UNIQUE("area_id","name")
);
--> statement-breakpoint
CREATE TABLE "cosigns" (
	"matter_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cosigns_matter_id_user_id_pk" PRIMARY KEY("matter_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "matter_follows" (
	"matter_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "matter_follows_matter_id_user_id_pk" PRIMARY KEY("matter_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "matter_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"kind" text NOT NULL,
	"from_state" "matter_state",
	"to_state" "matter_state",
	"actor_id" integer,
	"reason" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matter_materials" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"url" text,
	"created_by" integer,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matters" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"proposer_id" integer NOT NULL,
	"state" "matter_state" DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"category_id" integer NOT NULL,
	"affected_area" text NOT NULL,
	"desired_outcome" text NOT NULL,
	"threshold" integer,
	"cosign_count" integer DEFAULT 0 NOT NULL,
	"form" "consultation_form",
	"target_date" date,
	"public_reason" text,
	"merged_into_id" integer,
	"scheduled_for" timestamp with time zone,
	"materials_published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "matters_cosign_count_nonneg" CHECK ("matters"."cosign_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "cosign_threshold" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "cosign_share_bp" integer;--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "notice_days" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "public_names" "public_names" DEFAULT 'masked' NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cosigns" ADD CONSTRAINT "cosigns_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cosigns" ADD CONSTRAINT "cosigns_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_follows" ADD CONSTRAINT "matter_follows_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_follows" ADD CONSTRAINT "matter_follows_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_events" ADD CONSTRAINT "matter_events_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_events" ADD CONSTRAINT "matter_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_materials" ADD CONSTRAINT "matter_materials_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_materials" ADD CONSTRAINT "matter_materials_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matters" ADD CONSTRAINT "matters_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matters" ADD CONSTRAINT "matters_proposer_id_users_id_fk" FOREIGN KEY ("proposer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matters" ADD CONSTRAINT "matters_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cosigns_user_idx" ON "cosigns" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "matter_follows_user_idx" ON "matter_follows" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "matter_events_matter_idx" ON "matter_events" USING btree ("matter_id","id");--> statement-breakpoint
CREATE INDEX "matter_materials_matter_idx" ON "matter_materials" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "matters_community_state_idx" ON "matters" USING btree ("community_id","state","id");--> statement-breakpoint
CREATE INDEX "matters_proposer_idx" ON "matters" USING btree ("proposer_id");