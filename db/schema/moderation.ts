import { index, integer, pgEnum, pgTable, serial, text, timestamp, unique } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { areas } from "./communities";
import { matters } from "./matters";

/** What can be reported (comments today; the enum grows with room statements and matter text). */
export const moderationTarget = pgEnum("moderation_target", ["comment"]);
export const reportReason = pgEnum("report_reason", ["abuse", "personal_info", "off_topic", "false_info"]);
/** open: reported, still shown; pending: hidden by reports until reviewed; kept / hidden: the committee decided. */
export const moderationStatus = pgEnum("moderation_status", ["open", "pending", "kept", "hidden"]);
export const appealStatus = pgEnum("appeal_status", ["pending", "upheld", "overturned"]);

/** One person's report of one thing, once. */
export const contentReports = pgTable(
  "content_reports",
  {
    id: serial("id").primaryKey(),
    targetType: moderationTarget("target_type").notNull(),
    targetId: integer("target_id").notNull(),
    reporterId: integer("reporter_id")
      .notNull()
      .references(() => users.id),
    reason: reportReason("reason").notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("content_reports_once").on(t.targetType, t.targetId, t.reporterId)],
);

/**
 * The moderation case of one reported thing: its reports counted, the committee's decision with its
 * public reason, and the author's one appeal to the town with the town's answer. Nothing is deleted.
 */
export const moderationCases = pgTable(
  "moderation_cases",
  {
    id: serial("id").primaryKey(),
    targetType: moderationTarget("target_type").notNull(),
    targetId: integer("target_id").notNull(),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    status: moderationStatus("status").notNull().default("open"),
    reportCount: integer("report_count").notNull().default(0),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    publicReason: text("public_reason"),
    appealText: text("appeal_text"),
    appealedAt: timestamp("appealed_at", { withTimezone: true }),
    appealStatus: appealStatus("appeal_status"),
    appealReason: text("appeal_reason"),
    appealDecidedBy: integer("appeal_decided_by").references(() => users.id),
    appealDecidedAt: timestamp("appeal_decided_at", { withTimezone: true }),
  },
  (t) => [unique("moderation_cases_target").on(t.targetType, t.targetId), index("moderation_cases_queue").on(t.communityId, t.status), index("moderation_cases_appeals").on(t.appealStatus)],
);
