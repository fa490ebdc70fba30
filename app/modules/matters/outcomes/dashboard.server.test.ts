import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { areas, commitments, matterEvents, matters, outcomes, ratings, memberships } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, makeCategory, makeTree, makeUser } from "../../../../tests/support/factories";
import { callRoute, loadContext } from "../../../../tests/support/remix";
import * as dashboardPage from "../../../routes/communities.$areaId.dashboard";
import * as csvRoute from "../../../routes/communities.$areaId.dashboard[.csv]";
import * as jsonRoute from "../../../routes/communities.$areaId.dashboard[.json]";
import type { Actor } from "../../accounts/actor";
import { fixedClock } from "../../shared/clock";
import { DomainError } from "../../shared/errors";
import type { MatterState } from "../states";
import { getDashboard } from "./dashboard.server";
import { csvCell, getExport, toCsv } from "./export.server";

const DAY = 86_400_000;
const T0 = new Date("2026-09-01T02:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const PHONES = ["13912345678", "13712340000", "15800001111"];
const ID_NO = "11010119900307451X";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let categoryId: number;
let a1Committee: Actor;
let townAdmin: Actor;
let countyAdmin: Actor;
let resident: Actor;
let ownerName: string;

/**
 * A matter written straight into the tables with a known history: submitted on day 0, decided and
 * completed on the given days (events as the timeline stores them), in the given state.
 */
async function matterWith(communityId: number, proposerId: number, state: MatterState, opts: { decided?: number; completed?: number; title?: string } = {}) {
  const [m] = await database.db
    .insert(matters)
    .values({ communityId, proposerId, state, title: opts.title ?? `议题 ${state}`, description: "d", categoryId, affectedArea: "a", desiredOutcome: "o", submittedAt: state === "draft" ? null : at(0) })
    .returning();
  const events: (typeof matterEvents.$inferInsert)[] = [];
  if (opts.decided !== undefined) events.push({ matterId: m.id, kind: "closeVote", fromState: "voting", toState: "decided", createdAt: at(opts.decided) });
  if (opts.completed !== undefined) events.push({ matterId: m.id, kind: "complete", fromState: "implementing", toState: "completed", createdAt: at(opts.completed) });
  if (events.length) await database.db.insert(matterEvents).values(events);
  return m.id;
}

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  tree = await makeTree(db);
  categoryId = (await makeCategory(db, tree.county.id)).id;
  // a1 masks names, a2 shows real names
  await db.update(areas).set({ publicNames: "masked" }).where(eq(areas.id, tree.a1.id));
  await db.update(areas).set({ publicNames: "real" }).where(eq(areas.id, tree.a2.id));
  const c = await makeUser(db, { name: "陈书记" });
  await grant(db, c.id, "committee", tree.a1.id);
  a1Committee = await actorOf(db, c.id);
  const ta = await makeUser(db);
  await grant(db, ta.id, "town_admin", tree.townA.id);
  townAdmin = await actorOf(db, ta.id);
  const ca = await makeUser(db);
  await grant(db, ca.id, "county_admin", tree.county.id);
  countyAdmin = await actorOf(db, ca.id);
  // proposers and owners sign in with phone numbers; one even chose the number as their name
  const wang = await makeUser(db, { phone: PHONES[0], name: "王阿姨" });
  const numberName = await makeUser(db, { phone: PHONES[1], name: PHONES[1] });
  const owner = await makeUser(db, { phone: PHONES[2], name: "物业李经理" });
  ownerName = owner.displayName;
  await db.insert(memberships).values({ userId: wang.id, communityId: tree.a1.id, status: "verified", address: "3 号楼 2 单元 101" });
  resident = await actorOf(db, wang.id);

  // a1: completed (decided day 4, completed day 10), implementing (decided day 2), collecting, and a draft
  const done1 = await matterWith(tree.a1.id, wang.id, "completed", { decided: 4, completed: 10 });
  const impl = await matterWith(tree.a1.id, wang.id, "implementing", { decided: 2, title: `修车棚 联系 ${PHONES[0]} 身份证 ${ID_NO}` });
  await matterWith(tree.a1.id, wang.id, "collecting");
  await matterWith(tree.a1.id, wang.id, "draft");
  // a2: completed (decided day 10, completed day 11)
  const done2 = await matterWith(tree.a2.id, numberName.id, "completed", { decided: 10, completed: 11 });
  // b1 (another town): decided in 30 days, rated 1 — must not reach town A's figures
  const other = await matterWith(tree.b1.id, wang.id, "completed", { decided: 30, completed: 31 });

  const now = at(40);
  for (const id of [done1, impl, done2, other]) await db.insert(outcomes).values({ matterId: id, decision: "决定", recordedAt: at(5), response: id === done2 ? "我们会改进" : null });
  await db.insert(commitments).values([
    { matterId: impl, title: "=HYPERLINK(\"http://evil\")", responsibleUnit: "物业公司", ownerId: owner.id, dueDate: "2026-09-20" }, // overdue on day 40
    { matterId: impl, title: "安装车棚", responsibleUnit: "居委会", dueDate: "2027-03-01" }, // not yet due
    { matterId: done1, title: "已完成", responsibleUnit: "居委会", dueDate: "2026-09-05", status: "done", progress: 100 }, // past due but done
    { matterId: done2, title: "@SUM(1)", responsibleUnit: "-1+1", ownerId: owner.id, dueDate: "2026-09-05", status: "done", progress: 100 },
    { matterId: other, title: "乙镇事项", responsibleUnit: "乙镇", dueDate: "2026-09-02" },
  ]);
  // the implementing one in b1 is overdue too, but b1 is outside town A
  const otherImpl = await matterWith(tree.b1.id, wang.id, "implementing", { decided: 1 });
  await db.insert(outcomes).values({ matterId: otherImpl, decision: "d", recordedAt: at(2) });
  await db.insert(commitments).values({ matterId: otherImpl, title: "乙镇逾期", responsibleUnit: "乙镇", dueDate: "2026-09-03" });
  const raters = await Promise.all([0, 1, 2, 3].map(() => makeUser(db)));
  await db.insert(ratings).values([
    { matterId: done1, userId: raters[0].id, score: 5, updatedAt: now },
    { matterId: done1, userId: raters[1].id, score: 4, updatedAt: now },
    { matterId: done2, userId: raters[2].id, score: 1, updatedAt: now },
    { matterId: other, userId: raters[3].id, score: 1, updatedAt: now },
  ]);
});
afterAll(() => database.close());

const ctxAt = (actor: Actor | null) => context(database.db, actor, fixedClock(at(40))).ctx;

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return "ok";
}

describe("committee dashboard", () => {
  it("a community's committee sees its states, medians from the timeline, overdue commitments and average satisfaction", async () => {
    const d = await getDashboard(ctxAt(a1Committee), tree.a1.id);
    expect(d.total.byState).toEqual({ completed: 1, implementing: 1, collecting: 1 }); // the draft is not counted
    expect(d.total.matters).toBe(3);
    expect(d.total.medianDaysToDecision).toBe(3); // 4 and 2 days
    expect(d.total.medianDaysToCompletion).toBe(6); // 10 − 4
    expect(d.total.decidedCount).toBe(2);
    expect(d.total.overdue).toBe(1);
    expect(d.overdue.map((c) => c.title)).toEqual(['=HYPERLINK("http://evil")']);
    expect(d.total.ratingAverage).toBe(4.5);
    expect(d.total.ratingCount).toBe(2);
    expect(d.communities.map((c) => c.id)).toEqual([tree.a1.id]);
  });

  it("a town rolls up its communities only, with a row for each", async () => {
    const d = await getDashboard(ctxAt(townAdmin), tree.townA.id);
    expect(d.total.matters).toBe(4);
    expect(d.total.byState).toEqual({ completed: 2, implementing: 1, collecting: 1 });
    expect(d.total.medianDaysToDecision).toBe(4); // 4, 2, 10
    expect(d.total.medianDaysToCompletion).toBe(3.5); // 6 and 1
    expect(d.total.overdue).toBe(1); // b1's overdue commitment is in another town
    expect(d.total.ratingAverage).toBe(3.3); // (5 + 4 + 1) / 3
    expect(d.total.ratedMatters).toBe(2);
    const rows = Object.fromEntries(d.communities.map((c) => [c.id, c]));
    expect(Object.keys(rows).map(Number).sort()).toEqual([tree.a1.id, tree.a2.id].sort());
    expect(rows[tree.a2.id]).toMatchObject({ matters: 1, medianDaysToDecision: 10, medianDaysToCompletion: 1, ratingAverage: 1, overdue: 0 });
    expect(rows[tree.a1.id]).toMatchObject({ matters: 3, medianDaysToDecision: 3, ratingAverage: 4.5, overdue: 1 });
    const county = await getDashboard(ctxAt(countyAdmin), tree.county.id);
    expect(county.total.matters).toBe(6);
    expect(county.total.overdue).toBe(2);
    expect(county.communities).toHaveLength(3);
  });

  it("is only for the committee and the admins above it", async () => {
    expect(await refusal(getDashboard(ctxAt(a1Committee), tree.a2.id))).toBe("forbidden");
    expect(await refusal(getDashboard(ctxAt(a1Committee), tree.townA.id))).toBe("forbidden");
    expect(await refusal(getDashboard(ctxAt(townAdmin), tree.b1.id))).toBe("forbidden");
    expect(await refusal(getDashboard(ctxAt(townAdmin), tree.townB.id))).toBe("forbidden");
    expect(await refusal(getDashboard(ctxAt(resident), tree.a1.id))).toBe("forbidden");
    expect(await refusal(getDashboard(ctxAt(null), tree.a1.id))).toBe("unauthenticated");
    expect(await refusal(getDashboard(ctxAt(countyAdmin), 999_999))).toBe("not_found");
    expect(await refusal(getExport(ctxAt(resident), tree.a1.id))).toBe("forbidden");
  });

  it("the page and the exports answer 403/404 to the wrong people and mangled ids", async () => {
    const get = (fn: typeof csvRoute.loader, actor: Actor | null, areaId: string) => callRoute(fn, { params: { areaId }, context: loadContext(database.db, actor) });
    for (const fn of [dashboardPage.loader, csvRoute.loader, jsonRoute.loader]) {
      expect((await get(fn, resident, String(tree.a1.id))).status).toBe(403);
      expect((await get(fn, a1Committee, String(tree.a2.id))).status).toBe(403);
      expect((await get(fn, a1Committee, "abc")).status).toBe(404);
      expect((await get(fn, a1Committee, "99999999")).status).toBe(404);
      expect((await get(fn, null, String(tree.a1.id))).status).toBe(302);
    }
    const page = await get(dashboardPage.loader, townAdmin, String(tree.townA.id));
    expect(page.status).toBe(200);
    expect(page.data.total.matters).toBe(4);
  });
});

describe("exports", () => {
  it("carry matters, outcomes and commitments of the subtree with public names only: no phone or ID numbers", async () => {
    const csv = await callRoute(csvRoute.loader, { params: { areaId: String(tree.townA.id) }, context: loadContext(database.db, townAdmin) });
    const json = await callRoute(jsonRoute.loader, { params: { areaId: String(tree.townA.id) }, context: loadContext(database.db, townAdmin) });
    expect(csv.status).toBe(200);
    expect(json.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const csvText = csv.data.text as string;
    const jsonText = JSON.stringify(json.data);
    for (const text of [csvText, jsonText]) {
      for (const p of PHONES) expect(text).not.toContain(p);
      expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
      expect(text).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/);
      expect(text).not.toContain("3 号楼"); // no addresses
      expect(text).not.toContain("乙镇"); // nothing from the other town
    }
    // a1 masks names, a2 shows them; the owner follows the same rule; a name made of digits is always masked
    const data = json.data as Awaited<ReturnType<typeof getExport>>;
    expect(data.matters).toHaveLength(4);
    const byTitle = (s: string) => data.matters.find((m) => m.title.includes(s))!;
    expect(byTitle("修车棚").proposer).toBe("王**");
    expect(byTitle("修车棚").title).toBe("修车棚 联系 […] 身份证 […]");
    expect(byTitle("修车棚").decidedAt).toBe(at(2).toISOString());
    expect(byTitle("修车棚").commitments.map((c) => c.owner)).toEqual(["物**", null]);
    const a2 = data.matters.find((m) => m.communityId === tree.a2.id)!;
    expect(a2.proposer).toBe("1**");
    expect(a2.commitments[0].owner).toBe(ownerName);
    expect(a2.outcome).toMatchObject({ decision: "决定", response: "我们会改进", ratingAverage: 1, ratingCount: 1 });
    expect(csvText).toContain("王**");
  });

  it("CSV opens in Excel in Chinese and keeps formulas as text", async () => {
    const data = await getExport(ctxAt(countyAdmin), tree.townA.id);
    const text = toCsv(data);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split("\r\n");
    expect(lines[0].split(",")).toContain("commitment_status");
    // one row per commitment, one for a matter without any: 2 + 1 + 1 (collecting) + 1
    expect(lines).toHaveLength(1 + 5);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(`"'@SUM(1)"`);
    expect(text).toContain(`"'-1+1"`);
    expect(text).not.toMatch(/(^|,)[=+@-]/m);
    expect(csvCell("+86")).toBe(`"'+86"`);
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell(5)).toBe("5");
    expect(csvCell(null)).toBe("");
  });
});
