/**
 * /signup through the real server, without JavaScript (plain form posts): with an SMS provider a
 * phone number gets step two (the code), a wrong code is answered beside its field, "send again"
 * waits its minute, and the right code creates the account and signs it in; a username, or a
 * server without SMS, signs up in one step as before.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import { action } from "../../app/routes/signup";
import { startApp } from "../support/app-server";
import { testDatabase } from "../support/db";
import { callRoute, formBody, loadContext } from "../support/remix";

let database: Database;
let app: Awaited<ReturnType<typeof startApp>>;
const inbox: { to: string; text: string }[] = [];
beforeAll(async () => {
  database = await testDatabase();
  app = await startApp(database, { SIGNUP_RATE_LIMIT: "1000" }, { textMessage: async (to, text) => void inbox.push({ to, text }) });
}, 180_000);
afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (origin: string, body: Record<string, string>) =>
  fetch(origin + "/signup?next=%2Fcommunities", {
    method: "POST",
    redirect: "manual",
    headers: { origin, "content-type": "application/x-www-form-urlencoded", "accept-language": "zh-CN" },
    body: new URLSearchParams(body).toString(),
  });
const duplicateIds = (html: string) => {
  const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  return ids.filter((id, i) => ids.indexOf(id) !== i);
};
const step1 = { identifier: "137 0000 2468", displayName: "新来的邻居", password: "a long enough passphrase", confirm: "a long enough passphrase" };

describe("signing up with a phone number, by plain form posts", () => {
  it("answers step one with the code form, refuses a wrong code beside its field, and the texted code creates the account", async () => {
    const one = await post(app.origin, step1);
    expect(one.status).toBe(200);
    const html = await one.text();
    expect(html).toContain("验证手机号");
    expect(html).toContain("验证码已发到 13700002468");
    expect(html).toMatch(/<input type="hidden" name="phone" value="13700002468"\/?>/);
    expect(html).not.toContain("a long enough passphrase");
    expect(duplicateIds(html)).toEqual([]);
    expect(inbox).toHaveLength(1);
    expect(await database.db.select().from(users).where(eq(users.phone, "13700002468"))).toEqual([]);
    const code = /\d{6}/.exec(inbox[0].text)![0];

    const bad = await post(app.origin, { intent: "verify", phone: "13700002468", code: code === "000000" ? "111111" : "000000" });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("验证码不对或已过期");
    expect(badHtml).toContain('class="error-summary"');
    expect(badHtml).toMatch(/<input type="hidden" name="phone" value="13700002468"\/?>/);

    const again = await post(app.origin, { intent: "resend", phone: "13700002468" });
    expect(again.status).toBe(429);
    expect(await again.text()).toMatch(/验证码刚发过。请 \d+ 秒后再试/);
    expect(inbox).toHaveLength(1);

    const done = await post(app.origin, { intent: "verify", phone: "13700002468", code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/communities");
    expect(done.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    const [u] = await database.db.select().from(users).where(eq(users.phone, "13700002468"));
    expect(u.displayName).toBe("新来的邻居");
    expect(u.phoneVerifiedAt).not.toBeNull();
  });

  it("mangled step-two input is a 400 with a message, never a 500", async () => {
    const bodies: Record<string, string>[] = [{ intent: "verify" }, { intent: "verify", phone: "x".repeat(5000), code: "1" }, { intent: "resend", phone: "\u0000" }, { intent: "verify", phone: "13700002468", code: "１２３４５６７" }];
    for (const body of bodies) {
      const r = await post(app.origin, body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(await r.text()).not.toContain("系统出错了");
    }
  });

  it("a username signs up in one step; without SMS a phone number does too (the committee's verification is the check)", async () => {
    const user = await post(app.origin, { ...step1, identifier: "lane_seven" });
    expect(user.status).toBe(302);
    // the same action on a server with no SMS provider (no textMessage in its context)
    const phone = await callRoute(action, { url: "/signup", context: loadContext(database.db, null), body: formBody({ ...step1, identifier: "13700003579" }) });
    expect(phone.status).toBe(302);
    const [u] = await database.db.select().from(users).where(eq(users.phone, "13700003579"));
    expect(u.phoneVerifiedAt).toBeNull();
    expect(inbox).toHaveLength(1);
  });
});
