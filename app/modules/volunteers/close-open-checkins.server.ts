import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { attendance, serviceRecords, volunteerActivities } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { beijingDay } from "../shared/beijing-time";
import { inTransaction, type CommandContext } from "../shared/context";
import { CHECKOUT_CLOSES_AFTER } from "./activities.server";
import { proposedMinutes } from "./rules";
import { getTeamFacts, getVolunteerRules } from "./volunteers.server";

/**
 * Automatic recording (系统自动记录), run by the scheduler as the system: check-ins still open
 * when the check-out window of their activity has closed are closed at the activity's end
 * (`auto`), and their records proposed with `method: "auto"`, which the activity page flags for
 * the organizer to check before confirming. Confirmed records are never touched. Returns how
 * many check-ins it closed.
 */
export async function closeOpenCheckIns(ctx: CommandContext) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const open = await tx
      .select({ id: attendance.id, activityId: attendance.activityId, volunteerId: attendance.volunteerId, checkInAt: attendance.checkInAt })
      .from(attendance)
      .innerJoin(volunteerActivities, eq(volunteerActivities.id, attendance.activityId))
      .where(and(isNull(attendance.checkOutAt), eq(volunteerActivities.status, "published"), lte(volunteerActivities.endsAt, new Date(now.getTime() - CHECKOUT_CLOSES_AFTER))))
      .limit(5000)
      .for("update", { of: attendance, skipLocked: true });
    if (!open.length) return 0;
    const activityIds = [...new Set(open.map((o) => o.activityId))];
    const activities = await tx.select().from(volunteerActivities).where(inArray(volunteerActivities.id, activityIds));
    for (const a of activities) {
      const team = (await getTeamFacts(tx, a.teamId))!;
      const rules = await getVolunteerRules(tx, team.areaPath);
      const rows = open.filter((o) => o.activityId === a.id);
      await tx.update(attendance).set({ checkOutAt: a.endsAt, checkOutMethod: "auto" }).where(inArray(attendance.id, rows.map((r) => r.id)));
      const records = rows.map((r) => {
        const h = proposedMinutes({ checkInAt: r.checkInAt, checkOutAt: a.endsAt }, a, rules.stepMinutes, rules.capMarginMinutes);
        return { activityId: a.id, volunteerId: r.volunteerId, teamId: team.id, serviceDate: beijingDay(a.startsAt), minutes: h.ok ? h.minutes : 0, method: "auto" as const, organiser: team.name, personInCharge: a.personInCharge, createdAt: now };
      });
      await tx
        .insert(serviceRecords)
        .values(records)
        .onConflictDoUpdate({
          target: [serviceRecords.activityId, serviceRecords.volunteerId],
          set: { minutes: sql`excluded.minutes`, method: sql`excluded.method`, status: "proposed", declineReason: null, declinedBy: null, declinedAt: null },
          setWhere: sql`${serviceRecords.status} <> 'confirmed'`,
        });
      await appendLedger(tx, { stream: `area:${team.areaId}`, actorId: null, action: "attendance.autoClosed", entityType: "volunteer_activity", entityId: a.id, summary: { after: { closed: rows.length, at: a.endsAt.toISOString() } }, at: now });
      await notify(tx, emit, team.organizers.map((o) => o.userId), { kind: "notify.volunteers.autoClosed", params: { title: a.title, count: rows.length }, link: `/activities/${a.id}`, at: now });
    }
    return open.length;
  });
}
