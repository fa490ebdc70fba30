import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client";
import { areas, attendance, recordCorrections, recordErrorReports, serviceRecords, volunteerActivities, volunteerTeams, volunteers } from "../../../db/schema";
import { can, type Resource } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { getActivityFacts } from "./activities.server";
import { listImportedRecords } from "./import-record.server";
import { listTrainingAndHonours } from "./training.server";
import { capMinutes, daysLate, hoursOf, nextStar, recordDeadline, starsFor } from "./rules";
import type { AnswerReportSchema, ConfirmRecordSchema, CorrectRecordSchema, ReportErrorSchema } from "./schemas";
import { getTeamFacts, getVolunteerRules, requireActor, requireOwnVolunteer, teamResource, type TeamFacts } from "./volunteers.server";

type ServiceRecord = typeof serviceRecords.$inferSelect;

/** A record under lock with the team and the volunteer's user id: what `can` asks about. */
export async function lockRecord(tx: Db, recordId: number) {
  const [row] = await tx
    .select({ r: serviceRecords, volunteerUserId: volunteers.userId })
    .from(serviceRecords)
    .innerJoin(volunteers, eq(volunteers.id, serviceRecords.volunteerId))
    .where(eq(serviceRecords.id, recordId))
    .for("update", { of: serviceRecords });
  if (!row) throw new DomainError("not_found", "errors.notFound");
  const team = (await getTeamFacts(tx, row.r.teamId))!;
  return { record: row.r, volunteerUserId: row.volunteerUserId, team };
}

const recordResource = (volunteerUserId: number, team: TeamFacts): Resource => ({ type: "serviceRecord", volunteerUserId, team: teamResource(team) });

/** Whoever organised records and certifies: an organizer of the team, never for their own hours. */
export function requireCertifier(ctx: CommandContext, volunteerUserId: number, team: TeamFacts) {
  const actor = requireActor(ctx);
  if (actor.id === volunteerUserId) throw new DomainError("forbidden", "volunteers.errors.ownHours");
  if (!can(actor, "record.certify", recordResource(volunteerUserId, team))) throw new DomainError("forbidden", "errors.forbidden");
  return actor;
}

/**
 * An organizer confirms a proposed record, optionally with other hours (never more than the
 * activity's span plus the area's margin) and an evaluation. A confirmation after the 10th
 * working day from the activity's end is flagged late with the days it was late.
 */
export async function confirmRecord(ctx: CommandContext, input: z.output<typeof ConfirmRecordSchema>) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const { record, volunteerUserId, team } = await lockRecord(tx, input.recordId);
    const actor = requireCertifier(ctx, volunteerUserId, team);
    if (record.status === "confirmed") throw new DomainError("invalid_state", "volunteers.errors.alreadyConfirmed");
    if (record.status === "declined") throw new DomainError("invalid_state", "volunteers.errors.declined");
    const [a] = await tx.select().from(volunteerActivities).where(eq(volunteerActivities.id, record.activityId));
    const rules = await getVolunteerRules(tx, team.areaPath);
    const minutes = input.hours === undefined ? record.minutes : Math.round(input.hours * 60);
    requireWithinCap(minutes, a, rules.capMarginMinutes);
    // a self-declaration made after the activity is answered within 10 working days of the declaration
    const from = record.method === "declared" && record.createdAt > a.endsAt ? record.createdAt : a.endsAt;
    const lateDays = daysLate(from, now, rules);
    const late = lateDays > 0;
    await tx
      .update(serviceRecords)
      .set({ status: "confirmed", minutes, late, lateDays, evaluation: input.evaluation ?? record.evaluation, confirmedBy: actor.id, confirmedAt: now })
      .where(eq(serviceRecords.id, record.id));
    if (minutes !== record.minutes) {
      await tx.insert(recordCorrections).values({ recordId: record.id, field: "hours", oldValue: String(hoursOf(record.minutes)), newValue: String(hoursOf(minutes)), reason: "confirm", correctedBy: actor.id, correctedAt: now });
    }
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: actor.id,
      action: "record.confirmed",
      entityType: "service_record",
      entityId: record.id,
      summary: { before: { hours: hoursOf(record.minutes), status: record.status }, after: { hours: hoursOf(minutes), status: "confirmed", late, lateDays } },
      at: now,
    });
    await notify(tx, emit, [volunteerUserId], { kind: "notify.volunteers.confirmed", params: { title: a.title, hours: hoursOf(minutes) }, link: "/volunteers/records", at: now });
    return { minutes, late, lateDays };
  });
}

/** Refuses hours over the activity's span plus the stated margin, saying what the most is. */
export function requireWithinCap(minutes: number, activity: { startsAt: Date; endsAt: Date }, marginMinutes: number, field = "hours") {
  const cap = capMinutes(activity, marginMinutes);
  if (minutes > cap) throw new DomainError("validation", "volunteers.errors.overCap", { max: hoursOf(cap), margin: marginMinutes }, field);
}

/** The volunteer reports that one of their records is wrong; the team's organizers are told. */
export async function reportRecordError(ctx: CommandContext, input: z.output<typeof ReportErrorSchema>) {
  const actor = requireActor(ctx);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const { record, volunteerUserId, team } = await lockRecord(tx, input.recordId);
    if (!can(actor, "record.report", recordResource(volunteerUserId, team))) throw new DomainError("not_found", "errors.notFound");
    const [open] = await tx.select({ id: recordErrorReports.id }).from(recordErrorReports).where(and(eq(recordErrorReports.recordId, record.id), eq(recordErrorReports.status, "open")));
    if (open) throw new DomainError("conflict", "volunteers.errors.reportOpen");
    const [r] = await tx.insert(recordErrorReports).values({ recordId: record.id, reporterId: actor.id, reason: input.reason, createdAt: now }).returning({ id: recordErrorReports.id });
    await appendLedger(tx, { stream: `area:${team.areaId}`, actorId: actor.id, action: "record.errorReported", entityType: "service_record", entityId: record.id, summary: { after: { reportId: r.id, reason: input.reason.slice(0, 200) } }, at: now });
    await notify(tx, emit, team.organizers.map((o) => o.userId), { kind: "notify.volunteers.errorReported", params: { team: team.name }, link: `/activities/${record.activityId}`, at: now });
    return r;
  });
}

/**
 * An organizer corrects the hours of a record: the old value, the new value and the reason stay
 * in the record's history and in the ledger; an open report on it is closed as corrected.
 */
export async function correctRecord(ctx: CommandContext, input: z.output<typeof CorrectRecordSchema>) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const { record, volunteerUserId, team } = await lockRecord(tx, input.recordId);
    const actor = requireCertifier(ctx, volunteerUserId, team);
    if (record.status === "declined") throw new DomainError("invalid_state", "volunteers.errors.declined");
    const minutes = Math.round(input.hours * 60);
    const [a] = await tx.select().from(volunteerActivities).where(eq(volunteerActivities.id, record.activityId));
    requireWithinCap(minutes, a, (await getVolunteerRules(tx, team.areaPath)).capMarginMinutes);
    let reportId: number | null = null;
    if (input.reportId) {
      const [rep] = await tx.select().from(recordErrorReports).where(and(eq(recordErrorReports.id, input.reportId), eq(recordErrorReports.recordId, record.id)));
      if (!rep) throw new DomainError("not_found", "errors.notFound");
      if (rep.status !== "open") throw new DomainError("invalid_state", "volunteers.errors.reportClosed");
      reportId = rep.id;
      await tx.update(recordErrorReports).set({ status: "corrected", answer: input.reason, answeredBy: actor.id, answeredAt: now }).where(eq(recordErrorReports.id, rep.id));
    }
    await tx.update(serviceRecords).set({ minutes }).where(eq(serviceRecords.id, record.id));
    await tx.insert(recordCorrections).values({ recordId: record.id, field: "hours", oldValue: String(hoursOf(record.minutes)), newValue: String(hoursOf(minutes)), reason: input.reason, reportId, correctedBy: actor.id, correctedAt: now });
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: actor.id,
      action: "record.corrected",
      entityType: "service_record",
      entityId: record.id,
      summary: { before: { hours: hoursOf(record.minutes) }, after: { hours: hoursOf(minutes) }, reason: input.reason.slice(0, 200), reportId },
      at: now,
    });
    await notify(tx, emit, [volunteerUserId], { kind: "notify.volunteers.corrected", params: { hours: hoursOf(minutes) }, link: "/volunteers/records", at: now });
    return { minutes };
  });
}

/** An organizer answers a report without changing the record (the record was right). */
export async function answerReport(ctx: CommandContext, input: z.output<typeof AnswerReportSchema>) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [rep] = await tx.select().from(recordErrorReports).where(eq(recordErrorReports.id, input.reportId)).for("update");
    if (!rep) throw new DomainError("not_found", "errors.notFound");
    const { volunteerUserId, team, record } = await lockRecord(tx, rep.recordId);
    const actor = requireCertifier(ctx, volunteerUserId, team);
    if (rep.status !== "open") throw new DomainError("invalid_state", "volunteers.errors.reportClosed");
    await tx.update(recordErrorReports).set({ status: "answered", answer: input.answer, answeredBy: actor.id, answeredAt: now }).where(eq(recordErrorReports.id, rep.id));
    await appendLedger(tx, { stream: `area:${team.areaId}`, actorId: actor.id, action: "record.reportAnswered", entityType: "service_record", entityId: record.id, summary: { after: { reportId: rep.id, answer: input.answer.slice(0, 200) } }, at: now });
    await notify(tx, emit, [volunteerUserId], { kind: "notify.volunteers.answered", params: { team: team.name }, link: "/volunteers/records", at: now });
  });
}

async function historyOf(db: Db, recordIds: number[]) {
  if (!recordIds.length) return { corrections: [], reports: [] };
  const [corrections, reports] = await Promise.all([
    db.select().from(recordCorrections).where(inArray(recordCorrections.recordId, recordIds)).orderBy(asc(recordCorrections.id)),
    db.select().from(recordErrorReports).where(inArray(recordErrorReports.recordId, recordIds)).orderBy(asc(recordErrorReports.id)),
  ]);
  return { corrections, reports };
}

const recordColumns = {
  id: serviceRecords.id,
  activityId: serviceRecords.activityId,
  volunteerId: serviceRecords.volunteerId,
  serviceDate: serviceRecords.serviceDate,
  minutes: serviceRecords.minutes,
  status: serviceRecords.status,
  late: serviceRecords.late,
  lateDays: serviceRecords.lateDays,
  method: serviceRecords.method,
  note: serviceRecords.note,
  declineReason: serviceRecords.declineReason,
  createdAt: serviceRecords.createdAt,
  evaluation: serviceRecords.evaluation,
  organiser: serviceRecords.organiser,
  personInCharge: serviceRecords.personInCharge,
  confirmedAt: serviceRecords.confirmedAt,
  title: volunteerActivities.title,
  place: volunteerActivities.place,
  content: volunteerActivities.content,
  endsAt: volunteerActivities.endsAt,
};

/** The volunteer's own records with their history, total confirmed hours and stars. */
export async function getMyRecords(ctx: CommandContext) {
  const v = await requireOwnVolunteer(ctx);
  const list = await ctx.db
    .select(recordColumns)
    .from(serviceRecords)
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, serviceRecords.activityId))
    .where(eq(serviceRecords.volunteerId, v.id))
    .orderBy(desc(serviceRecords.serviceDate), desc(serviceRecords.id));
  const [{ corrections, reports }, imported, extra] = await Promise.all([historyOf(ctx.db, list.map((r) => r.id)), listImportedRecords(ctx.db, [v.id]), listTrainingAndHonours(ctx.db, v.id)]);
  const [community] = await ctx.db.select({ path: areas.path }).from(areas).where(eq(areas.id, v.communityId));
  const rules = await getVolunteerRules(ctx.db, community.path);
  const confirmedMinutes = list.filter((r) => r.status === "confirmed").reduce((s, r) => s + r.minutes, 0);
  const hours = hoursOf(confirmedMinutes);
  return {
    volunteer: v,
    records: list.map((r) => ({ ...r, hours: hoursOf(r.minutes), corrections: corrections.filter((c) => c.recordId === r.id), reports: reports.filter((p) => p.recordId === r.id) })),
    confirmedHours: hours,
    stars: starsFor(hours, rules.starHours),
    nextStar: nextStar(hours, rules.starHours),
    ladder: rules.starHours,
    /** Records other installations issued (signature verified at import): shown apart, never in the totals above. */
    imported,
    importedHours: hoursOf(imported.reduce((s, i) => s + i.confirmedMinutes, 0)),
    training: extra.training.map((x) => ({ ...x, hours: hoursOf(x.minutes) })),
    honours: extra.honours,
  };
}

/** The records of one activity for its organizers: proposed and confirmed, with open reports and the deadline. */
export async function getActivityRecords(ctx: CommandContext, activityId: number) {
  const { activity, team } = await getActivityFacts(ctx.db, activityId);
  const actor = requireActor(ctx);
  if (!can(actor, "team.organize", teamResource(team))) throw new DomainError("forbidden", "errors.forbidden");
  const list = await ctx.db
    .select({
      ...recordColumns,
      name: volunteers.realName,
      number: volunteers.volunteerNumber,
      userId: volunteers.userId,
      hasPhoto: sql<boolean>`exists (select 1 from declaration_photos p where p.record_id = ${serviceRecords.id})`.mapWith(Boolean),
    })
    .from(serviceRecords)
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, serviceRecords.activityId))
    .innerJoin(volunteers, eq(volunteers.id, serviceRecords.volunteerId))
    .where(eq(serviceRecords.activityId, activityId))
    .orderBy(asc(serviceRecords.id));
  const { corrections, reports } = await historyOf(ctx.db, list.map((r) => r.id));
  const att = await ctx.db
    .select({ volunteerId: attendance.volunteerId, checkInAt: attendance.checkInAt, checkOutAt: attendance.checkOutAt, checkInMethod: attendance.checkInMethod, name: volunteers.realName })
    .from(attendance)
    .innerJoin(volunteers, eq(volunteers.id, attendance.volunteerId))
    .where(eq(attendance.activityId, activityId))
    .orderBy(asc(attendance.checkInAt));
  const rules = await getVolunteerRules(ctx.db, team.areaPath);
  return {
    deadline: recordDeadline(activity.endsAt, rules),
    attendance: att,
    records: list.map(({ userId, ...r }) => ({
      ...r,
      hours: hoursOf(r.minutes),
      own: userId === actor.id,
      corrections: corrections.filter((c) => c.recordId === r.id),
      reports: reports.filter((p) => p.recordId === r.id),
    })),
  };
}

/** Open error reports on records of the teams the actor organizes. */
export async function listOpenReports(ctx: CommandContext) {
  const actor = requireActor(ctx);
  return ctx.db
    .select({ id: recordErrorReports.id, recordId: recordErrorReports.recordId, reason: recordErrorReports.reason, activityId: serviceRecords.activityId, team: volunteerTeams.name })
    .from(recordErrorReports)
    .innerJoin(serviceRecords, eq(serviceRecords.id, recordErrorReports.recordId))
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, serviceRecords.teamId))
    .where(and(eq(recordErrorReports.status, "open"), sql`exists (select 1 from team_organizers o where o.team_id = ${serviceRecords.teamId} and o.user_id = ${actor.id})`));
}

export type { ServiceRecord };
