import { and, asc, count, eq, like, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { sqlState, type Db } from "../../../db/client";
import { areas, memberships, roleGrants, users } from "../../../db/schema";
import type { Actor, RoleName } from "../accounts/actor";
import { can, type Resource } from "../accounts/permissions";
import { findUserByLogin } from "../accounts/lookup.server";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { beijingDay } from "../shared/beijing-time";
import { DomainError } from "../shared/errors";
import { nameKey } from "../shared/validation";
import type { CommunitySettingsSchema, CreateAreaSchema, DecideMembershipSchema, GrantRoleSchema, JoinSchema } from "./schemas";

export type Area = typeof areas.$inferSelect;

export const areaResource = (a: Pick<Area, "id" | "path" | "kind">): Resource => ({ type: "area", id: a.id, path: a.path, kind: a.kind });
const stream = (a: Pick<Area, "id">) => `area:${a.id}`;

function require(actor: Actor | null, ok: boolean): asserts actor is Actor {
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!ok) throw new DomainError("forbidden", "errors.forbidden");
}

export async function getArea(db: Db, id: number) {
  const [a] = await db.select().from(areas).where(eq(areas.id, id));
  return a ?? null;
}

/** Every area, ordered as a tree walk (path order), for the public directory and admin forms. */
export async function listAreas(ctx: CommandContext) {
  return ctx.db.select().from(areas).orderBy(asc(areas.path));
}

/** A public community (or town/county) page: the area, its children, and the actor's membership. */
export async function getAreaPage(ctx: CommandContext, id: number) {
  const area = await getArea(ctx.db, id);
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  const children = await ctx.db.select().from(areas).where(eq(areas.parentId, id)).orderBy(asc(areas.name));
  const ancestors = area.path
    .split("/")
    .filter(Boolean)
    .map(Number)
    .filter((x) => x !== id);
  const parents = ancestors.length
    ? await ctx.db.select({ id: areas.id, name: areas.name, kind: areas.kind }).from(areas).where(sql`${areas.id} in ${ancestors}`)
    : [];
  let membership: typeof memberships.$inferSelect | null = null;
  if (ctx.actor) {
    [membership] = await ctx.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, ctx.actor.id), eq(memberships.communityId, id)));
  }
  const [{ verified }] = await ctx.db
    .select({ verified: count() })
    .from(memberships)
    .where(and(eq(memberships.communityId, id), eq(memberships.status, "verified")));
  return {
    area,
    children,
    parents: ancestors.map((pid) => parents.find((p) => p.id === pid)).filter(Boolean) as { id: number; name: string; kind: Area["kind"] }[],
    membership: membership ?? null,
    verifiedResidents: Number(verified),
    canJoin: can(ctx.actor, "area.join", areaResource(area)),
    canManage: can(ctx.actor, "area.manageMembers", areaResource(area)),
    canCategories: can(ctx.actor, "category.create", areaResource(area)),
    canDashboard: can(ctx.actor, "area.viewDashboard", areaResource(area)),
  };
}

/**
 * Whether the actor's display name, compared as nameKey (NFKC, case, spaces and invisible
 * characters folded), is that of someone else who holds a role over the community: its
 * committee and organizers, the town and county admins above it. Residents read a name on a
 * notice or in a room as the person's word; a lookalike of a staff member's must not get in.
 */
async function passesForStaff(db: Db, community: Area, actor: Actor) {
  const staff = await db
    .selectDistinct({ displayName: users.displayName })
    .from(roleGrants)
    .innerJoin(areas, eq(areas.id, roleGrants.areaId))
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(sql`${community.path} like ${areas.path} || '%'`, ne(roleGrants.userId, actor.id)));
  const mine = nameKey(actor.displayName);
  return staff.some((s) => nameKey(s.displayName) === mine);
}

/** A signed-in user asks to be a resident; a declined request may be made again. Notifies the committee. */
export async function requestMembership(ctx: CommandContext, communityId: number, input: z.output<typeof JoinSchema>) {
  const area = await getArea(ctx.db, communityId);
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  if (area.kind !== "community") throw new DomainError("invalid_state", "errors.notCommunity");
  require(ctx.actor, true);
  const actor = ctx.actor;
  const now = ctx.clock.now();
  if (await passesForStaff(ctx.db, area, actor)) throw new DomainError("validation", "errors.nameLikeStaff");
  const birthYear = input.birthYear ?? null;
  if (birthYear !== null && birthYear > Number(beijingDay(now).slice(0, 4))) throw new DomainError("validation", "register.errors.birthYear", {}, "birthYear");
  return inTransaction(ctx, async (tx, emit) => {
    const [existing] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, actor.id), eq(memberships.communityId, communityId)))
      .for("update");
    if (existing && existing.status !== "declined") throw new DomainError("conflict", "errors.alreadyMember");
    let id: number;
    if (existing) {
      await tx
        .update(memberships)
        .set({ status: "pending", address: input.address, birthYear, decidedAt: null, decidedBy: null, declineReason: null, createdAt: now })
        .where(eq(memberships.id, existing.id));
      id = existing.id;
    } else {
      try {
        [{ id }] = await tx
          .insert(memberships)
          .values({ userId: actor.id, communityId, address: input.address, birthYear, createdAt: now })
          .returning({ id: memberships.id });
      } catch (e) {
        if (sqlState(e).code === "23505") throw new DomainError("conflict", "errors.alreadyMember");
        throw e;
      }
    }
    await appendLedger(tx, {
      stream: stream(area),
      actorId: actor.id,
      action: "membership.requested",
      entityType: "membership",
      entityId: id,
      summary: { before: existing ? { status: existing.status } : null, after: { status: "pending", userId: actor.id } },
      at: now,
    });
    const committee = await tx
      .select({ userId: roleGrants.userId })
      .from(roleGrants)
      .where(and(eq(roleGrants.areaId, communityId), eq(roleGrants.role, "committee")));
    await notify(
      tx,
      emit,
      committee.map((c) => c.userId),
      { kind: "notify.membership.requested", params: { name: actor.displayName, community: area.name }, link: `/communities/${area.id}/members`, at: now },
    );
    emit({ type: "membership.requested", communityId, membershipId: id });
    return { membershipId: id };
  });
}

/** Pending and verified residents of a community, for its committee. */
export async function listMembers(ctx: CommandContext, communityId: number) {
  const area = await getArea(ctx.db, communityId);
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  require(ctx.actor, can(ctx.actor, "area.manageMembers", areaResource(area)));
  const rows = await ctx.db
    .select({
      id: memberships.id,
      userId: memberships.userId,
      status: memberships.status,
      address: memberships.address,
      birthYear: memberships.birthYear,
      createdAt: memberships.createdAt,
      decidedAt: memberships.decidedAt,
      displayName: users.displayName,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.communityId, communityId))
    .orderBy(asc(memberships.createdAt))
    .limit(500);
  return { area, pending: rows.filter((r) => r.status === "pending"), verified: rows.filter((r) => r.status === "verified") };
}

/** How many requests wait in the communities this actor staffs (for the home page). */
export async function countPendingForStaff(ctx: CommandContext) {
  const actor = ctx.actor;
  if (!actor) return 0;
  const scopes = actor.roles.filter((r) => r.role !== "organizer").map((r) => r.areaPath);
  if (scopes.length === 0) return 0;
  const [{ n }] = await ctx.db
    .select({ n: count() })
    .from(memberships)
    .innerJoin(areas, eq(areas.id, memberships.communityId))
    .where(and(eq(memberships.status, "pending"), sql`(${sql.join(scopes.map((p) => like(areas.path, `${p}%`)), sql` or `)})`));
  return Number(n);
}

/** Committee verifies or declines a pending request (object level: only for their own community; never their own). */
export async function decideMembership(ctx: CommandContext, input: z.output<typeof DecideMembershipSchema>) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [m] = await tx
      .select({ m: memberships, path: areas.path, communityName: areas.name, displayName: users.displayName })
      .from(memberships)
      .innerJoin(areas, eq(areas.id, memberships.communityId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.id, input.membershipId))
      .for("update", { of: memberships });
    if (!m) throw new DomainError("not_found", "errors.notFound");
    require(ctx.actor, can(ctx.actor, "area.manageMembers", { type: "membership", userId: m.m.userId, communityId: m.m.communityId, communityPath: m.path }));
    if (m.m.status !== "pending") throw new DomainError("invalid_state", "errors.alreadyDecided");
    const status = input.decision === "verify" ? ("verified" as const) : ("declined" as const);
    const reason = input.decision === "decline" ? input.reason : null;
    await tx.update(memberships).set({ status, decidedBy: ctx.actor.id, decidedAt: now, declineReason: reason }).where(eq(memberships.id, m.m.id));
    await appendLedger(tx, {
      stream: `area:${m.m.communityId}`,
      actorId: ctx.actor.id,
      action: `membership.${status}`,
      entityType: "membership",
      entityId: m.m.id,
      summary: { before: { status: "pending" }, after: { status, reason }, userId: m.m.userId },
      at: now,
    });
    await notify(tx, emit, [m.m.userId], {
      kind: status === "verified" ? "notify.membership.verified" : "notify.membership.declined",
      params: { community: m.communityName, reason: reason ?? "" },
      link: `/communities/${m.m.communityId}`,
      at: now,
    });
    emit({ type: "membership.decided", communityId: m.m.communityId, membershipId: m.m.id, userId: m.m.userId, status });
    return { status, displayName: m.displayName };
  });
}

/** County admins create towns; county or town admins create communities under a town. */
export async function createArea(ctx: CommandContext, input: z.output<typeof CreateAreaSchema>) {
  const parent = await getArea(ctx.db, input.parentId);
  if (!parent) throw new DomainError("validation", "errors.areaNotFound", {}, "parentId");
  require(ctx.actor, can(ctx.actor, "area.createChild", areaResource(parent)));
  const kind = parent.kind === "county" ? ("town" as const) : ("community" as const);
  if (kind === "community" && !input.communityType) throw new DomainError("validation", "errors.required", {}, "communityType");
  const now = ctx.clock.now();
  const actorId = ctx.actor.id;
  return inTransaction(ctx, async (tx) => {
    const [a] = await tx
      .insert(areas)
      .values({
        parentId: parent.id,
        kind,
        communityType: kind === "community" ? input.communityType : null,
        name: input.name,
        residents: input.residents,
        households: input.households,
        createdAt: now,
      })
      .returning();
    const path = `${parent.path}${a.id}/`;
    await tx.update(areas).set({ path }).where(eq(areas.id, a.id));
    await appendLedger(tx, {
      stream: stream(parent),
      actorId,
      action: `area.created`,
      entityType: "area",
      entityId: a.id,
      summary: { after: { kind, name: input.name, residents: input.residents, households: input.households } },
      at: now,
    });
    return { ...a, path };
  });
}

/** Appoints a staff role on an area: county admins anything below them; town admins committee/organizer in their communities. */
export async function grantRole(ctx: CommandContext, input: z.output<typeof GrantRoleSchema>) {
  const area = await getArea(ctx.db, input.areaId);
  if (!area) throw new DomainError("validation", "errors.areaNotFound", {}, "areaId");
  const fits: Record<RoleName, Area["kind"]> = { committee: "community", organizer: "community", town_admin: "town", county_admin: "county", supervisor: "community" };
  if (fits[input.role] !== area.kind) throw new DomainError("validation", "errors.roleNotForArea", {}, "role");
  require(ctx.actor, can(ctx.actor, "role.grant", { type: "roleGrant", role: input.role, areaPath: area.path, areaKind: area.kind }));
  const user = await findUserByLogin(ctx.db, input.identifier);
  if (!user) throw new DomainError("validation", "errors.userNotFound", {}, "identifier");
  const now = ctx.clock.now();
  const actorId = ctx.actor.id;
  return inTransaction(ctx, async (tx) => {
    const inserted = await tx
      .insert(roleGrants)
      .values({ userId: user.id, role: input.role, areaId: area.id, grantedBy: actorId, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: roleGrants.id });
    if (inserted.length === 0) throw new DomainError("conflict", "errors.alreadyGranted", {}, "identifier");
    await appendLedger(tx, {
      stream: stream(area),
      actorId,
      action: "role.granted",
      entityType: "role_grant",
      entityId: inserted[0].id,
      summary: { after: { userId: user.id, role: input.role, areaId: area.id } },
      at: now,
    });
    return { displayName: user.displayName, role: input.role };
  });
}


/** The committee (or an admin above) sets the community's own rules; the ledger keeps before and after. */
/** A community's settings, for whoever may manage it: not_found for a town or county (they have none). */
export async function getCommunitySettings(ctx: CommandContext, communityId: number) {
  const area = await getArea(ctx.db, communityId);
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  require(ctx.actor, can(ctx.actor, "area.manageMembers", areaResource(area)));
  return area;
}

/** The areas this actor may appoint staff in (the admin form lists only these). */
export async function listAppointableAreas(ctx: CommandContext) {
  const actor = ctx.actor;
  if (!actor) return [];
  const all = await listAreas(ctx);
  return all.filter((a) => can(actor, "area.appointStaff", areaResource(a)));
}

export async function updateCommunitySettings(ctx: CommandContext, communityId: number, input: z.output<typeof CommunitySettingsSchema>) {
  const area = await getArea(ctx.db, communityId);
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  require(ctx.actor, can(ctx.actor, "area.manageMembers", areaResource(area)));
  const next = {
    cosignThreshold: input.thresholdKind === "count" ? input.cosignThreshold! : area.cosignThreshold,
    cosignShareBp: input.thresholdKind === "share" ? Math.round(input.sharePercent! * 100) : null,
    noticeDays: input.noticeDays,
    publicNames: input.publicNames,
    objectionAnswerDays: input.objectionAnswerDays ?? area.objectionAnswerDays,
  };
  const before = { cosignThreshold: area.cosignThreshold, cosignShareBp: area.cosignShareBp, noticeDays: area.noticeDays, publicNames: area.publicNames, objectionAnswerDays: area.objectionAnswerDays };
  const actorId = ctx.actor.id;
  const now = ctx.clock.now();
  await inTransaction(ctx, async (tx) => {
    await tx.update(areas).set(next).where(eq(areas.id, communityId));
    await appendLedger(tx, { stream: stream(area), actorId, action: "community.settings_changed", entityType: "area", entityId: area.id, summary: { before, after: next }, at: now });
  });
  return next;
}
