import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { trainingAttendees, volunteerHonours, volunteerTeams, volunteerTrainings, volunteers } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { getTeamFacts, requireActor, teamResource } from "./volunteers.server";

/** Training attended and honours received by one volunteer, oldest first: for the record page and the export. */
export async function listTrainingAndHonours(db: Db, volunteerId: number) {
  const [training, honours] = await Promise.all([
    db
      .select({ id: volunteerTrainings.id, title: volunteerTrainings.title, date: volunteerTrainings.heldOn, minutes: volunteerTrainings.minutes, team: volunteerTeams.name, recordedAt: volunteerTrainings.recordedAt })
      .from(trainingAttendees)
      .innerJoin(volunteerTrainings, eq(volunteerTrainings.id, trainingAttendees.trainingId))
      .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerTrainings.teamId))
      .where(eq(trainingAttendees.volunteerId, volunteerId))
      .orderBy(asc(volunteerTrainings.heldOn), asc(volunteerTrainings.id)),
    db
      .select({ id: volunteerHonours.id, title: volunteerHonours.title, citation: volunteerHonours.citation, date: volunteerHonours.givenOn, team: volunteerTeams.name, recordedAt: volunteerHonours.givenAt })
      .from(volunteerHonours)
      .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerHonours.teamId))
      .where(eq(volunteerHonours.volunteerId, volunteerId))
      .orderBy(asc(volunteerHonours.givenOn), asc(volunteerHonours.id)),
  ]);
  return { training, honours };
}

/** Volunteers named by volunteer number or phone; each name must find exactly one. */
async function volunteersNamed(db: Db, names: string[], field: string) {
  const found = names.length
    ? await db
        .select({ id: volunteers.id, number: volunteers.volunteerNumber, contact: volunteers.contact, userId: volunteers.userId })
        .from(volunteers)
        .where(or(inArray(volunteers.volunteerNumber, names), inArray(volunteers.contact, names)))
    : [];
  return names.map((n) => {
    const hits = found.filter((v) => v.number === n || v.contact === n);
    if (hits.length === 0) throw new DomainError("validation", "volunteers.errors.walkInUnknown", { who: n }, field);
    if (hits.length > 1) throw new DomainError("validation", "volunteers.errors.walkInAmbiguous", { who: n }, field);
    return hits[0];
  });
}

export interface RecordTrainingInput {
  title: string;
  heldOn: string;
  minutes: number;
  attendees: string[];
}

/**
 * An organizer of the team records a training session it held and who attended (by volunteer
 * number or phone). Training is kept apart from service hours: it never counts toward them or
 * toward stars. Ledger: `training.recorded`; attendees are told.
 */
export async function recordTraining(ctx: CommandContext, teamId: number, input: RecordTrainingInput) {
  const actor = requireActor(ctx);
  const team = await getTeamFacts(ctx.db, teamId);
  if (!team) throw new DomainError("not_found", "errors.notFound");
  if (!can(actor, "team.recordTraining", teamResource(team))) throw new DomainError("forbidden", "errors.forbidden");
  const names = [...new Set(input.attendees)];
  if (!names.length) throw new DomainError("validation", "volunteers.errors.trainingNobody", {}, "attendees");
  const people = await volunteersNamed(ctx.db, names, "attendees");
  const ids = [...new Set(people.map((p) => p.id))];
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [t] = await tx.insert(volunteerTrainings).values({ teamId, title: input.title, heldOn: input.heldOn, minutes: input.minutes, recordedBy: actor.id, recordedAt: now }).returning({ id: volunteerTrainings.id });
    await tx.insert(trainingAttendees).values(ids.map((volunteerId) => ({ trainingId: t.id, volunteerId })));
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: actor.id,
      action: "training.recorded",
      entityType: "volunteer_training",
      entityId: t.id,
      summary: { after: { teamId, title: input.title, heldOn: input.heldOn, minutes: input.minutes, volunteerIds: ids } },
      at: now,
    });
    await notify(tx, emit, [...new Set(people.map((p) => p.userId))], { kind: "notify.volunteers.training", params: { team: team.name, title: input.title }, link: "/volunteers/records", at: now });
    return { id: t.id, attendees: ids.length };
  });
}

export interface GiveHonourInput {
  volunteer: string;
  title: string;
  citation: string;
  givenOn: string;
}

/**
 * The team (its organizers, or the committee over its area) records an honour given to a
 * volunteer, named by number or phone; never to oneself. Ledger: `honour.given`; the volunteer is told.
 */
export async function giveHonour(ctx: CommandContext, teamId: number, input: GiveHonourInput) {
  const actor = requireActor(ctx);
  const team = await getTeamFacts(ctx.db, teamId);
  if (!team) throw new DomainError("not_found", "errors.notFound");
  if (!can(actor, "team.giveHonour", teamResource(team))) throw new DomainError("forbidden", "errors.forbidden");
  const [v] = await volunteersNamed(ctx.db, [input.volunteer], "volunteer");
  if (v.userId === actor.id) throw new DomainError("forbidden", "volunteers.errors.ownHonour", {}, "volunteer");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [h] = await tx
      .insert(volunteerHonours)
      .values({ teamId, volunteerId: v.id, title: input.title, citation: input.citation, givenOn: input.givenOn, givenBy: actor.id, givenAt: now })
      .returning({ id: volunteerHonours.id });
    await appendLedger(tx, {
      stream: `area:${team.areaId}`,
      actorId: actor.id,
      action: "honour.given",
      entityType: "volunteer_honour",
      entityId: h.id,
      summary: { after: { teamId, volunteerId: v.id, title: input.title, givenOn: input.givenOn } },
      at: now,
    });
    await notify(tx, emit, [v.userId], { kind: "notify.volunteers.honour", params: { team: team.name, title: input.title }, link: "/volunteers/records", at: now });
    return { id: h.id };
  });
}

/** A team's training sessions and honours, newest first, for those who record them. */
export async function getTeamTrainingPage(ctx: CommandContext, teamId: number) {
  const actor = requireActor(ctx);
  const team = await getTeamFacts(ctx.db, teamId);
  if (!team) throw new DomainError("not_found", "errors.notFound");
  const canTrain = can(actor, "team.recordTraining", teamResource(team));
  const canHonour = can(actor, "team.giveHonour", teamResource(team));
  if (!canTrain && !canHonour) throw new DomainError("forbidden", "errors.forbidden");
  return { team: { id: team.id, name: team.name }, canTrain, canHonour, ...(await listTeamTrainingAndHonours(ctx.db, teamId)) };
}

async function listTeamTrainingAndHonours(db: Db, teamId: number) {
  const [training, honours] = await Promise.all([
    db
      .select({ id: volunteerTrainings.id, title: volunteerTrainings.title, heldOn: volunteerTrainings.heldOn, minutes: volunteerTrainings.minutes, attendees: sql<number>`(select count(*)::int from volunteer_training_attendees a where a.training_id = ${volunteerTrainings.id})`.mapWith(Number) })
      .from(volunteerTrainings)
      .where(eq(volunteerTrainings.teamId, teamId))
      .orderBy(asc(volunteerTrainings.heldOn)),
    db
      .select({ id: volunteerHonours.id, title: volunteerHonours.title, givenOn: volunteerHonours.givenOn, name: volunteers.realName, number: volunteers.volunteerNumber })
      .from(volunteerHonours)
      .innerJoin(volunteers, eq(volunteers.id, volunteerHonours.volunteerId))
      .where(and(eq(volunteerHonours.teamId, teamId)))
      .orderBy(asc(volunteerHonours.givenOn)),
  ]);
  return { training: training.reverse(), honours: honours.reverse() };
}
