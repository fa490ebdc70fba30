/**
 * 长辈模式 (issue 22) through the whole server, as a browser without JavaScript uses it: a plain
 * form post sets a year-long cookie (and the account's own choice when signed in), goes back to the
 * page, and every page then says <html data-mode="elder"> with the simplified menu. A phone's first
 * visit is offered it once; the account's choice wins over the browser's cookie.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import { createSession, SESSION_COOKIE } from "../../app/modules/accounts/sessions.server";
import { elderModeOf } from "../../app/modules/accounts/elder-mode.server";
import { systemClock } from "../../app/modules/shared/clock";
import { startApp } from "../support/app-server";
import { testDatabase } from "../support/db";
import { join, makeTree, makeUser } from "../support/factories";

let database: Database;
let app: Awaited<ReturnType<typeof startApp>>;
let tree: Awaited<ReturnType<typeof makeTree>>;
beforeAll(async () => {
  database = await testDatabase();
  app = await startApp(database);
  tree = await makeTree(database.db);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const PHONE_UA = "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
const DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(app.origin + path, { redirect: "manual", headers: { "accept-language": "zh-CN", "user-agent": DESKTOP_UA, ...headers } });
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(app.origin + path, {
    method: "POST",
    redirect: "manual",
    headers: { origin: app.origin, "content-type": "application/x-www-form-urlencoded", "accept-language": "zh-CN", "user-agent": DESKTOP_UA, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
const elderCookie = (r: Response) => /(?:^|,\s*)elder=([^;]*)/.exec(r.headers.get("set-cookie") ?? "")?.[1];
const isElder = (html: string) => /<html[^>]*data-mode="elder"/.test(html);

async function signedIn(name: string) {
  const u = await makeUser(database.db, { name });
  const { token } = await createSession(database.db, u.id, systemClock.now());
  return { id: u.id, cookie: `${SESSION_COOKIE}=${token}` };
}

describe("长辈模式", () => {
  it("the header's switch is a plain form on every page; posting it sets a year-long cookie and goes back", async () => {
    const page = await (await get("/")).text();
    expect(isElder(page)).toBe(false);
    expect(page).toMatch(/<form[^>]*action="\/elder-mode"/);
    expect(page).toContain("长辈模式");
    // the footer links to the accessibility statement
    expect(page).toContain('href="/accessibility"');

    const r = await post("/elder-mode", { mode: "on", next: "/accessibility" });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("/accessibility");
    expect(elderCookie(r)).toBe("1");
    expect(r.headers.get("set-cookie")).toMatch(/Max-Age=31536000/);

    const elder = await (await get("/", { cookie: "elder=1" })).text();
    expect(isElder(elder)).toBe(true);
    expect(elder).toContain("退出长辈模式");
    // the simplified menu: the few things a resident does
    expect(elder).toContain("我的社区事项");
    expect(elder).toContain("表决");

    const off = await post("/elder-mode", { mode: "off", next: "/accessibility" }, { cookie: "elder=1" });
    expect(elderCookie(off)).toBe("0");
    expect(isElder(await (await get("/", { cookie: "elder=0" })).text())).toBe(false);
  });

  it("refuses a bad mode with a translated 400, and never redirects off the site", async () => {
    const bad = await post("/elder-mode", { mode: "maybe", next: "/" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("没有这个选项");
    expect((await post("/elder-mode", { next: "/" })).status).toBe(400);
    const away = await post("/elder-mode", { mode: "on", next: "//evil.example/" });
    expect(away.status).toBe(302);
    expect(away.headers.get("location")).toBe("/");
  });

  it("signed in, the choice is kept on the account, which wins over the browser's cookie", async () => {
    const me = await signedIn("长辈甲");
    await join(database.db, me.id, tree.a1.id);
    const r = await post("/elder-mode", { mode: "on", next: "/" }, { cookie: me.cookie });
    expect(r.status).toBe(302);
    const [row] = await database.db.select({ elderMode: users.elderMode }).from(users).where(eq(users.id, me.id));
    expect(row.elderMode).toBe(true);
    // another browser (no elder cookie, or one saying off) still shows the account's choice
    const page = await (await get("/", { cookie: `${me.cookie}; elder=0` })).text();
    expect(isElder(page)).toBe(true);
    // the simplified menu leads to the person's own community
    expect(page).toContain(`href="/communities/${tree.a1.id}/matters"`);
    expect(page).toContain("我的志愿时长");

    await post("/elder-mode", { mode: "off", next: "/" }, { cookie: me.cookie });
    expect(isElder(await (await get("/", { cookie: `${me.cookie}; elder=1` })).text())).toBe(false);
  });

  it("a phone's first visit is offered 长辈模式 once, as a form; either answer is remembered", async () => {
    const first = await (await get("/", { "user-agent": PHONE_UA })).text();
    expect(first).toContain("要不要把字调大");
    expect(first).toMatch(/<button[^>]*name="mode"[^>]*value="on"/);
    expect(first).toMatch(/<button[^>]*name="mode"[^>]*value="off"/);
    const declined = await post("/elder-mode", { mode: "off", next: "/" }, { "user-agent": PHONE_UA });
    expect(elderCookie(declined)).toBe("0");
    expect(await (await get("/", { "user-agent": PHONE_UA, cookie: "elder=0" })).text()).not.toContain("要不要把字调大");
    // a desktop browser is not asked
    expect(await (await get("/")).text()).not.toContain("要不要把字调大");
  });

  it("the rule in one place: account, then cookie; the offer only on a phone that never chose", () => {
    expect(elderModeOf(null, "elder=1", DESKTOP_UA)).toEqual({ on: true, offer: false });
    expect(elderModeOf({ elderMode: false }, "elder=1", PHONE_UA)).toEqual({ on: false, offer: false });
    expect(elderModeOf({ elderMode: true }, undefined, DESKTOP_UA)).toEqual({ on: true, offer: false });
    expect(elderModeOf({}, undefined, PHONE_UA)).toEqual({ on: false, offer: true });
    expect(elderModeOf(null, "elder=junk", PHONE_UA)).toEqual({ on: false, offer: true });
  });

  it("the accessibility statement is a public page in both languages", async () => {
    const zh = await get("/accessibility");
    expect(zh.status).toBe(200);
    expect(await zh.text()).toContain("无障碍说明");
    const en = await get("/accessibility", { cookie: "lang=en" });
    const text = await en.text();
    expect(text).toContain("Accessibility statement");
    expect(text).toContain("Known limits");
  });
});
