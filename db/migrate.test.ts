/**
 * N instances that start together on one PostgreSQL database migrate it once: the migrations run
 * under an advisory lock, so the others wait and then find nothing left to do. Runs on the
 * PostgreSQL pass (DATABASE_URL); PGlite is one process and takes no lock.
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrate, migrationsFolder, openDatabase, rowsOf } from "./client";
import { adminUrl } from "../tests/support/pg";
import { withDatabase } from "../tests/support/global-setup";

const url = process.env.DATABASE_URL;

describe.skipIf(!url)("migrations on PostgreSQL", () => {
  it("four instances starting at once on an empty database all start, and each migration is applied once", async () => {
    const name = `yishi_mig_${randomBytes(5).toString("hex")}`;
    const admin = await openDatabase({ url: adminUrl(url!), poolSize: 1 });
    await admin.exec(`CREATE DATABASE ${name}`);
    const instances = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ url: withDatabase(url!, name), poolSize: 1 })));
    try {
      const results = await Promise.allSettled(instances.map((d) => migrate(d)));
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok", "ok", "ok"]);
      const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
      const [{ n }] = rowsOf<{ n: number }>(await instances[0].db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(n).toBe(journal.entries.length);
      // the lock is released: a later start migrates (nothing to do) without waiting
      await migrate(instances[0]);
    } finally {
      await Promise.all(instances.map((d) => d.close()));
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    }
  }, 120_000);
});
