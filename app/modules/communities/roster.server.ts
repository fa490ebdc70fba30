/**
 * The representatives roster (居民代表 / 村民代表): who speaks and votes at a 代表会议, each for a term.
 * The committee (and the admins above) keeps it; every change is on the community's ledger stream.
 * Permission: `area.manageRegister`.
 */
import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { communityRepresentatives, memberships, users } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { areaResource, getArea } from "./communities.server";
import type { AddRepresentativeSchema, EndRepresentativeSchema } from "./schemas";

/** The community, if the actor may keep its register and roster. */
export async function requireRegisterKeeper(ctx: CommandContext, communityId: number) {
  const area = await getArea(ctx.db, communityId);
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "area.manageRegister", areaResource(area))) throw new DomainError("forbidden", "errors.forbidden");
  return { area, actor: ctx.actor };
}

/** Puts a verified resident on the roster for a term (first day, optional last day). Ledger: `roster.added`. */
export async function addRepresentative(ctx: CommandContext, communityId: number, input: z.output<typeof AddRepresentativeSchema>) {
  const { area, actor } = await requireRegisterKeeper(ctx, communityId);
  if (input.termEnd && input.termEnd < input.termStart) throw new DomainError("validation", "register.errors.termOrder", {}, "termEnd");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, input.userId), eq(memberships.communityId, area.id), eq(memberships.status, "verified")));
    if (!member) throw new DomainError("validation", "register.errors.notResident", {}, "userId");
    const [row] = await tx
      .insert(communityRepresentatives)
      .values({ communityId: area.id, userId: input.userId, termStart: input.termStart, termEnd: input.termEnd ?? null, addedBy: actor.id, createdAt: now })
      .returning();
    await appendLedger(tx, {
      stream: `area:${area.id}`,
      actorId: actor.id,
      action: "roster.added",
      entityType: "community_representative",
      entityId: row.id,
      summary: { userId: input.userId, termStart: input.termStart, termEnd: input.termEnd ?? null },
      at: now,
    });
    return { representativeId: row.id };
  });
}

/** Ends a representative's term on a day (not before it began). Ledger: `roster.ended` with before and after. */
export async function endRepresentativeTerm(ctx: CommandContext, communityId: number, input: z.output<typeof EndRepresentativeSchema>) {
  const { area, actor } = await requireRegisterKeeper(ctx, communityId);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .select()
      .from(communityRepresentatives)
      .where(and(eq(communityRepresentatives.id, input.representativeId), eq(communityRepresentatives.communityId, area.id)))
      .for("update");
    if (!row) throw new DomainError("not_found", "errors.notFound");
    if (input.termEnd < row.termStart) throw new DomainError("validation", "register.errors.termOrder", {}, "termEnd");
    await tx.update(communityRepresentatives).set({ termEnd: input.termEnd }).where(eq(communityRepresentatives.id, row.id));
    await appendLedger(tx, {
      stream: `area:${area.id}`,
      actorId: actor.id,
      action: "roster.ended",
      entityType: "community_representative",
      entityId: row.id,
      summary: { userId: row.userId, before: { termEnd: row.termEnd }, after: { termEnd: input.termEnd } },
      at: now,
    });
    return { representativeId: row.id };
  });
}

/** The roster with names and terms, newest first, for the register page. */
export async function listRepresentatives(ctx: CommandContext, communityId: number) {
  await requireRegisterKeeper(ctx, communityId);
  return ctx.db
    .select({ id: communityRepresentatives.id, userId: communityRepresentatives.userId, name: users.displayName, termStart: communityRepresentatives.termStart, termEnd: communityRepresentatives.termEnd })
    .from(communityRepresentatives)
    .innerJoin(users, eq(users.id, communityRepresentatives.userId))
    .where(eq(communityRepresentatives.communityId, communityId))
    .orderBy(asc(communityRepresentatives.termStart), asc(communityRepresentatives.id));
}
