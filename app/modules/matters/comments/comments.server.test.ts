import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { commentRevisions, comments, ledgerEntries, matters, notifications } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, join, makeTree, makeUser, outcomeOf } from "../../../../tests/support/factories";
import { makeMatter } from "../../../../tests/support/room";
import type { Actor } from "../../accounts/actor";
import { markAnswered } from "./answer.server";
import { EDIT_WINDOW_MS, editComment } from "./edit.server";
import { listComments } from "./list.server";
import { postComment } from "./post.server";
import { reactToComment } from "./react.server";
import { CommentPageSchema, REPLIES_SHOWN, THREADS_PER_PAGE } from "./schemas";

let database: Database;
let matterId: number;
let collectingId: number;
let completedId: number;
const a: Record<"proposer" | "committee" | "r1" | "r2" | "pending" | "outsider" | "stranger", Actor> = {} as never;
const { clock } = context(null as never, null);
const as = (actor: Actor | null) => context(database.db, actor, clock);
const page = (q: Record<string, string> = {}) => CommentPageSchema.parse(q);

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const tree = await makeTree(db);
  const u = async (name: string) => (await makeUser(db, { name })).id;
  const ids = { proposer: await u("提议人"), committee: await u("委员"), r1: await u("张三"), r2: await u("李四"), pending: await u("待审"), outsider: await u("外人"), stranger: await u("路人") };
  await grant(db, ids.committee, "committee", tree.a1.id);
  for (const k of ["proposer", "r1", "r2"] as const) await join(db, ids[k], tree.a1.id);
  await join(db, ids.pending, tree.a1.id, "pending");
  await join(db, ids.outsider, tree.b1.id);
  for (const k of Object.keys(ids) as (keyof typeof ids)[]) a[k] = await actorOf(db, ids[k]);
  matterId = (await makeMatter(db, tree.a1.id, ids.proposer, tree.county.id)).id;
  collectingId = (await makeMatter(db, tree.a1.id, ids.proposer, tree.county.id)).id;
  await db.update(matters).set({ state: "collecting" }).where(eq(matters.id, collectingId));
  completedId = (await makeMatter(db, tree.a1.id, ids.proposer, tree.county.id)).id;
  await db.update(matters).set({ state: "completed" }).where(eq(matters.id, completedId));
});
afterAll(() => database.close());

describe("comments on a matter", () => {
  it("verified residents and staff comment with a stance; others are refused with a reason, and nothing is stored", async () => {
    const { ctx, events } = as(a.r1);
    const { id } = await postComment(ctx, matterId, { stance: "support", body: "支持改造，雨天太难走了。" });
    expect(events).toContainEqual({ type: "comment.posted", matterId, commentId: id, threadId: null });
    expect((await postComment(as(a.committee).ctx, matterId, { stance: "neutral", body: "居委会会尽快公布方案。" })).id).toBeGreaterThan(id);
    expect(await outcomeOf(postComment(as(a.pending).ctx, matterId, { stance: "oppose", body: "不行" }))).toBe("comments.errors.notResident");
    expect(await outcomeOf(postComment(as(a.outsider).ctx, matterId, { stance: "oppose", body: "不行" }))).toBe("comments.errors.notResident");
    expect(await outcomeOf(postComment(as(null).ctx, matterId, { stance: "oppose", body: "不行" }))).toBe("errors.unauthenticated");
    expect(await outcomeOf(postComment(as(a.r1).ctx, completedId, { stance: "oppose", body: "晚了" }))).toBe("comments.errors.closed");
    // a matter still collecting is the community's own: an outsider cannot even find it
    expect(await outcomeOf(postComment(as(a.outsider).ctx, collectingId, { stance: "oppose", body: "不行" }))).toBe("errors.notFound");
    await expect(postComment(ctx, matterId, { stance: "maybe", body: "x" })).rejects.toThrow();
    await expect(postComment(ctx, matterId, { stance: "support", body: "   " })).rejects.toThrow();
    const stored = await database.db.select({ id: comments.id }).from(comments).where(eq(comments.matterId, completedId));
    expect(stored).toHaveLength(0);
  });

  it("threads are two levels: a reply to a reply stays in the thread and says whom it answers", async () => {
    const root = await postComment(as(a.r1).ctx, matterId, { stance: "question", body: "预算从哪里出？" });
    const reply = await postComment(as(a.r2).ctx, matterId, { stance: "neutral", body: "应该是一事一议财政奖补。", replyTo: root.id });
    const deeper = await postComment(as(a.r1).ctx, matterId, { stance: "question", body: "奖补比例是多少？", replyTo: reply.id });
    expect(reply.threadId).toBe(root.id);
    expect(deeper.threadId).toBe(root.id);
    const p = await listComments(as(a.r2).ctx, matterId, page({ sort: "newest" }));
    const thread = p.threads.find((t) => t.id === root.id)!;
    expect(thread.replyCount).toBe(2);
    expect(thread.replies.map((r) => [r.id, r.replyingTo?.name ?? null])).toEqual([
      [reply.id, null],
      [deeper.id, "李四"],
    ]);
    // a reply to a comment of another matter is refused
    const other = await postComment(as(a.r1).ctx, collectingId, { stance: "support", body: "另一件事" });
    expect(await outcomeOf(postComment(as(a.r2).ctx, matterId, { stance: "support", body: "串了", replyTo: other.id }))).toBe("comments.errors.replyTo");
  });

  it("the author may edit within 10 minutes and the old words are kept; after that, or for anyone else, no", async () => {
    const { id } = await postComment(as(a.r2).ctx, matterId, { stance: "oppose", body: "反对，太贵。" });
    expect(await outcomeOf(editComment(as(a.r1).ctx, { commentId: id, stance: "support", body: "改了" }))).toBe("comments.errors.notYours");
    clock.advance(EDIT_WINDOW_MS - 1000);
    expect(await editComment(as(a.r2).ctx, { commentId: id, stance: "neutral", body: "保留意见，先看预算。" })).toEqual({ changed: true });
    const [row] = await database.db.select().from(comments).where(eq(comments.id, id));
    expect([row.stance, row.body, row.editedAt?.getTime()]).toEqual(["neutral", "保留意见，先看预算。", clock.now().getTime()]);
    const history = await database.db.select().from(commentRevisions).where(eq(commentRevisions.commentId, id));
    expect(history.map((h) => [h.stance, h.body])).toEqual([["oppose", "反对，太贵。"]]);
    clock.advance(2000);
    expect(await outcomeOf(editComment(as(a.r2).ctx, { commentId: id, stance: "oppose", body: "再改" }))).toBe("comments.errors.editWindow");
    const p = await listComments(as(a.r2).ctx, matterId, page());
    expect(p.threads.find((t) => t.id === id)!.may.edit).toBe(false);
  });

  it("one agree or disagree per person: the other value changes it, the same again takes it back; never on one's own", async () => {
    const { id } = await postComment(as(a.r1).ctx, matterId, { stance: "support", body: "同意先修排水。" });
    expect(await reactToComment(as(a.r2).ctx, { commentId: id, value: "agree" })).toEqual({ mine: "agree", agree: 1, disagree: 0 });
    expect(await reactToComment(as(a.r2).ctx, { commentId: id, value: "disagree" })).toEqual({ mine: "disagree", agree: 0, disagree: 1 });
    expect(await reactToComment(as(a.committee).ctx, { commentId: id, value: "disagree" })).toEqual({ mine: "disagree", agree: 0, disagree: 2 });
    expect(await reactToComment(as(a.r2).ctx, { commentId: id, value: "disagree" })).toEqual({ mine: null, agree: 0, disagree: 1 });
    expect(await outcomeOf(reactToComment(as(a.r1).ctx, { commentId: id, value: "agree" }))).toBe("comments.errors.ownComment");
    expect(await outcomeOf(reactToComment(as(a.outsider).ctx, { commentId: id, value: "agree" }))).toBe("comments.errors.notResident");
    const p = await listComments(as(a.committee).ctx, matterId, page());
    expect(p.threads.find((t) => t.id === id)!.mine).toBe("disagree");
  });

  it("the proposer and the committee mark a comment answered, in the ledger, and the author is told; other residents may not", async () => {
    const { id } = await postComment(as(a.r1).ctx, matterId, { stance: "question", body: "什么时候开工？" });
    expect(await outcomeOf(markAnswered(as(a.r2).ctx, { commentId: id, answered: "yes" }))).toBe("comments.errors.answerWho");
    expect(await markAnswered(as(a.proposer).ctx, { commentId: id, answered: "yes" })).toEqual({ changed: true });
    const told = await database.db.select().from(notifications).where(eq(notifications.userId, a.r1.id));
    expect(told.map((n) => n.kind)).toContain("notify.comment.answered");
    expect(await markAnswered(as(a.committee).ctx, { commentId: id, answered: "no" })).toEqual({ changed: true });
    const ledger = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.entityId, String(id)));
    expect(ledger.filter((e) => e.entityType === "comment").map((e) => e.action)).toEqual(["comment.answered", "comment.unanswered"]);
  });

  it("pages hold 20 threads with the first replies; sorting and the stance filter work; the balance counts every comment", async () => {
    const db = database.db;
    const m = (await makeMatter(db, a.r1.memberships[0].communityId, a.proposer.id, a.r1.memberships[0].communityId)).id;
    const stances = ["support", "oppose", "neutral", "question"] as const;
    let most = 0;
    for (let i = 0; i < 45; i++) {
      clock.advance(1000);
      const { id } = await postComment(as(i % 2 ? a.r1 : a.r2).ctx, m, { stance: stances[i % 4], body: `第${i}条` });
      if (i === 7) most = id;
    }
    await reactToComment(as(a.committee).ctx, { commentId: most, value: "agree" });
    const first = (await listComments(as(a.r1).ctx, m, page())).threads[0].id;
    for (let i = 0; i < REPLIES_SHOWN + 3; i++) await postComment(as(a.r2).ctx, m, { stance: "support", body: `回复${i}`, replyTo: first });
    const p1 = await listComments(as(a.r1).ctx, m, page());
    expect([p1.threadCount, p1.pages, p1.threads.length]).toEqual([45, 3, THREADS_PER_PAGE]);
    expect(p1.threads[0].body).toBe("第44条");
    expect(p1.threads[0].replies).toHaveLength(REPLIES_SHOWN);
    expect(p1.threads[0].replyCount).toBe(REPLIES_SHOWN + 3);
    expect(p1.balance).toEqual({ support: 12 + REPLIES_SHOWN + 3, oppose: 11, neutral: 11, question: 11 });
    expect(p1.total).toBe(45 + REPLIES_SHOWN + 3);
    const p3 = await listComments(as(a.r1).ctx, m, page({ page: "3" }));
    expect(p3.threads.map((t) => t.body)).toEqual(["第4条", "第3条", "第2条", "第1条", "第0条"]);
    expect((await listComments(as(a.r1).ctx, m, page({ page: "99" }))).page).toBe(3);
    expect((await listComments(as(a.r1).ctx, m, page({ sort: "agreed" }))).threads[0].id).toBe(most);
    const opp = await listComments(as(a.r1).ctx, m, page({ stance: "oppose" }));
    expect(opp.threadCount).toBe(11);
    expect(opp.threads.every((t) => t.stance === "oppose")).toBe(true);
    const byStance = await listComments(as(a.r1).ctx, m, page({ sort: "stance" }));
    expect(byStance.threads.slice(0, 12).every((t) => t.stance === "support")).toBe(true);
    const thread = await listComments(as(a.r1).ctx, m, page({ thread: String(first) }));
    expect(thread.threads[0].replies).toHaveLength(REPLIES_SHOWN + 3);
    // junk in the query string is the first page, newest first
    expect(page({ sort: "<script>", page: "-4", stance: "x" })).toEqual({ sort: "newest", page: 1, stance: undefined, thread: undefined });
  });

  it("nobody reads the comments of a matter they may not see", async () => {
    await postComment(as(a.r1).ctx, collectingId, { stance: "support", body: "社区内部讨论" });
    expect(await outcomeOf(listComments(as(a.outsider).ctx, collectingId, page()))).toBe("errors.notFound");
    expect(await outcomeOf(listComments(as(null).ctx, collectingId, page()))).toBe("errors.notFound");
    expect((await listComments(as(a.r2).ctx, collectingId, page())).total).toBeGreaterThan(0);
    // a public matter's discussion is public; only taking part needs a verified membership
    const anon = await listComments(as(null).ctx, matterId, page());
    expect([anon.canPost, anon.threads.length > 0, anon.threads.every((t) => !t.may.react && !t.may.report)]).toEqual([false, true, true]);
  });
});
