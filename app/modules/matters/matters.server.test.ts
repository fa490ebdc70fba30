import { fixedClock } from "../shared/clock";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { areas, cosigns, ledgerEntries, matterEvents, matters, notifications } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, grant, join, makeCategory, makeResidents, makeTree, makeUser } from "../../../tests/support/factories";
import type { Actor } from "../accounts/actor";
import { verifyLedger } from "../ledger/ledger.server";
import { DomainError } from "../shared/errors";
import { cosignMatter, setFollow, withdrawCosign } from "./cosign.server";
import { createDraft, updateDraft } from "./proposals.server";
import { getMatterPage, listMatters, maskName } from "./queries.server";
import { publishMaterials, runMatterCommand } from "./review.server";
import { MatterListQuerySchema } from "./schemas";
import { updateCommunitySettings } from "../communities/communities.server";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let category: { id: number };
let committee: Actor;
let townAdmin: Actor;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  category = await makeCategory(database.db, tree.county.id, "公共事务");
  const c = await makeUser(database.db, { name: "陈书记" });
  await grant(database.db, c.id, "committee", tree.a1.id);
  committee = await actorOf(database.db, c.id);
  const t = await makeUser(database.db, { name: "刘主任" });
  await grant(database.db, t.id, "town_admin", tree.townA.id);
  townAdmin = await actorOf(database.db, t.id);
});
afterAll(() => database.close());

async function resident(communityId = tree.a1.id) {
  const u = await makeUser(database.db, { name: "王阿姨" });
  await join(database.db, u.id, communityId, "verified");
  return actorOf(database.db, u.id);
}
const draft = { title: "3 号楼电梯经常停运", description: "上个月停了五次，老人下不了楼。", affectedArea: "3 号楼", desiredOutcome: "更换电梯主板" };
const as = (actor: Actor | null, clock?: ReturnType<typeof fixedClock>) => (clock ? context(database.db, actor, clock) : context(database.db, actor));

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, key: e.messageKey, field: e.field };
    throw e;
  }
  return { code: "ok" };
}

async function setThreshold(n: number, shareBp: number | null = null) {
  await database.db.update(areas).set({ cosignThreshold: n, cosignShareBp: shareBp }).where(eq(areas.id, tree.a1.id));
}

async function collectingMatter(threshold = 2) {
  await setThreshold(threshold);
  const proposer = await resident();
  const { ctx } = as(proposer);
  const { id } = await createDraft(ctx, tree.a1.id, { ...draft, categoryId: category.id });
  await runMatterCommand(ctx, id, { command: "submit" });
  return { id, proposer };
}

describe("proposing", () => {
  it("a draft is private to its proposer until submitted; submitting opens co-signing with the community's threshold", async () => {
    await setThreshold(5);
    const proposer = await resident();
    const { id } = await createDraft(as(proposer).ctx, tree.a1.id, { ...draft, categoryId: category.id });
    expect((await errorOf(getMatterPage(as(await resident()).ctx, id))).code).toBe("not_found");
    expect((await errorOf(getMatterPage(as(committee).ctx, id))).code).toBe("not_found");
    await updateDraft(as(proposer).ctx, id, { ...draft, title: "3 号楼电梯停运（已补充）", categoryId: category.id });
    await runMatterCommand(as(proposer).ctx, id, { command: "submit" });
    const page = await getMatterPage(as(await resident()).ctx, id);
    expect(page.matter).toMatchObject({ state: "collecting", threshold: 5, title: "3 号楼电梯停运（已补充）" });
    expect(page.following).toBe(false);
    expect((await errorOf(updateDraft(as(proposer).ctx, id, { ...draft, categoryId: category.id }))).code).toBe("invalid_state");
    // not public yet
    expect((await errorOf(getMatterPage(as(null).ctx, id))).code).toBe("not_found");
    expect((await errorOf(getMatterPage(as(await resident(tree.b1.id)).ctx, id))).code).toBe("not_found");
  });

  it("the threshold may be a share of households", async () => {
    await setThreshold(10, 250); // 2.5% of 300 households → 8
    const proposer = await resident();
    const { id } = await createDraft(as(proposer).ctx, tree.a1.id, { ...draft, categoryId: category.id });
    await runMatterCommand(as(proposer).ctx, id, { command: "submit" });
    const [m] = await database.db.select().from(matters).where(eq(matters.id, id));
    expect(m.threshold).toBe(8);
  });

  it("only verified residents and the committee propose, with a category from their catalogue", async () => {
    const stranger = await makeUser(database.db);
    expect((await errorOf(createDraft(as(await actorOf(database.db, stranger.id)).ctx, tree.a1.id, { ...draft, categoryId: category.id }))).key).toBe("matters.errors.notVerified");
    const elsewhere = await makeCategory(database.db, tree.b1.id, "乙一本地类别");
    expect(await errorOf(createDraft(as(await resident()).ctx, tree.a1.id, { ...draft, categoryId: elsewhere.id }))).toMatchObject({ code: "validation", field: "categoryId" });
    const local = await makeCategory(database.db, tree.a1.id, "甲一本地类别");
    await expect(createDraft(as(await resident()).ctx, tree.a1.id, { ...draft, categoryId: local.id })).resolves.toBeTruthy();
  });

  it("a committee member's proposal goes straight to review", async () => {
    const { id } = await createDraft(as(committee).ctx, tree.a1.id, { ...draft, categoryId: category.id });
    expect(await runMatterCommand(as(committee).ctx, id, { command: "submit" })).toEqual({ state: "under_review" });
  });
});

describe("co-signing", () => {
  it("reaching the threshold moves the matter to review once, tells the committee and the followers", async () => {
    const { id, proposer } = await collectingMatter(2);
    const a = await resident();
    const b = await resident();
    const c = await resident();
    expect(await cosignMatter(as(a).ctx, id)).toMatchObject({ added: true, count: 1, state: "collecting" });
    expect(await cosignMatter(as(a).ctx, id)).toMatchObject({ added: false, count: 1 });
    const second = as(b);
    expect(await cosignMatter(second.ctx, id)).toMatchObject({ added: true, count: 2, state: "under_review" });
    // support keeps counting during review, without a second move
    expect(await cosignMatter(as(c).ctx, id)).toMatchObject({ added: true, count: 3, state: "under_review" });
    const events = await database.db.select().from(matterEvents).where(eq(matterEvents.matterId, id));
    expect(events.map((e) => e.kind)).toEqual(["submit", "reachThreshold"]);
    const told = await database.db.select().from(notifications).where(eq(notifications.link, `/matters/${id}`));
    expect(told.filter((n) => n.kind === "notify.matter.review").map((n) => n.userId)).toEqual([committee.id]);
    // proposer and the first co-signer follow automatically; the one who caused it is told too (it is the system's transition)
    expect(new Set(told.filter((n) => n.kind === "notify.matter.transition").map((n) => n.userId))).toEqual(new Set([proposer.id, a.id, b.id]));
    expect(second.events.filter((e) => e.type === "notification.created").length).toBe(4);
  });

  it("refuses the proposer, residents of another community, and unverified users; withdrawal works while collecting", async () => {
    const { id, proposer } = await collectingMatter(5);
    expect((await errorOf(cosignMatter(as(proposer).ctx, id))).key).toBe("matters.errors.ownMatter");
    expect((await errorOf(cosignMatter(as(await resident(tree.b1.id)).ctx, id))).code).toBe("not_found");
    const pending = await makeUser(database.db);
    await join(database.db, pending.id, tree.a1.id, "pending");
    expect((await errorOf(cosignMatter(as(await actorOf(database.db, pending.id)).ctx, id))).code).toBe("not_found");
    const a = await resident();
    await cosignMatter(as(a).ctx, id);
    expect(await withdrawCosign(as(a).ctx, id)).toEqual({ removed: true });
    expect(await withdrawCosign(as(a).ctx, id)).toEqual({ removed: false });
    const [m] = await database.db.select().from(matters).where(eq(matters.id, id));
    expect(m.cosignCount).toBe(0);
  });

  it("500 residents co-signing at once across a threshold of 100: 500 stored, one move to review, one ledger entry", async () => {
    const { id } = await collectingMatter(100);
    const ids = await makeResidents(database.db, tree.a1.id, 500);
    const actors: Actor[] = ids.map((uid) => ({ id: uid, displayName: "r", roles: [], memberships: [{ communityId: tree.a1.id, communityPath: tree.a1.path, status: "verified" }] }));
    const results = await Promise.all(actors.map((a) => cosignMatter(as(a).ctx, id)));
    expect(results.filter((r) => r.added)).toHaveLength(500);
    const stored = await database.db.select().from(cosigns).where(eq(cosigns.matterId, id));
    expect(stored).toHaveLength(500);
    const moves = await database.db.select().from(matterEvents).where(and(eq(matterEvents.matterId, id), eq(matterEvents.kind, "reachThreshold")));
    expect(moves).toHaveLength(1);
    expect(moves[0].params).toMatchObject({ count: 100 });
    const ledger = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.entityId, String(id)), eq(ledgerEntries.action, "matter.reachThreshold")));
    expect(ledger).toHaveLength(1);
    const [m] = await database.db.select().from(matters).where(eq(matters.id, id));
    expect(m).toMatchObject({ cosignCount: 500, state: "under_review" });
  });

  it("the same resident co-signing 50 times at once counts once", async () => {
    const { id } = await collectingMatter(100);
    const a = await resident();
    const results = await Promise.all(Array.from({ length: 50 }, () => cosignMatter(as(a).ctx, id)));
    expect(results.filter((r) => r.added)).toHaveLength(1);
    const [m] = await database.db.select().from(matters).where(eq(matters.id, id));
    expect(m.cosignCount).toBe(1);
  });
});

describe("review and later stages", () => {
  async function underReview() {
    const { id, proposer } = await collectingMatter(1);
    const a = await resident();
    await cosignMatter(as(a).ctx, id);
    return { id, proposer, cosigner: a };
  }

  it("accepting makes the matter public; a visitor reads it and its timeline with the proposer's name masked", async () => {
    const { id } = await underReview();
    expect((await errorOf(runMatterCommand(as(await resident()).ctx, id, { command: "accept", form: "meeting" }))).code).toBe("forbidden");
    await runMatterCommand(as(committee).ctx, id, { command: "accept", form: "meeting", targetDate: "2026-12-20" });
    const page = await getMatterPage(as(null).ctx, id);
    expect(page.matter).toMatchObject({ state: "accepted", form: "meeting", targetDate: "2026-12-20" });
    expect(page.proposer).toBe("王**");
    expect(page.timeline.map((t) => t.kind)).toEqual(["submit", "reachThreshold", "accept"]);
    expect(page.timeline[0].actor).toBe("王**");
    expect(page.timeline[2].actor).toBe("陈书记");
    expect(JSON.stringify(page)).not.toMatch(/1[3-9]\d{9}/);
    const list = await listMatters(as(null).ctx, tree.a1.id, MatterListQuerySchema.parse({}));
    expect(list.items.map((m) => m.id)).toContain(id);
    expect(list.items.every((m) => m.state !== "collecting" && m.state !== "under_review")).toBe(true);
  });

  it("rejecting needs a public reason and shows it", async () => {
    const { id } = await underReview();
    // irreversible: asked without the confirmation step it is refused (confirm.required) and the matter stays under review
    expect(await errorOf(runMatterCommand(as(committee).ctx, id, { command: "reject", reason: "属于物业合同纠纷，已转交业委会" }))).toMatchObject({ key: "confirm.required" });
    expect((await getMatterPage(as(committee).ctx, id)).matter.state).toBe("under_review");
    await runMatterCommand(as(committee).ctx, id, { command: "reject", reason: "属于物业合同纠纷，已转交业委会", confirm: "yes" });
    const page = await getMatterPage(as(null).ctx, id);
    expect(page.matter).toMatchObject({ state: "rejected", publicReason: "属于物业合同纠纷，已转交业委会" });
  });

  it("merging carries co-signers over counted once, and never counts the target's own proposer", async () => {
    await setThreshold(50);
    const target = await collectingMatter(50);
    const shared = await resident();
    await cosignMatter(as(shared).ctx, target.id);
    const dup = await underReview(); // proposer + 1 co-signer
    await database.db.update(matters).set({ threshold: 50 }).where(eq(matters.id, dup.id));
    await database.db.insert(cosigns).values({ matterId: dup.id, userId: shared.id }).onConflictDoNothing();
    await database.db.insert(cosigns).values({ matterId: dup.id, userId: target.proposer.id }).onConflictDoNothing();
    expect(await errorOf(runMatterCommand(as(committee).ctx, dup.id, { command: "merge", targetId: dup.id, confirm: "yes" }))).toMatchObject({ field: "targetId" });
    await runMatterCommand(as(committee).ctx, dup.id, { command: "merge", targetId: target.id, confirm: "yes" });
    const rows = await database.db.select().from(cosigns).where(eq(cosigns.matterId, target.id));
    // shared (once) + dup's co-signer + dup's proposer; the target's proposer is not a co-signer of their own matter
    expect(new Set(rows.map((r) => r.userId))).toEqual(new Set([shared.id, dup.cosigner.id, dup.proposer.id]));
    const page = await getMatterPage(as(committee).ctx, target.id);
    expect(page.matter.cosignCount).toBe(3);
    expect(page.timeline.map((t) => t.kind)).toContain("mergedIn");
    const source = await getMatterPage(as(null).ctx, dup.id);
    expect(source.matter).toMatchObject({ state: "merged", mergedIntoId: target.id });
  });

  it("deliberation opens only after materials and the notice period; annulment is for the town, with a reason", async () => {
    const { id } = await underReview();
    const staff = as(committee);
    await runMatterCommand(staff.ctx, id, { command: "accept", form: "meeting" });
    const soon = new Date(staff.clock.now().getTime() + 86_400_000);
    expect(await errorOf(runMatterCommand(staff.ctx, id, { command: "schedule", scheduledFor: soon }))).toMatchObject({ key: "matters.errors.tooSoon", field: "scheduledFor" });
    const later = new Date(staff.clock.now().getTime() + 5 * 86_400_000);
    await runMatterCommand(staff.ctx, id, { command: "schedule", scheduledFor: later });
    expect((await errorOf(runMatterCommand(staff.ctx, id, { command: "openDeliberation" }))).key).toBe("matters.errors.noMaterials");
    await publishMaterials(staff.ctx, id, { title: "电梯维修报价", body: "三家报价见附件" });
    staff.clock.advance(2 * 86_400_000);
    expect((await errorOf(runMatterCommand(staff.ctx, id, { command: "openDeliberation" }))).key).toBe("matters.errors.noticePeriod");
    staff.clock.advance(1 * 86_400_000);
    await runMatterCommand(staff.ctx, id, { command: "openDeliberation" });
    expect((await errorOf(runMatterCommand(staff.ctx, id, { command: "annul", reason: "x", confirm: "yes" }))).code).toBe("forbidden");
    await runMatterCommand(as(townAdmin).ctx, id, { command: "annul", reason: "违反土地管理法", confirm: "yes" });
    const page = await getMatterPage(as(null).ctx, id);
    expect(page.timeline.map((t) => t.kind)).toEqual(["submit", "reachThreshold", "accept", "schedule", "materials", "openDeliberation", "annul"]);
    expect((await verifyLedger(database.db)).ok).toBe(true);
  });

  it("rules bind when they start to apply: shortening the notice after publication or unmasking names after submission leaves this matter as it was", async () => {
    const { id } = await underReview();
    const staff = as(committee);
    await runMatterCommand(staff.ctx, id, { command: "accept", form: "meeting" });
    await runMatterCommand(staff.ctx, id, { command: "schedule", scheduledFor: new Date(staff.clock.now().getTime() + 5 * 86_400_000) });
    await publishMaterials(staff.ctx, id, { title: "方案", body: "方案全文" });
    const settings = { thresholdKind: "count" as const, cosignThreshold: 1, noticeDays: 0, publicNames: "real" as const };
    await updateCommunitySettings(staff.ctx, tree.a1.id, settings);
    try {
      // still three days from publication, whatever the setting says now
      expect((await errorOf(runMatterCommand(staff.ctx, id, { command: "openDeliberation" }))).key).toBe("matters.errors.noticePeriod");
      const page = await getMatterPage(as(null).ctx, id);
      expect(page.rules).toMatchObject({ noticeDays: 3, publicNames: "masked", threshold: 1 });
      expect(page.proposer).toBe(maskName("王阿姨"));
      // a matter submitted after the change takes the new rules
      const later = await collectingMatter(1);
      const [m] = await database.db.select().from(matters).where(eq(matters.id, later.id));
      expect(m.fixedPublicNames).toBe("real");
      staff.clock.advance(3 * 86_400_000);
      await runMatterCommand(staff.ctx, id, { command: "openDeliberation" });
    } finally {
      await updateCommunitySettings(staff.ctx, tree.a1.id, { ...settings, noticeDays: 3, publicNames: "masked" });
    }
  });

  it("anyone signed in who can see a public matter may follow it; following is per person", async () => {
    const { id } = await underReview();
    await runMatterCommand(as(committee).ctx, id, { command: "accept", form: "household_vote" });
    const outsider = await actorOf(database.db, (await makeUser(database.db)).id);
    await setFollow(as(outsider).ctx, id, true);
    const staff = as(committee);
    await runMatterCommand(staff.ctx, id, { command: "schedule", scheduledFor: new Date(staff.clock.now().getTime() + 10 * 86_400_000) });
    const told = await database.db.select().from(notifications).where(and(eq(notifications.userId, outsider.id), eq(notifications.link, `/matters/${id}`)));
    expect(told).toHaveLength(1);
    expect(told[0].params).toMatchObject({ state: "@matters.state.scheduled" });
  });
});

describe("the public list", () => {
  it("filters by state, category and keyword, pages by 20, and treats % and _ as plain characters", async () => {
    const other = await makeCategory(database.db, tree.county.id, "环境整治");
    const proposer = await resident(tree.a2.id);
    for (let i = 0; i < 23; i++) {
      const { id } = await createDraft(as(proposer).ctx, tree.a2.id, { ...draft, title: i === 7 ? "垃圾分类 100%_达标" : `议题 ${i}`, categoryId: i % 2 ? other.id : category.id });
      await database.db.update(matters).set({ state: "accepted" }).where(eq(matters.id, id));
    }
    const q = (o: Record<string, string>) => listMatters(as(null).ctx, tree.a2.id, MatterListQuerySchema.parse(o));
    const p1 = await q({});
    expect(p1.items).toHaveLength(20);
    expect(p1.hasNext).toBe(true);
    expect((await q({ page: "2" })).items).toHaveLength(3);
    expect((await q({ category: String(other.id) })).items).toHaveLength(11);
    expect((await q({ q: "100%_" })).items.map((m) => m.title)).toEqual(["垃圾分类 100%_达标"]);
    expect((await q({ q: "%" })).items.map((m) => m.title)).toEqual(["垃圾分类 100%_达标"]);
    // "collecting" is not a public state: a visitor's filter falls back to the public record
    expect((await q({ state: "collecting" })).items).toHaveLength(20);
  });

  it("masks names as the community says", () => {
    expect(maskName("王阿姨")).toBe("王**");
    expect(maskName("李")).toBe("*");
    expect(maskName("欧阳娜娜")).toBe("欧**");
  });
});
