import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { activitySignups, attendance, declarationPhotos, serviceRecords } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { beijingDay } from "../shared/beijing-time";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { imageType, MAX_PHOTO_BYTES } from "../shared/photos";
import { getActivityFacts } from "./activities.server";
import { requireWithinCap } from "./records.server";
import { hoursOf } from "./rules";
import type { DeclareHoursSchema } from "./schemas";
import { getOwnVolunteer, getVolunteerRules, requireOwnVolunteer, teamResource } from "./volunteers.server";
import { can } from "../accounts/permissions";

/**
 * A volunteer who signed up for (or was recorded at) an activity that has started declares their
 * hours with a note and, if they like, a photo of the work (自主申报). The record waits as `declared` for the team to confirm or decline
 * within 10 working days of the declaration; hours over the activity's cap are refused. A
 * declined declaration may be made again; any other record of the same activity stands.
 */
export async function declareHours(ctx: CommandContext, activityId: number, input: Omit<z.output<typeof DeclareHoursSchema>, "photo"> & { photo?: Uint8Array }) {
  const v = await requireOwnVolunteer(ctx);
  const photoType = input.photo ? imageType(input.photo) : null;
  if (input.photo && !photoType) throw new DomainError("validation", "outcomes.errors.photoType", {}, "photo");
  if (input.photo && input.photo.length > MAX_PHOTO_BYTES) throw new DomainError("validation", "outcomes.errors.photoSize", {}, "photo");
  const now = ctx.clock.now();
  const { activity: a, team } = await getActivityFacts(ctx.db, activityId);
  if (a.status === "cancelled") throw new DomainError("invalid_state", "volunteers.errors.closed");
  if (a.startsAt > now) throw new DomainError("invalid_state", "volunteers.errors.declareTooEarly");
  const minutes = Math.round(input.hours * 60);
  requireWithinCap(minutes, a, (await getVolunteerRules(ctx.db, team.areaPath)).capMarginMinutes);
  return inTransaction(ctx, async (tx, emit) => {
    const [signup] = await tx.select({ status: activitySignups.status }).from(activitySignups).where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.volunteerId, v.id)));
    const [att] = await tx.select({ id: attendance.id }).from(attendance).where(and(eq(attendance.activityId, a.id), eq(attendance.volunteerId, v.id)));
    if (signup?.status !== "signed_up" && !att) throw new DomainError("invalid_state", "volunteers.errors.declareNotThere");
    const [existing] = await tx.select().from(serviceRecords).where(and(eq(serviceRecords.activityId, a.id), eq(serviceRecords.volunteerId, v.id))).for("update");
    if (existing?.status === "confirmed") throw new DomainError("invalid_state", "volunteers.errors.alreadyConfirmed");
    if (existing && existing.status === "proposed") throw new DomainError("conflict", "volunteers.errors.recordExists");
    const values = { minutes, method: "declared" as const, status: "proposed" as const, note: input.note, declineReason: null, declinedBy: null, declinedAt: null, createdAt: now };
    let recordId: number;
    if (existing) {
      await tx.update(serviceRecords).set(values).where(eq(serviceRecords.id, existing.id));
      recordId = existing.id;
    } else {
      const [r] = await tx
        .insert(serviceRecords)
        .values({ activityId: a.id, volunteerId: v.id, teamId: team.id, serviceDate: beijingDay(a.startsAt), organiser: team.name, personInCharge: a.personInCharge, ...values })
        .returning({ id: serviceRecords.id });
      recordId = r.id;
    }
    // a new declaration of a declined record brings its own photo, or none
    await tx.delete(declarationPhotos).where(eq(declarationPhotos.recordId, recordId));
    if (input.photo && photoType) await tx.insert(declarationPhotos).values({ recordId, contentType: photoType, bytes: input.photo.length, data: Buffer.from(input.photo), createdAt: now });
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: v.userId,
      action: "record.declared",
      entityType: "service_record",
      entityId: recordId,
      summary: { after: { hours: hoursOf(minutes), note: input.note.slice(0, 200), photo: input.photo ? { type: photoType, bytes: input.photo.length } : null } },
      at: now,
    });
    await notify(tx, emit, team.organizers.map((o) => o.userId).filter((id) => id !== v.userId), { kind: "notify.volunteers.declared", params: { title: a.title, hours: hoursOf(minutes) }, link: `/activities/${a.id}`, at: now });
    return { recordId, minutes };
  });
}

/**
 * A declaration's photo, for the volunteer who sent it and the team's organizers who decide on it;
 * anyone else (and a record without a photo) gets the same not_found.
 */
export async function getDeclarationPhoto(ctx: CommandContext, recordId: number) {
  const [row] = await ctx.db
    .select({ contentType: declarationPhotos.contentType, data: declarationPhotos.data, activityId: serviceRecords.activityId, volunteerId: serviceRecords.volunteerId })
    .from(declarationPhotos)
    .innerJoin(serviceRecords, eq(serviceRecords.id, declarationPhotos.recordId))
    .where(eq(declarationPhotos.recordId, recordId));
  if (!row || !ctx.actor || row.activityId === null) throw new DomainError("not_found", "errors.notFound");
  const own = await getOwnVolunteer(ctx);
  const { team } = await getActivityFacts(ctx.db, row.activityId);
  if (own?.id !== row.volunteerId && !can(ctx.actor, "team.organize", teamResource(team))) throw new DomainError("not_found", "errors.notFound");
  return { contentType: row.contentType, data: row.data };
}
