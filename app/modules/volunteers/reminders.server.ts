import { and, eq, gt, isNull, lte } from "drizzle-orm";
import { activitySignups, volunteerActivities, volunteers } from "../../../db/schema";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";

/** Signed-up volunteers of activities starting within a day are reminded once. */
export async function remindUpcomingActivities(ctx: CommandContext) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const due = await tx
      .select({ id: activitySignups.id, userId: volunteers.userId, title: volunteerActivities.title, startsAt: volunteerActivities.startsAt, activityId: volunteerActivities.id })
      .from(activitySignups)
      .innerJoin(volunteerActivities, eq(volunteerActivities.id, activitySignups.activityId))
      .innerJoin(volunteers, eq(volunteers.id, activitySignups.volunteerId))
      .where(
        and(
          eq(activitySignups.status, "signed_up"),
          isNull(activitySignups.remindedAt),
          eq(volunteerActivities.status, "published"),
          gt(volunteerActivities.startsAt, now),
          lte(volunteerActivities.startsAt, new Date(now.getTime() + 24 * 3_600_000)),
        ),
      )
      .for("update", { of: activitySignups, skipLocked: true });
    for (const d of due) {
      await notify(tx, emit, [d.userId], { kind: "notify.volunteers.reminder", params: { title: d.title, start: new Date(d.startsAt).toISOString() }, link: `/activities/${d.activityId}`, at: now });
      await tx.update(activitySignups).set({ remindedAt: now }).where(eq(activitySignups.id, d.id));
    }
    return due.length;
  });
}
