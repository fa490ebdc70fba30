/**
 * Confirmed minutes, for anyone (issue 19, 居务公开): only minutes the committee has signed off, of
 * a matter in a public state, with names as the matter's fixed masking rule says (and masked
 * whenever a name holds digits) and phone or ID numbers typed into any text redacted. Unconfirmed
 * minutes stay inside the room.
 */
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { areas, matters, roomMinutes, roomMinutesCorrections, roomMinutesResponses, roomSessions } from "../../../../db/schema";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { publicName, redact } from "../outcomes/export.server";
import { PUBLIC_STATES } from "../states";
import type { CompiledMinutes } from "./minutes.server";
import { STANCES } from "./schemas";

/** One session's confirmed minutes as the public reads them; 404 for minutes not (yet) confirmed. */
export async function getPublicMinutes(ctx: CommandContext, sessionId: number) {
  const [row] = await ctx.db
    .select({
      m: roomMinutes,
      matterId: matters.id,
      title: matters.title,
      state: matters.state,
      areaId: areas.id,
      community: areas.name,
      masked: sql<boolean>`coalesce(${matters.fixedPublicNames}, ${areas.publicNames}) = 'masked'`.mapWith(Boolean),
    })
    .from(roomMinutes)
    .innerJoin(roomSessions, eq(roomSessions.id, roomMinutes.sessionId))
    .innerJoin(matters, eq(matters.id, roomSessions.matterId))
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(roomMinutes.sessionId, sessionId));
  if (!row || !row.m.confirmedAt || !PUBLIC_STATES.includes(row.state)) throw new DomainError("not_found", "minutes.errors.notPublic");
  const [responses, corrections] = await Promise.all([
    ctx.db.select({ kind: roomMinutesResponses.kind, n: sql<number>`count(*)::int` }).from(roomMinutesResponses).where(eq(roomMinutesResponses.sessionId, sessionId)).groupBy(roomMinutesResponses.kind),
    ctx.db.select().from(roomMinutesCorrections).where(eq(roomMinutesCorrections.sessionId, sessionId)).orderBy(asc(roomMinutesCorrections.id)),
  ]);
  const c = row.m.compiled as unknown as CompiledMinutes;
  const name = (n: string | null) => publicName(n, row.masked) ?? "";
  const text = (t: string | null) => redact(t);
  return {
    sessionId,
    area: { id: row.areaId, name: row.community },
    matter: { id: row.matterId, title: text(row.title)! },
    confirmedAt: row.m.confirmedAt.toISOString(),
    summary: text(row.m.summary),
    session: { scheduledAt: c.session.scheduledAt, openedAt: c.session.openedAt, closedAt: c.session.closedAt, place: text(c.session.place), moderator: name(c.session.moderator) },
    attendance: { online: c.attendance.online.map((a) => name(a.name)), inPerson: c.attendance.inPerson.map((a) => name(a.name)) },
    agenda: c.agenda.map((i) => ({ title: text(i.title)!, minutes: i.minutes })),
    speakers: c.speakers.map((s) => ({ name: name(s.name), turns: s.turns, seconds: s.seconds })),
    statements: STANCES.flatMap((stance) =>
      c.statements[stance].map((s) => ({ id: s.id, stance, speaker: name(s.speaker), body: text(s.body), hidden: s.body === null, counts: s.counts })),
    ),
    confirmations: Object.fromEntries(responses.map((r) => [r.kind, r.n])) as Partial<Record<"confirm" | "comment", number>>,
    corrections: corrections.map((k) => ({ id: k.id, body: text(k.body)!, at: k.at.toISOString() })),
  };
}
export type PublicMinutes = Awaited<ReturnType<typeof getPublicMinutes>>;

/** The confirmed minutes of these matters, for the open-data page and export: one line each. */
export async function listConfirmedMinutes(db: Db, matterIds: number[]) {
  if (!matterIds.length) return [];
  const rows = await db
    .select({ sessionId: roomMinutes.sessionId, matterId: roomSessions.matterId, scheduledAt: roomSessions.scheduledAt, confirmedAt: roomMinutes.confirmedAt, summary: roomMinutes.summary })
    .from(roomMinutes)
    .innerJoin(roomSessions, eq(roomSessions.id, roomMinutes.sessionId))
    .where(and(inArray(roomSessions.matterId, matterIds), isNotNull(roomMinutes.confirmedAt)))
    .orderBy(asc(roomMinutes.sessionId));
  return rows.map((r) => ({ sessionId: r.sessionId, matterId: r.matterId, scheduledAt: r.scheduledAt.toISOString(), confirmedAt: r.confirmedAt!.toISOString(), summary: redact(r.summary) }));
}
