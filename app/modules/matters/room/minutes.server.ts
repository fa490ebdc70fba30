/**
 * Minutes (会议纪要): compiled from the room when it closes — attendance online and in person,
 * the agenda with its times, the speakers and their time at the floor, the statements grouped by
 * stance, the board, the moderator's actions — then the committee's summary and the panel's
 * confirmations or comments. Exports as Markdown and CSV.
 */
import { aliasedTable, and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../../db/client";
import { roomAgendaItems, roomAttendance, roomEvents, roomMinutes, roomMinutesResponses, roomQuestions, roomReactions, roomSessions, roomStatements, roomTurns, matters, users } from "../../../../db/schema";
import { beijingMinute } from "../../shared/beijing-time";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { csvFile, mdBlock, mdInline } from "../../shared/export";
import { recordMatterEvent } from "../transition.server";
import { rankBoard, type Counts } from "./board";
import { need, notSpeakerKey, requireRoom } from "./access.server";
import { confirmDeadline, confirmationStatus, listCorrections } from "./confirm.server";
import { MODERATION_KINDS, STANCES, type MinutesResponseSchema, type Stance, type SummarySchema } from "./schemas";

export interface MinutesStatement {
  id: number;
  seq: number;
  at: string;
  stance: Stance;
  speaker: string;
  recordedBy: string | null;
  replyToId: number | null;
  body: string | null;
  hiddenReason: string | null;
  pinned: boolean;
  counts: Counts;
}

export interface CompiledMinutes {
  session: { id: number; matterId: number; matterTitle: string; scheduledAt: string; openedAt: string | null; closedAt: string | null; place: string | null; moderator: string };
  attendance: { online: { name: string; role: string }[]; inPerson: { name: string; method: string | null }[] };
  agenda: { title: string; minutes: number; startedAt: string | null; endedAt: string | null }[];
  speakers: { name: string; turns: number; seconds: number }[];
  statements: Record<Stance, MinutesStatement[]>;
  board: { agreed: number[]; divisive: number[] };
  moderation: { seq: number; at: string; kind: string; by: string | null; detail: string }[];
  questions: { body: string; surfaced: boolean }[];
}

/** Builds the minutes from the stored room and stores them (inside the closing transaction). */
export async function compileMinutes(tx: Db, sessionId: number, now: Date) {
  const [row] = await tx
    .select({ s: roomSessions, title: matters.title, moderator: users.displayName })
    .from(roomSessions)
    .innerJoin(matters, eq(matters.id, roomSessions.matterId))
    .innerJoin(users, eq(users.id, roomSessions.moderatorId))
    .where(eq(roomSessions.id, sessionId));
  const author = aliasedTable(users, "author");
  const recorder = aliasedTable(users, "recorder");
  const [attendance, items, turns, statements, reactions, events, questions] = await Promise.all([
    tx.select().from(roomAttendance).where(eq(roomAttendance.sessionId, sessionId)).orderBy(asc(roomAttendance.id)),
    tx.select().from(roomAgendaItems).where(eq(roomAgendaItems.sessionId, sessionId)).orderBy(asc(roomAgendaItems.position)),
    tx
      .select({
        name: users.displayName,
        turns: sql<number>`count(*)::int`,
        seconds: sql<number>`coalesce(sum(extract(epoch from coalesce(${roomTurns.endedAt}, ${now.toISOString()}::timestamptz) - ${roomTurns.startedAt})), 0)::int`,
      })
      .from(roomTurns)
      .innerJoin(users, eq(users.id, roomTurns.userId))
      .where(eq(roomTurns.sessionId, sessionId))
      .groupBy(users.id, users.displayName)
      .orderBy(asc(users.id)),
    tx
      .select({ st: roomStatements, authorName: author.displayName, recorderName: recorder.displayName })
      .from(roomStatements)
      .leftJoin(author, eq(author.id, roomStatements.authorId))
      .leftJoin(recorder, eq(recorder.id, roomStatements.recordedBy))
      .where(eq(roomStatements.sessionId, sessionId))
      .orderBy(asc(roomStatements.id)),
    tx
      .select({ id: roomReactions.statementId, value: roomReactions.value, n: sql<number>`count(*)::int` })
      .from(roomReactions)
      .innerJoin(roomStatements, eq(roomStatements.id, roomReactions.statementId))
      .where(eq(roomStatements.sessionId, sessionId))
      .groupBy(roomReactions.statementId, roomReactions.value),
    tx
      .select({ e: roomEvents, by: users.displayName })
      .from(roomEvents)
      .leftJoin(users, eq(users.id, roomEvents.actorId))
      .where(and(eq(roomEvents.sessionId, sessionId), inArray(roomEvents.kind, [...MODERATION_KINDS])))
      .orderBy(asc(roomEvents.seq)),
    tx.select().from(roomQuestions).where(eq(roomQuestions.sessionId, sessionId)).orderBy(asc(roomQuestions.id)),
  ]);
  const counts = new Map<number, Counts>();
  for (const r of reactions) {
    const c = counts.get(r.id) ?? { agree: 0, disagree: 0, pass: 0 };
    c[r.value] = r.n;
    counts.set(r.id, c);
  }
  const list: MinutesStatement[] = statements.map(({ st, authorName, recorderName }) => ({
    id: st.id,
    seq: st.seq,
    at: st.createdAt.toISOString(),
    stance: st.stance,
    speaker: st.speakerName ?? authorName ?? "",
    recordedBy: st.recordedBy ? recorderName : null,
    replyToId: st.replyToId,
    // hidden words stay in the database, not in the minutes
    body: st.hiddenAt ? null : st.body,
    hiddenReason: st.hiddenReason,
    pinned: st.pinned,
    counts: counts.get(st.id) ?? { agree: 0, disagree: 0, pass: 0 },
  }));
  const board = rankBoard(list.map((s) => ({ ...s, hidden: s.body === null })));
  const compiled: CompiledMinutes = {
    session: {
      id: row.s.id,
      matterId: row.s.matterId,
      matterTitle: row.title,
      scheduledAt: row.s.scheduledAt.toISOString(),
      openedAt: row.s.openedAt?.toISOString() ?? null,
      closedAt: row.s.closedAt?.toISOString() ?? now.toISOString(),
      place: row.s.place,
      moderator: row.moderator,
    },
    attendance: {
      online: attendance.filter((a) => !a.inPerson).map((a) => ({ name: a.name, role: a.role })),
      inPerson: attendance.filter((a) => a.inPerson).map((a) => ({ name: a.name, method: a.method })),
    },
    agenda: items.map((i) => ({ title: i.title, minutes: i.minutes, startedAt: i.startedAt?.toISOString() ?? null, endedAt: i.endedAt?.toISOString() ?? null })),
    speakers: turns.map((t) => ({ name: t.name, turns: t.turns, seconds: t.seconds })),
    statements: Object.fromEntries(STANCES.map((s) => [s, list.filter((x) => x.stance === s)])) as Record<Stance, MinutesStatement[]>,
    board: { agreed: board.agreed.map((s) => s.id), divisive: board.divisive.map((s) => s.id) },
    moderation: events.map(({ e, by }) => ({ seq: e.seq, at: e.createdAt.toISOString(), kind: e.kind, by, detail: detailOf(e.kind, e.payload) })),
    // a written question the moderator never surfaced stays between its author and the moderator
    questions: questions.filter((q) => q.surfacedAt).map((q) => ({ body: q.body, surfaced: true })),
  };
  await tx
    .insert(roomMinutes)
    .values({ sessionId, compiled: compiled as unknown as Record<string, unknown>, compiledAt: now, confirmBy: confirmDeadline(now) })
    .onConflictDoUpdate({ target: roomMinutes.sessionId, set: { compiled: compiled as unknown as Record<string, unknown>, compiledAt: now } });
  return { statementCount: list.length };
}

function detailOf(kind: string, p: Record<string, unknown>) {
  switch (kind) {
    case "statement.hidden":
      return `#${p.statementId}: ${p.reason}`;
    case "statement.pinned":
      return `#${p.statementId}${p.pinned ? "" : " (unpinned)"}`;
    case "participant.muted":
      return `${p.name}${p.reason ? `: ${p.reason}` : ""}`;
    case "floor.given":
      return String(p.name ?? "");
    case "turn.extended":
      return `${p.turnSeconds} s`;
    case "agenda.changed":
      return String(p.action ?? "");
    case "question.surfaced":
      return String((p.question as { body?: string } | undefined)?.body ?? "").slice(0, 100);
    default:
      return "";
  }
}

/** The minutes page: for those who may be in the room. */
export async function getMinutes(ctx: CommandContext, sessionId: number) {
  const { f, actor, may } = await requireRoom(ctx.db, ctx.actor, sessionId, ctx.clock.now());
  const [m] = await ctx.db.select().from(roomMinutes).where(eq(roomMinutes.sessionId, sessionId));
  if (!m) throw new DomainError("not_found", "room.errors.noMinutes");
  const responses = await ctx.db
    .select({ userId: roomMinutesResponses.userId, name: users.displayName, kind: roomMinutesResponses.kind, comment: roomMinutesResponses.comment, at: roomMinutesResponses.at })
    .from(roomMinutesResponses)
    .innerJoin(users, eq(users.id, roomMinutesResponses.userId))
    .where(eq(roomMinutesResponses.sessionId, sessionId))
    .orderBy(asc(roomMinutesResponses.at), asc(roomMinutesResponses.userId));
  const [status, corrections] = await Promise.all([
    confirmationStatus(ctx.db, sessionId, f.matter.id, f.matter.form, ctx.clock.now()),
    listCorrections(ctx.db, sessionId),
  ]);
  return {
    matter: { id: f.matter.id, title: f.matter.title },
    status: status!,
    corrections: corrections.map((c) => ({ id: c.id, body: c.body, at: c.at.toISOString() })),
    minutes: m.compiled as unknown as CompiledMinutes,
    summary: m.summary,
    summaryAt: m.summaryAt?.toISOString() ?? null,
    responses: responses.map((r) => ({ ...r, at: r.at.toISOString() })),
    mine: responses.find((r) => r.userId === actor.id) ?? null,
    canSummarise: may("room.summarise") && !m.confirmedAt,
    canConfirm: may("room.summarise") && !m.confirmedAt,
    canCorrect: may("room.summarise") && !!m.confirmedAt,
    canRespond: may("room.respondToMinutes") && !m.confirmedAt,
  };
}

export async function writeSummary(ctx: CommandContext, sessionId: number, input: z.output<typeof SummarySchema>) {
  const { f, may } = await requireRoom(ctx.db, ctx.actor, sessionId, ctx.clock.now());
  need(may("room.summarise"), "errors.forbidden");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const done = await tx
      .update(roomMinutes)
      .set({ summary: input.summary, summaryBy: ctx.actor!.id, summaryAt: now })
      .where(and(eq(roomMinutes.sessionId, sessionId), isNull(roomMinutes.confirmedAt)))
      .returning();
    if (!done.length) throw new DomainError("invalid_state", (await confirmedAt(tx, sessionId)) ? "minutes.errors.alreadyConfirmed" : "room.errors.noMinutes");
    await recordMatterEvent(tx, emit, ctx, f.matter, "roomSummary", { session: sessionId }, null);
  });
}

export async function respondToMinutes(ctx: CommandContext, sessionId: number, input: z.output<typeof MinutesResponseSchema>) {
  const { actor, may, f } = await requireRoom(ctx.db, ctx.actor, sessionId, ctx.clock.now());
  need(may("room.respondToMinutes"), notSpeakerKey(f.matter.form));
  const [m] = await ctx.db.select({ id: roomMinutes.sessionId, confirmedAt: roomMinutes.confirmedAt }).from(roomMinutes).where(eq(roomMinutes.sessionId, sessionId));
  if (!m) throw new DomainError("invalid_state", "room.errors.noMinutes");
  // confirmed minutes change only by a correction
  if (m.confirmedAt) throw new DomainError("invalid_state", "minutes.errors.alreadyConfirmed");
  const now = ctx.clock.now();
  const comment = input.kind === "comment" ? (input.comment ?? null) : null;
  await ctx.db
    .insert(roomMinutesResponses)
    .values({ sessionId, userId: actor.id, kind: input.kind, comment, at: now })
    .onConflictDoUpdate({ target: [roomMinutesResponses.sessionId, roomMinutesResponses.userId], set: { kind: input.kind, comment, at: now } });
}

async function confirmedAt(db: Db, sessionId: number) {
  const [m] = await db.select({ at: roomMinutes.confirmedAt }).from(roomMinutes).where(eq(roomMinutes.sessionId, sessionId));
  return m?.at ?? null;
}

// ---------------------------------------------------------------- exports

type Tr = (key: string, params?: Record<string, string | number>) => string;

const beijing = (iso: string | null) => (iso ? beijingMinute(new Date(iso)) : "—");

/**
 * Markdown of the minutes, in the reader's language. Every name and text a person typed goes
 * through mdInline (one line, markup escaped) or mdBlock (the summary's paragraphs), so a line
 * break cannot add a heading and brackets cannot add a link or an image.
 */
export function minutesMarkdown(page: Awaited<ReturnType<typeof getMinutes>>, t: Tr) {
  const m = page.minutes;
  const e = mdInline;
  const out: string[] = [];
  out.push(`# ${t("room.minutesTitle")}: ${e(m.session.matterTitle)}`, "");
  out.push(`- ${t("room.scheduledAt")}: ${beijing(m.session.scheduledAt)}`);
  out.push(`- ${t("room.opened")}: ${beijing(m.session.openedAt)} — ${t("room.closedAt")}: ${beijing(m.session.closedAt)}`);
  if (m.session.place) out.push(`- ${t("room.place")}: ${e(m.session.place)}`);
  out.push(`- ${t("room.moderator")}: ${e(m.session.moderator)}`, "");
  if (page.summary) out.push(`## ${t("room.summary")}`, "", mdBlock(page.summary), "");
  out.push(`## ${t("room.attendance")}`, "");
  out.push(`${t("room.online")}: ${m.attendance.online.map((a) => `${e(a.name)} (${t(`room.role.${a.role}`)})`).join("、") || "—"}`, "");
  out.push(`${t("room.inPerson")}: ${m.attendance.inPerson.map((a) => e(a.name)).join("、") || "—"}`, "");
  out.push(`## ${t("room.agenda")}`, "");
  for (const i of m.agenda) out.push(`- ${e(i.title)} (${i.minutes} min): ${beijing(i.startedAt)} – ${beijing(i.endedAt)}`);
  out.push("", `## ${t("room.speakers")}`, "");
  for (const s of m.speakers) out.push(`- ${e(s.name)}: ${t("room.speakerTime", { turns: s.turns, seconds: s.seconds })}`);
  for (const stance of STANCES) {
    out.push("", `## ${t(`room.stance.${stance}`)}`, "");
    for (const s of m.statements[stance]) {
      const who = s.recordedBy ? t("room.recordedFor", { name: e(s.speaker), staff: e(s.recordedBy) }) : e(s.speaker);
      const body = s.body === null ? t("room.hiddenWithReason", { reason: e(s.hiddenReason ?? "") }) : e(s.body);
      out.push(`- #${s.id} ${who}: ${body} (${t("room.countsShort", { ...s.counts })})`);
    }
  }
  out.push("", `## ${t("room.board")}`, "");
  out.push(`${t("room.boardAgreed")}: ${m.board.agreed.map((id) => `#${id}`).join(", ") || "—"}`);
  out.push(`${t("room.boardDivisive")}: ${m.board.divisive.map((id) => `#${id}`).join(", ") || "—"}`, "");
  out.push(`## ${t("room.moderation")}`, "");
  for (const a of m.moderation) out.push(`- ${beijing(a.at)} ${e(a.by ?? "")} ${t(`room.event.${a.kind}`)} ${e(a.detail)}`);
  out.push("", `## ${t("room.responses")}`, "");
  for (const r of page.responses) out.push(`- ${e(r.name)}: ${t(`room.response.${r.kind}`)}${r.comment ? ` — ${e(r.comment)}` : ""}`);
  return `${out.join("\n")}\n`;
}

/** One row per statement; a BOM so spreadsheet programs read the Chinese right. */
export function minutesCsv(page: Awaited<ReturnType<typeof getMinutes>>) {
  const rows: Parameters<typeof csvFile>[0] = [["id", "seq", "time_beijing", "stance", "speaker", "recorded_by", "reply_to", "body", "hidden_reason", "pinned", "agree", "disagree", "pass"]];
  const all = STANCES.flatMap((s) => page.minutes.statements[s]).sort((a, b) => a.seq - b.seq);
  for (const s of all) {
    rows.push([s.id, s.seq, beijing(s.at), s.stance, s.speaker, s.recordedBy, s.replyToId, s.body, s.hiddenReason, s.pinned ? "yes" : "no", s.counts.agree, s.counts.disagree, s.counts.pass]);
  }
  return csvFile(rows);
}
