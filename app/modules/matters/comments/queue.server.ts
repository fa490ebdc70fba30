/** The moderation queue of a community: reports for its committee, appeals for the town above it. */
import { sql } from "drizzle-orm";
import { eq } from "drizzle-orm";
import { rowsOf } from "../../../../db/client";
import { areas } from "../../../../db/schema";
import { can, type Resource } from "../../accounts/permissions";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import type { ReportReason } from "./schemas";

export interface QueueItem {
  commentId: number;
  matterId: number;
  matterTitle: string;
  threadId: number | null;
  authorName: string;
  body: string;
  status: "open" | "pending" | "kept" | "hidden";
  reportCount: number;
  reasons: Partial<Record<ReportReason, number>>;
  openedAt: string;
  publicReason: string | null;
  appealText: string | null;
}

/**
 * What waits for a decision in one community, oldest first: reported comments (held ones first) for
 * the committee (`comment.moderate`), and appeals against hidden ones for the town's admins
 * (`comment.decideAppeal`). Anyone else is refused; staff see the reported words, nobody else does.
 */
export async function listModerationQueue(ctx: CommandContext, areaId: number) {
  const [area] = await ctx.db.select({ id: areas.id, path: areas.path, kind: areas.kind, name: areas.name }).from(areas).where(eq(areas.id, areaId));
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.notFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const resource: Resource = { type: "area", id: area.id, path: area.path, kind: area.kind };
  const moderate = can(ctx.actor, "comment.moderate", resource);
  const appeals = can(ctx.actor, "comment.decideAppeal", resource);
  if (!moderate && !appeals) throw new DomainError("forbidden", "errors.forbidden");
  const read = async (where: ReturnType<typeof sql>) =>
    rowsOf<{
      comment_id: number;
      matter_id: number;
      title: string;
      thread_id: number | null;
      author_name: string;
      body: string;
      status: QueueItem["status"];
      report_count: number;
      reasons: Partial<Record<ReportReason, number>> | null;
      opened_at: Date | string;
      public_reason: string | null;
      appeal_text: string | null;
    }>(
      await ctx.db.execute(sql`
        select k.target_id as comment_id, k.matter_id, m.title, c.thread_id, u.display_name as author_name, c.body, k.status, k.report_count,
          (select jsonb_object_agg(reason, n) from (select reason, count(*)::int as n from content_reports r where r.target_type = k.target_type and r.target_id = k.target_id group by reason) x) as reasons,
          k.opened_at, k.public_reason, k.appeal_text
        from moderation_cases k join comments c on k.target_type = 'comment' and c.id = k.target_id join matters m on m.id = k.matter_id join users u on u.id = k.author_id
        where k.community_id = ${areaId}::int and ${where}
        order by (k.status = 'pending') desc, k.opened_at, k.id limit 200`),
    ).map(
      (r): QueueItem => ({
        commentId: r.comment_id,
        matterId: r.matter_id,
        matterTitle: r.title,
        threadId: r.thread_id,
        authorName: r.author_name,
        body: r.body,
        status: r.status,
        reportCount: Number(r.report_count),
        reasons: r.reasons ?? {},
        openedAt: new Date(r.opened_at).toISOString(),
        publicReason: r.public_reason,
        appealText: r.appeal_text,
      }),
    );
  return {
    area: { id: area.id, name: area.name },
    moderate,
    appeals,
    reports: moderate ? await read(sql`k.status in ('open', 'pending')`) : [],
    pendingAppeals: appeals ? await read(sql`k.appeal_status = 'pending'`) : [],
  };
}
