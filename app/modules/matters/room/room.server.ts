/**
 * The deliberation room: sessions, agenda, queue, statements, reactions, moderation, check-in.
 * Every change runs in one transaction that locks the session row, takes the next per-session
 * sequence number, stores the change and its log entry, and only after commit publishes a
 * `room.event` for the socket layer. A form post and a socket event reach the same `act`.
 */
import { randomInt } from "node:crypto";
import { aliasedTable, and, asc, eq, gt, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../../db/client";
import { rowsOf, sqlState } from "../../../../db/client";
import {
  areas,
  matters,
  panelMembers,
  roleGrants,
  roomAgendaItems,
  roomAttendance,
  roomEvents,
  roomHands,
  roomMutes,
  roomQuestions,
  roomReactions,
  roomSessions,
  roomStatements,
  roomTurns,
  users,
  votes,
} from "../../../../db/schema";
import type { Actor } from "../../accounts/actor";
import { can, holdsOver, isVerifiedResident } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import type { Emit, RoomEventData } from "../../shared/events";
import { matterResource, moveMatter, recordMatterEvent, requireVisibleMatter } from "../matters.server";
import { isPanelMember, listPanelUserIds } from "../selection/panel.server";
import type { Counts } from "./board";
import { compileMinutes } from "./minutes.server";
import type { RoomAction, ScheduleSessionSchema } from "./schemas";
import type { RoomEventView, RoomState, StatementView, Viewer } from "./state";

export const DEFAULT_TURN_SECONDS = 180;
/** Statements one panel member may post in one session (a long session has a few dozen). */
export const MAX_STATEMENTS_PER_MEMBER = 200;
/** Statements one staff member may record for in-person speakers in one session. */
export const MAX_RECORDED_PER_STAFF = 1000;
type SessionRow = typeof roomSessions.$inferSelect;

export interface SessionFacts {
  s: SessionRow;
  matter: { id: number; title: string; communityId: number; proposerId: number; state: (typeof matters.$inferSelect)["state"] };
  path: string;
}

export interface Access {
  moderator: boolean;
  committee: boolean;
  panel: boolean;
  observer: boolean;
  muted: boolean;
}
export type RoomRole = "moderator" | "panel" | "observer";

export function roleOf(a: Access): RoomRole | null {
  return a.moderator ? "moderator" : a.panel ? "panel" : a.observer ? "observer" : null;
}

/**
 * The session, its matter and community, and in the same query the asker's panel seat and mute
 * (one round trip: the room asks this on every event). The seat is isPanelMember's rule: an
 * accepted panel_members row with this user id.
 */
async function sessionFacts(db: Db, sessionId: number, userId: number, lock = false) {
  const q = db
    .select({
      s: roomSessions,
      matter: { id: matters.id, title: matters.title, communityId: matters.communityId, proposerId: matters.proposerId, state: matters.state },
      path: areas.path,
      panel: sql<boolean>`exists(select 1 from ${panelMembers} p where p.matter_id = ${matters.id} and p.user_id = ${userId} and p.status = 'accepted')`.mapWith(Boolean),
      muted: sql<boolean>`exists(select 1 from ${roomMutes} x where x.session_id = ${roomSessions.id} and x.user_id = ${userId})`.mapWith(Boolean),
    })
    .from(roomSessions)
    .innerJoin(matters, eq(matters.id, roomSessions.matterId))
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(roomSessions.id, sessionId));
  const [row] = lock ? await q.for("update", { of: roomSessions }) : await q;
  return row ?? null;
}

function accessFrom(actor: Actor, f: SessionFacts, seat: { panel: boolean; muted: boolean }): Access {
  const committee = holdsOver(actor, ["committee"], f.path);
  return {
    moderator: committee || f.s.moderatorId === actor.id,
    committee,
    panel: seat.panel,
    observer: isVerifiedResident(actor, f.matter.communityId),
    muted: seat.muted,
  };
}

/**
 * The session and the actor's place in it. Someone who may not even see the matter gets a 404;
 * someone who may see it but is not in the room (another community's resident) a 403.
 */
export async function requireRoom(db: Db, actor: Actor | null, sessionId: number, lock = false) {
  const row = await sessionFacts(db, sessionId, actor?.id ?? -1, lock);
  const f: SessionFacts | null = row ? { s: row.s, matter: row.matter, path: row.path } : null;
  if (!row || !f || !can(actor, "matter.view", matterResource(f.matter, f.path))) throw new DomainError("not_found", "errors.notFound");
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const access = accessFrom(actor, f, row);
  if (!roleOf(access)) throw new DomainError("forbidden", "room.errors.notInRoom");
  return { f, access, actor };
}

// ---------------------------------------------------------------- scheduling

/** Committee members who may moderate: staff holding `committee` on the community or above it. */
export async function listModerators(db: Db, path: string) {
  const ids = path.split("/").filter(Boolean).map(Number);
  return db
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(inArray(roleGrants.areaId, ids), eq(roleGrants.role, "committee")))
    .orderBy(asc(users.id));
}

async function requireCommitteeOn(ctx: CommandContext, matterId: number) {
  const [row] = await ctx.db
    .select({ m: matters, path: areas.path })
    .from(matters)
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(matters.id, matterId));
  if (!row || !can(ctx.actor, "matter.view", matterResource(row.m, row.path))) throw new DomainError("not_found", "errors.notFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!holdsOver(ctx.actor, ["committee"], row.path)) throw new DomainError("forbidden", "errors.forbidden");
  return row;
}

/** The form's choices: who may moderate. Committee only. */
export async function scheduleFormData(ctx: CommandContext, matterId: number) {
  const row = await requireCommitteeOn(ctx, matterId);
  return { matter: { id: row.m.id, title: row.m.title, state: row.m.state }, moderators: await listModerators(ctx.db, row.path) };
}

/** A committee member schedules a session (time, place, moderator, agenda) for a matter in `scheduled` or `deliberating`. */
export async function scheduleSession(ctx: CommandContext, matterId: number, input: z.output<typeof ScheduleSessionSchema>) {
  const row = await requireCommitteeOn(ctx, matterId);
  if (row.m.state !== "scheduled" && row.m.state !== "deliberating") throw new DomainError("invalid_state", "matters.errors.wrongState");
  const moderatorId = input.moderatorId ?? ctx.actor!.id;
  if (moderatorId !== ctx.actor!.id && !(await listModerators(ctx.db, row.path)).some((m) => m.id === moderatorId)) {
    throw new DomainError("validation", "room.errors.moderator", {}, "moderatorId");
  }
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [s] = await tx
      .insert(roomSessions)
      .values({
        matterId,
        scheduledAt: input.scheduledAt,
        place: input.place ?? null,
        moderatorId,
        checkinCode: String(randomInt(100_000, 1_000_000)),
        createdBy: ctx.actor!.id,
        createdAt: now,
      })
      .returning();
    await tx.insert(roomAgendaItems).values(input.items.map((it, i) => ({ sessionId: s.id, position: i + 1, title: it.title, minutes: it.minutes })));
    await recordMatterEvent(tx, emit, ctx, row.m, "roomScheduled", { session: s.id, at: input.scheduledAt.toISOString() }, { kind: "notify.matter.transition", state: "@room.scheduledNotice" });
    return { sessionId: s.id };
  });
}

/** The sessions of a matter, for its page. */
export async function listSessions(ctx: CommandContext, matterId: number) {
  await requireVisibleMatter(ctx, matterId);
  return ctx.db
    .select({ id: roomSessions.id, scheduledAt: roomSessions.scheduledAt, status: roomSessions.status, place: roomSessions.place })
    .from(roomSessions)
    .where(eq(roomSessions.matterId, matterId))
    .orderBy(asc(roomSessions.scheduledAt), asc(roomSessions.id));
}

// ---------------------------------------------------------------- the log

interface Locked {
  f: SessionFacts;
  access: Access;
  actor: Actor;
  tx: Db;
  emit: Emit;
  now: Date;
  key: string | undefined;
}

/** Stores one log entry with the next seq, and queues its broadcast for after commit. */
async function append(l: Locked, kind: string, payload: Record<string, unknown>, opts: { audience?: "all" | "staff"; key?: boolean } = {}) {
  const seq = l.f.s.lastSeq + 1;
  l.f.s.lastSeq = seq;
  await l.tx.update(roomSessions).set({ lastSeq: seq }).where(eq(roomSessions.id, l.f.s.id));
  const audience = opts.audience ?? "all";
  await l.tx.insert(roomEvents).values({
    sessionId: l.f.s.id,
    seq,
    kind,
    actorId: l.actor.id,
    payload,
    audience,
    clientKey: opts.key === false ? null : (l.key ?? null),
    createdAt: l.now,
  });
  const event: RoomEventData = { seq, kind, payload, audience, at: l.now.toISOString(), actorId: l.actor.id };
  l.emit({ type: "room.event", sessionId: l.f.s.id, event });
  return seq;
}

async function ledger(l: Locked, action: string, entityId: number, summary: Record<string, unknown>) {
  await appendLedger(l.tx, { stream: `area:${l.f.matter.communityId}`, actorId: l.actor.id, action: `room.${action}`, entityType: "room_session", entityId, summary, at: l.now });
}

const need = (ok: boolean, key: "errors.forbidden" | "room.errors.panelOnly" | "room.errors.moderatorOnly" | "room.errors.muted" = "errors.forbidden") => {
  if (!ok) throw new DomainError("forbidden", key);
};

async function nameOf(db: Db, userId: number) {
  const [u] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return u?.name ?? null;
}

async function statementIn(l: Locked, statementId: number) {
  const [st] = await l.tx
    .select()
    .from(roomStatements)
    .where(and(eq(roomStatements.id, statementId), eq(roomStatements.sessionId, l.f.s.id)));
  if (!st) throw new DomainError("not_found", "room.errors.noStatement", {}, "statementId");
  return st;
}

async function countsOf(db: Db, statementId: number): Promise<Counts> {
  const rows = await db
    .select({ value: roomReactions.value, n: sql<number>`count(*)::int` })
    .from(roomReactions)
    .where(eq(roomReactions.statementId, statementId))
    .groupBy(roomReactions.value);
  const c: Counts = { agree: 0, disagree: 0, pass: 0 };
  for (const r of rows) c[r.value] = r.n;
  return c;
}

function agendaPayload(s: SessionRow, items: (typeof roomAgendaItems.$inferSelect)[]) {
  return {
    currentItemId: s.currentItemId,
    itemStartedAt: s.itemStartedAt?.toISOString() ?? null,
    itemExtraSeconds: s.itemExtraSeconds,
    items: items.map((i) => ({ id: i.id, startedAt: i.startedAt?.toISOString() ?? null, endedAt: i.endedAt?.toISOString() ?? null })),
  };
}

async function agendaOf(db: Db, sessionId: number) {
  return db.select().from(roomAgendaItems).where(eq(roomAgendaItems.sessionId, sessionId)).orderBy(asc(roomAgendaItems.position));
}

async function setSession(l: Locked, set: Partial<typeof roomSessions.$inferInsert>) {
  await l.tx.update(roomSessions).set(set).where(eq(roomSessions.id, l.f.s.id));
  l.f.s = { ...l.f.s, ...set } as SessionRow;
}

async function endTurnRow(l: Locked) {
  if (!l.f.s.floorUserId) return;
  await l.tx
    .update(roomTurns)
    .set({ endedAt: l.now })
    .where(and(eq(roomTurns.sessionId, l.f.s.id), sql`${roomTurns.endedAt} is null`));
  await setSession(l, { floorUserId: null, turnStartedAt: null });
}

export interface ActResult {
  seq: number;
  duplicate?: boolean;
  statementId?: number;
  questionId?: number;
}

/**
 * Runs one room action for the actor, authorised against the database on every call. With a
 * client key, a retry of an action already stored answers with the stored seq and stores nothing.
 */
export async function act(ctx: CommandContext, sessionId: number, action: RoomAction): Promise<ActResult> {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (action.intent === "post") return postStatement(ctx, sessionId, action);
  return inTransaction(ctx, async (tx, emit) => {
    const { f, access, actor } = await requireRoom(tx, ctx.actor, sessionId, true);
    const l: Locked = { f, access, actor, tx, emit, now: ctx.clock.now(), key: action.key };
    if (action.key) {
      const [seen] = await tx
        .select({ seq: roomEvents.seq, actorId: roomEvents.actorId })
        .from(roomEvents)
        .where(and(eq(roomEvents.sessionId, sessionId), eq(roomEvents.clientKey, action.key)));
      if (seen) {
        if (seen.actorId !== actor.id) throw new DomainError("conflict", "room.errors.keyUsed");
        return { seq: seen.seq, duplicate: true };
      }
    }
    if (action.intent === "open") return openSession(ctx, l);
    if (f.s.status !== "open") throw new DomainError("invalid_state", f.s.status === "closed" ? "room.errors.closed" : "room.errors.notOpen");
    return run(ctx, l, action);
  });
}

type PostAction = Extract<RoomAction, { intent: "post" }>;

/**
 * Statements are most of a room's traffic, so they hold the session row only for the few writes
 * that need the order: the actor is authorised first (panel seat, mute, moderator), then one
 * UPDATE takes the next seq (and refuses a session that is not open), and the statement and its
 * log entry go in. A retried key meets the unique index and answers with the stored seq.
 */
async function postStatement(ctx: CommandContext, sessionId: number, a: PostAction): Promise<ActResult> {
  const { f, access, actor } = await requireRoom(ctx.db, ctx.actor, sessionId);
  const seen = async () => {
    if (!a.key) return null;
    const [row] = await ctx.db
      .select({ seq: roomEvents.seq, actorId: roomEvents.actorId })
      .from(roomEvents)
      .where(and(eq(roomEvents.sessionId, sessionId), eq(roomEvents.clientKey, a.key)));
    if (!row) return null;
    if (row.actorId !== actor.id) throw new DomainError("conflict", "room.errors.keyUsed");
    return { seq: row.seq, duplicate: true };
  };
  const before = await seen();
  if (before) return before;
  if (f.s.status !== "open") throw new DomainError("invalid_state", f.s.status === "closed" ? "room.errors.closed" : "room.errors.notOpen");
  if (a.speaker) need(access.moderator, "room.errors.moderatorOnly");
  else {
    need(access.panel || access.moderator, "room.errors.panelOnly");
    need(!access.muted, "room.errors.muted");
  }
  if (a.replyTo) {
    const [r] = await ctx.db
      .select({ id: roomStatements.id })
      .from(roomStatements)
      .where(and(eq(roomStatements.id, a.replyTo), eq(roomStatements.sessionId, sessionId)));
    if (!r) throw new DomainError("validation", "room.errors.replyTo", {}, "replyTo");
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
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

async function openSession(ctx: CommandContext, l: Locked): Promise<ActResult> {
  need(l.access.committee, "errors.forbidden");
  if (l.f.s.status !== "scheduled") throw new DomainError("invalid_state", "room.errors.notScheduled");
  if (l.f.matter.state === "scheduled") {
    // the machine's own guard holds the notice period (materials published + noticeDays)
    await moveMatter(l.tx, l.emit, ctx, l.f.matter.id, "openDeliberation", "actor", { params: { session: l.f.s.id } });
  } else if (l.f.matter.state === "deliberating") {
    await recordMatterEvent(l.tx, l.emit, ctx, l.f.matter, "roomOpened", { session: l.f.s.id }, null);
  } else throw new DomainError("invalid_state", "matters.errors.wrongState");
  const items = await agendaOf(l.tx, l.f.s.id);
  const first = items[0];
  if (first) await l.tx.update(roomAgendaItems).set({ startedAt: l.now }).where(eq(roomAgendaItems.id, first.id));
  await setSession(l, { status: "open", openedAt: l.now, currentItemId: first?.id ?? null, itemStartedAt: first ? l.now : null, itemExtraSeconds: 0 });
  return { seq: await append(l, "session.opened", agendaPayload(l.f.s, await agendaOf(l.tx, l.f.s.id))) };
}

async function run(ctx: CommandContext, l: Locked, a: RoomAction): Promise<ActResult> {
  const { access, actor, f, tx, now } = l;
  const sid = f.s.id;
  switch (a.intent) {
    case "open":
      throw new DomainError("invalid_state", "room.errors.notScheduled");
    case "post":
      throw new DomainError("invalid_state", "errors.invalid");
    case "react": {
      const st = await statementIn(l, a.statementId);
      if (st.hiddenAt) throw new DomainError("invalid_state", "room.errors.hidden");
      const [before] = await tx
        .select({ value: roomReactions.value })
        .from(roomReactions)
        .where(and(eq(roomReactions.statementId, st.id), eq(roomReactions.userId, actor.id)));
      if (before?.value === a.value) return { seq: f.s.lastSeq };
      await tx
        .insert(roomReactions)
        .values({ statementId: st.id, userId: actor.id, value: a.value, updatedAt: now })
        .onConflictDoUpdate({ target: [roomReactions.statementId, roomReactions.userId], set: { value: a.value, updatedAt: now } });
      return { seq: await append(l, "reaction.set", { statementId: st.id, counts: await countsOf(tx, st.id), userId: actor.id, value: a.value }) };
    }
    case "raiseHand": {
      need(access.panel, "room.errors.panelOnly");
      need(!access.muted, "room.errors.muted");
      if (f.s.floorUserId === actor.id) throw new DomainError("invalid_state", "room.errors.hasFloor");
      const added = await tx.insert(roomHands).values({ sessionId: sid, userId: actor.id, raisedAt: now }).onConflictDoNothing().returning();
      if (!added.length) return { seq: f.s.lastSeq };
      return { seq: await append(l, "hand.raised", { userId: actor.id, name: actor.displayName }) };
    }
    case "lowerHand": {
      need(access.panel, "room.errors.panelOnly");
      const gone = await tx
        .delete(roomHands)
        .where(and(eq(roomHands.sessionId, sid), eq(roomHands.userId, actor.id)))
        .returning();
      if (!gone.length) return { seq: f.s.lastSeq };
      return { seq: await append(l, "hand.lowered", { userId: actor.id }) };
    }
    case "giveFloor": {
      need(access.moderator, "room.errors.moderatorOnly");
      if (!(await isPanelMember(tx, f.matter.id, a.userId))) throw new DomainError("validation", "room.errors.notPanel", {}, "userId");
      const [m] = await tx
        .select()
        .from(roomMutes)
        .where(and(eq(roomMutes.sessionId, sid), eq(roomMutes.userId, a.userId)));
      if (m) throw new DomainError("invalid_state", "room.errors.mutedTarget");
      await endTurnRow(l);
      await tx.delete(roomHands).where(and(eq(roomHands.sessionId, sid), eq(roomHands.userId, a.userId)));
      await tx.insert(roomTurns).values({ sessionId: sid, userId: a.userId, startedAt: now });
      await setSession(l, { floorUserId: a.userId, turnStartedAt: now, turnSeconds: DEFAULT_TURN_SECONDS });
      const name = await nameOf(tx, a.userId);
      return { seq: await append(l, "floor.given", { userId: a.userId, name, turnStartedAt: now.toISOString(), turnSeconds: DEFAULT_TURN_SECONDS }) };
    }
    case "extendTurn": {
      need(access.moderator, "room.errors.moderatorOnly");
      if (!f.s.floorUserId) throw new DomainError("invalid_state", "room.errors.noFloor");
      await setSession(l, { turnSeconds: f.s.turnSeconds + a.seconds });
      return { seq: await append(l, "turn.extended", { userId: f.s.floorUserId, turnSeconds: f.s.turnSeconds }) };
    }
    case "endTurn": {
      need(access.moderator || (!!f.s.floorUserId && f.s.floorUserId === actor.id), "room.errors.moderatorOnly");
      const holder = f.s.floorUserId;
      if (!holder) throw new DomainError("invalid_state", "room.errors.noFloor");
      await endTurnRow(l);
      return { seq: await append(l, "turn.ended", { userId: holder }) };
    }
    case "nextItem":
    case "prevItem":
    case "extendItem": {
      need(access.moderator, "room.errors.moderatorOnly");
      const items = await agendaOf(tx, sid);
      const at = items.findIndex((i) => i.id === f.s.currentItemId);
      if (a.intent === "extendItem") {
        if (at < 0) throw new DomainError("invalid_state", "room.errors.noItem");
        await setSession(l, { itemExtraSeconds: f.s.itemExtraSeconds + a.minutes * 60 });
      } else {
        const to = a.intent === "nextItem" ? at + 1 : at - 1;
        if (to < 0 || to >= items.length) throw new DomainError("invalid_state", "room.errors.noMoreItems");
        if (at >= 0) await tx.update(roomAgendaItems).set({ endedAt: now }).where(eq(roomAgendaItems.id, items[at].id));
        // going back reopens the item: its first start stays, its clock restarts
        await tx
          .update(roomAgendaItems)
          .set({ startedAt: items[to].startedAt ?? now, endedAt: null })
          .where(eq(roomAgendaItems.id, items[to].id));
        await setSession(l, { currentItemId: items[to].id, itemStartedAt: now, itemExtraSeconds: 0 });
      }
      return { seq: await append(l, "agenda.changed", { action: a.intent, ...agendaPayload(f.s, await agendaOf(tx, sid)) }) };
    }
    case "pin":
    case "unpin": {
      need(access.moderator, "room.errors.moderatorOnly");
      const st = await statementIn(l, a.statementId);
      const pinned = a.intent === "pin";
      await tx.update(roomStatements).set({ pinned }).where(eq(roomStatements.id, st.id));
      await ledger(l, a.intent, sid, { statement: st.id, pinned });
      return { seq: await append(l, "statement.pinned", { statementId: st.id, pinned }) };
    }
    case "hide": {
      need(access.moderator, "room.errors.moderatorOnly");
      const st = await statementIn(l, a.statementId);
      if (st.hiddenAt) throw new DomainError("invalid_state", "room.errors.hidden");
      await tx.update(roomStatements).set({ hiddenAt: now, hiddenReason: a.reason, hiddenBy: actor.id }).where(eq(roomStatements.id, st.id));
      await ledger(l, "hide", sid, { statement: st.id, author: st.authorId, reason: a.reason });
      return { seq: await append(l, "statement.hidden", { statementId: st.id, reason: a.reason }) };
    }
    case "mute": {
      need(access.moderator, "room.errors.moderatorOnly");
      if (a.userId === actor.id) throw new DomainError("validation", "room.errors.notPanel", {}, "userId");
      const name = await nameOf(tx, a.userId);
      if (!name) throw new DomainError("validation", "room.errors.notPanel", {}, "userId");
      const added = await tx.insert(roomMutes).values({ sessionId: sid, userId: a.userId, mutedBy: actor.id, reason: a.reason ?? null, createdAt: now }).onConflictDoNothing().returning();
      if (!added.length) return { seq: f.s.lastSeq };
      if (f.s.floorUserId === a.userId) await endTurnRow(l);
      await tx.delete(roomHands).where(and(eq(roomHands.sessionId, sid), eq(roomHands.userId, a.userId)));
      await ledger(l, "mute", sid, { user: a.userId, reason: a.reason ?? null });
      return { seq: await append(l, "participant.muted", { userId: a.userId, name, reason: a.reason ?? null }) };
    }
    case "unmute": {
      need(access.moderator, "room.errors.moderatorOnly");
      const gone = await tx
        .delete(roomMutes)
        .where(and(eq(roomMutes.sessionId, sid), eq(roomMutes.userId, a.userId)))
        .returning();
      if (!gone.length) return { seq: f.s.lastSeq };
      await ledger(l, "unmute", sid, { user: a.userId });
      return { seq: await append(l, "participant.unmuted", { userId: a.userId }) };
    }
    case "ask": {
      need(!access.muted, "room.errors.muted");
      const [q] = await tx.insert(roomQuestions).values({ sessionId: sid, authorId: actor.id, body: a.body, createdAt: now }).returning();
      const question = { id: q.id, authorName: actor.displayName, body: q.body, surfaced: false, createdAt: now.toISOString() };
      return { seq: await append(l, "question.asked", { question }, { audience: "staff" }), questionId: q.id };
    }
    case "surface": {
      need(access.moderator, "room.errors.moderatorOnly");
      const [q] = await tx
        .select()
        .from(roomQuestions)
        .where(and(eq(roomQuestions.id, a.questionId), eq(roomQuestions.sessionId, sid)));
      if (!q) throw new DomainError("not_found", "room.errors.noQuestion", {}, "questionId");
      if (q.surfacedAt) return { seq: f.s.lastSeq };
      await tx.update(roomQuestions).set({ surfacedAt: now, surfacedBy: actor.id }).where(eq(roomQuestions.id, q.id));
      return { seq: await append(l, "question.surfaced", { question: { id: q.id, authorName: null, body: q.body, createdAt: q.createdAt.toISOString() } }) };
    }
    case "checkin": {
      need(access.moderator, "room.errors.moderatorOnly");
      let name = a.name ?? null;
      if (a.userId) {
        if (!(await isPanelMember(tx, f.matter.id, a.userId))) throw new DomainError("validation", "room.errors.notPanel", {}, "userId");
        name = await nameOf(tx, a.userId);
      }
      if (!name) throw new DomainError("validation", "errors.required", {}, "name");
      const added = await tx
        .insert(roomAttendance)
        .values({ sessionId: sid, userId: a.userId ?? null, name, role: a.userId ? "panel" : "guest", inPerson: true, method: a.userId ? "list" : "name", checkedInBy: actor.id, at: now })
        .onConflictDoNothing()
        .returning();
      if (!added.length) throw new DomainError("conflict", "room.errors.alreadyIn");
      return { seq: await append(l, "attendance.checkin", { name, inPerson: true, method: added[0].method }) };
    }
    case "checkinCode": {
      need(access.panel, "room.errors.panelOnly");
      if (a.code !== f.s.checkinCode) throw new DomainError("validation", "room.errors.code", {}, "code");
      const added = await tx
        .insert(roomAttendance)
        .values({ sessionId: sid, userId: actor.id, name: actor.displayName, role: "panel", inPerson: true, method: "code", at: now })
        .onConflictDoNothing()
        .returning();
      if (!added.length) return { seq: f.s.lastSeq };
      return { seq: await append(l, "attendance.checkin", { name: actor.displayName, inPerson: true, method: "code" }) };
    }
    case "close": {
      need(access.moderator, "room.errors.moderatorOnly");
      await endTurnRow(l);
      await tx.delete(roomHands).where(eq(roomHands.sessionId, sid));
      if (f.s.currentItemId) {
        await tx
          .update(roomAgendaItems)
          .set({ endedAt: now })
          .where(and(eq(roomAgendaItems.id, f.s.currentItemId), sql`${roomAgendaItems.endedAt} is null`));
      }
      await setSession(l, { status: "closed", closedAt: now });
      const seq = await append(l, "session.closed", agendaPayload(f.s, await agendaOf(tx, sid)));
      const minutes = await compileMinutes(tx, sid, now);
      await recordMatterEvent(tx, l.emit, ctx, f.matter, "roomClosed", { session: sid, statements: minutes.statementCount }, { kind: "notify.matter.transition", state: "@room.minutesReady" });
      return { seq };
    }
  }
}

// ---------------------------------------------------------------- reading the room

/** Stores the first online presence of a panel member, moderator or observer, for the minutes. */
export async function noteAttendance(db: Db, f: SessionFacts, actor: Actor, role: RoomRole, now: Date) {
  if (f.s.status !== "open") return;
  await db.insert(roomAttendance).values({ sessionId: f.s.id, userId: actor.id, name: actor.displayName, role, inPerson: false, at: now }).onConflictDoNothing();
}

/**
 * The log after `since`, as this viewer may see it: a question before it is surfaced is the
 * moderator's (and its author's); a hidden statement's words are its author's and the moderator's;
 * who marked what is the marker's own. Redacted entries keep their seq, so nothing looks missing.
 */
export async function eventsSince(db: Db, sessionId: number, viewer: Viewer, since: number, limit = JOIN_PAGE): Promise<RoomEventView[]> {
  const rows = await db
    .select()
    .from(roomEvents)
    .where(and(eq(roomEvents.sessionId, sessionId), gt(roomEvents.seq, since)))
    .orderBy(asc(roomEvents.seq))
    .limit(limit);
  const hidden = viewer.staff
    ? new Map<number, number | null>()
    : new Map(
        (
          await db
            .select({ id: roomStatements.id, authorId: roomStatements.authorId })
            .from(roomStatements)
            .where(and(eq(roomStatements.sessionId, sessionId), isNotNull(roomStatements.hiddenAt)))
        ).map((r) => [r.id, r.authorId]),
      );
  return rows.map((r) => viewEvent({ seq: r.seq, kind: r.kind, payload: r.payload, audience: r.audience, at: r.createdAt.toISOString(), actorId: r.actorId }, viewer, hidden));
}

/** One stored event as a viewer may see it (see eventsSince); the socket layer uses it for live pushes. */
export function viewEvent(e: RoomEventData, viewer: Viewer, hidden: Map<number, number | null> = new Map()): RoomEventView {
  const base = { seq: e.seq, at: e.at, actorId: e.actorId };
  if (e.audience === "staff" && !viewer.staff && e.actorId !== viewer.userId) return { ...base, kind: "redacted", payload: {} };
  if (e.kind === "reaction.set" && e.actorId !== viewer.userId) {
    const { statementId, counts } = e.payload as { statementId: number; counts: Counts };
    return { ...base, kind: e.kind, payload: { statementId, counts } };
  }
  if (e.kind === "statement.posted") {
    const st = (e.payload as { statement: StatementView }).statement;
    if (hidden.has(st.id) && hidden.get(st.id) !== viewer.userId) return { ...base, kind: e.kind, payload: { statement: { ...st, body: "" } } };
  }
  return { ...base, kind: e.kind, payload: e.payload };
}

/** The room page: the session, the agenda, the queue, the statements with their marks, as this viewer may see them. */
export async function getRoom(ctx: CommandContext, sessionId: number) {
  const { f, access, actor } = await requireRoom(ctx.db, ctx.actor, sessionId);
  const role = roleOf(access)!;
  const viewer: Viewer = { userId: actor.id, staff: access.moderator };
  const state = await snapshot(ctx.db, f, viewer);
  const moderatorName = await nameOf(ctx.db, f.s.moderatorId);
  const panelIds = access.moderator ? await listPanelUserIds(ctx.db, f.matter.id) : [];
  const panel = panelIds.length
    ? await ctx.db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, panelIds)).orderBy(asc(users.id))
    : [];
  return {
    session: {
      id: f.s.id,
      status: f.s.status,
      scheduledAt: f.s.scheduledAt.toISOString(),
      place: f.s.place,
      moderatorName,
      checkinCode: access.moderator ? f.s.checkinCode : null,
    },
    matter: { id: f.matter.id, title: f.matter.title, state: f.matter.state },
    role,
    access,
    me: { id: actor.id, name: actor.displayName },
    state,
    panel,
    serverNow: ctx.clock.now().getTime(),
  };
}

async function snapshot(db: Db, f: SessionFacts, viewer: Viewer): Promise<RoomState> {
  const sid = f.s.id;
  const author = aliasedTable(users, "author");
  const recorder = aliasedTable(users, "recorder");
  const [items, statements, counts, mine, hands, muted, questions, inPerson, floorName, openVotes] = await Promise.all([
    agendaOf(db, sid),
    db
      .select({ st: roomStatements, authorName: author.displayName, recordedByName: recorder.displayName })
      .from(roomStatements)
      .leftJoin(author, eq(author.id, roomStatements.authorId))
      .leftJoin(recorder, eq(recorder.id, roomStatements.recordedBy))
      .where(and(eq(roomStatements.sessionId, sid), sql`${roomStatements.seq} <= ${f.s.lastSeq}`))
      .orderBy(asc(roomStatements.id)),
    db
      .select({ id: roomReactions.statementId, value: roomReactions.value, n: sql<number>`count(*)::int` })
      .from(roomReactions)
      .innerJoin(roomStatements, eq(roomStatements.id, roomReactions.statementId))
      .where(eq(roomStatements.sessionId, sid))
      .groupBy(roomReactions.statementId, roomReactions.value),
    db
      .select({ id: roomReactions.statementId, value: roomReactions.value })
      .from(roomReactions)
      .innerJoin(roomStatements, eq(roomStatements.id, roomReactions.statementId))
      .where(and(eq(roomStatements.sessionId, sid), eq(roomReactions.userId, viewer.userId ?? -1))),
    db
      .select({ userId: roomHands.userId, name: users.displayName, raisedAt: roomHands.raisedAt })
      .from(roomHands)
      .innerJoin(users, eq(users.id, roomHands.userId))
      .where(eq(roomHands.sessionId, sid))
      .orderBy(asc(roomHands.raisedAt), asc(roomHands.userId)),
    db.select({ userId: roomMutes.userId, name: users.displayName }).from(roomMutes).innerJoin(users, eq(users.id, roomMutes.userId)).where(eq(roomMutes.sessionId, sid)),
    db
      .select({ q: roomQuestions, authorName: users.displayName })
      .from(roomQuestions)
      .innerJoin(users, eq(users.id, roomQuestions.authorId))
      .where(
        and(
          eq(roomQuestions.sessionId, sid),
          viewer.staff ? sql`true` : or(isNotNull(roomQuestions.surfacedAt), eq(roomQuestions.authorId, viewer.userId ?? -1)),
        ),
      )
      .orderBy(asc(roomQuestions.id)),
    db
      .select({ name: roomAttendance.name })
      .from(roomAttendance)
      .where(and(eq(roomAttendance.sessionId, sid), eq(roomAttendance.inPerson, true)))
      .orderBy(asc(roomAttendance.id)),
    f.s.floorUserId ? nameOf(db, f.s.floorUserId) : Promise.resolve(null),
    db
      .select({ id: votes.id, question: votes.question })
      .from(votes)
      .where(and(eq(votes.matterId, f.matter.id), eq(votes.state, "open")))
      .orderBy(asc(votes.id)),
  ]);
  const countMap = new Map<number, Counts>();
  for (const c of counts) {
    const x = countMap.get(c.id) ?? { agree: 0, disagree: 0, pass: 0 };
    x[c.value] = c.n;
    countMap.set(c.id, x);
  }
  const mineMap = new Map(mine.map((m) => [m.id, m.value]));
  return {
    sessionId: sid,
    status: f.s.status,
    head: f.s.lastSeq,
    items: items.map((i) => ({ id: i.id, title: i.title, minutes: i.minutes, startedAt: i.startedAt?.toISOString() ?? null, endedAt: i.endedAt?.toISOString() ?? null })),
    currentItemId: f.s.currentItemId,
    itemStartedAt: f.s.itemStartedAt?.toISOString() ?? null,
    itemExtraSeconds: f.s.itemExtraSeconds,
    floor:
      f.s.floorUserId && f.s.turnStartedAt
        ? { userId: f.s.floorUserId, name: floorName ?? "", turnStartedAt: f.s.turnStartedAt.toISOString(), turnSeconds: f.s.turnSeconds }
        : null,
    hands: hands.map((h) => ({ userId: h.userId, name: h.name, raisedAt: h.raisedAt.toISOString() })),
    statements: statements.map(({ st, authorName, recordedByName }) => ({
      id: st.id,
      seq: st.seq,
      authorId: st.authorId,
      authorName: st.authorId ? authorName : null,
      speakerName: st.speakerName,
      recordedByName: st.recordedBy ? recordedByName : null,
      stance: st.stance,
      body: st.hiddenAt && !viewer.staff && st.authorId !== viewer.userId ? "" : st.body,
      replyToId: st.replyToId,
      pinned: st.pinned,
      hidden: !!st.hiddenAt,
      hiddenReason: st.hiddenReason,
      createdAt: st.createdAt.toISOString(),
      counts: countMap.get(st.id) ?? { agree: 0, disagree: 0, pass: 0 },
      mine: mineMap.get(st.id) ?? null,
    })),
    muted,
    questions: questions.map(({ q, authorName }) => ({
      id: q.id,
      authorName: viewer.staff || q.authorId === viewer.userId ? authorName : null,
      body: q.body,
      surfaced: !!q.surfacedAt,
      createdAt: q.createdAt.toISOString(),
    })),
    inPerson,
    votes: openVotes,
  };
}

/**
 * A vote opened on this matter is announced in every open session of its room, as the next
 * entry of each session's log (stored inside the caller's transaction, broadcast after commit).
 */
export async function announceVoteInRooms(tx: Db, emit: Emit, matterId: number, vote: { id: number; question: string }, actorId: number | null, now: Date) {
  const open = await tx
    .select({ id: roomSessions.id, lastSeq: roomSessions.lastSeq })
    .from(roomSessions)
    .where(and(eq(roomSessions.matterId, matterId), eq(roomSessions.status, "open")))
    .for("update");
  for (const s of open) {
    const seq = s.lastSeq + 1;
    const payload = { voteId: vote.id, question: vote.question };
    await tx.update(roomSessions).set({ lastSeq: seq }).where(eq(roomSessions.id, s.id));
    await tx.insert(roomEvents).values({ sessionId: s.id, seq, kind: "vote.opened", actorId, payload, audience: "all", clientKey: null, createdAt: now });
    emit({ type: "room.event", sessionId: s.id, event: { seq, kind: "vote.opened", payload, audience: "all", at: now.toISOString(), actorId } });
  }
  return open.length;
}

/** Log entries in one answer to a join: a client further behind asks again from `next`. */
export const JOIN_PAGE = 200;

/**
 * For the socket layer: may this actor be in the room, and as what; also notes their attendance.
 * Answers with at most JOIN_PAGE entries after `since`; `more` and `next` say where to go on.
 */
export async function joinRoom(
  ctx: CommandContext,
  sessionId: number,
  since: number,
  /** Runs after the check and before the replay (the socket joins its broadcast room here, so nothing falls between). */
  beforeReplay: (who: { role: RoomRole; staff: boolean }) => Promise<void> = async () => {},
) {
  const { f, access, actor } = await requireRoom(ctx.db, ctx.actor, sessionId);
  const role = roleOf(access)!;
  await noteAttendance(ctx.db, f, actor, role, ctx.clock.now());
  const viewer: Viewer = { userId: actor.id, staff: access.moderator };
  await beforeReplay({ role, staff: access.moderator });
  // one page of the log: a client far behind follows `next` with another join
  const events = await eventsSince(ctx.db, sessionId, viewer, since, JOIN_PAGE + 1);
  const more = events.length > JOIN_PAGE;
  if (more) events.length = JOIN_PAGE;
  const next = more ? events[events.length - 1].seq : null;
  return { role, staff: access.moderator, name: actor.displayName, head: f.s.lastSeq, events, more, next, serverNow: ctx.clock.now().getTime() };
}
