CREATE TABLE "declaration_photos" (
	"record_id" integer PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "declaration_photos_size" CHECK ("declaration_photos"."bytes" between 1 and 2097152)
);
--> statement-breakpoint
ALTER TABLE "declaration_photos" ADD CONSTRAINT "declaration_photos_record_id_service_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."service_records"("id") ON DELETE no action ON UPDATE no action;