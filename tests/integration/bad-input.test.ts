import path from "node:path";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { areas, memberships, roleGrants, users } from "../../db/schema";
import * as signup from "../../app/routes/signup";
import * as login from "../../app/routes/login";
import * as community from "../../app/routes/communities.$areaId._index";
import * as members from "../../app/routes/communities.$areaId.members";
import * as adminAreas from "../../app/routes/admin.areas";
import * as adminRoles from "../../app/routes/admin.roles";
import * as account from "../../app/routes/account";
import { translate } from "../../app/i18n";
import { parseMsg } from "../../app/modules/shared/validation";
import { testDatabase } from "../support/db";
import { actorOf, grant, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";
import { startApp } from "../support/app-server";
import { createSession, SESSION_COOKIE } from "../../app/modules/accounts/sessions.server";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
});
afterAll(() => database.close());

/** Longer than any text field takes, while a form of several stays within the 4 MB a body may be (9 bytes a character, URL-encoded). */
const LONG = "好".repeat(60_000);
const hostile = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\u0000\u0007", LONG, "   "];

async function counts() {
  const [[u], [m], [a], [g]] = await Promise.all([
    database.db.select({ n: count() }).from(users),
    database.db.select({ n: count() }).from(memberships),
    database.db.select({ n: count() }).from(areas),
    database.db.select({ n: count() }).from(roleGrants),
  ]);
  return { users: Number(u.n), memberships: Number(m.n), areas: Number(a.n), grants: Number(g.n) };
}

/** Every message a field got, translated: proves the user reads a sentence, not a code. */
function fieldMessages(data: Record<string, any>) {
  const errs = (data.result?.error ?? {}) as Record<string, string[] | null>;
  return Object.fromEntries(Object.entries(errs).map(([k, v]) => [k, (v ?? []).map((m) => translate("zh-CN", parseMsg(m).key, parseMsg(m).params))]));
}

describe("hostile and malformed form values get a 4xx with field messages and change nothing", () => {
  it("sign-up", async () => {
    const before = await counts();
    const cases: Record<string, string | string[]>[] = [
      {},
      { identifier: "12345", displayName: "王", password: "longenough", confirm: "longenough" },
      { identifier: "good_name", displayName: "王", password: "short", confirm: "short" },
      { identifier: "good_name", displayName: "王", password: "longenough", confirm: "different!" },
      { identifier: ["a_b_c", "d_e_f"], displayName: ["x", "y"], password: "longenough", confirm: "longenough" },
      ...hostile.map((h) => ({ identifier: h, displayName: h, password: h, confirm: h })),
      { identifier: "ok_user_1", displayName: LONG, password: "longenough", confirm: "longenough" },
    ];
    for (const fields of cases) {
      const r = await callRoute(signup.action, { body: formBody(fields), context: loadContext(database.db, null) });
      expect(r.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      const msgs = fieldMessages(r.data);
      expect(Object.keys(msgs).length).toBeGreaterThan(0);
      for (const list of Object.values(msgs)) for (const m of list) expect(m).not.toMatch(/^errors\./);
    }
    const tooLong = await callRoute(signup.action, {
      body: formBody({ identifier: "ok_user_2", displayName: LONG, password: "longenough", confirm: "longenough" }),
      context: loadContext(database.db, null),
    });
    expect(fieldMessages(tooLong.data).displayName[0]).toContain("40");
    expect(await counts()).toEqual(before);
  });

  it("log in", async () => {
    const before = await counts();
    for (const h of [...hostile, ""]) {
      const r = await callRoute(login.action, { body: formBody({ identifier: h, password: h }), context: loadContext(database.db, null) });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    expect(await counts()).toEqual(before);
  });

  it("join a community", async () => {
    const u = await makeUser(database.db);
    const ctx = loadContext(database.db, await actorOf(database.db, u.id));
    const before = await counts();
    for (const h of [...hostile, ""]) {
      const r = await callRoute(community.action, { body: formBody({ address: h }), params: { areaId: String(tree.a1.id) }, context: ctx });
      expect(r.status).toBe(400);
      expect(fieldMessages(r.data).address.length).toBe(1);
    }
    for (const id of ["abc", "0", "-1", "1e3", "99999999999", "1;select", "%00"]) {
      const r = await callRoute(community.action, { body: formBody({ address: "1 号楼" }), params: { areaId: id }, context: ctx });
      expect(r.status, id).toBe(404);
    }
    expect(await counts()).toEqual(before);
  });

  it("SQL fragments in free text are stored as the words they are, and the tables stay whole", async () => {
    const u = await makeUser(database.db);
    const ctx = loadContext(database.db, await actorOf(database.db, u.id));
    const words = "3 号楼'; DROP TABLE memberships; --";
    const r = await callRoute(community.action, { body: formBody({ address: words }), params: { areaId: String(tree.a2.id) }, context: ctx });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe(`/communities/${tree.a2.id}?joined=1`);
    const rows = await database.db.select().from(memberships);
    expect(rows.find((m) => m.userId === u.id)?.address).toBe(words);
  });

  it("decide a membership", async () => {
    const staff = await makeUser(database.db);
    await grant(database.db, staff.id, "committee", tree.a1.id);
    const ctx = loadContext(database.db, await actorOf(database.db, staff.id));
    const before = await counts();
    for (const fields of [{}, { decision: "approve", membershipId: "1" }, { decision: "verify", membershipId: "x" }, { decision: "decline", membershipId: "1" }, { decision: "decline", membershipId: "1", reason: LONG }]) {
      const r = await callRoute(members.action, { body: formBody(fields), params: { areaId: String(tree.a1.id) }, context: ctx });
      expect(r.status, JSON.stringify(fields).slice(0, 60)).toBe(400);
    }
    const missing = await callRoute(members.action, { body: formBody({ decision: "verify", membershipId: "424242" }), params: { areaId: String(tree.a1.id) }, context: ctx });
    expect(missing.status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("admin forms", async () => {
    const county = await makeUser(database.db);
    await grant(database.db, county.id, "county_admin", tree.county.id);
    const ctx = loadContext(database.db, await actorOf(database.db, county.id));
    const before = await counts();
    const areaCases = [
      {},
      { parentId: "abc", name: "x" },
      { parentId: String(tree.townA.id), name: "x", communityType: "suburban" },
      { parentId: String(tree.townA.id), name: "x", communityType: "urban", residents: "-5" },
      { parentId: String(tree.townA.id), name: "x", communityType: "urban", residents: "1.5" },
      { parentId: String(tree.townA.id), name: LONG, communityType: "urban" },
      { parentId: String(tree.townA.id), name: "x" },
      { parentId: "99999", name: "x", communityType: "urban" },
    ];
    for (const fields of areaCases) {
      const r = await callRoute(adminAreas.action, { body: formBody(fields), context: ctx });
      expect(r.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(Object.keys(fieldMessages(r.data)).length).toBeGreaterThan(0);
    }
    for (const fields of [{ identifier: "x", role: "god", areaId: String(tree.a1.id) }, { identifier: LONG, role: "committee", areaId: String(tree.a1.id) }, { identifier: "<b>", role: "committee", areaId: "a" }]) {
      const r = await callRoute(adminRoles.action, { body: formBody(fields), context: ctx });
      expect(r.status).toBe(400);
    }
    expect(await counts()).toEqual(before);
  });

  it("a resident cannot use the admin forms at all", async () => {
    const u = await makeUser(database.db);
    const ctx = loadContext(database.db, await actorOf(database.db, u.id));
    const r = await callRoute(adminAreas.action, { body: formBody({ parentId: String(tree.townA.id), name: "x", communityType: "urban" }), context: ctx });
    expect(r.status).toBe(403);
    const anon = await callRoute(adminAreas.loader, { context: loadContext(database.db, null), url: "/admin/areas" });
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toBe("/login?next=%2Fadmin%2Fareas");
  });
});

describe("bodies that are not forms", () => {
  it("JSON, text and broken multipart bodies answer 4xx, not 500", async () => {
    const ctx = loadContext(database.db, null);
    const json = await callRoute(signup.action, { body: JSON.stringify({ identifier: "x" }), headers: { "content-type": "application/json" }, context: ctx });
    expect(json.status).toBe(415);
    const text = await callRoute(login.action, { body: "identifier=x", headers: { "content-type": "text/plain" }, context: ctx });
    expect(text.status).toBe(415);
    const broken = await callRoute(login.action, { body: "--xx\r\nnonsense", headers: { "content-type": "multipart/form-data; boundary=zz" }, context: ctx });
    expect(broken.status).toBe(400);
  });

  it("a signed-out visitor posting to a signed-in form is sent to log in", async () => {
    const r = await callRoute(account.action, { body: formBody({ current: "x" }), context: loadContext(database.db, null), url: "/account" });
    expect(r.status).toBe(302);
  });
});

/**
 * Every page of the app, through the real server, with hostile query strings: over-long values,
 * NUL and other control characters, repeated keys, numbers far out of range, broken
 * percent-encoding. Each key is one a loader or page reads; none may answer 5xx.
 */
describe("hostile query strings on every page answer below 500", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let cookie: string;
  beforeAll(async () => {
    app = await startApp(database);
    const u = await makeUser(database.db);
    await grant(database.db, u.id, "committee", tree.a1.id);
    cookie = `${SESSION_COOKIE}=${(await createSession(database.db, u.id, new Date())).token}`;
  }, 120_000);
  afterAll(() => app?.close());

  const KEYS = ["state", "category", "q", "page", "next", "number", "code", "done", "earliest", "at", "hours", "appointed", "verified", "declined", "saved", "registered", "paper", "changed", "joined", "reported", "bye", "since"];
  const VALUES = [
    "x".repeat(5000),
    "a\u0000b",
    "\r\nSet-Cookie: x=1",
    "1".padEnd(40, "0"),
    String(2 ** 40),
    "275760-09-13T00:00:00.001Z",
    "/社区?q=停车",
    "/\\evil.example",
  ];
  const query = (v: string) => new URLSearchParams(KEYS.map((k) => [k, v])).toString();
  /** Written by hand: repeated keys, a bare key, and percent-encoding that decodes to nothing. */
  const RAW = ["state=a&state=b&q=x&q=y&page=1&page=2", "q=%E0%A4%A&state=%FF%FE&next=%C0%AF", "q=%00&next=%2F%00", `page=${"9".repeat(400)}&category=${"9".repeat(400)}`];

  function pages() {
    const manifest = flatRoutes(path.resolve(import.meta.dirname, "../../app"), ["**/.*", "**/*.test.*"]);
    // the real ids of the tree; any other id is just a 404
    const fill = (p: string) => p.replace(/:areaId/g, String(tree.a1.id)).replace(/:\w+/g, "1").replace(/\*$/, "nope");
    return [...new Set(Object.values(manifest).map((r) => `/${fill(r.path ?? "")}`.replace(/\/+$/, "") || "/"))];
  }

  it("for an anonymous visitor and a signed-in committee member, on every route", async () => {
    const bad: string[] = [];
    const urls = pages().flatMap((p) => [...VALUES.map((v) => `${p}?${query(v)}`), ...RAW.map((q) => `${p}?${q}`)]);
    expect(urls.length).toBeGreaterThan(400);
    for (const headers of [{}, { cookie }] as Record<string, string>[]) {
      for (let i = 0; i < urls.length; i += 8) {
        await Promise.all(
          urls.slice(i, i + 8).map(async (url) => {
            const res = await fetch(app.origin + url, { headers, redirect: "manual" });
            await res.arrayBuffer();
            if (res.status >= 500) bad.push(`${res.status} ${"cookie" in headers ? "signed-in" : "anonymous"} ${url.slice(0, 120)}`);
          }),
        );
      }
    }
    expect(bad).toEqual([]);
  }, 300_000);

  it("the named cases: a long state or a NUL in q on the matter list, a missing or unreadable file under /build/", async () => {
    const list = `/communities/${tree.a1.id}/matters`;
    for (const q of [`state=${"s".repeat(21)}`, "q=%00", "q=a%00b&state=voting", `q=${"q".repeat(101)}`]) {
      const res = await fetch(`${app.origin}${list}?${q}`);
      expect(res.status, q).toBe(200);
    }
    for (const file of ["/build/nope.js", "/build/nope/deeper.css", "/build/%E0.js"]) {
      const res = await fetch(app.origin + file);
      expect(res.status, file).toBeGreaterThanOrEqual(400);
      expect(res.status, file).toBeLessThan(500);
    }
    expect((await fetch(`${app.origin}/build/nope.js`)).status).toBe(404);
  });

  it("a signed-in visitor sent to log in again goes to a safe, encoded address", async () => {
    for (const [next, location] of [
      ["/社区?q=停车", "/%E7%A4%BE%E5%8C%BA?q=%E5%81%9C%E8%BD%A6"],
      ["/a\u0000b", "/a%00b"],
      ["//evil.example/x", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example", "/"],
    ]) {
      const res = await fetch(`${app.origin}/login?${new URLSearchParams({ next })}`, { headers: { cookie }, redirect: "manual" });
      expect([res.status, res.headers.get("location")], next).toEqual([302, location]);
    }
  });
});
