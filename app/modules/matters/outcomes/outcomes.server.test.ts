import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { commitments, matters, memberships, notifications, ratings } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, makeArea, makeCategory, makeTree, makeUser, outcomeOf } from "../../../../tests/support/factories";
import type { Actor } from "../../accounts/actor";
import { cosignMatter } from "../cosign.server";
import { createDraft } from "../proposals.server";
import { getMatterPage } from "../queries.server";
import { publishMaterials, runMatterCommand } from "../review.server";
import { CreateVoteSchema } from "../voting/schemas";
import { castBallot } from "../voting/cast.server";
import { closeVote } from "../voting/close.server";
import { newBallotKey } from "../voting/receipts.server";
import { openVote } from "../voting/setup.server";
import { beijingDay as beijingDate } from "../../shared/beijing-time";
import { RecordOutcomeSchema } from "./schemas";
import { getOutcome, rateMatter, recordOutcome, remindOverdue, reopenMatter, respondToRating, summarise, updateCommitment } from "./outcomes.server";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let categoryId: number;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  categoryId = (await makeCategory(database.db, tree.county.id)).id;
});
afterAll(() => database.close());

const err = outcomeOf;

/** A community with a committee member, an owner and three verified residents; a matter taken all the way to `decided` through the real commands. */
async function decidedMatter() {
  const community = await makeArea(database.db, tree.townA, "community");
  await database.db.update((await import("../../../../db/schema")).areas).set({ cosignThreshold: 1, noticeDays: 0 }).where(eq((await import("../../../../db/schema")).areas.id, community.id));
  const staffUser = await makeUser(database.db, { name: "陈书记" });
  await grant(database.db, staffUser.id, "committee", community.id);
  const residents: Actor[] = [];
  for (let i = 0; i < 3; i++) {
    const u = await makeUser(database.db, { name: `居民${i}` });
    await database.db.insert(memberships).values({ userId: u.id, communityId: community.id, status: "verified", birthYear: 1980, address: `${i} 号楼` });
    residents.push(await actorOf(database.db, u.id));
  }
  const staff = await actorOf(database.db, staffUser.id);
  const owner = await actorOf(database.db, (await makeUser(database.db, { name: "物业王经理" })).id);
  const clock = context(database.db, null).clock;
  const as = (a: Actor | null) => context(database.db, a, clock).ctx;
  const { id } = await createDraft(as(residents[0]), community.id, { title: "东门路灯", description: "坏了", categoryId, affectedArea: "东门", desiredOutcome: "修" });
  await runMatterCommand(as(residents[0]), id, { command: "submit" });
  await cosignMatter(as(residents[1]), id);
  await runMatterCommand(as(staff), id, { command: "accept", form: "meeting" });
  await publishMaterials(as(staff), id, { title: "报价", body: "两家报价" });
  await runMatterCommand(as(staff), id, { command: "schedule", scheduledFor: new Date(clock.now().getTime() + 86_400_000) });
  await runMatterCommand(as(staff), id, { command: "openDeliberation" });
  const vote = await openVote(as(staff), id, CreateVoteSchema.parse({ question: "修不修？", method: "yes_no", electorate: "residents", preset: "residents_meeting", secret: "yes" }));
  for (const r of residents) await castBallot(as(r), vote.id, { choices: ["yes"], idem: newBallotKey() });
  await closeVote(as(staff), vote.id, "actor", "yes");
  return { id, community, staff, residents, owner, clock, as };
}

const outcomeInput = (due = "2026-12-31") =>
  RecordOutcomeSchema.parse({ decision: "更换东门全部路灯", commitments: [{ title: "采购路灯", responsibleUnit: "居委会", dueDate: due }, { title: "安装", responsibleUnit: "物业公司", dueDate: due }] });

describe("outcomes", () => {
  it("a matter that went through every stage shows every step in order, then completes and opens rating", async () => {
    const m = await decidedMatter();
    expect(await err(recordOutcome(m.as(m.residents[0]), m.id, outcomeInput()))).toBe("errors.forbidden");
    await recordOutcome(m.as(m.staff), m.id, outcomeInput());
    const o = (await getOutcome(m.as(null), m.id))!;
    expect(o.commitments).toHaveLength(2);
    await database.db.update(commitments).set({ ownerId: m.owner.id }).where(eq(commitments.id, o.commitments[1].id));
    // cannot rate before completion
    expect(await err(rateMatter(m.as(m.residents[0]), m.id, { score: 5 }))).toBe("outcomes.errors.ratingClosed");
    await updateCommitment(m.as(m.staff), { commitmentId: o.commitments[0].id, body: "已采购", progress: 100, status: "done" });
    let [row] = await database.db.select().from(matters).where(eq(matters.id, m.id));
    expect(row.state).toBe("implementing"); // one commitment still open
    // only the owner or the committee may update; a resident may not
    expect(await err(updateCommitment(m.as(m.residents[0]), { commitmentId: o.commitments[1].id, body: "x", progress: 10, status: "in_progress" }))).toBe("errors.forbidden");
    await updateCommitment(m.as(m.owner), { commitmentId: o.commitments[1].id, body: "安装完毕", progress: 100, status: "done" });
    [row] = await database.db.select().from(matters).where(eq(matters.id, m.id));
    expect(row.state).toBe("completed");
    const page = await getMatterPage(m.as(null), m.id);
    expect(page.timeline.map((t) => t.kind)).toEqual([
      "submit",
      "reachThreshold",
      "accept",
      "materials",
      "schedule",
      "openDeliberation",
      "openVote",
      "decide",
      "startImplementation",
      "commitmentUpdate",
      "commitmentUpdate",
      "complete",
    ]);
  });

  it("rating: one per person, changeable while open, not from another community, public summary; a poor result needs a response and may reopen", async () => {
    const m = await decidedMatter();
    await recordOutcome(m.as(m.staff), m.id, RecordOutcomeSchema.parse({ decision: "d", commitments: [{ title: "t", responsibleUnit: "u", dueDate: "2026-12-31" }] }));
    const [c] = await database.db.select().from(commitments).where(eq(commitments.matterId, m.id));
    await updateCommitment(m.as(m.staff), { commitmentId: c.id, body: "done", progress: 100, status: "done" });
    await rateMatter(m.as(m.residents[0]), m.id, { score: 5 });
    await rateMatter(m.as(m.residents[0]), m.id, { score: 1, comment: "灯又坏了" });
    await rateMatter(m.as(m.residents[1]), m.id, { score: 2 });
    const stranger = await makeUser(database.db);
    await database.db.insert(memberships).values({ userId: stranger.id, communityId: tree.b1.id, status: "verified", address: "x" });
    expect(await err(rateMatter(m.as(await actorOf(database.db, stranger.id)), m.id, { score: 5 }))).toBe("matters.errors.notVerified");
    const rows = await database.db.select().from(ratings).where(eq(ratings.matterId, m.id));
    expect(rows).toHaveLength(2);
    const o = (await getOutcome(m.as(null), m.id))!;
    expect(o.rating).toMatchObject({ count: 2, average: 1.5, poor: true, distribution: { 1: 1, 2: 1 } });
    await respondToRating(m.as(m.staff), m.id, { response: "已约物业复查" });
    await reopenMatter(m.as(m.staff), m.id, { reason: "路灯质量问题，重新协商更换厂家" });
    const page = await getMatterPage(m.as(null), m.id);
    expect(page.matter.state).toBe("scheduled");
    expect(page.timeline.map((t) => t.kind).slice(-3)).toEqual(["complete", "ratingResponse", "reopen"]);
    // the rating and the outcome stay in the record
    expect((await getOutcome(m.as(null), m.id))!.rating.count).toBe(2);
    m.clock.advance(15 * 86_400_000);
    expect(await err(rateMatter(m.as(m.residents[2]), m.id, { score: 4 }))).toBe("outcomes.errors.ratingClosed");
  });

  it("a good result cannot be reopened", async () => {
    expect(summarise([4, 5, 3])).toMatchObject({ poor: false, average: 4 });
    expect(summarise([5, 5, 1, 1, 1])).toMatchObject({ poor: true }); // average 2.6
    expect(summarise([4, 4, 1, 1, 5])).toMatchObject({ poor: false }); // 2 of 5 low is not a majority, average 3
    expect(summarise([4, 1, 1])).toMatchObject({ poor: true }); // majority low
  });

  it("overdue commitments are flagged against Beijing's date and owners are reminded once a day", async () => {
    const m = await decidedMatter();
    const today = beijingDate(m.clock.now());
    await recordOutcome(m.as(m.staff), m.id, RecordOutcomeSchema.parse({ decision: "d", commitments: [{ title: "修灯", responsibleUnit: "物业", dueDate: today }] }));
    const [c] = await database.db.select().from(commitments).where(eq(commitments.matterId, m.id));
    await database.db.update(commitments).set({ ownerId: m.owner.id }).where(eq(commitments.id, c.id));
    expect((await getOutcome(m.as(null), m.id))!.commitments[0].overdue).toBe(false);
    m.clock.advance(86_400_000);
    expect((await getOutcome(m.as(null), m.id))!.commitments[0].overdue).toBe(true);
    expect(await remindOverdue(m.as(null))).toBeGreaterThanOrEqual(1);
    expect(await remindOverdue(m.as(null))).toBe(0);
    m.clock.advance(86_400_000 + 1000);
    expect(await remindOverdue(m.as(null))).toBeGreaterThanOrEqual(1);
    const told = await database.db.select().from(notifications).where(and(eq(notifications.userId, m.owner.id), eq(notifications.kind, "notify.commitment.overdue")));
    expect(told).toHaveLength(2);
  });

  it("completion needs every commitment done or cancelled, and cancelling needs a reason", async () => {
    const m = await decidedMatter();
    await recordOutcome(m.as(m.staff), m.id, outcomeInput());
    const cs = await database.db.select().from(commitments).where(eq(commitments.matterId, m.id));
    await updateCommitment(m.as(m.staff), { commitmentId: cs[0].id, body: "b", progress: 50, status: "blocked" });
    await updateCommitment(m.as(m.staff), { commitmentId: cs[1].id, body: "b", progress: 0, status: "cancelled", cancelReason: "并入一期工程" });
    const [row] = await database.db.select().from(matters).where(eq(matters.id, m.id));
    expect(row.state).toBe("implementing");
  });
});
