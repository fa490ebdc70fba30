/** The author's one appeal to the town against a hidden comment, and the town's answer. */
import { and, eq } from "drizzle-orm";
import { areas, comments, moderationCases, roleGrants } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { notify } from "../../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { loadComment, requireActor } from "./access.server";
import { AppealSchema, DecideAppealSchema } from "./schemas";

async function lockCase(tx: Parameters<Parameters<typeof inTransaction>[1]>[0], commentId: number) {
  const [kase] = await tx.select().from(moderationCases).where(and(eq(moderationCases.targetType, "comment"), eq(moderationCases.targetId, commentId))).for("update");
  return kase?.targetType === "comment" ? kase : null;
}

/**
 * The author of a comment the committee hid appeals once, in writing, to the town; the town admins
 * over the community are told. Ledger `comment.appealed`.
 */
export async function appealHiddenComment(ctx: CommandContext, input: unknown) {
  const actor = requireActor(ctx.actor);
  const v = AppealSchema.parse(input);
  return inTransaction(ctx, async (tx, emit) => {
    const l = await loadComment(tx, actor, v.commentId, true);
    if (!can(actor, "comment.appeal", l.resource)) throw new DomainError("forbidden", "comments.errors.notYours");
    const kase = await lockCase(tx, l.c.id);
    if (!kase || kase.status !== "hidden") throw new DomainError("invalid_state", "comments.errors.notHidden");
    if (kase.appealStatus) throw new DomainError("invalid_state", "comments.errors.appealedOnce");
    const now = ctx.clock.now();
    await tx.update(moderationCases).set({ appealText: v.text, appealedAt: now, appealStatus: "pending" }).where(eq(moderationCases.id, kase.id));
    await appendLedger(tx, { stream: `area:${l.communityId}`, actorId: actor.id, action: "comment.appealed", entityType: "comment", entityId: l.c.id, summary: { text: v.text }, at: now });
    // the town admins whose area holds the community (a town admin's grant is on the town)
    const [community] = await tx.select({ parentId: areas.parentId }).from(areas).where(eq(areas.id, l.communityId));
    const town = community?.parentId
      ? (await tx.select({ userId: roleGrants.userId, role: roleGrants.role }).from(roleGrants).where(eq(roleGrants.areaId, community.parentId))).filter((g) => g.role === "town_admin").map((g) => g.userId)
      : [];
    await notify(tx, emit, town, { kind: "notify.comment.appealed", params: { title: l.matterTitle }, link: `/communities/${l.communityId}/moderation`, at: now });
    return { appealed: true };
  });
}

/**
 * The town (an admin over the community) upholds the committee or overturns it, with a public
 * reason; overturned, the comment is shown again. The author is told; ledger `comment.appeal_upheld`
 * / `comment.appeal_overturned`.
 */
export async function decideAppeal(ctx: CommandContext, input: unknown) {
  const actor = requireActor(ctx.actor);
  const v = DecideAppealSchema.parse(input);
  return inTransaction(ctx, async (tx, emit) => {
    const l = await loadComment(tx, actor, v.commentId, true);
    if (!can(actor, "comment.decideAppeal", l.resource)) throw new DomainError("forbidden", "comments.errors.appealWho");
    const kase = await lockCase(tx, l.c.id);
    if (!kase || kase.appealStatus !== "pending") throw new DomainError("invalid_state", "comments.errors.noAppeal");
    const now = ctx.clock.now();
    const status = v.decision === "uphold" ? "upheld" : "overturned";
    await tx.update(moderationCases).set({ appealStatus: status, appealReason: v.reason, appealDecidedBy: actor.id, appealDecidedAt: now }).where(eq(moderationCases.id, kase.id));
    if (status === "overturned") await tx.update(comments).set({ status: "visible" }).where(eq(comments.id, l.c.id));
    await appendLedger(tx, {
      stream: `area:${l.communityId}`,
      actorId: actor.id,
      action: `comment.appeal_${status}`,
      entityType: "comment",
      entityId: l.c.id,
      summary: { reason: v.reason },
      at: now,
    });
    await notify(tx, emit, [l.c.authorId], {
      kind: status === "upheld" ? "notify.comment.appealUpheld" : "notify.comment.appealOverturned",
      params: { title: l.matterTitle, reason: v.reason },
      link: `/matters/${l.c.matterId}/comments?thread=${l.c.threadId ?? l.c.id}#comment-${l.c.id}`,
      at: now,
    });
    return { status };
  });
}
