/**
 * Minutes go from draft to confirmed, then public (issue 19): the committee signs them off once
 * everyone expected to confirm has confirmed, or once the stated deadline (`confirm_by`, fixed when
 * the minutes were compiled) has passed. After that they change only by a correction, appended,
 * shown with the minutes and kept in the ledger.
 */
import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../../db/client";
import { roomAttendance, roomMinutes, roomMinutesCorrections, roomMinutesResponses } from "../../../../db/schema";
import { inTransaction, type CommandContext } from "../../shared/context";
import { requireConfirmed } from "../../shared/confirm";
import { DomainError } from "../../shared/errors";
import { listPanelUserIds } from "../selection/panel.server";
import { recordMatterEvent } from "../transition.server";
import type { ConsultationForm } from "../states";
import { need, requireRoom } from "./access.server";
import type { CorrectionSchema } from "./schemas";

/** Days the participants have to confirm the minutes before the committee may sign off without them. */
export const MINUTES_CONFIRM_DAYS = 7;

export function confirmDeadline(compiledAt: Date) {
  return new Date(compiledAt.getTime() + MINUTES_CONFIRM_DAYS * 86_400_000);
}

/**
 * Who is expected to confirm: a panel's accepted seats; at a meeting or a 代表会议 those who spoke
 * for themselves in it (attended online with a speaking place). Nobody can be expected to confirm
 * minutes of a meeting they did not attend.
 */
export async function expectedConfirmers(db: Db, sessionId: number, matterId: number, form: ConsultationForm | null) {
  if (form === null || form === "panel") return listPanelUserIds(db, matterId);
  const rows = await db
    .selectDistinct({ userId: roomAttendance.userId })
    .from(roomAttendance)
    .where(and(eq(roomAttendance.sessionId, sessionId), eq(roomAttendance.role, "panel"), isNotNull(roomAttendance.userId)));
  return rows.map((r) => r.userId!);
}

/** Those expected who have not confirmed (a comment is not a confirmation). */
async function outstanding(db: Db, sessionId: number, expected: number[]) {
  if (!expected.length) return [];
  const confirmed = await db
    .select({ userId: roomMinutesResponses.userId })
    .from(roomMinutesResponses)
    .where(and(eq(roomMinutesResponses.sessionId, sessionId), eq(roomMinutesResponses.kind, "confirm"), inArray(roomMinutesResponses.userId, expected)));
  const done = new Set(confirmed.map((r) => r.userId));
  return expected.filter((id) => !done.has(id));
}

/** Where the minutes stand: confirmations expected and given, the deadline, and whether the committee may sign off now. */
export async function confirmationStatus(db: Db, sessionId: number, matterId: number, form: ConsultationForm | null, now: Date) {
  const [m] = await db.select().from(roomMinutes).where(eq(roomMinutes.sessionId, sessionId));
  if (!m) return null;
  const expected = await expectedConfirmers(db, sessionId, matterId, form);
  const missing = await outstanding(db, sessionId, expected);
  const confirmBy = m.confirmBy ?? confirmDeadline(m.compiledAt);
  return {
    expected: expected.length,
    missing: missing.length,
    confirmBy: confirmBy.toISOString(),
    confirmedAt: m.confirmedAt?.toISOString() ?? null,
    hasSummary: !!m.summary,
    ready: !m.confirmedAt && !!m.summary && (missing.length === 0 || now >= confirmBy),
  };
}

/**
 * The committee signs the minutes off: a summary is written, and every expected participant has
 * confirmed or the deadline has passed. Once only. Timeline and ledger: `minutesConfirmed`.
 */
export async function confirmMinutes(ctx: CommandContext, sessionId: number, confirm?: string) {
  const now = ctx.clock.now();
  const { f, may } = await requireRoom(ctx.db, ctx.actor, sessionId, now);
  need(may("room.summarise"), "errors.forbidden");
  return inTransaction(ctx, async (tx, emit) => {
    const [m] = await tx.select().from(roomMinutes).where(eq(roomMinutes.sessionId, sessionId)).for("update");
    if (!m) throw new DomainError("invalid_state", "room.errors.noMinutes");
    if (m.confirmedAt) throw new DomainError("invalid_state", "minutes.errors.alreadyConfirmed");
    if (!m.summary) throw new DomainError("invalid_state", "minutes.errors.noSummary");
    const missing = await outstanding(tx, sessionId, await expectedConfirmers(tx, sessionId, f.matter.id, f.matter.form));
    const deadline = m.confirmBy ?? confirmDeadline(m.compiledAt);
    if (missing.length && now < deadline) {
      throw new DomainError("invalid_state", "minutes.errors.awaiting", { missing: missing.length, deadline: deadline.toISOString() });
    }
    // signed off, the minutes change only by corrections: the step is confirmed, as every irreversible one
    requireConfirmed({ confirm }, "minutes");
    await tx
      .update(roomMinutes)
      .set({ confirmedAt: now, confirmedBy: ctx.actor!.id })
      .where(and(eq(roomMinutes.sessionId, sessionId), isNull(roomMinutes.confirmedAt)));
    await recordMatterEvent(tx, emit, ctx, f.matter, "minutesConfirmed", { session: sessionId, unconfirmed: missing.length }, null);
  });
}

/** A correction to confirmed minutes: appended (the confirmed text stays as it was), public with them, in the ledger with its words. */
export async function correctMinutes(ctx: CommandContext, sessionId: number, input: z.output<typeof CorrectionSchema>) {
  const now = ctx.clock.now();
  const { f, may } = await requireRoom(ctx.db, ctx.actor, sessionId, now);
  need(may("room.summarise"), "errors.forbidden");
  return inTransaction(ctx, async (tx, emit) => {
    const [m] = await tx.select({ confirmedAt: roomMinutes.confirmedAt }).from(roomMinutes).where(eq(roomMinutes.sessionId, sessionId)).for("update");
    if (!m?.confirmedAt) throw new DomainError("invalid_state", "minutes.errors.notConfirmed");
    const [row] = await tx.insert(roomMinutesCorrections).values({ sessionId, body: input.correction, by: ctx.actor!.id, at: now }).returning({ id: roomMinutesCorrections.id });
    await recordMatterEvent(tx, emit, ctx, f.matter, "minutesCorrected", { session: sessionId, correction: row.id, body: input.correction }, null);
    return row;
  });
}

/** A session's corrections, oldest first. */
export function listCorrections(db: Db, sessionId: number) {
  return db.select().from(roomMinutesCorrections).where(eq(roomMinutesCorrections.sessionId, sessionId)).orderBy(roomMinutesCorrections.id);
}
