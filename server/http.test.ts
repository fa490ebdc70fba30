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
    app.use(authRateLimit({ limit: 3, windowMinutes: 10 }));
    app.all("*", (_req, res) => res.status(200).send("ok"));
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (path: string) =>
    fetch(origin + path, { method: "POST", body: "login=a&password=b", headers: { "content-type": "application/x-www-form-urlencoded" } });

  it("counts single-fetch posts (/login.data, /signup.data) with the plain ones, in any case and with a trailing slash", async () => {
    // one window per IP: the three allowed posts go to three spellings, the rest are refused
    const statuses = [];
    for (const path of ["/login", "/login.data", "/signup.data", "/login.data", "/LOGIN.DATA", "/signup/", "/signup"]) statuses.push((await post(path)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429]);
    const refused = await post("/login.data");
    expect(await refused.text()).toContain("操作太频繁");
  });

  it("leaves other posts and reads alone", async () => {
    expect((await post("/logout")).status).toBe(200);
    expect((await post("/login-help")).status).toBe(200);
    expect((await fetch(origin + "/login.data")).status).toBe(200);
  });
});
