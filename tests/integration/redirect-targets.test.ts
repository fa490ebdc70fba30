import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import * as login from "../../app/routes/login";
import * as language from "../../app/routes/language";
import { safeNext } from "../../app/web/http.server";
import { testDatabase } from "../support/db";
import { actorOf, makeUser, PASSWORD } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/**
 * Targets a browser would leave the site for. "/\t/evil.example" is the reported one: the tab is
 * dropped by the URL parser, leaving "//evil.example/phish".
 */
const OFFSITE = [
  "/\t/evil.example/phish",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "//evil.example",
  "/\\evil.example",
  "/\\\\evil.example",
  "/.//evil.example",
  "/./\\evil.example",
  "/a/../..//evil.example",
  "/\t\\evil.example",
  "https://evil.example/",
  "javascript:alert(1)",
  "evil.example",
];

/** Where a browser ends up when it follows `location` from a page of this site. */
const landing = (location: string) => new URL(location, "https://yishi.example/somewhere");

describe("redirect targets taken from input", () => {
  it("safeNext keeps paths of this site and turns anything that leaves it into the fallback", () => {
    for (const bad of OFFSITE) {
      const out = safeNext(bad);
      expect(landing(out).origin, JSON.stringify(bad)).toBe("https://yishi.example");
      expect(out, JSON.stringify(bad)).toBe("/");
    }
    expect(safeNext("/matters/12?tab=votes#v3")).toBe("/matters/12?tab=votes#v3");
    expect(safeNext("/communities/4/../7")).toBe("/communities/7");
    expect(safeNext("/" + "a".repeat(600))).toBe("/");
    expect(safeNext(null, "/account")).toBe("/account");
  });

  it("the login page of someone already signed in does not send them off-site (/login?next=/%09/evil.example/phish)", async () => {
    const u = await makeUser(database.db);
    const actor = await actorOf(database.db, u.id);
    const res = await callRoute(login.loader, { url: "/login?next=/%09/evil.example/phish", context: loadContext(database.db, actor) });
    expect(res.status).toBe(302);
    expect(landing(res.headers.get("location")!).origin).toBe("https://yishi.example");
    expect(res.headers.get("location")).toBe("/");
  });

  it("signing in with a hostile next lands on the home page, a plain next is kept", async () => {
    const u = await makeUser(database.db);
    for (const next of OFFSITE) {
      const res = await callRoute(login.action, {
        url: `/login?next=${encodeURIComponent(next)}`,
        body: formBody({ identifier: u.username!, password: PASSWORD }),
        context: loadContext(database.db, null),
      });
      expect(res.status, JSON.stringify(next)).toBe(302);
      expect(res.headers.get("location"), JSON.stringify(next)).toBe("/");
    }
    const ok = await callRoute(login.action, {
      url: `/login?next=${encodeURIComponent("/matters/3")}`,
      body: formBody({ identifier: u.username!, password: PASSWORD }),
      context: loadContext(database.db, null),
    });
    expect(ok.headers.get("location")).toBe("/matters/3");
  });

  it("the language switch goes back only to a page of this site", async () => {
    for (const next of OFFSITE) {
      const res = await callRoute(language.action, { body: formBody({ lang: "en", next }), context: loadContext(database.db, null) });
      expect(res.headers.get("location"), JSON.stringify(next)).toBe("/");
    }
  });
});
