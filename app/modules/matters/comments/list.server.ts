/** Reading the comments of a matter: the stance balance, a page of threads, or one whole thread. */
import { sql, type SQL } from "drizzle-orm";
import { rowsOf } from "../../../../db/client";
import { can, type MatterResource } from "../../accounts/permissions";
import type { CommandContext } from "../../shared/context";
import { COMMENT_STATES } from "../states";
import { matterResource, requireVisibleMatter } from "../transition.server";
import { COMMENT_STANCES, REPLIES_PER_PAGE, REPLIES_SHOWN, THREADS_PER_PAGE, type CommentPageQuery, type CommentStance } from "./schemas";
import { EDIT_WINDOW_MS } from "./edit.server";

export interface CommentView {
  id: number;
  threadId: number | null;
  /** whom a reply to a reply answers (null for a top-level comment or a direct reply) */
  replyingTo: { id: number; name: string } | null;
  authorId: number;
  authorName: string;
  stance: CommentStance;
  /** null when the comment is not shown (pending review or hidden) to this reader */
  body: string | null;
  status: "visible" | "pending" | "hidden";
  hiddenReason: string | null;
  agree: number;
  disagree: number;
  replyCount: number;
  answered: boolean;
  createdAt: string;
  editedAt: string | null;
  mine: "agree" | "disagree" | null;
  /** what this reader may do with it */
  may: { edit: boolean; react: boolean; answer: boolean; report: boolean; appeal: boolean };
}
export interface ThreadView extends CommentView {
  replies: CommentView[];
}

interface Row {
  id: number;
  thread_id: number | null;
  reply_to_id: number | null;
  reply_to_name: string | null;
  author_id: number;
  author_name: string;
  stance: CommentStance;
  body: string;
  status: "visible" | "pending" | "hidden";
  hidden_reason: string | null;
  agree_count: number;
  disagree_count: number;
  reply_count: number;
  answered_at: Date | string | null;
  created_at: Date | string;
  edited_at: Date | string | null;
  mine: "agree" | "disagree" | null;
  appealable: boolean;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * The comment part of a matter's page, in a fixed handful of indexed reads whatever the size of
 * the discussion: the balance of stances, one page of top-level comments in the chosen order, and
 * the first few replies of each (a lateral read per thread) — or, with `thread`, one thread with
 * its replies a page at a time.
 */
export async function listComments(ctx: CommandContext, matterId: number, q: CommentPageQuery) {
  const f = await requireVisibleMatter(ctx, matterId);
  const matter = matterResource(f.m, f.path) as MatterResource;
  const actor = ctx.actor;
  const me = actor?.id ?? 0;
  const canPost = can(actor, "comment.post", matter);
  const open = COMMENT_STATES.includes(matter.state);
  const now = ctx.clock.now().getTime();

  const balanceRows = rowsOf<{ stance: CommentStance; n: number }>(
    await ctx.db.execute(sql`select stance, count(*)::int as n from comments where matter_id = ${matterId}::int and status = 'visible' group by stance`),
  );
  const balance = Object.fromEntries(COMMENT_STANCES.map((s) => [s, 0])) as Record<CommentStance, number>;
  for (const r of balanceRows) balance[r.stance] = Number(r.n);
  const total = COMMENT_STANCES.reduce((a, s) => a + balance[s], 0);

  const cols = sql`c.id, c.thread_id, c.reply_to_id, c.author_id, u.display_name as author_name, c.stance, c.body, c.status, c.agree_count, c.disagree_count,
    c.reply_count, c.answered_at, c.created_at, c.edited_at, (select value from comment_reactions r where r.comment_id = c.id and r.user_id = ${me}::int) as mine,
    ${hiddenReason()} as hidden_reason,
    (c.status = 'hidden' and c.author_id = ${me}::int and exists (select 1 from moderation_cases k where k.target_type = 'comment' and k.target_id = c.id and k.appeal_status is null)) as appealable`;

  const view = (r: Row): CommentView => {
    const resource = { type: "comment" as const, id: r.id, authorId: r.author_id, status: r.status, matter };
    const shown = r.status === "visible" || r.author_id === me;
    return {
      id: r.id,
      threadId: r.thread_id,
      replyingTo: r.reply_to_id && r.reply_to_id !== r.thread_id ? { id: r.reply_to_id, name: r.reply_to_name ?? "" } : null,
      authorId: r.author_id,
      authorName: r.author_name,
      stance: r.stance,
      body: shown ? r.body : null,
      status: r.status,
      hiddenReason: r.status === "hidden" ? r.hidden_reason : null,
      agree: Number(r.agree_count),
      disagree: Number(r.disagree_count),
      replyCount: Number(r.reply_count),
      answered: !!r.answered_at,
      createdAt: iso(r.created_at),
      editedAt: r.edited_at ? iso(r.edited_at) : null,
      mine: r.mine,
      may: {
        edit: can(actor, "comment.edit", resource) && now - new Date(r.created_at).getTime() <= EDIT_WINDOW_MS,
        react: can(actor, "comment.react", resource),
        answer: can(actor, "comment.markAnswered", resource),
        report: r.status === "visible" && can(actor, "comment.report", resource),
        appeal: r.status === "hidden" && r.appealable && can(actor, "comment.appeal", resource),
      },
    };
  };

  const repliesOf = async (ids: number[], limit: number, offset = 0) => {
    if (!ids.length) return [];
    return rowsOf<Row>(
      await ctx.db.execute(sql`
        select x.* from unnest(${`{${ids.join(",")}}`}::int[]) as t(id)
        cross join lateral (
          select ${cols}, ru.display_name as reply_to_name
          from comments c join users u on u.id = c.author_id
          left join comments rc on rc.id = c.reply_to_id left join users ru on ru.id = rc.author_id
          where c.thread_id = t.id order by c.created_at, c.id limit ${limit}::int offset ${offset}::int
        ) x`),
    );
  };

  const base = { matterId, title: f.m.title, state: matter.state, open, canPost, signedIn: !!actor, balance, total, sort: q.sort, stance: q.stance ?? null };

  if (q.thread) {
    const [root] = rowsOf<Row>(
      await ctx.db.execute(sql`select ${cols}, null as reply_to_name from comments c join users u on u.id = c.author_id
        where c.id = ${q.thread}::int and c.matter_id = ${matterId}::int and c.thread_id is null`),
    );
    if (!root) return { ...base, threads: [], page: 1, pages: 1, threadCount: 0, thread: null };
    const pages = Math.max(1, Math.ceil(Number(root.reply_count) / REPLIES_PER_PAGE));
    const page = Math.min(q.page, pages);
    const replies = await repliesOf([root.id], REPLIES_PER_PAGE, (page - 1) * REPLIES_PER_PAGE);
    const thread: ThreadView = { ...view(root), replies: replies.map(view) };
    return { ...base, threads: [thread], page, pages, threadCount: 1, thread: root.id };
  }

  const where: SQL = q.stance
    ? sql`c.matter_id = ${matterId}::int and c.thread_id is null and c.stance = ${q.stance}::comment_stance`
    : sql`c.matter_id = ${matterId}::int and c.thread_id is null`;
  const order = {
    newest: sql`c.created_at desc, c.id desc`,
    oldest: sql`c.created_at, c.id`,
    agreed: sql`c.agree_count desc, c.id desc`,
    stance: sql`c.stance, c.created_at desc, c.id desc`,
  }[q.sort];
  const [{ n }] = rowsOf<{ n: number }>(await ctx.db.execute(sql`select count(*)::int as n from comments c where ${where}`));
  const threadCount = Number(n);
  const pages = Math.max(1, Math.ceil(threadCount / THREADS_PER_PAGE));
  const page = Math.min(q.page, pages);
  const roots = rowsOf<Row>(
    await ctx.db.execute(sql`select ${cols}, null as reply_to_name from comments c join users u on u.id = c.author_id
      where ${where} order by ${order} limit ${THREADS_PER_PAGE}::int offset ${(page - 1) * THREADS_PER_PAGE}::int`),
  );
  const replies = await repliesOf(
    roots.filter((r) => Number(r.reply_count) > 0).map((r) => r.id),
    REPLIES_SHOWN,
  );
  const byThread = new Map<number, CommentView[]>();
  for (const r of replies) byThread.set(r.thread_id!, [...(byThread.get(r.thread_id!) ?? []), view(r)]);
  const threads: ThreadView[] = roots.map((r) => ({ ...view(r), replies: byThread.get(r.id) ?? [] }));
  return { ...base, threads, page, pages, threadCount, thread: null };
}
export type CommentPage = Awaited<ReturnType<typeof listComments>>;

/** The committee's public reason, shown in place of a comment it hid. */
function hiddenReason() {
  return sql`(case when c.status = 'hidden' then (select k.public_reason from moderation_cases k where k.target_type = 'comment' and k.target_id = c.id) end)`;
}

/**
 * What the matter's own page shows of its discussion: the balance of stances and the three newest
 * comments that are not hidden, in two reads. The caller has already checked the matter is visible.
 */
export async function getCommentSummary(ctx: CommandContext, matterId: number) {
  const f = await requireVisibleMatter(ctx, matterId);
  const matter = matterResource(f.m, f.path) as MatterResource;
  const rows = rowsOf<{ stance: CommentStance; n: number }>(
    await ctx.db.execute(sql`select stance, count(*)::int as n from comments where matter_id = ${matterId}::int and status = 'visible' group by stance`),
  );
  const balance = Object.fromEntries(COMMENT_STANCES.map((s) => [s, 0])) as Record<CommentStance, number>;
  for (const r of rows) balance[r.stance] = Number(r.n);
  const latest = rowsOf<{ id: number; author_name: string; stance: CommentStance; body: string; created_at: Date | string }>(
    await ctx.db.execute(sql`select c.id, u.display_name as author_name, c.stance, c.body, c.created_at from comments c join users u on u.id = c.author_id
      where c.matter_id = ${matterId}::int and c.status = 'visible' order by c.created_at desc, c.id desc limit 3`),
  ).map((r) => ({ id: r.id, authorName: r.author_name, stance: r.stance, body: r.body.length > 140 ? `${r.body.slice(0, 140)}…` : r.body, createdAt: iso(r.created_at) }));
  return {
    balance,
    total: COMMENT_STANCES.reduce((a, s) => a + balance[s], 0),
    latest,
    canPost: can(ctx.actor, "comment.post", matter),
    open: COMMENT_STATES.includes(matter.state),
  };
}
export type CommentSummary = Awaited<ReturnType<typeof getCommentSummary>>;
