import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { comments, ledgerEntries, moderationCases, notifications } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, join, makeTree, makeUser, outcomeOf } from "../../../../tests/support/factories";
import { makeMatter } from "../../../../tests/support/room";
import type { Actor } from "../../accounts/actor";
import { appealHiddenComment, decideAppeal } from "./appeal.server";
import { listComments } from "./list.server";
import { decideReport } from "./moderate.server";
import { postComment } from "./post.server";
import { listModerationQueue } from "./queue.server";
import { reportComment, reportThreshold } from "./report.server";
import { CommentPageSchema } from "./schemas";

let database: Database;
let matterId: number;
let communityId: number;
let otherCommunityId: number;
const a: Record<string, Actor> = {};
const { clock } = context(null as never, null);
const as = (actor: Actor | null, settings?: { reportThreshold: number }) => ({ ...context(database.db, actor, clock).ctx, settings });

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const tree = await makeTree(db);
  communityId = tree.a1.id;
  otherCommunityId = tree.b1.id;
  const mk = async (key: string, name: string) => (a[key] = await actorOf(db, (await makeUser(db, { name })).id));
  for (const k of ["author", "r1", "r2", "r3", "r4"]) {
    await mk(k, k);
    await join(db, a[k].id, tree.a1.id);
    a[k] = await actorOf(db, a[k].id);
  }
  await mk("passer", "路人");
  for (const [k, role, area] of [
    ["committee", "committee", tree.a1.id],
    ["otherCommittee", "committee", tree.b1.id],
    ["town", "town_admin", tree.townA.id],
    ["otherTown", "town_admin", tree.townB.id],
  ] as const) {
    await mk(k, k);
    await grant(db, a[k].id, role, area);
    a[k] = await actorOf(db, a[k].id);
  }
  matterId = (await makeMatter(db, tree.a1.id, a.r4.id, tree.county.id)).id;
});
afterAll(() => database.close());

const ledgerOf = async (commentId: number) =>
  (await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.entityType, "comment"), eq(ledgerEntries.entityId, String(commentId))))).map((e) => e.action);
const statusOf = async (id: number) => (await database.db.select({ s: comments.status }).from(comments).where(eq(comments.id, id)))[0].s;

describe("reports and moderation", () => {
  it("REPORT_THRESHOLD defaults to 3 and refuses nonsense", () => {
    expect([reportThreshold({}), reportThreshold({ REPORT_THRESHOLD: "5" }), reportThreshold({ REPORT_THRESHOLD: "0" }), reportThreshold({ REPORT_THRESHOLD: "x" })]).toEqual([3, 5, 3, 3]);
  });

  it("each reader reports once, never their own; the third report hides the comment pending review and tells the committee", async () => {
    const { id } = await postComment(as(a.author), matterId, { stance: "oppose", body: "某某就是个骗子，电话 13800000000" });
    expect(await outcomeOf(reportComment(as(a.author), { commentId: id, reason: "abuse" }))).toBe("comments.errors.reportOwn");
    expect(await reportComment(as(a.r1), { commentId: id, reason: "abuse" })).toEqual({ reports: 1, held: false });
    expect(await outcomeOf(reportComment(as(a.r1), { commentId: id, reason: "personal_info" }))).toBe("comments.errors.alreadyReported");
    // a passer-by may read a public matter and report what they read
    expect(await reportComment(as(a.passer), { commentId: id, reason: "personal_info" })).toEqual({ reports: 2, held: false });
    expect(await statusOf(id)).toBe("visible");
    expect(await reportComment(as(a.r2), { commentId: id, reason: "personal_info", note: "有手机号" })).toEqual({ reports: 3, held: true });
    expect(await statusOf(id)).toBe("pending");
    const page = await listComments(as(a.r3), matterId, CommentPageSchema.parse({}));
    const shown = page.threads.find((t) => t.id === id)!;
    expect([shown.status, shown.body]).toEqual(["pending", null]);
    expect((await listComments(as(a.author), matterId, CommentPageSchema.parse({}))).threads.find((t) => t.id === id)!.body).toContain("骗子");
    const told = await database.db.select().from(notifications).where(eq(notifications.userId, a.committee.id));
    expect(told.map((n) => n.kind)).toContain("notify.comment.held");
    expect(await ledgerOf(id)).toEqual(["comment.reported", "comment.reported", "comment.reported", "comment.held"]);
  });

  it("the threshold is a setting", async () => {
    const { id } = await postComment(as(a.author), matterId, { stance: "oppose", body: "跑题的话" });
    expect(await reportComment(as(a.r1, { reportThreshold: 1 }), { commentId: id, reason: "off_topic" })).toEqual({ reports: 1, held: true });
  });

  it("only the community's committee reviews, with a public reason shown in the comment's place; the author is told; a decision stands", async () => {
    const { id } = await postComment(as(a.author), matterId, { stance: "oppose", body: "人身攻击的话" });
    for (const r of [a.r1, a.r2, a.r3]) await reportComment(as(r), { commentId: id, reason: "abuse" });
    const queue = await listModerationQueue(as(a.committee), communityId);
    expect(queue.reports.find((q) => q.commentId === id)).toMatchObject({ status: "pending", reportCount: 3, reasons: { abuse: 3 } });
    for (const who of [a.otherCommittee, a.r1, a.author]) {
      expect(await outcomeOf(decideReport(as(who), { commentId: id, decision: "hide", reason: "x" }))).toBe("comments.errors.moderateWho");
    }
    expect(await outcomeOf(listModerationQueue(as(a.otherCommittee), communityId))).toBe("errors.forbidden");
    expect(await outcomeOf(listModerationQueue(as(a.r1), communityId))).toBe("errors.forbidden");
    await expect(decideReport(as(a.committee), { commentId: id, decision: "hide", reason: " " })).rejects.toThrow("errors.required");
    expect(await statusOf(id)).toBe("pending");
    expect(await decideReport(as(a.committee), { commentId: id, decision: "hide", reason: "含有人身攻击" })).toEqual({ status: "hidden" });
    expect(await outcomeOf(decideReport(as(a.committee), { commentId: id, decision: "keep", reason: "改主意" }))).toBe("comments.errors.alreadyDecided");
    const page = await listComments(as(null), matterId, CommentPageSchema.parse({}));
    expect(page.threads.find((t) => t.id === id)).toMatchObject({ status: "hidden", body: null, hiddenReason: "含有人身攻击" });
    const [row] = await database.db.select().from(comments).where(eq(comments.id, id));
    expect(row.body).toBe("人身攻击的话");
    const told = await database.db.select().from(notifications).where(eq(notifications.userId, a.author.id));
    expect(told.map((n) => n.kind)).toContain("notify.comment.hidden");
    expect((await ledgerOf(id)).slice(-1)).toEqual(["comment.hidden"]);
  });

  it("a kept comment is shown again and further reports do not hide it", async () => {
    const { id } = await postComment(as(a.author), matterId, { stance: "support", body: "有争议但合理的意见" });
    for (const r of [a.r1, a.r2, a.r3]) await reportComment(as(r), { commentId: id, reason: "false_info" });
    await decideReport(as(a.committee), { commentId: id, decision: "keep", reason: "属于正常意见表达" });
    expect(await statusOf(id)).toBe("visible");
    expect(await reportComment(as(a.passer), { commentId: id, reason: "abuse" })).toEqual({ reports: 4, held: false });
    expect(await statusOf(id)).toBe("visible");
  });

  it("the author appeals once to the town; only a town admin over the community decides; overturned, it is shown again", async () => {
    const { id } = await postComment(as(a.author), matterId, { stance: "oppose", body: "我认为预算被夸大了" });
    expect(await outcomeOf(appealHiddenComment(as(a.author), { commentId: id, text: "还没被隐藏" }))).toBe("comments.errors.notHidden");
    for (const r of [a.r1, a.r2, a.r3]) await reportComment(as(r), { commentId: id, reason: "false_info" });
    await decideReport(as(a.committee), { commentId: id, decision: "hide", reason: "数据无依据" });
    expect(await outcomeOf(appealHiddenComment(as(a.r1), { commentId: id, text: "替他申诉" }))).toBe("comments.errors.notYours");
    const page = await listComments(as(a.author), matterId, CommentPageSchema.parse({}));
    expect(page.threads.find((t) => t.id === id)!.may.appeal).toBe(true);
    expect(await appealHiddenComment(as(a.author), { commentId: id, text: "预算表第 3 页有依据" })).toEqual({ appealed: true });
    expect(await outcomeOf(appealHiddenComment(as(a.author), { commentId: id, text: "再申诉" }))).toBe("comments.errors.appealedOnce");
    expect((await listComments(as(a.author), matterId, CommentPageSchema.parse({}))).threads.find((t) => t.id === id)!.may.appeal).toBe(false);
    const townTold = await database.db.select().from(notifications).where(eq(notifications.userId, a.town.id));
    expect(townTold.map((n) => n.kind)).toContain("notify.comment.appealed");
    expect((await listModerationQueue(as(a.town), communityId)).pendingAppeals.map((q) => q.commentId)).toContain(id);
    for (const who of [a.committee, a.otherTown, a.author]) {
      expect(await outcomeOf(decideAppeal(as(who), { commentId: id, decision: "overturn", reason: "x" }))).toBe("comments.errors.appealWho");
    }
    expect(await decideAppeal(as(a.town), { commentId: id, decision: "overturn", reason: "有预算依据，应当保留" })).toEqual({ status: "overturned" });
    expect(await statusOf(id)).toBe("visible");
    expect(await outcomeOf(decideAppeal(as(a.town), { commentId: id, decision: "uphold", reason: "再议" }))).toBe("comments.errors.noAppeal");
    expect(await ledgerOf(id)).toEqual(["comment.reported", "comment.reported", "comment.reported", "comment.held", "comment.hidden", "comment.appealed", "comment.appeal_overturned"]);
    const [kase] = await database.db.select().from(moderationCases).where(eq(moderationCases.targetId, id));
    expect([kase.status, kase.publicReason, kase.appealStatus, kase.appealReason]).toEqual(["hidden", "数据无依据", "overturned", "有预算依据，应当保留"]);
    void otherCommunityId;
  });
});
