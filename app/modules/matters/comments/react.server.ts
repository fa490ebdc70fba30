/** Agreeing or disagreeing with a comment. */
import { and, eq, sql } from "drizzle-orm";
import { commentReactions, comments } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { loadComment, requireActor } from "./access.server";
import { ReactCommentSchema } from "./schemas";

/**
 * One mark per person and comment: marking with the other value changes it, the same value again
 * takes it back. The counters on the comment change in the same transaction, under its row lock.
 */
export async function reactToComment(ctx: CommandContext, input: unknown) {
  const actor = requireActor(ctx.actor);
  const v = ReactCommentSchema.parse(input);
  return inTransaction(ctx, async (tx) => {
    const l = await loadComment(tx, actor, v.commentId, true);
    if (!can(actor, "comment.react", l.resource)) {
      if (l.c.authorId === actor.id) throw new DomainError("forbidden", "comments.errors.ownComment");
      throw new DomainError("forbidden", "comments.errors.notResident");
    }
    const key = and(eq(commentReactions.commentId, l.c.id), eq(commentReactions.userId, actor.id));
    const [before] = await tx.select({ value: commentReactions.value }).from(commentReactions).where(key);
    let mine: "agree" | "disagree" | null = v.value;
    if (!before) await tx.insert(commentReactions).values({ commentId: l.c.id, userId: actor.id, value: v.value, createdAt: ctx.clock.now() });
    else if (before.value === v.value) {
      await tx.delete(commentReactions).where(key);
      mine = null;
    } else await tx.update(commentReactions).set({ value: v.value, createdAt: ctx.clock.now() }).where(key);
    const delta = (value: "agree" | "disagree") => (mine === value ? 1 : 0) - (before?.value === value ? 1 : 0);
    const [counts] = await tx
      .update(comments)
      .set({ agreeCount: sql`${comments.agreeCount} + ${delta("agree")}::int`, disagreeCount: sql`${comments.disagreeCount} + ${delta("disagree")}::int` })
      .where(eq(comments.id, l.c.id))
      .returning({ agree: comments.agreeCount, disagree: comments.disagreeCount });
    return { mine, ...counts };
  });
}
