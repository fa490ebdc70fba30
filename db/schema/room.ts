import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { matters } from "./matters";

export const roomSessionStatus = pgEnum("room_session_status", ["scheduled", "open", "closed"]);
export const roomStance = pgEnum("room_stance", ["support", "oppose", "neutral", "question"]);
export const roomReaction = pgEnum("room_reaction", ["agree", "disagree", "pass"]);
export const roomCheckinMethod = pgEnum("room_checkin_method", ["list", "code", "name"]);
export const roomMinutesResponse = pgEnum("room_minutes_response", ["confirm", "comment"]);

/**
 * One sitting of the deliberation room on a matter. The row is also the room's sequence counter
 * (last_seq, bumped under its row lock) and holds what everyone's clock is computed from: the
 * current agenda item with its start and extension, and the floor with its turn start and length.
 */
export const roomSessions = pgTable(
  "room_sessions",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }).notNull(),
    place: text("place"),
    moderatorId: integer("moderator_id")
      .notNull()
      .references(() => users.id),
    status: roomSessionStatus("status").notNull().default("scheduled"),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** Entered at the venue to check oneself in as present in person. */
    checkinCode: text("checkin_code").notNull(),
    lastSeq: integer("last_seq").notNull().default(0),
    currentItemId: integer("current_item_id"),
    itemStartedAt: timestamp("item_started_at", { withTimezone: true }),
    itemExtraSeconds: integer("item_extra_seconds").notNull().default(0),
    floorUserId: integer("floor_user_id").references(() => users.id),
    turnStartedAt: timestamp("turn_started_at", { withTimezone: true }),
    turnSeconds: integer("turn_seconds").notNull().default(180),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("room_sessions_matter_idx").on(t.matterId)],
);

/** Agenda items with their time boxes, in order, and when they actually ran. */
export const roomAgendaItems = pgTable(
  "room_agenda_items",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    minutes: integer("minutes").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("room_agenda_items_order").on(t.sessionId, t.position)],
);

/**
 * The room's log: every statement, reaction, moderator action, queue and agenda change, stored
 * before it is broadcast, numbered 1, 2, 3… per session. A reconnecting client asks for seq > n.
 * A client's retry carries the same key and finds the event it already caused.
 */
export const roomEvents = pgTable(
  "room_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    seq: integer("seq").notNull(),
    kind: text("kind").notNull(),
    actorId: integer("actor_id").references(() => users.id),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** "all", or "staff" for what only the moderator sees (an observer's question before it is surfaced). */
    audience: text("audience").notNull().default("all"),
    clientKey: text("client_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("room_events_seq").on(t.sessionId, t.seq), uniqueIndex("room_events_client_key").on(t.sessionId, t.clientKey)],
);

/** What was said. Nothing is deleted: the moderator hides with a reason the author sees. */
export const roomStatements = pgTable(
  "room_statements",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    seq: integer("seq").notNull(),
    agendaItemId: integer("agenda_item_id").references(() => roomAgendaItems.id),
    /** The panel member who spoke online, or the in-person attendee who has an account. */
    authorId: integer("author_id").references(() => users.id),
    /** Who spoke in person, when staff recorded it for them. */
    speakerName: text("speaker_name"),
    recordedBy: integer("recorded_by").references(() => users.id),
    stance: roomStance("stance").notNull(),
    replyToId: integer("reply_to_id"),
    body: text("body").notNull(),
    pinned: boolean("pinned").notNull().default(false),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    hiddenReason: text("hidden_reason"),
    hiddenBy: integer("hidden_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("room_statements_session_idx").on(t.sessionId, t.id)],
);

/** One mark per person per statement, changeable. */
export const roomReactions = pgTable(
  "room_reactions",
  {
    statementId: integer("statement_id")
      .notNull()
      .references(() => roomStatements.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    value: roomReaction("value").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.userId] })],
);

/** Raised hands, oldest first. Lowering or being given the floor removes the row. */
export const roomHands = pgTable(
  "room_hands",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);

/** Each turn at the floor, for the minutes' speaking times. */
export const roomTurns = pgTable(
  "room_turns",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("room_turns_session_idx").on(t.sessionId)],
);

export const roomMutes = pgTable(
  "room_mutes",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    mutedBy: integer("muted_by")
      .notNull()
      .references(() => users.id),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);

/** Who came: online (first join) and in person (checked in by staff from the list, by name, or with the venue code). */
export const roomAttendance = pgTable(
  "room_attendance",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    userId: integer("user_id").references(() => users.id),
    name: text("name").notNull(),
    role: text("role").notNull(),
    inPerson: boolean("in_person").notNull(),
    method: roomCheckinMethod("method"),
    checkedInBy: integer("checked_in_by").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("room_attendance_once").on(t.sessionId, t.userId, t.inPerson), index("room_attendance_session_idx").on(t.sessionId)],
);

/** Written questions from observers; the moderator may surface one to the room. */
export const roomQuestions = pgTable(
  "room_questions",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    surfacedAt: timestamp("surfaced_at", { withTimezone: true }),
    surfacedBy: integer("surfaced_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("room_questions_session_idx").on(t.sessionId)],
);

/** The minutes (会议纪要): compiled at close, then the committee's summary. */
export const roomMinutes = pgTable("room_minutes", {
  sessionId: integer("session_id")
    .primaryKey()
    .references(() => roomSessions.id),
  compiled: jsonb("compiled").$type<Record<string, unknown>>().notNull(),
  compiledAt: timestamp("compiled_at", { withTimezone: true }).notNull(),
  summary: text("summary"),
  summaryBy: integer("summary_by").references(() => users.id),
  summaryAt: timestamp("summary_at", { withTimezone: true }),
  /** Issue 19: the stated deadline for the participants' confirmations, fixed when the minutes are compiled. */
  confirmBy: timestamp("confirm_by", { withTimezone: true }),
  /** The committee's sign-off; from then the minutes are public and change only by a recorded correction. */
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  confirmedBy: integer("confirmed_by").references(() => users.id),
});

/** A correction to confirmed minutes: appended, never edited, each also in the ledger. */
export const roomMinutesCorrections = pgTable(
  "room_minutes_corrections",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    body: text("body").notNull(),
    by: integer("by")
      .notNull()
      .references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("room_minutes_corrections_session_idx").on(t.sessionId)],
);

/** A panel member confirms the minutes or comments on them; one answer each, changeable. */
export const roomMinutesResponses = pgTable(
  "room_minutes_responses",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => roomSessions.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: roomMinutesResponse("kind").notNull(),
    comment: text("comment"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);
