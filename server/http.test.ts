import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authRateLimit } from "./http";

/** The sign-in limiter in front of a stand-in for Remix that answers every request 200. */
describe("authRateLimit", () => {
  let server: http.Server;
  let origin = "";
  beforeAll(async () => {
    const app = express();
    app.use(authRateLimit({ limit: 3, windowMinutes: 10, signupLimit: 5, signupWindowMinutes: 60 }));
    // a post that JavaScript made goes on to Remix, marked, so its action answers in the form (a page would show as a crash)
    app.all("*", (_req, res) => res.status(200).send(res.locals.rateLimited ? "marked" : "ok"));
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (path: string) =>
    fetch(origin + path, { method: "POST", body: "login=a&password=b", headers: { "content-type": "application/x-www-form-urlencoded" } });

  it("counts single-fetch login posts (/login.data, /reset.data) with the plain ones, in any case and with a trailing slash", async () => {
    // one window per IP: the three allowed posts go to three spellings; past them a plain post gets the
    // translated 429 page and a single-fetch post is marked for its action to refuse
    const answers = [];
    for (const path of ["/login", "/login.data", "/reset.data", "/login/", "/RESET", "/login.data", "/LOGIN.DATA"]) {
      const r = await post(path);
      const text = await r.text();
      answers.push(`${r.status} ${text.includes("操作太频繁") ? "page" : text}`);
    }
    expect(answers).toEqual(["200 ok", "200 ok", "200 ok", "429 page", "429 page", "200 marked", "200 marked"]);
  });

  it("gives sign-ups their own, higher ceiling per address, and past it marks them for the action (a venue code may lift it)", async () => {
    const answers = [];
    for (const path of ["/signup", "/signup.data", "/SIGNUP/", "/signup", "/signup.data", "/signup", "/signup.data"]) {
      const r = await post(path);
      const text = await r.text();
      answers.push(`${r.status} ${text.includes("操作太频繁") ? "page" : text}`);
    }
    // the login window (3) does not stop the fourth and fifth sign-ups; past five, with or without JavaScript, the action decides
    expect(answers).toEqual(["200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 marked", "200 marked"]);
  });

  it("leaves other posts and reads alone", async () => {
    expect((await post("/logout")).status).toBe(200);
    expect((await post("/login-help")).status).toBe(200);
    expect((await fetch(origin + "/login.data")).status).toBe(200);
  });
});
