/**
 * A sign-up morning on one network, on the whole server: past the per-address sign-up ceiling a
 * resident is refused ("操作太频繁，请稍后再试。") unless they type the committee's live venue code,
 * which lifts that ceiling; each login name stays limited, and an expired code lifts nothing.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { users, venueCodes } from "../../db/schema";
import { testDatabase } from "../support/db";
import { startApp } from "../support/app-server";
import { grant, makeTree, makeUser } from "../support/factories";
import { cookieOf } from "../support/room-sockets";

let database: Database;
let app: Awaited<ReturnType<typeof startApp>>;
let communityId: number;
let committeeCookie: string;
beforeAll(async () => {
  database = await testDatabase();
  app = await startApp(database, { SIGNUP_RATE_LIMIT: "2", SIGNUP_RATE_WINDOW_MINUTES: "60" });
  const tree = await makeTree(database.db);
  communityId = tree.a1.id;
  const committee = await makeUser(database.db, { name: "陈委员" });
  await grant(database.db, committee.id, "committee", communityId);
  committeeCookie = await cookieOf(database.db, committee.id);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (path: string, body: Record<string, string>, cookie = "") =>
  fetch(app.origin + path, {
    method: "POST",
    redirect: "manual",
    headers: { origin: app.origin, cookie, "content-type": "application/x-www-form-urlencoded", "accept-language": "zh-CN" },
    body: new URLSearchParams(body).toString(),
  });
let n = 0;
const signUp = (venue?: string, identifier = `venue_${Date.now().toString(36)}_${++n}`) =>
  post("/signup", { identifier, displayName: `邻居${n}`, password: "correct horse battery", confirm: "correct horse battery", ...(venue === undefined ? {} : { venue }) });
const accounts = async () => Number((await database.db.select({ n: count() }).from(users))[0].n);

describe("a venue code lifts the per-address sign-up ceiling", () => {
  it("past the ceiling only the committee's live code lets residents sign up; a wrong or expired code does not", async () => {
    for (let i = 0; i < 2; i++) expect((await signUp()).status).toBe(302);
    const before = await accounts();
    const refused = await signUp();
    expect(refused.status).toBe(429);
    const html = await refused.text();
    expect(html).toContain("操作太频繁，请稍后再试。");
    expect(html).not.toContain("系统出错了");
    expect((await signUp("ZZZZZZ")).status).toBe(429);
    expect(await accounts()).toBe(before);

    // the committee issues a code on its members page, which then shows it
    const issued = await post(`/communities/${communityId}/members`, { intent: "venue" }, committeeCookie);
    expect(issued.status).toBe(302);
    const [row] = await database.db.select().from(venueCodes).where(eq(venueCodes.communityId, communityId));
    expect(row.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const page = await fetch(`${app.origin}/communities/${communityId}/members`, { headers: { cookie: committeeCookie, "accept-language": "zh-CN" } });
    expect(await page.text()).toContain(row.code);
    // a resident cannot issue one
    const resident = await makeUser(database.db);
    expect((await post(`/communities/${communityId}/members`, { intent: "venue" }, await cookieOf(database.db, resident.id))).status).toBe(403);

    // typed as people type it: lower case, a space in the middle
    const typed = `${row.code.slice(0, 3).toLowerCase()} ${row.code.slice(3)}`;
    for (let i = 0; i < 4; i++) expect((await signUp(typed)).status).toBe(302);
    expect(await accounts()).toBe(before + 5); // four sign-ups and the resident made above
    const [used] = await database.db.select().from(venueCodes).where(eq(venueCodes.id, row.id));
    expect(used.uses).toBe(4);

    await database.db.update(venueCodes).set({ expiresAt: new Date(row.createdAt.getTime() - 1000) }).where(eq(venueCodes.id, row.id));
    expect((await signUp(row.code)).status).toBe(429);
  });

  it("with the code, each login name is still limited: a script cannot try one name again and again", async () => {
    await post(`/communities/${communityId}/members`, { intent: "venue" }, committeeCookie);
    const [row] = await database.db.select().from(venueCodes).where(eq(venueCodes.communityId, communityId)).orderBy(venueCodes.id);
    const live = (await database.db.select().from(venueCodes).where(eq(venueCodes.communityId, communityId))).find((r) => r.uses === 0 && r.id !== row.id)!;
    const name = `same_name_${Date.now().toString(36)}`;
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await signUp(live.code, name)).status);
    expect(answers[0]).toBe(302);
    expect(answers.slice(1, 5)).toEqual([409, 409, 409, 409]); // the name is taken
    expect(answers[5]).toBe(429);
  });
});
