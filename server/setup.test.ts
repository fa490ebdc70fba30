import { count } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { logIn } from "../app/modules/accounts/auth.server";
import { DomainError } from "../app/modules/shared/errors";
import type { Database } from "../db/client";
import { DEMO_PASSWORD } from "./demo/seed";
import { areas, users } from "../db/schema";
import { context } from "../tests/support/factories";
import { testDatabase } from "../tests/support/db";
import { loadConfig } from "./config";
import { prepareDatabase } from "./setup";

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

async function countOf(table: typeof areas | typeof users) {
  const [{ n }] = await database!.db.select({ n: count() }).from(table);
  return Number(n);
}

describe("demo data by mode", () => {
  it("production on an empty database seeds nothing and points at admin:create", async () => {
    database = await testDatabase();
    const said: string[] = [];
    expect(await prepareDatabase(database, loadConfig({ NODE_ENV: "production" }), [], (s) => said.push(s))).toBeNull();
    expect(await countOf(areas)).toBe(0);
    expect(await countOf(users)).toBe(0);
    expect(said.join("\n")).toContain("npm run admin:create");
  });

  it("production with --demo seeds with a generated password, printed once; the README's does not sign in", async () => {
    database = await testDatabase();
    const said: string[] = [];
    const password = await prepareDatabase(database, loadConfig({ NODE_ENV: "production" }), ["--demo"], (s) => said.push(s));
    expect(password).toMatch(/^[\w-]{16}$/);
    expect(password).not.toBe(DEMO_PASSWORD);
    expect(said.join("\n")).toContain(password!);
    const { ctx } = context(database.db, null);
    await expect(logIn(ctx, { identifier: "county_admin", password: DEMO_PASSWORD })).rejects.toBeInstanceOf(DomainError);
    expect((await logIn(ctx, { identifier: "county_admin", password: password! })).token).toBeTruthy();
  });

  it("local mode seeds the demo with the README's password", async () => {
    database = await testDatabase();
    const password = await prepareDatabase(database, loadConfig({ NODE_ENV: "production", YISHI_MODE: "local" }), [], () => {});
    expect(password).toBe(DEMO_PASSWORD);
    const { ctx } = context(database.db, null);
    expect((await logIn(ctx, { identifier: "county_admin", password: DEMO_PASSWORD })).token).toBeTruthy();
  });
});
