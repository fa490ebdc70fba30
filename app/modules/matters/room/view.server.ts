/**
 * Reading the room: the page (`getRoom`), the socket's join (`joinRoom`) and the log after a
 * seq as each viewer may see it (`eventsSince`, `viewEvent`), and a matter's sessions for its page.
 * Permission: `room.view` (through `requireRoom`).
 */
import { aliasedTable, and, asc, eq, gt, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { roomAttendance, roomEvents, roomHands, roomMutes, roomQuestions, roomReactions, roomSessions, roomStatements, users, votes } from "../../../../db/schema";
import type { CommandContext } from "../../shared/context";
import type { RoomEventData } from "../../shared/events";
import { listPanelUserIds } from "../selection/panel.server";
import { requireVisibleMatter } from "../transition.server";
import { requireRoom, roleOf, type RoomRole, type SessionFacts } from "./access.server";
import { noteAttendance } from "./attendance.server";
import type { Counts } from "./board";
import { agendaOf, nameOf } from "./log.server";
import type { RoomEventView, RoomState, StatementView, Viewer } from "./state";

/**
 * The sessions of a matter, for its page, each with whether this viewer may open its room
 * (`room.view`): a link is shown only to those it lets in. A matter has a handful of sessions.
 */
export async function listSessions(ctx: CommandContext, matterId: number) {
  await requireVisibleMatter(ctx, matterId);
  const rows = await ctx.db
    .select({ id: roomSessions.id, scheduledAt: roomSessions.scheduledAt, status: roomSessions.status, place: roomSessions.place })
    .from(roomSessions)
    .where(eq(roomSessions.matterId, matterId))
    .orderBy(asc(roomSessions.scheduledAt), asc(roomSessions.id));
  const now = ctx.clock.now();
  return Promise.all(
    rows.map(async (r) => ({
      ...r,
      canEnter: ctx.actor ? await requireRoom(ctx.db, ctx.actor, r.id, now).then(() => true, () => false) : false,
    })),
  );
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
  const { f, access, actor } = await requireRoom(ctx.db, ctx.actor, sessionId, ctx.clock.now());
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
    matter: { id: f.matter.id, title: f.matter.title, state: f.matter.state, form: f.matter.form },
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
  const { f, access, actor } = await requireRoom(ctx.db, ctx.actor, sessionId, ctx.clock.now());
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
