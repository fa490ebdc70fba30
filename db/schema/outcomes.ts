import { date, index, integer, pgEnum, pgTable, primaryKey, serial, text, timestamp, check } from "drizzle-orm/pg-core";
import { bytea } from "./bytea";
import { sql } from "drizzle-orm";
import { users } from "./accounts";
import { matters } from "./matters";

export const commitmentStatus = pgEnum("commitment_status", ["planned", "in_progress", "done", "blocked", "cancelled"]);

/** The decision of a decided matter (协商成果) and its satisfaction rating window (群众测评). */
export const outcomes = pgTable("outcomes", {
  matterId: integer("matter_id")
    .primaryKey()
    .references(() => matters.id),
  decision: text("decision").notNull(),
  voteId: integer("vote_id"),
  recordedBy: integer("recorded_by").references(() => users.id),
  recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
  ratingOpensAt: timestamp("rating_opens_at", { withTimezone: true }),
  ratingClosesAt: timestamp("rating_closes_at", { withTimezone: true }),
  response: text("response"),
  respondedAt: timestamp("responded_at", { withTimezone: true }),
});

/** What was promised, by whom, by when; its status and progress. */
export const commitments = pgTable(
  "commitments",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    title: text("title").notNull(),
    responsibleUnit: text("responsible_unit").notNull(),
    ownerId: integer("owner_id").references(() => users.id),
    dueDate: date("due_date").notNull(),
    status: commitmentStatus("status").notNull().default("planned"),
    progress: integer("progress").notNull().default(0),
    cancelReason: text("cancel_reason"),
    lastRemindedAt: timestamp("last_reminded_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("commitments_matter_idx").on(t.matterId), index("commitments_due_idx").on(t.status, t.dueDate), check("commitments_progress_range", sql`${t.progress} between 0 and 100`)],
);

export const commitmentUpdates = pgTable(
  "commitment_updates",
  {
    id: serial("id").primaryKey(),
    commitmentId: integer("commitment_id")
      .notNull()
      .references(() => commitments.id),
    authorId: integer("author_id").references(() => users.id),
    body: text("body").notNull(),
    progress: integer("progress").notNull(),
    status: commitmentStatus("status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("commitment_updates_idx").on(t.commitmentId, t.id)],
);

/** One rating per person per matter, changeable while the rating is open. */
export const ratings = pgTable(
  "ratings",
  {
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    score: integer("score").notNull(),
    comment: text("comment"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.matterId, t.userId] }), check("ratings_score_range", sql`${t.score} between 1 and 5`)],
);


/** An optional photo on a progress update (JPEG, PNG or WebP, checked by its bytes, at most 2 MB). */
export const commitmentPhotos = pgTable(
  "commitment_photos",
  {
    updateId: integer("update_id")
      .primaryKey()
      .references(() => commitmentUpdates.id),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    data: bytea("data").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [check("commitment_photos_size", sql`${t.bytes} between 1 and 2097152`)],
);
