/**
 * A signed-out neighbour with no account follows a share link: the matter sends them to the login
 * page with `next`; its sign-up link carries `next` on, and signing up lands them back on the
 * matter (only ever on a path of this site).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { testDatabase } from "../support/db";
import { startApp } from "../support/app-server";
import { makeTree, makeUser } from "../support/factories";
import { makeMatter } from "../support/room";

let database: Database;
let app: Awaited<ReturnType<typeof startApp>>;
let matterId: number;
beforeAll(async () => {
  database = await testDatabase();
  app = await startApp(database);
  const tree = await makeTree(database.db);
  const proposer = await makeUser(database.db);
  matterId = (await makeMatter(database.db, tree.a1.id, proposer.id, tree.county.id)).id;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const get = (path: string) => fetch(app.origin + path, { redirect: "manual", headers: { "accept-language": "zh-CN" } });
const signUp = (path: string, name: string) =>
  fetch(app.origin + path, {
    method: "POST",
    redirect: "manual",
    headers: { origin: app.origin, "content-type": "application/x-www-form-urlencoded", "accept-language": "zh-CN" },
    body: new URLSearchParams({ identifier: name, displayName: "新邻居", password: "correct horse battery", confirm: "correct horse battery" }).toString(),
  });

describe("signing up from a share link", () => {
  it("the share link goes to login with next; the sign-up link carries it; signing up lands back on the matter", async () => {
    const share = await get(`/matters/${matterId}?via=share`);
    expect(share.status).toBe(302);
    const login = share.headers.get("location")!;
    expect(login).toBe(`/login?${new URLSearchParams({ next: `/matters/${matterId}?via=share` })}`);
    const page = await (await get(login)).text();
    const signupHref = `/signup?${new URLSearchParams({ next: `/matters/${matterId}?via=share` })}`;
    expect(page).toContain(`href="${signupHref}"`);
    // the sign-up page links back to login with the same next
    expect(await (await get(signupHref)).text()).toContain(`href="${login}"`);
    const done = await signUp(signupHref, `share_${matterId}_a`);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`/matters/${matterId}?via=share`);
    expect(done.headers.get("set-cookie")).toMatch(/^yishi_session=/);
  });

  it("a next that leaves the site is ignored: the new account lands on the home page", async () => {
    for (const next of ["//evil.example/x", "https://evil.example/", "/\t/evil.example"]) {
      const r = await signUp(`/signup?${new URLSearchParams({ next })}`, `share_${matterId}_${next.length}`);
      expect(r.status, next).toBe(302);
      expect(r.headers.get("location"), next).toBe("/");
    }
  });
});
