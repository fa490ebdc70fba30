/** Posting a comment on a matter, or a reply in one of its threads. */
import { and, eq, sql } from "drizzle-orm";
import { comments } from "../../../../db/schema";
import { can, type MatterResource } from "../../accounts/permissions";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { COMMENT_STATES } from "../states";
import { matterResource, requireVisibleMatter } from "../transition.server";
import { requireActor } from "./access.server";
import { PostCommentSchema } from "./schemas";

/**
 * A verified resident (or staff) comments with a stance while the matter is open. Threads are two
 * levels: a reply joins the thread of the comment it answers, and a reply to a reply keeps that
 * thread and names whom it answers. Emits `comment.posted` after commit.
 */
export async function postComment(ctx: CommandContext, matterId: number, input: unknown) {
  const actor = requireActor(ctx.actor);
  const v = PostCommentSchema.parse(input);
  const f = await requireVisibleMatter(ctx, matterId);
  const matter = matterResource(f.m, f.path) as MatterResource;
  if (!can(actor, "comment.post", matter)) {
    if (!COMMENT_STATES.includes(matter.state)) throw new DomainError("invalid_state", "comments.errors.closed");
    throw new DomainError("forbidden", "comments.errors.notResident");
  }
  return inTransaction(ctx, async (tx, emit) => {
    let threadId: number | null = null;
    if (v.replyTo) {
      const [parent] = await tx
        .select({ id: comments.id, threadId: comments.threadId, status: comments.status })
        .from(comments)
        .where(and(eq(comments.id, v.replyTo), eq(comments.matterId, matterId)));
      if (!parent || parent.status !== "visible") throw new DomainError("validation", "comments.errors.replyTo", {}, "body");
      threadId = parent.threadId ?? parent.id;
      await tx
        .update(comments)
        .set({ replyCount: sql`${comments.replyCount} + 1` })
        .where(eq(comments.id, threadId));
    }
    const [row] = await tx
      .insert(comments)
      .values({ matterId, authorId: actor.id, stance: v.stance, body: v.body, threadId, replyToId: v.replyTo ?? null, createdAt: ctx.clock.now() })
      .returning({ id: comments.id });
    emit({ type: "comment.posted", matterId, commentId: row.id, threadId });
    return { id: row.id, threadId };
  });
}
