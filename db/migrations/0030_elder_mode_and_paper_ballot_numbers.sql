CREATE TABLE "paper_ballot_numbers" (
	"vote_id" integer NOT NULL,
	"number" text NOT NULL,
	"printed_by" integer,
	"printed_at" timestamp with time zone NOT NULL,
	"entered" boolean DEFAULT false NOT NULL,
	CONSTRAINT "paper_ballot_numbers_vote_id_number_pk" PRIMARY KEY("vote_id","number")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "elder_mode" boolean;--> statement-breakpoint
ALTER TABLE "paper_ballot_numbers" ADD CONSTRAINT "paper_ballot_numbers_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_ballot_numbers" ADD CONSTRAINT "paper_ballot_numbers_printed_by_users_id_fk" FOREIGN KEY ("printed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;