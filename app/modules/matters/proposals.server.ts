/** A resident's proposal (提议): the private draft and its edits. Submitting it is a lifecycle command (review.server.ts). */
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { areas, matters } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { requireCategory } from "./catalogue.server";
import type { MatterDraftSchema } from "./schemas";
import { lockVisible, matterResource } from "./transition.server";

/** A verified resident (or the committee) writes a private draft. */
export async function createDraft(ctx: CommandContext, communityId: number, input: z.output<typeof MatterDraftSchema>) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, communityId));
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "matter.propose", { type: "area", id: area.id, path: area.path, kind: area.kind })) {
    throw new DomainError("forbidden", "matters.errors.notVerified");
  }
  await requireCategory(ctx.db, area.path, input.categoryId);
  const actorId = ctx.actor.id;
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [m] = await tx
      .insert(matters)
      .values({ ...input, communityId, proposerId: actorId, state: "draft", createdAt: now, updatedAt: now })
      .returning({ id: matters.id });
    await appendLedger(tx, { stream: `area:${communityId}`, actorId, action: "matter.drafted", entityType: "matter", entityId: m.id, summary: {}, at: now });
    return m;
  });
}

/** Only the proposer edits, and only while it is a draft. */
export async function updateDraft(ctx: CommandContext, matterId: number, input: z.output<typeof MatterDraftSchema>) {
  return inTransaction(ctx, async (tx) => {
    const l = await lockVisible(tx, ctx, matterId);
    if (!can(ctx.actor, "matter.edit", matterResource(l.m, l.path))) throw new DomainError("invalid_state", "matters.errors.wrongState");
    await requireCategory(tx, l.path, input.categoryId);
    await tx
      .update(matters)
      .set({ ...input, updatedAt: ctx.clock.now() })
      .where(eq(matters.id, matterId));
    return { id: matterId };
  });
}
