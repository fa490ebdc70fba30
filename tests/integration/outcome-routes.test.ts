import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { commitments, matters, memberships, outcomes, ratings } from "../../db/schema";
import * as outcomeRoute from "../../app/routes/matters.$matterId_.outcome";
import * as matterPage from "../../app/routes/matters.$matterId";
import { testDatabase } from "../support/db";
import { actorOf, grant, makeCategory, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";
import type { Actor } from "../../app/modules/accounts/actor";

let database: Database;
let staff: Actor;
let resident: Actor;
let matterId: number;
/** Longer than any text field takes, while a form of several stays within the 4 MB a body may be (9 bytes a character, URL-encoded). */
const LONG = "事".repeat(60_000);

beforeAll(async () => {
  database = await testDatabase();
  const tree = await makeTree(database.db);
  const categoryId = (await makeCategory(database.db, tree.county.id)).id;
  const s = await makeUser(database.db);
  await grant(database.db, s.id, "committee", tree.a1.id);
  staff = await actorOf(database.db, s.id);
  const r = await makeUser(database.db);
  await database.db.insert(memberships).values({ userId: r.id, communityId: tree.a1.id, status: "verified", address: "1 号楼" });
  resident = await actorOf(database.db, r.id);
  const [m] = await database.db
    .insert(matters)
    .values({ communityId: tree.a1.id, proposerId: s.id, state: "decided", title: "t", description: "d", categoryId, affectedArea: "a", desiredOutcome: "o" })
    .returning();
  matterId = m.id;
});
afterAll(() => database.close());

const row = (i: number, v: Record<string, string>) => Object.fromEntries(Object.entries(v).map(([k, x]) => [`commitments[${i}].${k}`, x]));

describe("outcome forms", () => {
  it("refuse bad input with field messages and change nothing", async () => {
    for (const fields of [
      {},
      { decision: "决定" },
      { decision: LONG, ...row(0, { title: "t", responsibleUnit: "u", dueDate: "2027-01-01" }) },
      { decision: "决定", ...row(0, { title: "t", responsibleUnit: "u", dueDate: "next year" }) },
      { decision: "决定", ...row(0, { title: "<script>x</script>", responsibleUnit: "u", dueDate: "2027-01-01" }) },
      { decision: "决定", ...row(0, { title: "t", responsibleUnit: "", dueDate: "2027-01-01" }) },
    ]) {
      const r = await callRoute(outcomeRoute.action, { body: formBody(fields), params: { matterId: String(matterId) }, context: loadContext(database.db, staff) });
      expect(r.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(Object.keys(r.data.result.error ?? {}).length).toBeGreaterThan(0);
    }
    const byResident = await callRoute(outcomeRoute.action, {
      body: formBody({ decision: "决定", ...row(0, { title: "t", responsibleUnit: "u", dueDate: "2027-01-01" }) }),
      params: { matterId: String(matterId) },
      context: loadContext(database.db, resident),
    });
    expect(byResident.status).toBe(403);
    expect(Number((await database.db.select({ n: count() }).from(outcomes))[0].n)).toBe(0);
  });

  it("record, update to done, complete, rate: all through the pages' own forms", async () => {
    const ok = await callRoute(outcomeRoute.action, {
      body: formBody({ decision: "修路灯", ...row(0, { title: "采购", responsibleUnit: "居委会", dueDate: "2027-01-01" }), ...row(1, { title: "", responsibleUnit: "", dueDate: "" }) }),
      params: { matterId: String(matterId) },
      context: loadContext(database.db, staff),
    });
    expect(ok.status).toBe(302);
    const [c] = await database.db.select().from(commitments).where(eq(commitments.matterId, matterId));
    const post = (actor: Actor, fields: Record<string, string>) => callRoute(matterPage.action, { body: formBody(fields), params: { matterId: String(matterId) }, context: loadContext(database.db, actor) });
    expect((await post(staff, { intent: `update-${c.id}`, commitmentId: String(c.id), body: "x", progress: "150", status: "in_progress" })).status).toBe(400);
    expect((await post(staff, { intent: `update-${c.id}`, commitmentId: String(c.id), body: "x", progress: "0", status: "cancelled" })).status).toBe(400);
    expect((await post(resident, { intent: `update-${c.id}`, commitmentId: String(c.id), body: "x", progress: "10", status: "in_progress" })).status).toBe(403);
    expect((await post(resident, { intent: "rate", score: "5" })).status).toBe(409); // not completed yet
    expect((await post(staff, { intent: `update-${c.id}`, commitmentId: String(c.id), body: "完成", progress: "100", status: "done" })).status).toBe(302);
    expect((await post(resident, { intent: "rate", score: "9" })).status).toBe(400);
    expect((await post(resident, { intent: "rate", score: "4", comment: "很好" })).status).toBe(302);
    expect(await database.db.select().from(ratings)).toHaveLength(1);
    expect((await post(staff, { intent: "reopen", reason: "再议" })).status).toBe(409); // not a poor result
    const page = await callRoute(matterPage.loader, { params: { matterId: String(matterId) }, context: loadContext(database.db, null) });
    expect(page.data.matter.state).toBe("completed");
    expect(page.data.outcome.rating).toMatchObject({ count: 1, average: 4, poor: false });
  });
});
