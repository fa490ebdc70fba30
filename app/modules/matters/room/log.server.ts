/**
 * The room's log, internal to the room sub-domain. A command that changes the room runs inside
 * `inRoom`: one transaction that locks the session row, answers a retried client key with the
 * stored seq, and refuses a session that is not open; `append` then stores one log entry with the
 * next per-session seq and queues its `room.event` for after commit.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { roomAgendaItems, roomAttendance, roomEvents, roomReactions, roomSessions, roomStatements, roomTurns, users } from "../../../../db/schema";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import type { Emit, RoomEventData } from "../../shared/events";
import type { Counts } from "./board";
import { requireRoom, roleOf, type InRoom } from "./access.server";

type SessionRow = typeof roomSessions.$inferSelect;

/** A room locked for one command: the actor's place, the transaction, its clock and client key. */
export interface Locked extends InRoom {
  tx: Db;
  emit: Emit;
  now: Date;
  key: string | undefined;
}

export interface ActResult {
  seq: number;
  duplicate?: boolean;
  statementId?: number;
  questionId?: number;
}

/** The stored answer to a client key already used in this session, if any (another actor's key is a conflict). */
export async function seenKey(db: Db, sessionId: number, actorId: number, key: string | undefined): Promise<ActResult | null> {
  if (!key) return null;
  const [row] = await db
    .select({ seq: roomEvents.seq, actorId: roomEvents.actorId })
    .from(roomEvents)
    .where(and(eq(roomEvents.sessionId, sessionId), eq(roomEvents.clientKey, key)));
  if (!row) return null;
  if (row.actorId !== actorId) throw new DomainError("conflict", "room.errors.keyUsed");
  return { seq: row.seq, duplicate: true };
}

export function requireOpen(s: SessionRow) {
  if (s.status !== "open") throw new DomainError("invalid_state", s.status === "closed" ? "room.errors.closed" : "room.errors.notOpen");
}

/**
 * Runs `body` on the locked session, authorised against the database on every call. With a
 * client key, a retry of an action already stored answers with the stored seq and stores nothing.
 * Unless `anyStatus`, a session that is not open refuses before the command's own checks.
 */
export async function inRoom(
  ctx: CommandContext,
  sessionId: number,
  key: string | undefined,
  body: (l: Locked) => Promise<ActResult>,
  opts: { anyStatus?: boolean } = {},
): Promise<ActResult> {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return inTransaction(ctx, async (tx, emit) => {
    const room = await requireRoom(tx, ctx.actor, sessionId, ctx.clock.now(), true);
    const seen = await seenKey(tx, sessionId, room.actor.id, key);
    if (seen) return seen;
    if (!opts.anyStatus) requireOpen(room.f.s);
    return body({ ...room, tx, emit, now: ctx.clock.now(), key });
  });
}

/** Stores one log entry with the next seq, and queues its broadcast for after commit. */
export async function append(l: Locked, kind: string, payload: Record<string, unknown>, opts: { audience?: "all" | "staff"; key?: boolean } = {}) {
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
  // whoever acts in an open room was there, whichever way the act came (a socket or a plain form post)
  if (l.f.s.status === "open") {
    const role = roleOf(l.access);
    if (role) await l.tx.insert(roomAttendance).values({ sessionId: l.f.s.id, userId: l.actor.id, name: l.actor.displayName, role, inPerson: false, at: l.now }).onConflictDoNothing();
  }
  const event: RoomEventData = { seq, kind, payload, audience, at: l.now.toISOString(), actorId: l.actor.id };
  l.emit({ type: "room.event", sessionId: l.f.s.id, event });
  return seq;
}

/** A moderation entry on the community's ledger stream. */
export async function ledger(l: Locked, action: string, entityId: number, summary: Record<string, unknown>) {
  await appendLedger(l.tx, { stream: `area:${l.f.matter.communityId}`, actorId: l.actor.id, action: `room.${action}`, entityType: "room_session", entityId, summary, at: l.now });
}

export async function nameOf(db: Db, userId: number) {
  const [u] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return u?.name ?? null;
}

export async function statementIn(l: Locked, statementId: number) {
  const [st] = await l.tx
    .select()
    .from(roomStatements)
    .where(and(eq(roomStatements.id, statementId), eq(roomStatements.sessionId, l.f.s.id)));
  if (!st) throw new DomainError("not_found", "room.errors.noStatement", {}, "statementId");
  return st;
}

export async function countsOf(db: Db, statementId: number): Promise<Counts> {
  const rows = await db
    .select({ value: roomReactions.value, n: sql<number>`count(*)::int` })
    .from(roomReactions)
    .where(eq(roomReactions.statementId, statementId))
    .groupBy(roomReactions.value);
  const c: Counts = { agree: 0, disagree: 0, pass: 0 };
  for (const r of rows) c[r.value] = r.n;
  return c;
}

export function agendaPayload(s: SessionRow, items: (typeof roomAgendaItems.$inferSelect)[]) {
  return {
    currentItemId: s.currentItemId,
    itemStartedAt: s.itemStartedAt?.toISOString() ?? null,
    itemExtraSeconds: s.itemExtraSeconds,
    items: items.map((i) => ({ id: i.id, startedAt: i.startedAt?.toISOString() ?? null, endedAt: i.endedAt?.toISOString() ?? null })),
  };
}

export async function agendaOf(db: Db, sessionId: number) {
  return db.select().from(roomAgendaItems).where(eq(roomAgendaItems.sessionId, sessionId)).orderBy(asc(roomAgendaItems.position));
}

export async function setSession(l: Locked, set: Partial<typeof roomSessions.$inferInsert>) {
  await l.tx.update(roomSessions).set(set).where(eq(roomSessions.id, l.f.s.id));
  l.f.s = { ...l.f.s, ...set } as SessionRow;
}

/** Ends the current turn, if any: its row gets an end, the floor is free. */
export async function endTurnRow(l: Locked) {
  if (!l.f.s.floorUserId) return;
  await l.tx
    .update(roomTurns)
    .set({ endedAt: l.now })
    .where(and(eq(roomTurns.sessionId, l.f.s.id), sql`${roomTurns.endedAt} is null`));
  await setSession(l, { floorUserId: null, turnStartedAt: null });
}
