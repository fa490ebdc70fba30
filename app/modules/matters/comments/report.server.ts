/** Reporting a comment; enough reports hide it until the committee reviews it. */
import { and, eq, sql } from "drizzle-orm";
import { comments, contentReports, moderationCases } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { notify } from "../../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { committeeOf } from "../transition.server";
import { loadComment, requireActor } from "./access.server";
import { ReportCommentSchema } from "./schemas";

/** Reports that hide a comment pending review, unless REPORT_THRESHOLD says otherwise (at least 1). */
export function reportThreshold(env: Record<string, string | undefined> = {}) {
  const n = Number(env.REPORT_THRESHOLD ?? 3);
  return Number.isInteger(n) && n >= 1 ? n : 3;
}

/**
 * Any signed-in reader reports someone else's comment once, with a reason. The reports gather in
 * the comment's moderation case; the one that reaches the threshold hides the comment pending the
 * committee's review (a comment the committee already kept stays shown). Ledger: `comment.reported`,
 * and `comment.held` when it is hidden; the committee is told then.
 */
export async function reportComment(ctx: CommandContext, input: unknown) {
  const actor = requireActor(ctx.actor);
  const v = ReportCommentSchema.parse(input);
  const threshold = ctx.settings?.reportThreshold ?? reportThreshold();
  return inTransaction(ctx, async (tx, emit) => {
    const l = await loadComment(tx, actor, v.commentId, true);
    if (!can(actor, "comment.report", l.resource)) throw new DomainError("forbidden", "comments.errors.reportOwn");
    const now = ctx.clock.now();
    const added = await tx
      .insert(contentReports)
      .values({ targetType: "comment", targetId: l.c.id, reporterId: actor.id, reason: v.reason, note: v.note ?? null, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: contentReports.id });
    if (!added.length) throw new DomainError("conflict", "comments.errors.alreadyReported");
    const [kase] = await tx
      .insert(moderationCases)
      .values({ targetType: "comment", targetId: l.c.id, communityId: l.communityId, matterId: l.c.matterId, authorId: l.c.authorId, reportCount: 1, openedAt: now })
      .onConflictDoUpdate({ target: [moderationCases.targetType, moderationCases.targetId], set: { reportCount: sql`${moderationCases.reportCount} + 1` } })
      .returning();
    const stream = `area:${l.communityId}`;
    await appendLedger(tx, { stream, actorId: actor.id, action: "comment.reported", entityType: "comment", entityId: l.c.id, summary: { reason: v.reason, reports: kase.reportCount }, at: now });
    const held = kase.status === "open" && kase.reportCount >= threshold;
    if (held) {
      await tx.update(moderationCases).set({ status: "pending" }).where(eq(moderationCases.id, kase.id));
      await tx.update(comments).set({ status: "pending" }).where(and(eq(comments.id, l.c.id), eq(comments.status, "visible")));
      await appendLedger(tx, { stream, actorId: null, action: "comment.held", entityType: "comment", entityId: l.c.id, summary: { reports: kase.reportCount, threshold }, at: now });
      await notify(tx, emit, await committeeOf(tx, l.communityId), {
        kind: "notify.comment.held",
        params: { title: l.matterTitle },
        link: `/communities/${l.communityId}/moderation`,
        at: now,
      });
    }
    return { reports: kase.reportCount, held };
  });
}
