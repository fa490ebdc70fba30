/** The committee's review of a reported comment. */
import { and, eq } from "drizzle-orm";
import { comments, moderationCases } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { notify } from "../../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { loadComment, requireActor } from "./access.server";
import { DecideReportSchema } from "./schemas";

/**
 * The committee of the matter's community keeps or hides a reported comment, with a public reason
 * (a hidden comment shows it in its place). Once per case: a decision stands until the town answers
 * an appeal. The author is told; ledger `comment.kept` / `comment.hidden`. Nothing is deleted.
 */
export async function decideReport(ctx: CommandContext, input: unknown) {
  const actor = requireActor(ctx.actor);
  const v = DecideReportSchema.parse(input);
  return inTransaction(ctx, async (tx, emit) => {
    const l = await loadComment(tx, actor, v.commentId, true);
    if (!can(actor, "comment.moderate", l.resource)) throw new DomainError("forbidden", "comments.errors.moderateWho");
    // the comment's own case: once other things can be reported, another target may share its id
    const [kase] = await tx.select().from(moderationCases).where(and(eq(moderationCases.targetType, "comment"), eq(moderationCases.targetId, l.c.id))).for("update");
    if (!kase || kase.targetType !== "comment") throw new DomainError("invalid_state", "comments.errors.notReported");
    if (kase.status === "kept" || kase.status === "hidden") throw new DomainError("invalid_state", "comments.errors.alreadyDecided");
    const now = ctx.clock.now();
    const status = v.decision === "keep" ? "kept" : "hidden";
    await tx.update(moderationCases).set({ status, decidedBy: actor.id, decidedAt: now, publicReason: v.reason }).where(eq(moderationCases.id, kase.id));
    await tx.update(comments).set({ status: v.decision === "keep" ? "visible" : "hidden" }).where(eq(comments.id, l.c.id));
    await appendLedger(tx, {
      stream: `area:${l.communityId}`,
      actorId: actor.id,
      action: `comment.${status}`,
      entityType: "comment",
      entityId: l.c.id,
      summary: { before: { status: l.c.status }, after: { status: v.decision === "keep" ? "visible" : "hidden" }, reason: v.reason, reports: kase.reportCount },
      at: now,
    });
    await notify(tx, emit, [l.c.authorId], {
      kind: v.decision === "keep" ? "notify.comment.kept" : "notify.comment.hidden",
      params: { title: l.matterTitle, reason: v.reason },
      link: `/matters/${l.c.matterId}/comments?thread=${l.c.threadId ?? l.c.id}#comment-${l.c.id}`,
      at: now,
    });
    return { status };
  });
}
