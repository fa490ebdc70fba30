CREATE TYPE "public"."commitment_status" AS ENUM('planned', 'in_progress', 'done', 'blocked', 'cancelled');--> statement-breakpoint
CREATE TABLE "commitment_updates" (
	"id" serial PRIMARY KEY NOT NULL,
	"commitment_id" integer NOT NULL,
	"author_id" integer,
	"body" text NOT NULL,
	"progress" integer NOT NULL,
	"status" "commitment_status" NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitments" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"title" text NOT NULL,
	"responsible_unit" text NOT NULL,
	"owner_id" integer,
	"due_date" date NOT NULL,
	"status" "commitment_status" DEFAULT 'planned' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"cancel_reason" text,
	"last_reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commitments_progress_range" CHECK ("commitments"."progress" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"matter_id" integer PRIMARY KEY NOT NULL,
	"decision" text NOT NULL,
	"vote_id" integer,
	"recorded_by" integer,
	"recorded_at" timestamp with time zone NOT NULL,
	"rating_opens_at" timestamp with time zone,
	"rating_closes_at" timestamp with time zone,
	"response" text,
	"responded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"matter_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ratings_matter_id_user_id_pk" PRIMARY KEY("matter_id","user_id"),
	CONSTRAINT "ratings_score_range" CHECK ("ratings"."score" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "commitment_updates" ADD CONSTRAINT "commitment_updates_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_updates" ADD CONSTRAINT "commitment_updates_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commitment_updates_idx" ON "commitment_updates" USING btree ("commitment_id","id");--> statement-breakpoint
CREATE INDEX "commitments_matter_idx" ON "commitments" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "commitments_due_idx" ON "commitments" USING btree ("status","due_date");