import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { areas, ledgerEntries, memberships, notifications, roleGrants } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, grant, join, makeTree, makeUser } from "../../../tests/support/factories";
import { DomainError } from "../shared/errors";
import { verifyLedger } from "../ledger/ledger.server";
import { createArea, decideMembership, getAreaPage, grantRole, listMembers, requestMembership } from "./communities.server";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
});
afterAll(() => database.close());

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return "ok";
}

describe("joining a community", () => {
  it("a request is pending, the committee is notified, and the committee verifies it", async () => {
    const committee = await makeUser(database.db, { name: "陈书记" });
    await grant(database.db, committee.id, "committee", tree.a1.id);
    const resident = await makeUser(database.db, { name: "王阿姨" });

    const { ctx, events } = context(database.db, await actorOf(database.db, resident.id));
    const { membershipId } = await requestMembership(ctx, tree.a1.id, { address: "3 号楼 2 单元" });
    expect(events.map((e) => e.type)).toEqual(["notification.created", "membership.requested"]);
    const [note] = await database.db.select().from(notifications).where(eq(notifications.userId, committee.id));
    expect(note).toMatchObject({ kind: "notify.membership.requested", link: `/communities/${tree.a1.id}/members` });

    const staff = context(database.db, await actorOf(database.db, committee.id));
    const list = await listMembers(staff.ctx, tree.a1.id);
    expect(list.pending.map((p) => p.id)).toEqual([membershipId]);
    await decideMembership(staff.ctx, { decision: "verify", membershipId });
    expect(staff.events).toContainEqual(expect.objectContaining({ type: "notification.created", userId: resident.id, kind: "notify.membership.verified" }));

    const page = await getAreaPage(context(database.db, await actorOf(database.db, resident.id)).ctx, tree.a1.id);
    expect(page.membership?.status).toBe("verified");
    expect(page.canJoin).toBe(false);
    const entries = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.stream, `area:${tree.a1.id}`));
    expect(entries.map((e) => e.action)).toEqual(["membership.requested", "membership.verified"]);
    expect((await verifyLedger(database.db)).ok).toBe(true);
  });

  it("cannot be asked twice while pending, and can be asked again after a decline with a reason", async () => {
    const committee = await makeUser(database.db);
    await grant(database.db, committee.id, "committee", tree.a2.id);
    const resident = await makeUser(database.db);
    const { ctx } = context(database.db, await actorOf(database.db, resident.id));
    const { membershipId } = await requestMembership(ctx, tree.a2.id, { address: "1 栋" });
    expect(await codeOf(requestMembership(ctx, tree.a2.id, { address: "1 栋" }))).toBe("conflict");
    const staff = context(database.db, await actorOf(database.db, committee.id));
    await decideMembership(staff.ctx, { decision: "decline", membershipId, reason: "地址不在本社区" });
    expect(await codeOf(decideMembership(staff.ctx, { decision: "verify", membershipId }))).toBe("invalid_state");
    const again = context(database.db, await actorOf(database.db, resident.id));
    await requestMembership(again.ctx, tree.a2.id, { address: "2 栋" });
    const [m] = await database.db.select().from(memberships).where(eq(memberships.id, membershipId));
    expect(m).toMatchObject({ status: "pending", address: "2 栋", declineReason: null });
  });

  it("a committee member of another community cannot see or decide the request, and nothing changes", async () => {
    const outsider = await makeUser(database.db);
    await grant(database.db, outsider.id, "committee", tree.b1.id);
    const resident = await makeUser(database.db);
    const { membershipId } = await requestMembership(context(database.db, await actorOf(database.db, resident.id)).ctx, tree.a1.id, { address: "9 号楼" });
    const other = context(database.db, await actorOf(database.db, outsider.id));
    expect(await codeOf(listMembers(other.ctx, tree.a1.id))).toBe("forbidden");
    expect(await codeOf(decideMembership(other.ctx, { decision: "verify", membershipId }))).toBe("forbidden");
    expect(other.events).toEqual([]);
    const [m] = await database.db.select().from(memberships).where(eq(memberships.id, membershipId));
    expect(m.status).toBe("pending");
  });

  it("a resident cannot verify themselves, and a town or county cannot be joined", async () => {
    const self = await makeUser(database.db);
    await grant(database.db, self.id, "committee", tree.b1.id);
    const me = context(database.db, await actorOf(database.db, self.id));
    const { membershipId } = await requestMembership(me.ctx, tree.b1.id, { address: "第四村民小组" });
    const me2 = context(database.db, await actorOf(database.db, self.id));
    expect(await codeOf(decideMembership(me2.ctx, { decision: "verify", membershipId }))).toBe("forbidden");
    expect(await codeOf(requestMembership(me2.ctx, tree.townA.id, { address: "x" }))).toBe("invalid_state");
    expect(await codeOf(requestMembership(context(database.db, null).ctx, tree.a1.id, { address: "x" }))).toBe("unauthenticated");
    expect(await codeOf(requestMembership(me2.ctx, 999_999, { address: "x" }))).toBe("not_found");
  });

  it("a verified membership shows in the actor loaded from the session", async () => {
    const u = await makeUser(database.db);
    await join(database.db, u.id, tree.a1.id, "verified");
    expect((await actorOf(database.db, u.id)).memberships).toEqual([{ communityId: tree.a1.id, communityPath: tree.a1.path, status: "verified" }]);
  });
});

describe("administration", () => {
  it("a town admin creates a community in their town but not in another town, nor a town", async () => {
    const admin = await makeUser(database.db);
    await grant(database.db, admin.id, "town_admin", tree.townA.id);
    const { ctx } = context(database.db, await actorOf(database.db, admin.id));
    const c = await createArea(ctx, { parentId: tree.townA.id, name: "新社区", communityType: "rural", residents: 800, households: 260 });
    expect(c).toMatchObject({ kind: "community", path: `${tree.townA.path}${c.id}/`, communityType: "rural" });
    expect(await codeOf(createArea(ctx, { parentId: tree.townB.id, name: "越权社区", communityType: "urban", residents: 1, households: 1 }))).toBe("forbidden");
    expect(await codeOf(createArea(ctx, { parentId: tree.county.id, name: "越权镇", residents: 1, households: 1 }))).toBe("forbidden");
    expect((await database.db.select().from(areas).where(eq(areas.name, "越权社区"))).length).toBe(0);
  });

  it("a county admin appoints committee members; a town admin cannot appoint a town admin", async () => {
    const county = await makeUser(database.db);
    await grant(database.db, county.id, "county_admin", tree.county.id);
    const town = await makeUser(database.db);
    await grant(database.db, town.id, "town_admin", tree.townA.id);
    const target = await makeUser(database.db, { username: "future_committee" });
    const c = context(database.db, await actorOf(database.db, county.id));
    await grantRole(c.ctx, { identifier: "future_committee", role: "committee", areaId: tree.a2.id });
    expect(await codeOf(grantRole(c.ctx, { identifier: "future_committee", role: "committee", areaId: tree.a2.id }))).toBe("conflict");
    expect(await codeOf(grantRole(c.ctx, { identifier: "future_committee", role: "committee", areaId: tree.townA.id }))).toBe("validation");
    expect(await codeOf(grantRole(c.ctx, { identifier: "no_such_user", role: "committee", areaId: tree.a2.id }))).toBe("validation");
    const t = context(database.db, await actorOf(database.db, town.id));
    expect(await codeOf(grantRole(t.ctx, { identifier: "future_committee", role: "town_admin", areaId: tree.townA.id }))).toBe("forbidden");
    expect(await codeOf(grantRole(t.ctx, { identifier: "future_committee", role: "committee", areaId: tree.b1.id }))).toBe("forbidden");
    const grants = await database.db.select().from(roleGrants).where(eq(roleGrants.userId, target.id));
    expect(grants.map((g) => [g.role, g.areaId])).toEqual([["committee", tree.a2.id]]);
  });
});
