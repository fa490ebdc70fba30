import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { commitments, matterEvents, matters, memberships, notifications, outcomes, panelMembers, ratings } from "../../db/schema";
import * as matterPage from "../../app/routes/matters.$matterId";
import { testDatabase } from "../support/db";
import { actorOf, grant, makeCategory, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";
import type { Actor } from "../../app/modules/accounts/actor";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let categoryId: number;
let staff: Actor;
let resident: Actor;
let ownerUser: { id: number; phone: string | null; username: string | null };
let owner: Actor;
let stranger: Actor;
let proposerId: number;

async function matterIn(state: "implementing" | "completed" | "decided", communityId = tree.a1.id) {
  const [m] = await database.db
    .insert(matters)
    .values({ communityId, proposerId, state, title: "东门路灯", description: "d", categoryId, affectedArea: "a", desiredOutcome: "o", submittedAt: new Date() })
    .returning();
  const now = Date.now();
  await database.db.insert(outcomes).values({
    matterId: m.id,
    decision: "修",
    recordedAt: new Date(),
    ...(state === "completed" ? { ratingOpensAt: new Date(now - 60_000), ratingClosesAt: new Date(now + 86_400_000) } : {}),
  });
  const [c] = await database.db.insert(commitments).values({ matterId: m.id, title: "采购路灯", responsibleUnit: "居委会", dueDate: "2027-01-01" }).returning();
  return { id: m.id, commitmentId: c.id };
}

const post = (matterId: number, actor: Actor | null, fields: Record<string, string>) =>
  callRoute(matterPage.action, { body: formBody(fields), params: { matterId: String(matterId) }, context: loadContext(database.db, actor) });
const commitmentRows = async (matterId: number) => database.db.select().from(commitments).where(eq(commitments.matterId, matterId));

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  tree = await makeTree(db);
  categoryId = (await makeCategory(db, tree.county.id)).id;
  const s = await makeUser(db, { name: "陈书记" });
  await grant(db, s.id, "committee", tree.a1.id);
  staff = await actorOf(db, s.id);
  proposerId = s.id;
  const r = await makeUser(db);
  await db.insert(memberships).values({ userId: r.id, communityId: tree.a1.id, status: "verified", address: "1 号楼" });
  resident = await actorOf(db, r.id);
  ownerUser = await makeUser(db, { phone: "13900001234", name: "物业王经理" });
  owner = await actorOf(db, ownerUser.id);
  stranger = await actorOf(db, (await makeUser(db)).id);
});
afterAll(() => database.close());

describe("owner assignment from the matter page", () => {
  it("refuses bad input and the wrong people with a 4xx and changes nothing", async () => {
    const m = await matterIn("implementing");
    const other = await matterIn("implementing", tree.a2.id);
    const before = await commitmentRows(m.id);
    const events = async () => Number((await database.db.select({ n: count() }).from(matterEvents).where(eq(matterEvents.matterId, m.id)))[0].n);
    const eventsBefore = await events();
    const cases: [Actor | null, Record<string, string>, number][] = [
      [staff, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "13900009999" }, 400], // no such account
      [staff, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "12345" }, 400], // not a phone or username
      [staff, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "x".repeat(500) }, 400],
      [staff, { intent: `owner-${m.commitmentId}`, commitmentId: "abc", owner: "13900001234" }, 400],
      [staff, { intent: `owner-${m.commitmentId}`, commitmentId: String(other.commitmentId), owner: "13900001234" }, 404], // another matter's commitment
      [resident, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "13900001234" }, 403],
      [owner, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "13900001234" }, 403],
      [staff, { intent: "add-commitment", title: "安装", responsibleUnit: "物业", dueDate: "next week" }, 400],
      [staff, { intent: "add-commitment", title: "", responsibleUnit: "物业", dueDate: "2027-01-01" }, 400],
      [staff, { intent: "add-commitment", title: "<script>x</script>", responsibleUnit: "物业", dueDate: "2027-01-01" }, 400],
      [resident, { intent: "add-commitment", title: "安装", responsibleUnit: "物业", dueDate: "2027-01-01" }, 403],
    ];
    for (const [actor, fields, status] of cases) {
      const r = await post(m.id, actor, fields);
      expect(r.status, JSON.stringify(fields).slice(0, 100)).toBe(status);
      if (status === 400) expect(Object.keys(r.data.result.error ?? {}).length).toBeGreaterThan(0);
    }
    const unknown = await post(m.id, staff, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "13900009999" });
    expect(unknown.data.result.error.owner[0]).toMatch(/^outcomes.errors.ownerUnknown/);
    expect(await commitmentRows(m.id)).toEqual(before);
    expect(await events()).toBe(eventsBefore);
    // not while implementing: nothing to assign or add
    const completed = await matterIn("completed");
    expect((await post(completed.id, staff, { intent: "add-commitment", title: "安装", responsibleUnit: "物业", dueDate: "2027-01-01" })).status).toBe(409);
    expect((await post(completed.id, staff, { intent: `owner-${completed.commitmentId}`, commitmentId: String(completed.commitmentId), owner: "13900001234" })).status).toBe(409);
    expect(await commitmentRows(completed.id)).toHaveLength(1);
  });

  it("the committee sets the owner by phone or username, the owner is told and may then report progress; adds a commitment", async () => {
    const m = await matterIn("implementing");
    const notices = async () => database.db.select().from(notifications).where(and(eq(notifications.userId, owner.id), eq(notifications.kind, "notify.commitment.assigned")));
    const n0 = (await notices()).length;
    // the owner cannot report before being named
    expect((await post(m.id, owner, { intent: `update-${m.commitmentId}`, commitmentId: String(m.commitmentId), body: "开工", progress: "10", status: "in_progress" })).status).toBe(403);
    expect((await post(m.id, staff, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "+86 139-0000-1234" })).status).toBe(302);
    expect((await commitmentRows(m.id))[0].ownerId).toBe(owner.id);
    expect((await notices()).length).toBe(n0 + 1);
    expect((await post(m.id, owner, { intent: `update-${m.commitmentId}`, commitmentId: String(m.commitmentId), body: "开工", progress: "10", status: "in_progress" })).status).toBe(302);
    // the public timeline says an owner was set, never how they sign in
    const page = await callRoute(matterPage.loader, { params: { matterId: String(m.id) }, context: loadContext(database.db, null) });
    expect(page.data.timeline.map((e: { kind: string }) => e.kind)).toContain("commitmentOwner");
    expect(JSON.stringify(page.data)).not.toContain("13900001234");
    // by username, then cleared
    const second = await makeUser(database.db, { username: "wang_owner", name: "王师傅" });
    expect((await post(m.id, staff, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "Wang_Owner" })).status).toBe(302);
    expect((await commitmentRows(m.id))[0].ownerId).toBe(second.id);
    expect((await post(m.id, staff, { intent: `owner-${m.commitmentId}`, commitmentId: String(m.commitmentId), owner: "" })).status).toBe(302);
    expect((await commitmentRows(m.id))[0].ownerId).toBeNull();
    // add a commitment while implementing
    expect((await post(m.id, staff, { intent: "add-commitment", title: "安装", responsibleUnit: "物业公司", dueDate: "2027-02-01" })).status).toBe(302);
    const rows = await commitmentRows(m.id);
    expect(rows.map((r) => r.title)).toEqual(["采购路灯", "安装"]);
    expect(rows[1]).toMatchObject({ responsibleUnit: "物业公司", dueDate: "2027-02-01", status: "planned" });
  });
});

describe("who rates (群众测评)", () => {
  it("accepted panel members rate even when they are not residents; invited, declined and strangers may not", async () => {
    const m = await matterIn("completed");
    const panellist = await actorOf(database.db, (await makeUser(database.db, { name: "外村代表" })).id);
    const invited = await actorOf(database.db, (await makeUser(database.db)).id);
    const declined = await actorOf(database.db, (await makeUser(database.db)).id);
    const now = new Date();
    await database.db.insert(panelMembers).values([
      { matterId: m.id, userId: panellist.id, source: "lottery", status: "accepted", respondBy: now, invitedAt: now, respondedAt: now },
      { matterId: m.id, userId: invited.id, source: "lottery", status: "invited", respondBy: now, invitedAt: now },
      { matterId: m.id, userId: declined.id, source: "reserve", status: "declined", respondBy: now, invitedAt: now, respondedAt: now },
    ]);
    // a panel member of another matter is no rater here
    const elsewhere = await matterIn("completed");
    await database.db.insert(panelMembers).values({ matterId: elsewhere.id, userId: stranger.id, source: "lottery", status: "accepted", respondBy: now, invitedAt: now });
    for (const a of [invited, declined, stranger]) expect((await post(m.id, a, { intent: "rate", score: "3" })).status).toBe(403);
    expect((await post(m.id, panellist, { intent: "rate", score: "2", comment: "路灯太暗" })).status).toBe(302);
    expect((await post(m.id, resident, { intent: "rate", score: "4" })).status).toBe(302);
    expect((await post(m.id, panellist, { intent: "rate", score: "3" })).status).toBe(302); // changeable, still one
    const rows = await database.db.select().from(ratings).where(eq(ratings.matterId, m.id));
    expect(rows.map((r) => [r.userId, r.score]).sort()).toEqual([[panellist.id, 3], [resident.id, 4]].sort());
    // the page offers the form to the panel member, not to a stranger
    const asPanel = await callRoute(matterPage.loader, { params: { matterId: String(m.id) }, context: loadContext(database.db, panellist) });
    expect(asPanel.data.outcome.canRate).toBe(true);
    const asStranger = await callRoute(matterPage.loader, { params: { matterId: String(m.id) }, context: loadContext(database.db, stranger) });
    expect(asStranger.data.outcome.canRate).toBe(false);
  });
});
