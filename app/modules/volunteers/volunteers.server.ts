import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { sqlState, type Db } from "../../../db/client";
import { areas, roleGrants, teamOrganizers, users, volunteerSettings, volunteerTeams, volunteers } from "../../../db/schema";
import type { Actor } from "../accounts/actor";
import { can, type Resource } from "../accounts/permissions";
import { findUserByLogin } from "../accounts/lookup.server";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { beijingDay } from "../shared/beijing-time";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { maskIdNumber, sexOf, validateIdNumber } from "./id-number";
import { encryptIdNumber, idNumberHmac, volunteerKeys } from "./keys.server";
import { DEFAULT_CAP_MARGIN_MINUTES, DEFAULT_STAR_HOURS, DEFAULT_STEP_MINUTES, resolveCalendar, type WorkingCalendar } from "./rules";
import type { RegisterVolunteerInput } from "./schemas";

export type Volunteer = typeof volunteers.$inferSelect;
export type Team = typeof volunteerTeams.$inferSelect;

export function requireActor(ctx: CommandContext): Actor {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return ctx.actor;
}

export function pathIds(path: string) {
  return path.split("/").filter(Boolean).map(Number);
}

export interface VolunteerRules extends WorkingCalendar {
  stepMinutes: number;
  starHours: number[];
  capMarginMinutes: number;
}

/**
 * The rules for an area: step, stars and margin each from the nearest area on its path that sets
 * it, else the default; the calendar year by year from the nearest area that states that year,
 * else the national schedule (rules.ts `resolveCalendar`).
 */
export async function getVolunteerRules(db: Db, areaPath: string): Promise<VolunteerRules> {
  const ids = pathIds(areaPath);
  const rows = ids.length ? await db.select().from(volunteerSettings).where(inArray(volunteerSettings.areaId, ids)) : [];
  const deepestFirst = ids
    .slice()
    .reverse()
    .map((id) => rows.find((r) => r.areaId === id))
    .filter((r): r is NonNullable<typeof r> => !!r);
  const pick = <K extends "stepMinutes" | "starHours" | "capMarginMinutes">(k: K) => deepestFirst.find((r) => r[k] != null)?.[k] ?? null;
  const calendar = resolveCalendar(deepestFirst);
  return {
    stepMinutes: pick("stepMinutes") ?? DEFAULT_STEP_MINUTES,
    starHours: pick("starHours") ?? DEFAULT_STAR_HOURS,
    capMarginMinutes: pick("capMarginMinutes") ?? DEFAULT_CAP_MARGIN_MINUTES,
    holidays: calendar.holidays,
    extraWorkdays: calendar.extraWorkdays,
  };
}

/** The actor's own volunteer record (never the cipher text or the keyed hash). */
export async function getOwnVolunteer(ctx: CommandContext) {
  if (!ctx.actor) return null;
  const [v] = await ctx.db
    .select({
      id: volunteers.id,
      userId: volunteers.userId,
      volunteerNumber: volunteers.volunteerNumber,
      realName: volunteers.realName,
      sex: volunteers.sex,
      birthDate: volunteers.birthDate,
      idMasked: volunteers.idMasked,
      communityId: volunteers.communityId,
      communityName: areas.name,
      contact: volunteers.contact,
      skills: volunteers.skills,
      serviceTypes: volunteers.serviceTypes,
      availability: volunteers.availability,
      partyMember: volunteers.partyMember,
      honourOptIn: volunteers.honourOptIn,
      createdAt: volunteers.createdAt,
    })
    .from(volunteers)
    .innerJoin(areas, eq(areas.id, volunteers.communityId))
    .where(eq(volunteers.userId, ctx.actor.id));
  return v ?? null;
}
export type OwnVolunteer = NonNullable<Awaited<ReturnType<typeof getOwnVolunteer>>>;

export async function requireOwnVolunteer(ctx: CommandContext) {
  requireActor(ctx);
  const v = await getOwnVolunteer(ctx);
  if (!v) throw new DomainError("invalid_state", "volunteers.errors.notRegistered");
  return v;
}

/** Communities a volunteer may name as their area of residence. */
export async function listCommunities(ctx: CommandContext) {
  return ctx.db.select({ id: areas.id, name: areas.name, path: areas.path }).from(areas).where(eq(areas.kind, "community")).orderBy(asc(areas.path));
}

/**
 * A signed-in user registers once as a volunteer and gets a volunteer number. The ID number is
 * stored encrypted, with a keyed hash that refuses a second registration of the same person;
 * the ledger records the registration without it.
 */
export async function registerVolunteer(ctx: CommandContext, input: RegisterVolunteerInput) {
  const actor = requireActor(ctx);
  const now = ctx.clock.now();
  const check = validateIdNumber(input.idNumber, { birthDate: input.birthDate, today: beijingDay(now) });
  if (!check.ok) throw new DomainError("validation", check.problem === "birthDate" ? "volunteers.errors.idBirthDate" : "volunteers.errors.idChecksum", {}, "idNumber");
  if (sexOf(check.id) !== input.sex) throw new DomainError("validation", "volunteers.errors.idSex", {}, "sex");
  const [community] = await ctx.db.select().from(areas).where(eq(areas.id, input.communityId));
  if (!community || community.kind !== "community") throw new DomainError("validation", "volunteers.errors.community", {}, "communityId");
  const keys = volunteerKeys(ctx.settings);
  const hmac = idNumberHmac(check.id, keys);
  const [mine] = await ctx.db.select({ id: volunteers.id }).from(volunteers).where(eq(volunteers.userId, actor.id));
  if (mine) throw new DomainError("conflict", "volunteers.errors.alreadyRegistered");
  const [same] = await ctx.db.select({ id: volunteers.id }).from(volunteers).where(eq(volunteers.idHmac, hmac));
  if (same) throw new DomainError("conflict", "volunteers.errors.idTaken", {}, "idNumber");
  try {
    return await inTransaction(ctx, async (tx) => {
      const [v] = await tx
        .insert(volunteers)
        .values({
          userId: actor.id,
          realName: input.realName,
          sex: input.sex,
          birthDate: input.birthDate,
          idCipher: encryptIdNumber(check.id, keys),
          idHmac: hmac,
          idMasked: maskIdNumber(check.id),
          communityId: community.id,
          contact: input.contact,
          skills: input.skills,
          serviceTypes: input.serviceTypes,
          availability: input.availability ?? "",
          partyMember: input.partyMember,
          honourOptIn: input.honourOptIn,
          consentAt: now,
          createdAt: now,
        })
        .returning({ id: volunteers.id });
      const volunteerNumber = `ZY${now.getUTCFullYear()}${String(v.id).padStart(6, "0")}`;
      await tx.update(volunteers).set({ volunteerNumber }).where(eq(volunteers.id, v.id));
      await appendLedger(tx, {
        stream: `area:${community.id}`,
        actorId: actor.id,
        action: "volunteer.registered",
        entityType: "volunteer",
        entityId: v.id,
        summary: { after: { volunteerNumber, partyMember: input.partyMember } },
        at: now,
      });
      return { id: v.id, volunteerNumber };
    });
  } catch (e) {
    const { code, constraint } = sqlState(e);
    if (code === "23505" && constraint === "volunteers_id_hmac_unique") throw new DomainError("conflict", "volunteers.errors.idTaken", {}, "idNumber");
    if (code === "23505") throw new DomainError("conflict", "volunteers.errors.alreadyRegistered");
    throw e;
  }
}

/** The volunteer changes whether they appear on the honour board. */
export async function setHonourOptIn(ctx: CommandContext, optIn: boolean) {
  const v = await requireOwnVolunteer(ctx);
  await ctx.db.update(volunteers).set({ honourOptIn: optIn }).where(eq(volunteers.id, v.id));
}

// ---------- teams and organizers ----------

/** A team with its area path and organizer ids: what `can` needs. */
export async function getTeamFacts(db: Db, teamId: number) {
  const [row] = await db
    .select({ team: volunteerTeams, areaPath: areas.path, areaName: areas.name, areaKind: areas.kind })
    .from(volunteerTeams)
    .innerJoin(areas, eq(areas.id, volunteerTeams.areaId))
    .where(eq(volunteerTeams.id, teamId));
  if (!row) return null;
  const organizers = await db
    .select({ userId: teamOrganizers.userId, displayName: users.displayName })
    .from(teamOrganizers)
    .innerJoin(users, eq(users.id, teamOrganizers.userId))
    .where(eq(teamOrganizers.teamId, teamId))
    .orderBy(asc(teamOrganizers.appointedAt));
  return { ...row.team, areaPath: row.areaPath, areaName: row.areaName, areaKind: row.areaKind, organizers };
}
export type TeamFacts = NonNullable<Awaited<ReturnType<typeof getTeamFacts>>>;

export const teamResource = (t: TeamFacts): Extract<Resource, { type: "team" }> => ({
  type: "team",
  id: t.id,
  areaPath: t.areaPath,
  organizerIds: t.organizers.map((o) => o.userId),
});

/** The committee of a community (or the town/county above) sets up a volunteer team there. */
export async function createTeam(ctx: CommandContext, input: { areaId: number; name: string; description?: string }) {
  const actor = requireActor(ctx);
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, input.areaId));
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  if (!can(actor, "team.create", { type: "area", id: area.id, path: area.path, kind: area.kind })) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  try {
    return await inTransaction(ctx, async (tx) => {
      const [t] = await tx.insert(volunteerTeams).values({ areaId: area.id, name: input.name, description: input.description ?? "", createdBy: actor.id, createdAt: now }).returning();
      await appendLedger(tx, { stream: `area:${area.id}`, actorId: actor.id, action: "team.created", entityType: "volunteer_team", entityId: t.id, summary: { after: { name: t.name } }, at: now });
      return t;
    });
  } catch (e) {
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "volunteers.errors.teamExists", {}, "name");
    throw e;
  }
}

/**
 * A committee member appoints an organizer of a team. The person also gets the area-scoped
 * `organizer` role (kept once), so the staff lists show them; power over records comes from
 * the team appointment alone.
 */
export async function appointOrganizer(ctx: CommandContext, teamId: number, identifier: string) {
  const actor = requireActor(ctx);
  const team = await getTeamFacts(ctx.db, teamId);
  if (!team) throw new DomainError("not_found", "errors.notFound");
  if (!can(actor, "team.appoint", teamResource(team))) throw new DomainError("forbidden", "errors.forbidden");
  const user = await findUserByLogin(ctx.db, identifier);
  if (!user) throw new DomainError("validation", "errors.userNotFound", {}, "identifier");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const added = await tx.insert(teamOrganizers).values({ teamId, userId: user.id, appointedBy: actor.id, appointedAt: now }).onConflictDoNothing().returning();
    if (!added.length) throw new DomainError("conflict", "volunteers.errors.alreadyOrganizer", {}, "identifier");
    await tx.insert(roleGrants).values({ userId: user.id, role: "organizer", areaId: team.areaId, grantedBy: actor.id, createdAt: now }).onConflictDoNothing();
    await appendLedger(tx, { stream: `area:${team.areaId}`, actorId: actor.id, action: "team.organizerAppointed", entityType: "volunteer_team", entityId: teamId, summary: { after: { userId: user.id } }, at: now });
    await notify(tx, emit, [user.id], { kind: "notify.volunteers.appointed", params: { team: team.name }, link: `/teams/${teamId}`, at: now });
    return user;
  });
}

/** Teams of an area and everything below it. */
export async function listTeams(ctx: CommandContext, areaPath?: string) {
  const q = ctx.db
    .select({ id: volunteerTeams.id, name: volunteerTeams.name, areaId: volunteerTeams.areaId, areaName: areas.name, description: volunteerTeams.description })
    .from(volunteerTeams)
    .innerJoin(areas, eq(areas.id, volunteerTeams.areaId));
  return (areaPath ? q.where(sql`${areas.path} like ${areaPath + "%"}`) : q).orderBy(asc(areas.path), asc(volunteerTeams.name));
}

/** Teams the actor organizes. */
export async function listMyTeams(ctx: CommandContext) {
  if (!ctx.actor) return [];
  return ctx.db
    .select({ id: volunteerTeams.id, name: volunteerTeams.name })
    .from(teamOrganizers)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, teamOrganizers.teamId))
    .where(eq(teamOrganizers.userId, ctx.actor.id))
    .orderBy(asc(volunteerTeams.name));
}

/** Areas where the actor may create a team (for the form's choices). */
export async function listAreasForTeams(ctx: CommandContext) {
  const actor = ctx.actor;
  if (!actor) return [];
  const all = await ctx.db.select({ id: areas.id, name: areas.name, path: areas.path, kind: areas.kind }).from(areas).where(and(sql`${areas.kind} <> 'county'`)).orderBy(asc(areas.path));
  return all.filter((a) => can(actor, "team.create", { type: "area", id: a.id, path: a.path, kind: a.kind }));
}
