import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import { areas, roleGrants, volunteerMoves, volunteers } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { sqlState } from "../../../db/client";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { DecideMoveSchema, RequestMoveSchema } from "./travel-schemas.server";
import { requireActor, requireOwnVolunteer } from "./volunteers.server";

const communityResource = (c: { id: number; path: string }) => ({ type: "area" as const, id: c.id, path: c.path, kind: "community" as const });

/**
 * A volunteer asks to move to another community. One request at a time; the new community's
 * organizers and committee are told. Nothing changes until one of them accepts.
 * Ledger: `volunteer.moveRequested` in both communities' streams.
 */
export async function requestMove(ctx: CommandContext, input: z.output<typeof RequestMoveSchema>) {
  const me = await requireOwnVolunteer(ctx);
  const [to] = await ctx.db.select().from(areas).where(eq(areas.id, input.communityId));
  if (!to || to.kind !== "community") throw new DomainError("validation", "volunteers.errors.community", {}, "communityId");
  if (to.id === me.communityId) throw new DomainError("validation", "volunteers.errors.moveSame", {}, "communityId");
  const now = ctx.clock.now();
  try {
    return await inTransaction(ctx, async (tx, emit) => {
      const [m] = await tx
        .insert(volunteerMoves)
        .values({ volunteerId: me.id, fromCommunityId: me.communityId, toCommunityId: to.id, reason: input.reason ?? "", requestedAt: now })
        .returning({ id: volunteerMoves.id });
      for (const stream of [`area:${me.communityId}`, `area:${to.id}`]) {
        await appendLedger(tx, { stream, actorId: me.userId, action: "volunteer.moveRequested", entityType: "volunteer", entityId: me.id, summary: { after: { moveId: m.id, from: me.communityId, to: to.id } }, at: now });
      }
      const deciders = await decidersOf(tx, to);
      await notify(tx, emit, deciders, { kind: "notify.volunteers.moveRequested", params: { name: me.realName, community: to.name }, link: "/volunteers/moves", at: now });
      return { id: m.id };
    });
  } catch (e) {
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "volunteers.errors.movePending", {}, "communityId");
    throw e;
  }
}

/** Who may accept a move into `to`: the organizers and committee of that community. */
async function decidersOf(db: CommandContext["db"], to: { id: number }) {
  const rows = await db
    .select({ userId: roleGrants.userId })
    .from(roleGrants)
    .where(and(eq(roleGrants.areaId, to.id), inArray(roleGrants.role, ["organizer", "committee"])));
  return [...new Set(rows.map((r) => r.userId))];
}

/** The volunteer withdraws their pending request. */
export async function withdrawMove(ctx: CommandContext) {
  const me = await requireOwnVolunteer(ctx);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [m] = await tx.select().from(volunteerMoves).where(and(eq(volunteerMoves.volunteerId, me.id), eq(volunteerMoves.status, "pending"))).for("update");
    if (!m) throw new DomainError("invalid_state", "volunteers.errors.moveNone");
    await tx.update(volunteerMoves).set({ status: "withdrawn", decidedAt: now, decidedBy: me.userId }).where(eq(volunteerMoves.id, m.id));
    await appendLedger(tx, { stream: `area:${m.toCommunityId}`, actorId: me.userId, action: "volunteer.moveWithdrawn", entityType: "volunteer", entityId: me.id, summary: { after: { moveId: m.id } }, at: now });
  });
}

/**
 * An organizer or committee member of the new community accepts a pending move (the volunteer's
 * community changes; every service record, certificate and history stays with the volunteer, as
 * records belong to the volunteer and to the team that made them, not to the community) or
 * declines it with a reason the volunteer sees. Ledger: `volunteer.moved` (both communities) or
 * `volunteer.moveDeclined`; the volunteer is told.
 */
export async function decideMove(ctx: CommandContext, input: z.output<typeof DecideMoveSchema>) {
  const actor = requireActor(ctx);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [m] = await tx.select().from(volunteerMoves).where(eq(volunteerMoves.id, input.moveId)).for("update");
    if (!m) throw new DomainError("not_found", "errors.notFound");
    const [to] = await tx.select().from(areas).where(eq(areas.id, m.toCommunityId));
    if (!can(actor, "volunteer.acceptMove", communityResource(to))) throw new DomainError("forbidden", "errors.forbidden");
    if (m.status !== "pending") throw new DomainError("invalid_state", "volunteers.errors.moveDecided");
    const [v] = await tx.select({ id: volunteers.id, userId: volunteers.userId, communityId: volunteers.communityId }).from(volunteers).where(eq(volunteers.id, m.volunteerId)).for("update");
    if (v.userId === actor.id) throw new DomainError("forbidden", "volunteers.errors.moveOwn");
    if (input.decision === "accept") {
      await tx.update(volunteers).set({ communityId: to.id }).where(eq(volunteers.id, v.id));
      await tx.update(volunteerMoves).set({ status: "accepted", decidedBy: actor.id, decidedAt: now }).where(eq(volunteerMoves.id, m.id));
      for (const stream of [`area:${v.communityId}`, `area:${to.id}`]) {
        await appendLedger(tx, { stream, actorId: actor.id, action: "volunteer.moved", entityType: "volunteer", entityId: v.id, summary: { before: { communityId: v.communityId }, after: { communityId: to.id, moveId: m.id } }, at: now });
      }
      await notify(tx, emit, [v.userId], { kind: "notify.volunteers.moveAccepted", params: { community: to.name }, link: "/volunteers", at: now });
    } else {
      await tx.update(volunteerMoves).set({ status: "declined", declineReason: input.declineReason!, decidedBy: actor.id, decidedAt: now }).where(eq(volunteerMoves.id, m.id));
      await appendLedger(tx, { stream: `area:${to.id}`, actorId: actor.id, action: "volunteer.moveDeclined", entityType: "volunteer", entityId: v.id, summary: { after: { moveId: m.id, reason: input.declineReason!.slice(0, 200) } }, at: now });
      await notify(tx, emit, [v.userId], { kind: "notify.volunteers.moveDeclined", params: { community: to.name, reason: input.declineReason! }, link: "/volunteers/profile", at: now });
    }
    return { status: input.decision === "accept" ? "accepted" : "declined" };
  });
}

/** The volunteer's own requests, newest first (the latest one shows its answer). */
export async function listMyMoves(ctx: CommandContext) {
  const me = await requireOwnVolunteer(ctx);
  return ctx.db
    .select({ id: volunteerMoves.id, status: volunteerMoves.status, to: areas.name, declineReason: volunteerMoves.declineReason, requestedAt: volunteerMoves.requestedAt, decidedAt: volunteerMoves.decidedAt })
    .from(volunteerMoves)
    .innerJoin(areas, eq(areas.id, volunteerMoves.toCommunityId))
    .where(eq(volunteerMoves.volunteerId, me.id))
    .orderBy(desc(volunteerMoves.id))
    .limit(10);
}

/** Pending moves into the communities where the actor may decide, oldest first. */
export async function listIncomingMoves(ctx: CommandContext) {
  const actor = requireActor(ctx);
  const rows = await ctx.db
    .select({
      id: volunteerMoves.id,
      reason: volunteerMoves.reason,
      requestedAt: volunteerMoves.requestedAt,
      name: volunteers.realName,
      number: volunteers.volunteerNumber,
      toId: areas.id,
      toPath: areas.path,
      to: areas.name,
    })
    .from(volunteerMoves)
    .innerJoin(volunteers, eq(volunteers.id, volunteerMoves.volunteerId))
    .innerJoin(areas, eq(areas.id, volunteerMoves.toCommunityId))
    .where(eq(volunteerMoves.status, "pending"))
    .orderBy(asc(volunteerMoves.requestedAt));
  return rows.filter((r) => can(actor, "volunteer.acceptMove", communityResource({ id: r.toId, path: r.toPath }))).map(({ toPath: _p, ...r }) => r);
}
