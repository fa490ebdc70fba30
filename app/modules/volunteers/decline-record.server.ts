import { eq } from "drizzle-orm";
import type { z } from "zod";
import { serviceRecords, volunteerActivities } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { lockRecord, requireCertifier } from "./records.server";
import { hoursOf } from "./rules";
import type { DeclineRecordSchema } from "./schemas";

/**
 * An organizer of the team declines a self-declared record with a reason the volunteer sees
 * (谁记录谁证明: the team that ran the activity answers). The record stays, marked declined, with
 * the reason; the volunteer may declare again. Other records are corrected, never declined.
 */
export async function declineRecord(ctx: CommandContext, input: z.output<typeof DeclineRecordSchema>) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const { record, volunteerUserId, team } = await lockRecord(tx, input.recordId);
    const actor = requireCertifier(ctx, volunteerUserId, team);
    if (record.method !== "declared") throw new DomainError("invalid_state", "volunteers.errors.declineNotDeclared");
    if (record.status !== "proposed") throw new DomainError("invalid_state", record.status === "confirmed" ? "volunteers.errors.alreadyConfirmed" : "volunteers.errors.declined");
    await tx.update(serviceRecords).set({ status: "declined", declineReason: input.reason, declinedBy: actor.id, declinedAt: now }).where(eq(serviceRecords.id, record.id));
    const [a] = await tx.select({ title: volunteerActivities.title }).from(volunteerActivities).where(eq(volunteerActivities.id, record.activityId));
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: actor.id,
      action: "record.declined",
      entityType: "service_record",
      entityId: record.id,
      summary: { before: { status: record.status, hours: hoursOf(record.minutes) }, after: { status: "declined" }, reason: input.reason.slice(0, 200) },
      at: now,
    });
    await notify(tx, emit, [volunteerUserId], { kind: "notify.volunteers.declined", params: { title: a.title, reason: input.reason }, link: "/volunteers/records", at: now });
  });
}
