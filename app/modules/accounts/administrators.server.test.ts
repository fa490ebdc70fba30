import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../../db/client";
import { areas } from "../../../db/schema";
import { createArea } from "../communities/communities.server";
import { CreateAreaSchema } from "../communities/schemas";
import { verifyLedger } from "../ledger/ledger.server";
import { context } from "../../../tests/support/factories";
import { testDatabase } from "../../../tests/support/db";
import { logIn } from "./auth.server";
import { createAdministrator } from "./administrators.server";
import { CreateAdministratorSchema } from "./schemas";
import { getSessionActor } from "./sessions.server";
import { DomainError } from "../shared/errors";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

const input = (over: Record<string, string> = {}) =>
  CreateAdministratorSchema.parse({ identifier: "chief_admin", displayName: "县民政局 管理员", password: "a long passphrase 7", county: "清河县", ...over });

describe("admin:create", () => {
  it("on an empty database creates the county and an administrator who can sign in and run it", async () => {
    const { ctx } = context(database.db, null);
    const now = ctx.clock.now();
    const r = await createAdministrator(database.db, input(), now);
    expect(r.countyCreated).toBe(true);
    const { token } = await logIn(ctx, { identifier: "chief_admin", password: "a long passphrase 7" });
    const actor = await getSessionActor(database.db, token, now);
    expect(actor?.roles).toEqual([expect.objectContaining({ role: "county_admin", areaId: r.countyId })]);
    // the administrator works: creates a town under the county
    const town = await createArea(context(database.db, actor).ctx, CreateAreaSchema.parse({ parentId: String(r.countyId), name: "城关镇" }));
    expect(town.path).toBe(`/${r.countyId}/${town.id}/`);
    expect((await verifyLedger(database.db)).ok).toBe(true);
  });

  it("a second administrator joins the existing county; a taken login and an unknown county are refused", async () => {
    const { ctx } = context(database.db, null);
    const now = ctx.clock.now();
    const r = await createAdministrator(database.db, input({ identifier: "13800138000", displayName: "副局长" }), now);
    expect(r.countyCreated).toBe(false);
    await expect(createAdministrator(database.db, input(), now)).rejects.toMatchObject({ messageKey: "errors.loginTaken" });
    await expect(createAdministrator(database.db, input({ identifier: "other_admin", county: "清和县" }), now)).rejects.toBeInstanceOf(DomainError);
    expect((await database.db.select().from(areas)).filter((a) => a.kind === "county")).toHaveLength(1);
  });

  it("refuses a short password before touching the database", () => {
    expect(CreateAdministratorSchema.safeParse({ identifier: "x_admin", displayName: "X", password: "short", county: "清河县" }).success).toBe(false);
  });
});

describe("the npm run admin:create command", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yishi-admin-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the password from a pipe, creates the administrator in the configured database, and it signs in", async () => {
    const dataDir = path.join(dir, "pglite");
    const run = (args: string[], stdin: string) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ["--import", "tsx", "server/cli/admin-create.ts", ...args],
          { env: { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, LANG: "en_US.UTF-8" }, timeout: 60_000 },
          (err, out, errOut) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out, err: errOut }),
        );
        child.stdin?.end(stdin);
      });
    const bad = await run(["--login", "root_admin", "--name", "管理员", "--county", "清河县"], "short\n");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("at least 8 characters");
    const ok = await run(["--login", "root_admin", "--name", "管理员", "--county", "清河县"], "a long passphrase 7\n");
    expect(ok.err).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("county administrator of 清河县");
    const db = await openDatabase({ dataDir, poolSize: 1 });
    try {
      const { ctx } = context(db.db, null);
      const { token } = await logIn(ctx, { identifier: "root_admin", password: "a long passphrase 7" });
      expect((await getSessionActor(db.db, token, ctx.clock.now()))?.roles.map((g) => g.role)).toEqual(["county_admin"]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
