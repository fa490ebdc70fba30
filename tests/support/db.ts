import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../db/client";
import { withDatabase } from "./global-setup";
import { adminUrl } from "./pg";

/** A migrated, empty database of its own for one test file: a PGlite clone or a PostgreSQL copy of the template. */
export async function testDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  const tmpl = inject("pgTemplate");
  if (url && tmpl) {
    const name = `yishi_t_${randomBytes(6).toString("hex")}`;
    const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
    for (let i = 0; ; i++) {
      try {
        await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${tmpl}`);
        break;
      } catch (e) {
        if (i > 20) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    const database = await openDatabase({ url: withDatabase(url, name), poolSize: 5 });
    return {
      ...database,
      close: async () => {
        await database.close();
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      },
    };
  }
  const dump = inject("pgliteDump");
  if (!dump) throw new Error("global setup did not prepare a database");
  return openDatabase({ dataDir: "memory://", loadDataDir: new Blob([fs.readFileSync(dump)]) });
}
