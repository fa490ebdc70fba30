import { sql } from "drizzle-orm";
import { check, customType, index, integer, pgEnum, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { matters } from "./matters";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => Buffer.from(v),
});

/** What a file is attached to: the proposal itself, one advance-notice material, the matter's outcome. */
export const attachmentOwner = pgEnum("attachment_owner", ["proposal", "material", "outcome"]);

/**
 * A file on a matter (PDF, image, office document; at most 10 MB; its type recognised from its
 * bytes at upload). The bytes live in the storage STORAGE_URL names (`storage_key`); a thumbnail of
 * an image is a second stored object. Nothing is deleted.
 */
export const attachments = pgTable(
  "attachments",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    ownerType: attachmentOwner("owner_type").notNull(),
    /** the matter's id (proposal, outcome) or the material's id */
    ownerId: integer("owner_id").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    thumbKey: text("thumb_key"),
    uploadedBy: integer("uploaded_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("attachments_matter_idx").on(t.matterId, t.id), check("attachments_size", sql`${t.bytes} between 1 and 10485760`)],
);

/** The PostgreSQL storage (the default STORAGE_URL): one row of bytes per stored object. */
export const storedObjects = pgTable("stored_objects", {
  key: text("key").primaryKey(),
  data: bytea("data").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});
