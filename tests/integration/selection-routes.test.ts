import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { matters, memberships, panelFixedSeats, panelPlans, panelRegistrations } from "../../db/schema";
import * as selectionRoute from "../../app/routes/matters.$matterId_.selection";
import * as recordRoute from "../../app/routes/matters.$matterId_.selection[.json]";
import * as verifyRoute from "../../app/routes/selection.verify";
import { testDatabase } from "../support/db";
import { beijingWallTime, DAY } from "../support/time";
import { actorOf, grant, makeCategory, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";
import type { Actor } from "../../app/modules/accounts/actor";

let database: Database;
let staff: Actor;
let resident: Actor;
let outsider: Actor;
let matterId: number;
let meetingMatterId: number;
/** Longer than any text field takes, while a form of several stays within the 4 MB a body may be (9 bytes a character, URL-encoded). */
const LONG = "事".repeat(60_000);
const future = beijingWallTime(new Date(Date.now() + 3 * DAY), "T");

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
  const o = await makeUser(database.db);
  await database.db.insert(memberships).values({ userId: o.id, communityId: tree.b1.id, status: "verified", address: "2 号楼" });
  outsider = await actorOf(database.db, o.id);
  const base = { communityId: tree.a1.id, proposerId: s.id, title: "t", description: "d", categoryId, affectedArea: "a", desiredOutcome: "o" };
  matterId = (await database.db.insert(matters).values({ ...base, state: "selecting", form: "panel" }).returning())[0].id;
  meetingMatterId = (await database.db.insert(matters).values({ ...base, state: "scheduled", form: "meeting" }).returning())[0].id;
});
afterAll(() => database.close());

const post = (actor: Actor | null, fields: Record<string, string | undefined>, id = String(matterId)) =>
  callRoute(selectionRoute.action, { body: formBody(fields), params: { matterId: id }, context: loadContext(database.db, actor) });

describe("selection page", () => {
  it("refuses bad plans with a field message and stores nothing", async () => {
    for (const fields of [
      { intent: "plan" },
      { intent: "plan", panelSize: "1", quotas: "性别,男,0,2", registrationDeadline: future, responseDays: "3" },
      { intent: "plan", panelSize: "abc", quotas: "性别,男,0,2", registrationDeadline: future, responseDays: "3" },
      { intent: "plan", panelSize: "5", quotas: "性别,男,3,1", registrationDeadline: future, responseDays: "3" },
      { intent: "plan", panelSize: "5", quotas: "性别,男,x,2", registrationDeadline: future, responseDays: "3" },
      { intent: "plan", panelSize: "5", quotas: "<b>性别</b>,男,0,2", registrationDeadline: future, responseDays: "3" },
      { intent: "plan", panelSize: "5", quotas: LONG, registrationDeadline: future, responseDays: "3" },
      { intent: "plan", panelSize: "5", quotas: "性别,男,0,2", registrationDeadline: "tomorrow", responseDays: "3" },
      { intent: "plan", panelSize: "5", quotas: "性别,男,0,2", registrationDeadline: future, responseDays: "99" },
    ]) {
      const r = await post(staff, fields);
      expect(r.status, JSON.stringify(fields).slice(0, 90)).toBe(400);
      expect(Object.keys(r.data.result.error ?? {}).length).toBeGreaterThan(0);
    }
    expect((await post(resident, { intent: "plan", panelSize: "5", quotas: "性别,男,0,2", registrationDeadline: future, responseDays: "3" })).status).toBe(403);
    expect((await post(null, { intent: "plan" })).status).toBe(302); // to sign in
    expect((await post(staff, { intent: "nonsense" })).status).toBe(400);
    expect(Number((await database.db.select({ n: count() }).from(panelPlans))[0].n)).toBe(0);
  });

  it("a plan, a registration and its refusals, through the page's own forms", async () => {
    const ok = await post(staff, { intent: "plan", panelSize: "3", quotas: "category,value,min,max\n性别,男,0,3\n性别,女,0,3", registrationDeadline: future, responseDays: "3", onePerHousehold: "on" });
    expect(ok.status).toBe(302);
    expect((await post(resident, { intent: "register", a0: "火星人" })).status).toBe(400);
    expect((await post(resident, { intent: "register" })).status).toBe(400);
    expect((await post(outsider, { intent: "register", a0: "男" })).status).toBe(403); // a resident of another community may read, not register
    expect((await post(resident, { intent: "register", a0: "男" })).status).toBe(302);
    expect((await post(resident, { intent: "register", a0: "男" })).status).toBe(409);
    expect((await post(staff, { intent: "seat", name: "", reason: "expert" })).status).toBe(400);
    expect((await post(staff, { intent: "seat", name: "王工", reason: "astronaut" })).status).toBe(400);
    expect((await post(staff, { intent: "seat", name: "王工", reason: "expert", login: "nobody_here" })).status).toBe(400);
    expect((await post(staff, { intent: "removeSeat", seatId: "not-a-number" })).status).toBe(400);
    expect((await post(staff, { intent: "removeSeat", seatId: "999999" })).status).toBe(404);
    for (const pool of ["", "id,household,性别\n纸-1,2 号,火星人", "id,household\n纸-1,2 号", "not,a,pool"]) {
      const r = await post(staff, { intent: "pool", pool });
      expect(r.status, pool).toBe(400);
      expect(Object.keys(r.data.result.error ?? {})).toContain("pool");
    }
    expect((await post(resident, { intent: "pool", pool: "id,household,性别\n纸-1,2 号,男" })).status).toBe(403);
    expect((await post(staff, { intent: "draw", entropy: "1 2 3", confirm: "yes" })).status).toBe(409); // nothing computed yet
    expect((await post(staff, { intent: "compute" })).status).toBe(409); // registration still open
    for (const budgetSeconds of ["abc", "4", "601", "1.5"]) {
      const r = await post(staff, { intent: "compute", budgetSeconds });
      expect(r.status, budgetSeconds).toBe(400);
      expect(Object.keys(r.data.result.error ?? {})).toContain("budgetSeconds");
    }
    expect((await post(staff, { intent: "cancelCompute" })).status).toBe(409); // nothing is being worked out
    expect((await post(resident, { intent: "cancelCompute" })).status).toBe(403);
    expect((await post(resident, { intent: "answer", memberId: "1", answer: "maybe" })).status).toBe(400);
    expect(await database.db.select().from(panelRegistrations).where(eq(panelRegistrations.matterId, matterId))).toHaveLength(1);
    expect(await database.db.select().from(panelFixedSeats)).toHaveLength(0);
    // the page shows the plan and the resident's pseudonym, never the secret
    const page = await callRoute(selectionRoute.loader, { params: { matterId: String(matterId) }, context: loadContext(database.db, resident) });
    expect(page.status).toBe(200);
    expect(page.data.selection.viewer.registration.pseudonym).toMatch(/^P-[0-9a-f]{8}$/);
    expect(JSON.stringify(page.data)).not.toContain('"secret"');
  });

  it("answers 404 for a mangled id, a matter that is not a panel, and a record not yet published", async () => {
    for (const id of ["abc", "0", "-1", "1e3", "99999999999"]) {
      const r = await callRoute(selectionRoute.loader, { params: { matterId: id }, context: loadContext(database.db, null) });
      expect(r.status, id).toBeGreaterThanOrEqual(400);
      expect(r.status, id).toBeLessThan(500);
    }
    expect((await callRoute(selectionRoute.loader, { params: { matterId: String(meetingMatterId) }, context: loadContext(database.db, staff) })).status).toBe(404);
    expect((await callRoute(recordRoute.loader, { params: { matterId: String(matterId) }, context: loadContext(database.db, null) })).status).toBe(404);
  });

  it("the public check page refuses what is not a record, without a 500", async () => {
    for (const record of ["", "not json", "[]", '{"version":1}', LONG]) {
      const r = await callRoute(verifyRoute.action, { body: formBody({ intent: "verify", record }), context: loadContext(database.db, null) });
      expect(r.status).toBeLessThan(500);
      if (r.status === 200) expect(r.data.verification.ok).toBe(false);
    }
  });
});
