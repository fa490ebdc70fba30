import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { matters } from "./matters";

export const commentStance = pgEnum("comment_stance", ["support", "oppose", "neutral", "question"]);
export const commentReaction = pgEnum("comment_reaction", ["agree", "disagree"]);
/** visible; pending: hidden by reports until the committee reviews; hidden: by the committee, with a public reason */
export const commentStatus = pgEnum("comment_status", ["visible", "pending", "hidden"]);

/**
 * Comments on a matter before and around its meeting. Threads are two levels: `thread_id` is the
 * top-level comment (null for a top-level one); a reply to a reply keeps the thread and names the
 * comment it answers in `reply_to_id` ("replying to"). Counters live on the row so a page of
 * threads is one indexed read, not a count per comment.
 */
export const comments = pgTable(
  "comments",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    stance: commentStance("stance").notNull(),
    body: text("body").notNull(),
    threadId: integer("thread_id"),
    replyToId: integer("reply_to_id"),
    replyCount: integer("reply_count").notNull().default(0),
    agreeCount: integer("agree_count").notNull().default(0),
    disagreeCount: integer("disagree_count").notNull().default(0),
    status: commentStatus("status").notNull().default("visible"),
    answeredBy: integer("answered_by").references(() => users.id),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
  },
  (t) => [
    index("comments_threads_new").on(t.matterId, t.createdAt.desc(), t.id.desc()).where(sql`${t.threadId} is null`),
    index("comments_threads_agreed").on(t.matterId, t.agreeCount.desc(), t.id.desc()).where(sql`${t.threadId} is null`),
    index("comments_replies").on(t.threadId, t.createdAt, t.id),
    index("comments_matter_stance").on(t.matterId, t.stance, t.status),
    check("comments_body_length", sql`char_length(${t.body}) between 1 and 2000`),
  ],
);

/** What a comment said before each edit (an edit within the window keeps the old words here). */
export const commentRevisions = pgTable(
  "comment_revisions",
  {
    id: serial("id").primaryKey(),
    commentId: integer("comment_id")
      .notNull()
      .references(() => comments.id),
    stance: commentStance("stance").notNull(),
    body: text("body").notNull(),
    /** when these words were replaced */
    replacedAt: timestamp("replaced_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("comment_revisions_comment").on(t.commentId)],
);

/** One agree or disagree per person and comment. */
export const commentReactions = pgTable(
  "comment_reactions",
  {
    commentId: integer("comment_id")
      .notNull()
      .references(() => comments.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    value: commentReaction("value").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] })],
);
