import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, max, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client";
import { activitySignups, attendance, serviceRecords, volunteerActivities, volunteerTeams, volunteers } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { beijingDay } from "../shared/beijing-time";
import { inTransaction, type CommandContext } from "../shared/context";
import { requireConfirmed } from "../shared/confirm";
import { DomainError } from "../shared/errors";
import type { DomainEvent } from "../shared/events";
import { codeMatches, currentCode } from "./checkin-code.server";
import { proposedMinutes } from "./rules";
import type { CheckCodeSchema, MarkAttendanceSchema, PublishActivitySchema } from "./schemas";
import { getOwnVolunteer, getTeamFacts, getVolunteerRules, requireActor, requireOwnVolunteer, teamResource, type TeamFacts } from "./volunteers.server";

export type Activity = typeof volunteerActivities.$inferSelect;
export type RecordMethod = (typeof serviceRecords.$inferSelect)["method"];
const MINUTE = 60_000;
/** Check-in opens this long before the start; check-out stays open this long after the end. */
export const CHECKIN_OPENS_BEFORE = 60 * MINUTE;
export const CHECKOUT_CLOSES_AFTER = 120 * MINUTE;

/** The activity, its team and the team's organizers, or a 404. */
export async function getActivityFacts(db: Db, activityId: number) {
  const [a] = await db.select().from(volunteerActivities).where(eq(volunteerActivities.id, activityId));
  if (!a) throw new DomainError("not_found", "errors.notFound");
  const team = (await getTeamFacts(db, a.teamId))!;
  return { activity: a, team };
}

function requireOrganizer(ctx: CommandContext, team: TeamFacts) {
  const actor = requireActor(ctx);
  if (!can(actor, "team.organize", teamResource(team))) throw new DomainError("forbidden", "errors.forbidden");
  return actor;
}

/** An organizer of the team publishes an activity; it gets its own secret for the rotating code. */
export async function publishActivity(ctx: CommandContext, teamId: number, input: z.output<typeof PublishActivitySchema>) {
  const team = await getTeamFacts(ctx.db, teamId);
  if (!team) throw new DomainError("not_found", "errors.notFound");
  const actor = requireOrganizer(ctx, team);
  const now = ctx.clock.now();
  if (input.endsAt <= now) throw new DomainError("validation", "volunteers.errors.inPast", {}, "endsAt");
  return inTransaction(ctx, async (tx) => {
    const [a] = await tx
      .insert(volunteerActivities)
      .values({ teamId, ...input, skillsWanted: input.skillsWanted ?? "", codeSecret: randomBytes(32).toString("hex"), createdBy: actor.id, createdAt: now })
      .returning({ id: volunteerActivities.id });
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: actor.id,
      action: "activity.published",
      entityType: "volunteer_activity",
      entityId: a.id,
      summary: { after: { title: input.title, startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString(), capacity: input.capacity } },
      at: now,
    });
    return a;
  });
}

/**
 * An organizer of the team cancels an activity that has not ended, with a reason: everyone
 * signed up or waiting is told; nobody can sign up or check in afterwards. Nothing is deleted.
 */
export async function cancelActivity(ctx: CommandContext, activityId: number, reason: string, confirm?: string) {
  const { team } = await getActivityFacts(ctx.db, activityId);
  const actor = requireOrganizer(ctx, team);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const a = await lockActivity(tx, activityId);
    if (a.status !== "published" || a.endsAt <= now) throw new DomainError("invalid_state", "volunteers.errors.closed");
    requireConfirmed({ confirm }, "cancelActivity");
    await tx.update(volunteerActivities).set({ status: "cancelled" }).where(eq(volunteerActivities.id, a.id));
    const told = await tx
      .select({ userId: volunteers.userId })
      .from(activitySignups)
      .innerJoin(volunteers, eq(volunteers.id, activitySignups.volunteerId))
      .where(and(eq(activitySignups.activityId, a.id), sql`${activitySignups.status} <> 'cancelled'`));
    await notify(
      tx,
      emit,
      told.map((r) => r.userId),
      { kind: "notify.volunteers.activityCancelled", params: { title: a.title, reason }, link: `/activities/${a.id}`, at: now },
    );
    await appendLedger(tx, { stream: `area:${team.areaId}`, actorId: actor.id, action: "activity.cancelled", entityType: "volunteer_activity", entityId: a.id, summary: { reason, told: told.length }, at: now });
    return { told: told.length };
  });
}

async function lockActivity(tx: Db, activityId: number) {
  const [a] = await tx.select().from(volunteerActivities).where(eq(volunteerActivities.id, activityId)).for("update");
  if (!a) throw new DomainError("not_found", "errors.notFound");
  return a;
}

/**
 * A registered volunteer signs up. Under the activity's row lock the places are counted, so
 * however many arrive at once exactly `capacity` are signed up and the rest wait in arrival order.
 */
export async function signUp(ctx: CommandContext, activityId: number) {
  const v = await requireOwnVolunteer(ctx);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const a = await lockActivity(tx, activityId);
    if (a.status !== "published" || a.endsAt <= now) throw new DomainError("invalid_state", "volunteers.errors.closed");
    const [existing] = await tx.select().from(activitySignups).where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.volunteerId, v.id)));
    if (existing && existing.status !== "cancelled") throw new DomainError("conflict", "volunteers.errors.alreadySignedUp");
    const [{ taken }] = await tx
      .select({ taken: sql<number>`count(*)::int` })
      .from(activitySignups)
      .where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.status, "signed_up")));
    let status: "signed_up" | "waitlisted" = "signed_up";
    let position: number | null = null;
    if (Number(taken) >= a.capacity) {
      const [{ last }] = await tx.select({ last: max(activitySignups.waitlistPosition) }).from(activitySignups).where(eq(activitySignups.activityId, a.id));
      status = "waitlisted";
      position = (last ?? 0) + 1;
    }
    if (existing) {
      await tx.update(activitySignups).set({ status, waitlistPosition: position, updatedAt: now, remindedAt: null }).where(eq(activitySignups.id, existing.id));
    } else {
      await tx.insert(activitySignups).values({ activityId: a.id, volunteerId: v.id, status, waitlistPosition: position, createdAt: now, updatedAt: now });
    }
    await notify(tx, emit, [v.userId], {
      kind: status === "signed_up" ? "notify.volunteers.signedUp" : "notify.volunteers.waitlisted",
      params: { title: a.title, start: a.startsAt.toISOString() },
      link: `/activities/${a.id}`,
      at: now,
    });
    return { status, position };
  });
}

/** A volunteer cancels; a freed place goes to the first on the waitlist in the same transaction. */
export async function cancelSignUp(ctx: CommandContext, activityId: number) {
  const v = await requireOwnVolunteer(ctx);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const a = await lockActivity(tx, activityId);
    const [s] = await tx.select().from(activitySignups).where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.volunteerId, v.id)));
    if (!s || s.status === "cancelled") throw new DomainError("invalid_state", "volunteers.errors.notSignedUp");
    if (a.startsAt <= now) throw new DomainError("invalid_state", "volunteers.errors.started");
    await tx.update(activitySignups).set({ status: "cancelled", waitlistPosition: null, updatedAt: now }).where(eq(activitySignups.id, s.id));
    const promoted = s.status === "signed_up" ? await promoteNext(tx, emit, a, now) : null;
    return { promoted };
  });
}

async function promoteNext(tx: Db, emit: (e: DomainEvent) => void, a: Activity, now: Date) {
  const [next] = await tx
    .select({ id: activitySignups.id, userId: volunteers.userId })
    .from(activitySignups)
    .innerJoin(volunteers, eq(volunteers.id, activitySignups.volunteerId))
    .where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.status, "waitlisted")))
    .orderBy(asc(activitySignups.waitlistPosition))
    .limit(1);
  if (!next) return null;
  await tx.update(activitySignups).set({ status: "signed_up", waitlistPosition: null, updatedAt: now }).where(eq(activitySignups.id, next.id));
  await notify(tx, emit, [next.userId], { kind: "notify.volunteers.promoted", params: { title: a.title, start: a.startsAt.toISOString() }, link: `/activities/${a.id}`, at: now });
  return next.userId;
}

/** Proposes (or re-proposes, while unconfirmed) the record of one attendance. */
export async function proposeRecord(tx: Db, a: Activity, team: TeamFacts, volunteerId: number, att: { checkInAt: Date; checkOutAt: Date | null }, now: Date, method: RecordMethod) {
  const rules = await getVolunteerRules(tx, team.areaPath);
  const hours = proposedMinutes(att, a, rules.stepMinutes, rules.capMarginMinutes);
  if (!hours.ok) throw new DomainError("validation", `volunteers.errors.${hours.problem}`, {}, hours.problem === "outBeforeIn" ? "checkOutAt" : undefined);
  const [existing] = await tx.select().from(serviceRecords).where(and(eq(serviceRecords.activityId, a.id), eq(serviceRecords.volunteerId, volunteerId)));
  if (existing?.status === "confirmed") throw new DomainError("invalid_state", "volunteers.errors.alreadyConfirmed");
  const values = {
    activityId: a.id,
    volunteerId,
    teamId: team.id,
    serviceDate: beijingDay(a.startsAt),
    minutes: hours.minutes,
    organiser: team.name,
    personInCharge: a.personInCharge,
    method,
    createdAt: now,
  };
  // a record the team declined (a self-declaration) gives way to attendance the team recorded
  if (existing) await tx.update(serviceRecords).set({ minutes: hours.minutes, method, status: "proposed", declineReason: null, declinedBy: null, declinedAt: null }).where(eq(serviceRecords.id, existing.id));
  else await tx.insert(serviceRecords).values(values);
  return hours.minutes;
}

/**
 * Check-in or check-out with the code shown at the venue: the current or the previous code of
 * this activity, while the activity runs. A repeated check-in keeps the first time; check-out
 * proposes the service record.
 */
export async function checkWithCode(ctx: CommandContext, activityId: number, input: z.output<typeof CheckCodeSchema>) {
  const v = await requireOwnVolunteer(ctx);
  const now = ctx.clock.now();
  const { activity: a, team } = await getActivityFacts(ctx.db, activityId);
  if (a.status !== "published") throw new DomainError("invalid_state", "volunteers.errors.closed");
  const opens = a.startsAt.getTime() - CHECKIN_OPENS_BEFORE;
  const closes = input.direction === "in" ? a.endsAt.getTime() : a.endsAt.getTime() + CHECKOUT_CLOSES_AFTER;
  if (now.getTime() < opens) throw new DomainError("invalid_state", "volunteers.errors.tooEarly");
  if (now.getTime() > closes) throw new DomainError("invalid_state", "volunteers.errors.tooLate");
  if (!codeMatches(a.codeSecret, a.id, input.code, now)) throw new DomainError("validation", "volunteers.errors.codeWrong", {}, "code");
  return inTransaction(ctx, async (tx) => {
    const [s] = await tx.select().from(activitySignups).where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.volunteerId, v.id)));
    if (!s || s.status !== "signed_up") throw new DomainError("invalid_state", "volunteers.errors.notSignedUp");
    const [att] = await tx.select().from(attendance).where(and(eq(attendance.activityId, a.id), eq(attendance.volunteerId, v.id))).for("update");
    if (input.direction === "in") {
      if (att?.checkOutAt) throw new DomainError("invalid_state", "volunteers.errors.alreadyCheckedOut");
      if (att) return { direction: "in" as const, at: att.checkInAt, repeated: true };
      await tx.insert(attendance).values({ activityId: a.id, volunteerId: v.id, checkInAt: now, checkInMethod: "code" }).onConflictDoNothing();
      return { direction: "in" as const, at: now, repeated: false };
    }
    if (!att) throw new DomainError("invalid_state", "volunteers.errors.noCheckIn");
    if (att.checkOutAt) throw new DomainError("invalid_state", "volunteers.errors.alreadyCheckedOut");
    await tx.update(attendance).set({ checkOutAt: now, checkOutMethod: "code" }).where(eq(attendance.id, att.id));
    const minutes = await proposeRecord(tx, a, team, v.id, { checkInAt: att.checkInAt, checkOutAt: now }, now, "code");
    return { direction: "out" as const, at: now, repeated: false, minutes };
  });
}

/** An organizer marks attendance by hand (a volunteer without a phone, a forgotten check-out). */
export async function markAttendance(ctx: CommandContext, activityId: number, input: z.output<typeof MarkAttendanceSchema>) {
  const { activity: a, team } = await getActivityFacts(ctx.db, activityId);
  const actor = requireOrganizer(ctx, team);
  const now = ctx.clock.now();
  if (a.status === "cancelled") throw new DomainError("invalid_state", "volunteers.errors.closed");
  if (input.checkOutAt && input.checkOutAt < input.checkInAt) throw new DomainError("validation", "volunteers.errors.outBeforeIn", {}, "checkOutAt");
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .select({ s: activitySignups, userId: volunteers.userId })
      .from(activitySignups)
      .innerJoin(volunteers, eq(volunteers.id, activitySignups.volunteerId))
      .where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.volunteerId, input.volunteerId)));
    if (!row || row.s.status !== "signed_up") throw new DomainError("validation", "volunteers.errors.notSignedUpThem", {}, "volunteerId");
    if (row.userId === actor.id) throw new DomainError("forbidden", "volunteers.errors.ownHours");
    const [att] = await tx.select().from(attendance).where(and(eq(attendance.activityId, a.id), eq(attendance.volunteerId, input.volunteerId))).for("update");
    const values = { checkInAt: input.checkInAt, checkInMethod: "manual" as const, checkOutAt: input.checkOutAt ?? null, checkOutMethod: input.checkOutAt ? ("manual" as const) : null, markedBy: actor.id };
    if (att) await tx.update(attendance).set(values).where(eq(attendance.id, att.id));
    else await tx.insert(attendance).values({ activityId: a.id, volunteerId: input.volunteerId, ...values });
    const minutes = input.checkOutAt ? await proposeRecord(tx, a, team, input.volunteerId, { checkInAt: input.checkInAt, checkOutAt: input.checkOutAt }, now, "manual") : null;
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: actor.id,
      action: "attendance.marked",
      entityType: "volunteer_activity",
      entityId: a.id,
      summary: { after: { volunteerId: input.volunteerId, checkInAt: input.checkInAt.toISOString(), checkOutAt: input.checkOutAt?.toISOString() ?? null } },
      at: now,
    });
    return { minutes };
  });
}

/** The code to show at the venue, for the team's organizers only. */
export async function getCheckinCode(ctx: CommandContext, activityId: number) {
  const { activity: a, team } = await getActivityFacts(ctx.db, activityId);
  requireOrganizer(ctx, team);
  return { activityId: a.id, title: a.title, ...currentCode(a.codeSecret, a.id, ctx.clock.now()) };
}

/** Everything the activity page shows to the person asking; organizers also see attendance and records. */
export async function getActivityPage(ctx: CommandContext, activityId: number) {
  const { activity, team } = await getActivityFacts(ctx.db, activityId);
  const { codeSecret: _secret, ...a } = activity;
  const isOrganizer = !!ctx.actor && can(ctx.actor, "team.organize", teamResource(team));
  const me = await getOwnVolunteer(ctx);
  const signups = await ctx.db
    .select({ volunteerId: activitySignups.volunteerId, status: activitySignups.status, position: activitySignups.waitlistPosition, name: volunteers.realName, userId: volunteers.userId, number: volunteers.volunteerNumber })
    .from(activitySignups)
    .innerJoin(volunteers, eq(volunteers.id, activitySignups.volunteerId))
    .where(and(eq(activitySignups.activityId, a.id), sql`${activitySignups.status} <> 'cancelled'`))
    .orderBy(asc(activitySignups.status), asc(activitySignups.waitlistPosition), asc(activitySignups.id));
  const signedUp = signups.filter((s) => s.status === "signed_up").length;
  const waitlist = signups.filter((s) => s.status === "waitlisted");
  const mine = me ? signups.find((s) => s.volunteerId === me.id) : undefined;
  const [myAttendance] = me ? await ctx.db.select().from(attendance).where(and(eq(attendance.activityId, a.id), eq(attendance.volunteerId, me.id))) : [];
  const [myRecord] = me
    ? await ctx.db.select({ status: serviceRecords.status, method: serviceRecords.method, declineReason: serviceRecords.declineReason }).from(serviceRecords).where(and(eq(serviceRecords.activityId, a.id), eq(serviceRecords.volunteerId, me.id)))
    : [];
  const now = ctx.clock.now();
  return {
    activity: a,
    team: { id: team.id, name: team.name, areaId: team.areaId, areaName: team.areaName },
    signedUp,
    waitlisted: waitlist.length,
    isOrganizer,
    isVolunteer: !!me,
    me: me ? { id: me.id } : null,
    mySignup: mine ? { status: mine.status, rank: mine.status === "waitlisted" ? waitlist.findIndex((w) => w.volunteerId === mine.volunteerId) + 1 : null } : null,
    myAttendance: myAttendance ? { checkInAt: myAttendance.checkInAt, checkOutAt: myAttendance.checkOutAt } : null,
    myRecord: myRecord ?? null,
    // self-declaration: the activity has started, they signed up or were recorded, and nothing of theirs waits or stands
    canDeclare: !!me && a.status === "published" && a.startsAt <= now && (mine?.status === "signed_up" || !!myAttendance) && (!myRecord || myRecord.status === "declined"),
    open: a.status === "published" && a.endsAt > now,
    started: a.startsAt <= now,
    checkinOpen: now.getTime() >= a.startsAt.getTime() - CHECKIN_OPENS_BEFORE && now.getTime() <= a.endsAt.getTime() + CHECKOUT_CLOSES_AFTER,
    // names of those signed up are for the organizers only
    roster: isOrganizer ? signups.map(({ userId: _u, ...s }) => s) : [],
  };
}

/** Upcoming published activities (optionally of one team). */
export async function listActivities(ctx: CommandContext, opts: { teamId?: number; upcoming?: boolean } = {}) {
  const now = ctx.clock.now();
  const where = and(
    eq(volunteerActivities.status, "published"),
    opts.teamId ? eq(volunteerActivities.teamId, opts.teamId) : undefined,
    opts.upcoming === false ? undefined : gt(volunteerActivities.endsAt, now),
  );
  return ctx.db
    .select({
      id: volunteerActivities.id,
      title: volunteerActivities.title,
      place: volunteerActivities.place,
      startsAt: volunteerActivities.startsAt,
      endsAt: volunteerActivities.endsAt,
      capacity: volunteerActivities.capacity,
      teamName: volunteerTeams.name,
      signedUp: sql<number>`(select count(*)::int from ${activitySignups} s where s.activity_id = "volunteer_activities"."id" and s.status = 'signed_up')`.mapWith(Number),
    })
    .from(volunteerActivities)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerActivities.teamId))
    .where(where)
    .orderBy(opts.upcoming === false ? desc(volunteerActivities.startsAt) : asc(volunteerActivities.startsAt))
    .limit(100);
}
