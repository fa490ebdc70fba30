/**
 * What people say in the room: a panel member (or the moderator) posts a statement with a stance,
 * optionally a reply; the moderator records the words of someone present; everyone in the room
 * marks a statement (agree / disagree / pass); an observer asks the moderator a written question.
 * Permissions: `room.post`, `room.recordStatement`, `room.react`, `room.ask`.
 */
import { and, eq, sql } from "drizzle-orm";
import { rowsOf, sqlState } from "../../../../db/client";
import { roomAttendance, roomEvents, roomQuestions, roomReactions, roomSessions, roomStatements } from "../../../../db/schema";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { need, requireRoom, roleOf, seatOrMute } from "./access.server";
import { append, countsOf, inRoom, requireOpen, seenKey, statementIn, type ActResult } from "./log.server";
import type { RoomAction } from "./schemas";
import type { StatementView } from "./state";

/** Statements one panel member may post in one session (a long session has a few dozen). */
export const MAX_STATEMENTS_PER_MEMBER = 200;
/** Statements one staff member may record for in-person speakers in one session. */
export const MAX_RECORDED_PER_STAFF = 1000;

type PostInput = Omit<Extract<RoomAction, { intent: "post" }>, "intent">;

/**
 * Statements are most of a room's traffic, so they hold the session row only for the few writes
 * that need the order: the actor is authorised first (panel seat, mute, moderator), then one
 * UPDATE takes the next seq (and refuses a session that is not open), and the statement and its
 * log entry go in. A retried key meets the unique index and answers with the stored seq.
 */
export async function postStatement(ctx: CommandContext, sessionId: number, a: PostInput): Promise<ActResult> {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const room = await requireRoom(ctx.db, ctx.actor, sessionId, ctx.clock.now());
  const { f, actor } = room;
  const seen = () => seenKey(ctx.db, sessionId, actor.id, a.key);
  const before = await seen();
  if (before) return before;
  requireOpen(f.s);
  if (a.speaker) need(room.may("room.recordStatement"), "room.errors.moderatorOnly");
  else need(room.may("room.post"), seatOrMute(room, true));
  if (a.replyTo) {
    const [r] = await ctx.db
      .select({ id: roomStatements.id })
      .from(roomStatements)
      .where(and(eq(roomStatements.id, a.replyTo), eq(roomStatements.sessionId, sessionId)));
    if (!r) throw new DomainError("validation", "room.errors.replyTo", {}, "replyTo");
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  const role = roleOf(room.access);
  // one member's statements in this session, counted in the same statement as the insert
  const cap = a.speaker ? MAX_RECORDED_PER_STAFF : MAX_STATEMENTS_PER_MEMBER;
  const mine = a.speaker ? sql`recorded_by = ${actor.id}::int` : sql`author_id = ${actor.id}::int`;
  const statement: StatementView = {
    id: 0,
    seq: 0,
    authorId: a.speaker ? null : actor.id,
    authorName: a.speaker ? null : actor.displayName,
    speakerName: a.speaker ?? null,
    recordedByName: a.speaker ? actor.displayName : null,
    stance: a.stance,
    body: a.body,
    replyToId: a.replyTo ?? null,
    pinned: false,
    hidden: false,
    hiddenReason: null,
    createdAt: at,
    counts: { agree: 0, disagree: 0, pass: 0 },
    mine: null,
  };
  try {
    // one statement, so one round trip: take the seq (only while open), store the statement and its log entry
    const result = await ctx.db.execute(sql`
      with s as (
        update ${roomSessions} set last_seq = last_seq + 1 where id = ${sessionId}::int and status = 'open'
          and (select count(*) from ${roomStatements} where session_id = ${sessionId}::int and ${mine}) < ${cap}::int
        returning last_seq as seq, current_item_id
      ), st as (
        insert into ${roomStatements} (session_id, seq, agenda_item_id, author_id, speaker_name, recorded_by, stance, reply_to_id, body, created_at)
        select ${sessionId}::int, s.seq, s.current_item_id, ${statement.authorId}::int, ${statement.speakerName}::text, ${a.speaker ? actor.id : null}::int,
               ${a.stance}::room_stance, ${statement.replyToId}::int, ${a.body}::text, ${at}::timestamptz
        from s returning id, seq
      ), ev as (
        insert into ${roomEvents} (session_id, seq, kind, actor_id, payload, audience, client_key, created_at)
        select ${sessionId}::int, st.seq, 'statement.posted', ${actor.id}::int,
               jsonb_set(jsonb_set(${JSON.stringify({ statement })}::jsonb, '{statement,id}', to_jsonb(st.id)), '{statement,seq}', to_jsonb(st.seq)),
               'all', ${a.key ?? null}::text, ${at}::timestamptz
        from st returning seq
      ), att as (
        -- whoever posts was there (issue 19): the fast path notes attendance as append does
        insert into ${roomAttendance} (session_id, user_id, name, role, in_person, at)
        select ${sessionId}::int, ${actor.id}::int, ${actor.displayName}::text, ${role}::text, false, ${at}::timestamptz
        from st where ${role}::text is not null
        on conflict do nothing
      )
      select st.id, st.seq from st`);
    const rows = rowsOf<{ id: number; seq: number }>(result);
    if (!rows.length) {
      const [current] = await ctx.db.select({ status: roomSessions.status }).from(roomSessions).where(eq(roomSessions.id, sessionId));
      if (current?.status === "open") throw new DomainError("invalid_state", "room.errors.statementCap", { max: cap }, "body");
      throw new DomainError("invalid_state", "room.errors.closed");
    }
    const { id, seq } = { id: Number(rows[0].id), seq: Number(rows[0].seq) };
    const payload = { statement: { ...statement, id, seq } };
    ctx.events.publish({ type: "room.event", sessionId, event: { seq, kind: "statement.posted", payload, audience: "all", at, actorId: actor.id } });
    return { seq, statementId: id };
  } catch (e) {
    // two tries of one key raced: the first stored it, this one answers with its seq
    if (a.key && sqlState(e).code === "23505") {
      const again = await seen();
      if (again) return again;
    }
    throw e;
  }
}

/** One mark per person and statement; marking again with another value changes it, the same value stores nothing. */
export async function reactToStatement(
  ctx: CommandContext,
  sessionId: number,
  input: { statementId: number; value: "agree" | "disagree" | "pass"; key?: string },
): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.react"));
    const { f, tx, now, actor } = l;
    const st = await statementIn(l, input.statementId);
    if (st.hiddenAt) throw new DomainError("invalid_state", "room.errors.hidden");
    const [before] = await tx
      .select({ value: roomReactions.value })
      .from(roomReactions)
      .where(and(eq(roomReactions.statementId, st.id), eq(roomReactions.userId, actor.id)));
    if (before?.value === input.value) return { seq: f.s.lastSeq };
    await tx
      .insert(roomReactions)
      .values({ statementId: st.id, userId: actor.id, value: input.value, updatedAt: now })
      .onConflictDoUpdate({ target: [roomReactions.statementId, roomReactions.userId], set: { value: input.value, updatedAt: now } });
    return { seq: await append(l, "reaction.set", { statementId: st.id, counts: await countsOf(tx, st.id), userId: actor.id, value: input.value }) };
  });
}

/** A written question for the moderator: the staff see it (and its author) until the moderator surfaces it. */
export async function askQuestion(ctx: CommandContext, sessionId: number, input: { body: string; key?: string }): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.ask"), l.access.muted ? "room.errors.muted" : "errors.forbidden");
    const [q] = await l.tx.insert(roomQuestions).values({ sessionId: l.f.s.id, authorId: l.actor.id, body: input.body, createdAt: l.now }).returning();
    const question = { id: q.id, authorName: l.actor.displayName, body: q.body, surfaced: false, createdAt: l.now.toISOString() };
    return { seq: await append(l, "question.asked", { question }, { audience: "staff" }), questionId: q.id };
  });
}
