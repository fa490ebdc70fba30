import { randomBytes } from "node:crypto";
import { migrate, openDatabase, type Database } from "../../db/client";
import { withDatabase } from "./global-setup";
import { adminUrl } from "./pg";

/**
 * The PostgreSQL server the queue tests run on, whatever the pass: DATABASE_URL when set, else the
 * local server CI starts (TEST_POSTGRES_URL to point elsewhere). Multi-instance and kill tests
 * need a real server: PGlite is one process by construction.
 */
export const postgresUrl = process.env.DATABASE_URL ?? process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Whether that server answers (checked once, at collection). */
export async function postgresReachable(): Promise<boolean> {
  try {
    const admin = await openDatabase({ url: adminUrl(postgresUrl), poolSize: 1 });
    try {
      await admin.exec("select 1");
      return true;
    } finally {
      await admin.close();
    }
  } catch {
    return false;
  }
}

/** A fresh database of its own on that server (migrated when asked), dropped on close. */
export async function freshPostgres(opts: { migrated?: boolean } = {}): Promise<Database> {
  const name = `yishi_q_${randomBytes(6).toString("hex")}`;
  const admin = await openDatabase({ url: adminUrl(postgresUrl), poolSize: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const database = await openDatabase({ url: withDatabase(postgresUrl, name), poolSize: 5 });
  if (opts.migrated) await migrate(database);
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}
