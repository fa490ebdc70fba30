/** Support for a matter: co-signing (联名) and following it. */
import { and, eq, sql } from "drizzle-orm";
import { cosigns, follows, matters } from "../../../db/schema";
import type { Actor } from "../accounts/actor";
import { can } from "../accounts/permissions";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { COSIGN_STATES } from "./states";
import { lockVisible, matterResource, maybeReachThreshold, type Locked } from "./transition.server";

/**
 * A verified resident co-signs once, while collecting or under review (support keeps counting);
 * at the threshold the matter goes to review, exactly once, under the matter's row lock.
 */
export async function cosignMatter(ctx: CommandContext, matterId: number) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return inTransaction(ctx, async (tx, emit) => {
    const l = await lockVisible(tx, ctx, matterId);
    if (!can(actor, "matter.cosign", matterResource(l.m, l.path))) throw cosignRefusal(actor, l);
    const added = await tx.insert(cosigns).values({ matterId, userId: actor.id, createdAt: ctx.clock.now() }).onConflictDoNothing().returning({ u: cosigns.userId });
    if (added.length) {
      const [u] = await tx
        .update(matters)
        .set({ cosignCount: sql`${matters.cosignCount} + 1` })
        .where(eq(matters.id, matterId))
        .returning({ n: matters.cosignCount });
      l.m = { ...l.m, cosignCount: u.n };
      await tx.insert(follows).values({ matterId, userId: actor.id, createdAt: ctx.clock.now() }).onConflictDoNothing();
      await maybeReachThreshold(tx, emit, ctx, l);
    }
    return { added: added.length > 0, count: l.m.cosignCount, state: l.m.state };
  });
}

function cosignRefusal(actor: Actor, l: Locked) {
  if (!COSIGN_STATES.includes(l.m.state)) return new DomainError("invalid_state", "matters.errors.notCollecting");
  if (actor.id === l.m.proposerId) return new DomainError("invalid_state", "matters.errors.ownMatter");
  return new DomainError("forbidden", "matters.errors.notVerified");
}

/** A co-signer may withdraw while the matter is still collecting. */
export async function withdrawCosign(ctx: CommandContext, matterId: number) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return inTransaction(ctx, async (tx) => {
    const l = await lockVisible(tx, ctx, matterId);
    if (l.m.state !== "collecting") throw new DomainError("invalid_state", "matters.errors.notCollecting");
    const gone = await tx
      .delete(cosigns)
      .where(and(eq(cosigns.matterId, matterId), eq(cosigns.userId, actor.id)))
      .returning({ u: cosigns.userId });
    if (gone.length) await tx.update(matters).set({ cosignCount: sql`${matters.cosignCount} - 1` }).where(eq(matters.id, matterId));
    return { removed: gone.length > 0 };
  });
}

export async function setFollow(ctx: CommandContext, matterId: number, follow: boolean) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const l = await lockVisible(ctx.db, ctx, matterId);
  if (!can(actor, "matter.follow", matterResource(l.m, l.path))) throw new DomainError("forbidden", "errors.forbidden");
  if (follow) await ctx.db.insert(follows).values({ matterId, userId: actor.id, createdAt: ctx.clock.now() }).onConflictDoNothing();
  else await ctx.db.delete(follows).where(and(eq(follows.matterId, matterId), eq(follows.userId, actor.id)));
  return { following: follow };
}
