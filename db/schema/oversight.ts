import { index, integer, pgEnum, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { areas } from "./communities";
import { matters } from "./matters";

export const objectionTarget = pgEnum("objection_target", ["matter", "vote", "commitment"]);

/**
 * A formal objection (质询) by the community's supervision committee (监督委员会) on a matter, one
 * of its votes or one of its commitments (issue 19). The answer is due by `answerDue`, fixed at
 * filing from the community's setting; both are public.
 */
export const objections = pgTable(
  "objections",
  {
    id: serial("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    target: objectionTarget("target").notNull(),
    /** the vote's or commitment's id; the matter's id when the target is the matter */
    targetId: integer("target_id").notNull(),
    body: text("body").notNull(),
    filedBy: integer("filed_by")
      .notNull()
      .references(() => users.id),
    filedAt: timestamp("filed_at", { withTimezone: true }).notNull(),
    answerDue: timestamp("answer_due", { withTimezone: true }).notNull(),
    answer: text("answer"),
    answeredBy: integer("answered_by").references(() => users.id),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
  },
  (t) => [index("objections_community_idx").on(t.communityId, t.answeredAt), index("objections_matter_idx").on(t.matterId)],
);
