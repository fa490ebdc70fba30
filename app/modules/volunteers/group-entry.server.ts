import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { activitySignups, attendance, serviceRecords, volunteers } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { beijingDay } from "../shared/beijing-time";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { CHECKIN_OPENS_BEFORE, getActivityFacts } from "./activities.server";
import { proposedMinutes } from "./rules";
import type { GroupEntrySchema } from "./schemas";
import { getVolunteerRules, requireActor, teamResource } from "./volunteers.server";

export type GroupEntryInput = z.output<typeof GroupEntrySchema>;

/**
 * An organizer records a whole group at once (集体录入): the attendees ticked from the sign-up
 * list and walk-ins named by volunteer number or phone, with one check-in and check-out time for
 * all and individual adjustments. Everything is checked before anything is written; then one
 * transaction upserts every attendance and proposes every record (`method: "group"`) in a few
 * statements, whatever the size of the group. Confirmed records are left alone and reported.
 */
export async function recordGroupAttendance(ctx: CommandContext, activityId: number, input: GroupEntryInput) {
  const actor = requireActor(ctx);
  const { activity: a, team } = await getActivityFacts(ctx.db, activityId);
  if (!can(actor, "team.organize", teamResource(team))) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  if (a.status === "cancelled") throw new DomainError("invalid_state", "volunteers.errors.closed");
  if (now.getTime() < a.startsAt.getTime() - CHECKIN_OPENS_BEFORE) throw new DomainError("invalid_state", "volunteers.errors.groupTooEarly");

  // walk-ins: each token a volunteer number or a phone that names exactly one volunteer
  const tokens = input.walkIns;
  const found = tokens.length
    ? await ctx.db
        .select({ id: volunteers.id, number: volunteers.volunteerNumber, contact: volunteers.contact, userId: volunteers.userId })
        .from(volunteers)
        .where(or(inArray(volunteers.volunteerNumber, tokens), inArray(volunteers.contact, tokens)))
    : [];
  const walkInIds: number[] = [];
  for (const tok of tokens) {
    const hits = found.filter((v) => v.number === tok || v.contact === tok);
    if (hits.length === 0) throw new DomainError("validation", "volunteers.errors.walkInUnknown", { who: tok }, "walkIns");
    if (hits.length > 1) throw new DomainError("validation", "volunteers.errors.walkInAmbiguous", { who: tok }, "walkIns");
    walkInIds.push(hits[0].id);
  }

  const ticked = [...new Set(input.attendees)];
  const named = [...new Set([...ticked, ...walkInIds])];
  const signups = named.length
    ? await ctx.db
        .select({ volunteerId: activitySignups.volunteerId, userId: volunteers.userId })
        .from(activitySignups)
        .innerJoin(volunteers, eq(volunteers.id, activitySignups.volunteerId))
        .where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.status, "signed_up"), inArray(activitySignups.volunteerId, named)))
    : [];
  const signedUpIds = new Set(signups.map((s) => s.volunteerId));
  if (ticked.some((id) => !signedUpIds.has(id))) throw new DomainError("validation", "volunteers.errors.notSignedUpThem", {}, "attendees");
  if (named.length !== ticked.length + walkInIds.length) throw new DomainError("validation", "volunteers.errors.walkInTwice", {}, "walkIns");
  if (named.length === 0) throw new DomainError("validation", "volunteers.errors.groupEmpty", {}, "attendees");
  const userOf = new Map([...signups.map((s) => [s.volunteerId, s.userId] as const), ...found.map((v) => [v.id, v.userId] as const)]);
  if (named.some((id) => userOf.get(id) === actor.id)) throw new DomainError("forbidden", "volunteers.errors.ownHours");

  const rules = await getVolunteerRules(ctx.db, team.areaPath);
  const all = named.map((volunteerId) => {
    const adj = input.adjust[volunteerId];
    const checkInAt = adj?.in ?? input.checkInAt;
    const checkOutAt = adj?.out ?? input.checkOutAt ?? null;
    if (checkOutAt && checkOutAt < checkInAt) throw new DomainError("validation", "volunteers.errors.outBeforeIn", {}, adj?.out ? `out-${volunteerId}` : "checkOutAt");
    const hours = checkOutAt ? proposedMinutes({ checkInAt, checkOutAt }, a, rules.stepMinutes, rules.capMarginMinutes) : null;
    return { volunteerId, checkInAt, checkOutAt, minutes: hours?.ok ? hours.minutes : null, walkIn: !signedUpIds.has(volunteerId) };
  });

  return inTransaction(ctx, async (tx) => {
    // a confirmed record is changed only by a correction, never by entering the group again
    const confirmed = await tx
      .select({ volunteerId: serviceRecords.volunteerId })
      .from(serviceRecords)
      .where(and(eq(serviceRecords.activityId, a.id), eq(serviceRecords.status, "confirmed"), inArray(serviceRecords.volunteerId, named)));
    const skip = new Set(confirmed.map((c) => c.volunteerId));
    const rows = all.filter((r) => !skip.has(r.volunteerId));
    if (rows.length) await tx
      .insert(attendance)
      .values(rows.map((r) => ({ activityId: a.id, volunteerId: r.volunteerId, checkInAt: r.checkInAt, checkInMethod: "group" as const, checkOutAt: r.checkOutAt, checkOutMethod: r.checkOutAt ? ("group" as const) : null, markedBy: actor.id, walkIn: r.walkIn })))
      .onConflictDoUpdate({
        target: [attendance.activityId, attendance.volunteerId],
        set: { checkInAt: sql`excluded.check_in_at`, checkInMethod: sql`excluded.check_in_method`, checkOutAt: sql`excluded.check_out_at`, checkOutMethod: sql`excluded.check_out_method`, markedBy: actor.id },
      });
    const withHours = rows.filter((r) => r.minutes !== null);
    const proposing = withHours;
    if (proposing.length) {
      await tx
        .insert(serviceRecords)
        .values(proposing.map((r) => ({ activityId: a.id, volunteerId: r.volunteerId, teamId: team.id, serviceDate: beijingDay(a.startsAt), minutes: r.minutes!, method: "group" as const, organiser: team.name, personInCharge: a.personInCharge, createdAt: now })))
        .onConflictDoUpdate({
          target: [serviceRecords.activityId, serviceRecords.volunteerId],
          set: { minutes: sql`excluded.minutes`, method: sql`excluded.method`, status: "proposed", declineReason: null, declinedBy: null, declinedAt: null },
          setWhere: sql`${serviceRecords.status} <> 'confirmed'`,
        });
    }
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: actor.id,
      action: "attendance.groupRecorded",
      entityType: "volunteer_activity",
      entityId: a.id,
      summary: {
        after: {
          volunteers: rows.length,
          walkIns: rows.filter((r) => r.walkIn).map((r) => r.volunteerId),
          checkInAt: input.checkInAt.toISOString(),
          checkOutAt: input.checkOutAt?.toISOString() ?? null,
          adjusted: Object.keys(input.adjust).length,
          proposed: proposing.length,
          keptConfirmed: [...skip],
        },
      },
      at: now,
    });
    return { recorded: rows.length, walkIns: rows.filter((r) => r.walkIn).length, proposed: proposing.length, keptConfirmed: skip.size, open: rows.length - withHours.length };
  });
}

/** What the group entry form lists: everyone signed up, with what is already recorded for them. */
export async function getGroupEntryPage(ctx: CommandContext, activityId: number) {
  const actor = requireActor(ctx);
  const { activity: a, team } = await getActivityFacts(ctx.db, activityId);
  if (!can(actor, "team.organize", teamResource(team))) throw new DomainError("forbidden", "errors.forbidden");
  const roster = await ctx.db
    .select({
      volunteerId: activitySignups.volunteerId,
      name: volunteers.realName,
      number: volunteers.volunteerNumber,
      checkInAt: attendance.checkInAt,
      checkOutAt: attendance.checkOutAt,
      recordStatus: serviceRecords.status,
    })
    .from(activitySignups)
    .innerJoin(volunteers, eq(volunteers.id, activitySignups.volunteerId))
    .leftJoin(attendance, and(eq(attendance.activityId, activitySignups.activityId), eq(attendance.volunteerId, activitySignups.volunteerId)))
    .leftJoin(serviceRecords, and(eq(serviceRecords.activityId, activitySignups.activityId), eq(serviceRecords.volunteerId, activitySignups.volunteerId)))
    .where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.status, "signed_up")))
    .orderBy(activitySignups.id);
  return { activity: { id: a.id, title: a.title, startsAt: a.startsAt, endsAt: a.endsAt, status: a.status }, team: { id: team.id, name: team.name }, roster };
}
