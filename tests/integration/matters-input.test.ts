import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { areas, cosigns, matterEvents, matterMaterials, matters } from "../../db/schema";
import * as newMatter from "../../app/routes/communities.$areaId.matters.new";
import * as matterPage from "../../app/routes/matters.$matterId";
import * as matterList from "../../app/routes/communities.$areaId.matters._index";
import * as settings from "../../app/routes/communities.$areaId.settings";
import { testDatabase } from "../support/db";
import { actorOf, grant, join, makeCategory, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let categoryId: number;
/** Longer than any text field takes, while a form of several stays within the 4 MB a body may be (9 bytes a character, URL-encoded). */
const LONG = "字".repeat(60_000);
const good = { title: "路灯不亮", description: "东门路灯坏了一个月", affectedArea: "东门", desiredOutcome: "修好路灯" };

beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  categoryId = (await makeCategory(database.db, tree.county.id)).id;
});
afterAll(() => database.close());

async function counts() {
  const q = async (t: typeof matters | typeof cosigns | typeof matterEvents | typeof matterMaterials) => Number((await database.db.select({ n: count() }).from(t))[0].n);
  return { matters: await q(matters), cosigns: await q(cosigns), events: await q(matterEvents), materials: await q(matterMaterials) };
}

async function residentCtx(communityId = tree.a1.id) {
  const u = await makeUser(database.db);
  await join(database.db, u.id, communityId, "verified");
  return loadContext(database.db, await actorOf(database.db, u.id));
}

describe("matter forms refuse bad input with field messages and change nothing", () => {
  it("proposal form", async () => {
    const ctx = await residentCtx();
    const before = await counts();
    const bad: Record<string, string>[] = [
      {},
      { ...good, title: "" },
      { ...good, title: "abc" },
      { ...good, title: LONG },
      { ...good, description: LONG },
      { ...good, categoryId: "abc" },
      { ...good, categoryId: "-1" },
      { ...good, title: "<script>alert(1)</script>" },
      { ...good, affectedArea: "<img src=x onerror=alert(1)>" },
    ];
    for (const fields of bad) {
      const r = await callRoute(newMatter.action, { body: formBody({ categoryId: String(categoryId), ...fields }), params: { areaId: String(tree.a1.id) }, context: ctx });
      expect(r.status, JSON.stringify(fields).slice(0, 60)).toBe(400);
      expect(Object.keys(r.data.result.error ?? {}).length).toBeGreaterThan(0);
    }
    // a category of another community's catalogue, or a community that is not theirs
    const foreign = await makeCategory(database.db, tree.b1.id);
    const r1 = await callRoute(newMatter.action, { body: formBody({ ...good, categoryId: String(foreign.id) }), params: { areaId: String(tree.a1.id) }, context: ctx });
    expect(r1.status).toBe(400);
    expect(r1.data.result.error.categoryId).toBeTruthy();
    const r2 = await callRoute(newMatter.action, { body: formBody({ ...good, categoryId: String(categoryId) }), params: { areaId: String(tree.b1.id) }, context: ctx });
    expect(r2.status).toBe(403);
    for (const id of ["x", "0", "99999999"]) {
      const r = await callRoute(newMatter.action, { body: formBody({ ...good, categoryId: String(categoryId) }), params: { areaId: id }, context: ctx });
      expect(r.status).toBe(404);
    }
    expect(await counts()).toEqual(before);
  });

  it("matter page commands", async () => {
    const staffUser = await makeUser(database.db);
    await grant(database.db, staffUser.id, "committee", tree.a1.id);
    const staff = loadContext(database.db, await actorOf(database.db, staffUser.id));
    // a matter under review in a1 (committee proposal), and one in another community
    const stranger = await makeUser(database.db);
    const make = async (communityId: number) => {
      const [m] = await database.db
        .insert(matters)
        .values({ ...good, categoryId, communityId, proposerId: stranger.id, state: "under_review", threshold: 1 })
        .returning();
      return m.id;
    };
    const mine = await make(tree.a1.id);
    const theirs = await make(tree.b1.id);
    const before = await counts();
    const post = (id: number, fields: Record<string, string>) => callRoute(matterPage.action, { body: formBody(fields), params: { matterId: String(id) }, context: staff });
    const cases: [Record<string, string>, number][] = [
      [{}, 400],
      [{ intent: "nonsense" }, 400],
      [{ intent: "command" }, 400],
      [{ intent: "command", command: "explode" }, 400],
      [{ intent: "command", command: "reject" }, 400],
      [{ intent: "command", command: "reject", reason: LONG }, 400],
      [{ intent: "command", command: "reject", reason: "<script>x</script>" }, 400],
      [{ intent: "command", command: "accept", form: "dictatorship" }, 400],
      [{ intent: "command", command: "accept", form: "meeting", targetDate: "tomorrow" }, 400],
      [{ intent: "command", command: "merge", targetId: "abc" }, 400],
      [{ intent: "command", command: "merge", targetId: String(theirs), confirm: "yes" }, 400],
      [{ intent: "command", command: "merge", targetId: String(mine), confirm: "yes" }, 400],
      [{ intent: "command", command: "schedule", scheduledFor: "next week" }, 400],
      [{ intent: "command", command: "openVote" }, 400], // a vote is opened with its question, on its own page
      [{ intent: "materials", title: "x", body: "y", url: "javascript:alert(1)" }, 400],
    ];
    for (const [fields, status] of cases) {
      const r = await post(mine, fields);
      expect(r.status, JSON.stringify(fields).slice(0, 80)).toBe(status);
    }
    // another community's matter: it does not exist for this committee member
    expect((await post(theirs, { intent: "command", command: "accept", form: "meeting" })).status).toBe(404);
    expect((await callRoute(matterPage.action, { body: formBody({ intent: "cosign" }), params: { matterId: "1e9" }, context: staff })).status).toBe(404);
    expect(await counts()).toEqual(before);
    const [m] = await database.db.select().from(matters).where(eq(matters.id, mine));
    expect(m.state).toBe("under_review");
  });

  it("list filters never fail, whatever the query string", async () => {
    for (const qs of ["?page=-5", "?page=abc", "?state=<script>", "?category=x", `?q=${"%".repeat(500)}`, "?q=%27%3B--", "?page=99999999"]) {
      const r = await callRoute(matterList.loader, { url: `/communities/${tree.a1.id}/matters${qs}`, params: { areaId: String(tree.a1.id) }, context: loadContext(database.db, null) });
      expect(r.status, qs).toBe(200);
    }
  });

  it("community rules form: only the committee, only sensible numbers", async () => {
    const staffUser = await makeUser(database.db);
    await grant(database.db, staffUser.id, "committee", tree.a2.id);
    const staff = loadContext(database.db, await actorOf(database.db, staffUser.id));
    const [before] = await database.db.select().from(areas).where(eq(areas.id, tree.a2.id));
    for (const fields of [
      {},
      { thresholdKind: "count", cosignThreshold: "0", noticeDays: "3", publicNames: "masked" },
      { thresholdKind: "count", cosignThreshold: "abc", noticeDays: "3", publicNames: "masked" },
      { thresholdKind: "share", noticeDays: "3", publicNames: "masked" },
      { thresholdKind: "share", sharePercent: "200", noticeDays: "3", publicNames: "masked" },
      { thresholdKind: "count", cosignThreshold: "5", noticeDays: "-1", publicNames: "masked" },
      { thresholdKind: "count", cosignThreshold: "5", noticeDays: "3", publicNames: "everyone" },
    ]) {
      const r = await callRoute(settings.action, { body: formBody(fields), params: { areaId: String(tree.a2.id) }, context: staff });
      expect(r.status, JSON.stringify(fields)).toBe(400);
    }
    const other = await callRoute(settings.action, {
      body: formBody({ thresholdKind: "count", cosignThreshold: "5", noticeDays: "3", publicNames: "real" }),
      params: { areaId: String(tree.b1.id) },
      context: staff,
    });
    expect(other.status).toBe(403);
    const resident = await callRoute(settings.action, {
      body: formBody({ thresholdKind: "count", cosignThreshold: "5", noticeDays: "3", publicNames: "real" }),
      params: { areaId: String(tree.a2.id) },
      context: await residentCtx(tree.a2.id),
    });
    expect(resident.status).toBe(403);
    const [after] = await database.db.select().from(areas).where(eq(areas.id, tree.a2.id));
    expect(after).toEqual(before);
    const ok = await callRoute(settings.action, {
      body: formBody({ thresholdKind: "share", sharePercent: "10", noticeDays: "5", publicNames: "real" }),
      params: { areaId: String(tree.a2.id) },
      context: staff,
    });
    expect(ok.status).toBe(302);
    const [saved] = await database.db.select().from(areas).where(eq(areas.id, tree.a2.id));
    expect(saved).toMatchObject({ cosignShareBp: 1000, noticeDays: 5, publicNames: "real" });
  });
});
