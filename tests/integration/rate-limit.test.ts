/**
 * The sign-in rate limit as a browser with JavaScript meets it: its form posts to `/login.data`
 * (single fetch) and can only show an answer in Remix's own encoding. A plain 429 page there
 * showed "系统出错了"; the answer must be the form's own refusal, "操作太频繁，请稍后再试。".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { testDatabase } from "../support/db";
import { startApp } from "../support/app-server";

let database: Database;
let app: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  database = await testDatabase();
  app = await startApp(database, { AUTH_RATE_LIMIT: "2", SIGNUP_RATE_LIMIT: "3" }, { singleFetch: true });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (path: string, body: Record<string, string>) =>
  fetch(app.origin + path, {
    method: "POST",
    redirect: "manual",
    headers: { origin: app.origin, "content-type": "application/x-www-form-urlencoded", "accept-language": "zh-CN" },
    body: new URLSearchParams(body).toString(),
  });

describe("rate limits with JavaScript on", () => {
  it("a login post over the limit gets the form's translated refusal in Remix's encoding, not a page", async () => {
    const form = { identifier: "nobody_here", password: "wrong password" };
    for (let i = 0; i < 2; i++) expect((await post("/login.data", form)).status).not.toBe(429);
    const refused = await post("/login.data", form);
    expect(refused.headers.get("content-type")).toContain("text/x-script"); // turbo-stream, what the client decodes
    const text = await refused.text();
    expect(text).not.toContain("<html");
    expect(text).toContain("errors.rateLimited");
    // without JavaScript the same limit is the small translated page
    const page = await post("/login", form);
    expect(page.status).toBe(429);
    expect(await page.text()).toContain("操作太频繁，请稍后再试。");
  });

  it("sign-ups count apart from logins, so a room on one network is not stopped by the login window", async () => {
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const name = `wifi_${Date.now().toString(36)}_${i}`;
      const r = await post("/signup.data", { identifier: name, displayName: `邻居${i}`, password: "correct horse battery", confirm: "correct horse battery" });
      answers.push(r.status);
      expect(await r.text()).not.toContain("errors.rateLimited");
    }
    expect(answers.every((s) => s < 400)).toBe(true);
    const fourth = await post("/signup.data", { identifier: `wifi_${Date.now().toString(36)}_x`, displayName: "邻居x", password: "correct horse battery", confirm: "correct horse battery" });
    expect(await fourth.text()).toContain("errors.rateLimited");
  });
});
