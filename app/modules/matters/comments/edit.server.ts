/** Editing one's own comment, for a short while after posting. */
import { eq } from "drizzle-orm";
import { commentRevisions, comments } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { loadComment, requireActor } from "./access.server";
import { EditCommentSchema } from "./schemas";

/** How long after posting the author may still change the words. */
export const EDIT_WINDOW_MS = 10 * 60_000;

/**
 * The author changes their words (and stance) within 10 minutes of posting; the words they replace
 * are kept in `comment_revisions`, and the comment shows that it was edited.
 */
export async function editComment(ctx: CommandContext, input: unknown) {
  const actor = requireActor(ctx.actor);
  const v = EditCommentSchema.parse(input);
  return inTransaction(ctx, async (tx) => {
    const l = await loadComment(tx, actor, v.commentId, true);
    if (!can(actor, "comment.edit", l.resource)) throw new DomainError("forbidden", "comments.errors.notYours");
    const now = ctx.clock.now();
    if (now.getTime() - l.c.createdAt.getTime() > EDIT_WINDOW_MS) throw new DomainError("invalid_state", "comments.errors.editWindow", { minutes: EDIT_WINDOW_MS / 60_000 });
    if (l.c.body === v.body && l.c.stance === v.stance) return { changed: false };
    await tx.insert(commentRevisions).values({ commentId: l.c.id, stance: l.c.stance, body: l.c.body, replacedAt: now });
    await tx.update(comments).set({ body: v.body, stance: v.stance, editedAt: now }).where(eq(comments.id, l.c.id));
    return { changed: true };
  });
}
