/**
 * HTTPS by default: the real Express app (createApp: helmet, trust proxy, the HTTPS middleware and
 * the load context) in front of the real login and language routes. HSTS and the Secure flag come
 * with every request that arrived over HTTPS, including through a trusted proxy's
 * X-Forwarded-Proto; a proxy header from an untrusted peer changes nothing.
 */
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import * as login from "../../app/routes/login";
import * as language from "../../app/routes/language";
import * as entry from "../../app/entry.server";
import { loadConfig } from "../../server/config";
import { createApp } from "../../server/app";
import { ConfigError, prepareSecrets } from "../../server/secrets";
import { testDatabase } from "../support/db";
import { makeUser, PASSWORD } from "../support/factories";

let database: Database;
let username: string;
beforeAll(async () => {
  database = await testDatabase();
  username = (await makeUser(database.db)).username!;
});
afterAll(() => database.close());

/** The routes under test, as the Remix compiler would list them; the root renders nothing (no page is rendered: both actions redirect). */
const build = {
  mode: "production",
  entry: { module: entry },
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/login": { id: "routes/login", parentId: "root", path: "login", module: login },
    "routes/language": { id: "routes/language", parentId: "root", path: "language", module: language },
  },
  assets: { routes: {}, entry: { module: "", imports: [] }, url: "", version: "test" },
  publicPath: "/build/",
  assetsBuildDirectory: "build/public/build",
  future: {},
  isSpaMode: false,
} as unknown as ServerBuild;

/** Secrets as production requires them (prepareSecrets checks them and puts them into the settings). */
const SECRETS = { VOLUNTEER_ID_KEY: "test-volunteer-key-5c1d9e3a7b0f2a4c6e8d1b3f", BALLOT_KEY: "test-ballot-key-0a2c4e6b8d1f3a5c7e9b2d4f6a", RECORD_SIGNING_KEY: "test-record-key-3e5a7c9b1d2f4a6c8e0b2d4f6a" };

async function serve(env: Record<string, string>) {
  const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", PORT: "0", HOST: "127.0.0.1", ...env });
  prepareSecrets(config, { ...SECRETS });
  // the app closes its database on close; this one belongs to the test file
  const app = await createApp(config, { database: { ...database, close: async () => {} }, build });
  const port = await app.listen();
  const base = `http://127.0.0.1:${port}`;
  return { app, base, port };
}

async function post(base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, ...headers },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, cookie: res.headers.get("set-cookie") ?? "", hsts: res.headers.get("strict-transport-security") };
}

describe("production start", () => {
  it("refuses to make the server when the secrets were not checked first: commands would fall back to the development keys", async () => {
    const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", PORT: "0", HOST: "127.0.0.1" });
    await expect(createApp(config, { database: { ...database, close: async () => {} }, build })).rejects.toThrow(ConfigError);
    prepareSecrets(config, { ...SECRETS });
    expect(config.settings.secrets).toEqual({ ballotKey: SECRETS.BALLOT_KEY, volunteerIdKey: SECRETS.VOLUNTEER_ID_KEY, recordSigningKey: SECRETS.RECORD_SIGNING_KEY });
  });
});

describe("HTTPS behind a proxy", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    server = await serve({}); // production defaults: TRUST_PROXY=loopback, no PUBLIC_ORIGIN, no SECURE_COOKIES
  });
  afterAll(() => server.app.close());

  it("a sign-in forwarded as https by the trusted proxy gets a Secure session cookie and HSTS", async () => {
    const r = await post(server.base, "/login", { identifier: username, password: PASSWORD }, { "x-forwarded-proto": "https" });
    expect(r.status).toBe(302);
    expect(r.cookie).toMatch(/^yishi_session=[^;]+;.*HttpOnly/i);
    expect(r.cookie).toMatch(/;\s*Secure/i);
    expect(r.hsts).toBe("max-age=31536000; includeSubDomains");
    const lang = await post(server.base, "/language", { lang: "en", next: "/" }, { "x-forwarded-proto": "https" });
    expect(lang.cookie).toMatch(/^lang=en;.*Secure/i);
    const health = await fetch(`${server.base}/healthz`, { headers: { "x-forwarded-proto": "https" } });
    expect(health.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });

  it("the same sign-in over plain HTTP gets a cookie without Secure and no HSTS", async () => {
    const r = await post(server.base, "/login", { identifier: username, password: PASSWORD });
    expect(r.status).toBe(302);
    expect(r.cookie).toMatch(/^yishi_session=/);
    expect(r.cookie).not.toMatch(/;\s*Secure/i);
    expect(r.hsts).toBeNull();
    const lang = await post(server.base, "/language", { lang: "en", next: "/" });
    expect(lang.cookie).not.toMatch(/Secure/i);
  });
});

describe("HTTPS without a trusted proxy", () => {
  it("X-Forwarded-Proto from a peer TRUST_PROXY does not trust is ignored", async () => {
    const server = await serve({ TRUST_PROXY: "false" });
    try {
      const r = await post(server.base, "/login", { identifier: username, password: PASSWORD }, { "x-forwarded-proto": "https" });
      expect(r.status).toBe(302);
      expect(r.cookie).not.toMatch(/;\s*Secure/i);
      expect(r.hsts).toBeNull();
    } finally {
      await server.app.close();
    }
  });

  it("an https PUBLIC_ORIGIN marks every response, even one that reached the app over HTTP", async () => {
    const server = await serve({ PUBLIC_ORIGIN: "https://yishi.example" });
    try {
      const r = await post(server.base, "/login", { identifier: username, password: PASSWORD });
      expect(r.status).toBe(302);
      expect(r.cookie).toMatch(/;\s*Secure/i);
      expect(r.hsts).toBe("max-age=31536000; includeSubDomains");
    } finally {
      await server.app.close();
    }
  });
});
