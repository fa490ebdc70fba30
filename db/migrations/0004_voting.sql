CREATE TYPE "public"."ballot_channel" AS ENUM('online', 'paper');--> statement-breakpoint
CREATE TYPE "public"."vote_electorate" AS ENUM('panel', 'residents', 'households');--> statement-breakpoint
CREATE TYPE "public"."vote_method" AS ENUM('yes_no', 'single', 'approval');--> statement-breakpoint
CREATE TYPE "public"."vote_state" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TABLE "ballots" (
	"vote_id" integer NOT NULL,
	"receipt_hash" text NOT NULL,
	"voter_key" text,
	"choices" jsonb NOT NULL,
	"channel" "ballot_channel" NOT NULL,
	CONSTRAINT "ballots_vote_id_receipt_hash_pk" PRIMARY KEY("vote_id","receipt_hash")
);
--> statement-breakpoint
CREATE TABLE "vote_electors" (
	"vote_id" integer NOT NULL,
	"voter_key" text NOT NULL,
	"user_ids" jsonb NOT NULL,
	"label" text NOT NULL,
	CONSTRAINT "vote_electors_vote_id_voter_key_pk" PRIMARY KEY("vote_id","voter_key")
);
--> statement-breakpoint
CREATE TABLE "vote_participation" (
	"vote_id" integer NOT NULL,
	"voter_key" text NOT NULL,
	"channel" "ballot_channel" NOT NULL,
	"entered_by" integer,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "vote_participation_vote_id_voter_key_pk" PRIMARY KEY("vote_id","voter_key")
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"question" text NOT NULL,
	"method" "vote_method" NOT NULL,
	"options" jsonb NOT NULL,
	"max_choices" integer DEFAULT 1 NOT NULL,
	"electorate" "vote_electorate" NOT NULL,
	"preset" text NOT NULL,
	"quorum_num" integer NOT NULL,
	"quorum_den" integer NOT NULL,
	"quorum_strict" boolean NOT NULL,
	"pass_num" integer NOT NULL,
	"pass_den" integer NOT NULL,
	"pass_strict" boolean NOT NULL,
	"pass_base" text NOT NULL,
	"secret" boolean NOT NULL,
	"state" "vote_state" DEFAULT 'open' NOT NULL,
	"electorate_size" integer NOT NULL,
	"closes_at" timestamp with time zone,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"result" jsonb,
	"ballots_digest" text,
	"created_by" integer
);
--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_electors" ADD CONSTRAINT "vote_electors_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_participation" ADD CONSTRAINT "vote_participation_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_participation" ADD CONSTRAINT "vote_participation_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "votes_matter_idx" ON "votes" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "votes_closing_idx" ON "votes" USING btree ("state","closes_at");