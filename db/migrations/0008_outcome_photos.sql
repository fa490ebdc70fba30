CREATE TABLE "commitment_photos" (
	"update_id" integer PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "commitment_photos_size" CHECK ("commitment_photos"."bytes" between 1 and 2097152)
);
--> statement-breakpoint
ALTER TABLE "commitment_photos" ADD CONSTRAINT "commitment_photos_update_id_commitment_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."commitment_updates"("id") ON DELETE no action ON UPDATE no action;