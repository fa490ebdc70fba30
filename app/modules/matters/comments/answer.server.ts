/** Marking a comment as answered (or not). */
import { eq } from "drizzle-orm";
import { comments } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { notify } from "../../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { loadComment, requireActor } from "./access.server";
import { MarkAnsweredSchema } from "./schemas";

/**
 * The matter's proposer or its committee marks a comment answered (a question met, a point taken
 * up) or takes the mark back; the ledger records it and the author is told of a new mark.
 */
export async function markAnswered(ctx: CommandContext, input: unknown) {
  const actor = requireActor(ctx.actor);
  const v = MarkAnsweredSchema.parse(input);
  return inTransaction(ctx, async (tx, emit) => {
    const l = await loadComment(tx, actor, v.commentId, true);
    if (!can(actor, "comment.markAnswered", l.resource)) throw new DomainError("forbidden", "comments.errors.answerWho");
    if (!!l.c.answeredAt === v.answered) return { changed: false };
    const now = ctx.clock.now();
    await tx
      .update(comments)
      .set(v.answered ? { answeredAt: now, answeredBy: actor.id } : { answeredAt: null, answeredBy: null })
      .where(eq(comments.id, l.c.id));
    await appendLedger(tx, {
      stream: `area:${l.communityId}`,
      actorId: actor.id,
      action: v.answered ? "comment.answered" : "comment.unanswered",
      entityType: "comment",
      entityId: l.c.id,
      summary: { matterId: l.c.matterId },
      at: now,
    });
    if (v.answered && l.c.authorId !== actor.id) {
      await notify(tx, emit, [l.c.authorId], {
        kind: "notify.comment.answered",
        params: { title: l.matterTitle },
        link: `/matters/${l.c.matterId}/comments#comment-${l.c.id}`,
        at: now,
      });
    }
    return { changed: true };
  });
}
