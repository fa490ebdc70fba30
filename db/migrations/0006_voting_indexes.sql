CREATE INDEX "ballots_voter_idx" ON "ballots" USING btree ("vote_id","voter_key");--> statement-breakpoint
CREATE INDEX "vote_electors_users_idx" ON "vote_electors" USING gin ("user_ids");