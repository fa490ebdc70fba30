import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Either driver's database, or a transaction on it: commands take this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: "postgres" | "pglite";
  /** The connection string on PostgreSQL (the job queue opens its own pool with it). */
  url?: string;
  /** Run raw SQL (tests, health checks, tools). */
  exec(sqlText: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… → postgres.js; absent → PGlite. */
  url?: string;
  /** PGlite data folder, or "memory://". */
  dataDir?: string;
  /** PGlite: start from this dump (tests) instead of an empty database. */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export const migrationsFolder = path.resolve(process.cwd(), "db/migrations");

/** Queries with at most this many parameters are prepared; bulk inserts (thousands of parameters, a new text each time) are not. */
const MAX_PREPARED_PARAMS = 100;
let prepared = false;

/**
 * Makes drizzle's queries prepared statements on PostgreSQL, as postgres.js does by default for
 * its own queries: each connection parses and plans a query text once and then only binds and
 * runs it. drizzle prepares only queries given a name; planning the app's small queries again on
 * every request cost more database CPU than running them. (Not for a transaction-mode pooler such
 * as PgBouncer, which cannot keep a connection's statements.)
 */
async function preparedStatements() {
  if (prepared) return;
  prepared = true;
  const { PostgresJsSession } = await import("drizzle-orm/postgres-js/session");
  const prepareQuery = PostgresJsSession.prototype.prepareQuery;
  PostgresJsSession.prototype.prepareQuery = function (this: InstanceType<typeof PostgresJsSession>, query, fields, name, ...rest) {
    // drizzle prepares when a name is given; the name itself is not used
    return prepareQuery.call(this, query, fields, name ?? (query.params.length <= MAX_PREPARED_PARAMS ? "" : undefined), ...rest);
  } as typeof prepareQuery;
}

/** Opens the configured database. PGlite folders are guarded by a lock file: two processes on one folder corrupt it. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(opts.url, { max: opts.poolSize ?? 10, onnotice: () => {} });
    await preparedStatements();
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      db,
      driver: "postgres",
      url: opts.url,
      exec: async (q) => {
        await client.unsafe(q);
      },
      close: () => client.end({ timeout: 5 }),
      // migrate takes a connection of its own for its lock
      ...({ url: opts.url } as object),
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  // substring search (db/migrations/0017_search.sql) needs the trigram extension in the embedded build too
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const dataDir = opts.dataDir ?? "memory://";
  let release = () => {};
  if (!dataDir.startsWith("memory://")) {
    fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
    release = takeLock(path.resolve(dataDir) + ".lock");
  }
  const pg = new PGlite(dataDir, { extensions: { pg_trgm }, ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
  await pg.waitReady;
  const db = drizzle(pg, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    exec: async (q) => {
      await pg.exec(q);
    },
    close: async () => {
      await pg.close();
      release();
    },
    // exposed for dumps in tests
    ...({ pglite: pg } as object),
  };
}

function takeLock(lockPath: string): () => void {
  try {
    const fd = fs.openSync(lockPath, "wx");
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    const pid = Number(fs.readFileSync(lockPath, "utf8"));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`The embedded database is in use by process ${pid} (${lockPath}). Stop it first.`);
    }
    fs.writeFileSync(lockPath, String(process.pid));
  }
  return () => {
    try {
      if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
    } catch {
      /* already gone */
    }
  };
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Applies the committed drizzle-kit migrations (idempotent). */
/** pg_advisory_lock key of the migrations ("yishi-migrate" as a 63-bit number). */
export const MIGRATION_LOCK = 0x796973686d6967n;

/**
 * Applies the committed migrations not yet applied. On PostgreSQL, under a session advisory lock
 * (released when its connection ends, also when the process dies): instances that start together queue on the
 * lock, and each after the first finds nothing left to do (without it, two would create the
 * same types at once and one would fail its start). PGlite has one process: no lock needed.
 */
export async function migrate(database: Database, folder = migrationsFolder) {
  if (database.driver === "postgres") {
    const { migrate: run } = await import("drizzle-orm/postgres-js/migrator");
    const { default: postgres } = await import("postgres");
    // the lock is held by a connection of its own, so the migrator keeps the pool (of one, in `prepare`)
    const url = (database as unknown as { url: string }).url;
    const lock = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await lock`select pg_advisory_lock(${MIGRATION_LOCK.toString()}::bigint)`;
      await run(database.db as never, { migrationsFolder: folder });
    } finally {
      await lock.end({ timeout: 5 });
    }
  } else {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    await run(database.db as never, { migrationsFolder: folder });
  }
}

/** The rows of a `db.execute` result: postgres.js answers an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}

/** SQLSTATE of a driver error, walking drizzle's wrapper once (both drivers put it on `cause`). */
export function sqlState(err: unknown): { code?: string; constraint?: string } {
  let e = err as { code?: unknown; cause?: unknown; constraint_name?: string; constraint?: string } | undefined;
  for (let i = 0; i < 3 && e; i++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      return { code: e.code, constraint: e.constraint_name ?? e.constraint };
    }
    e = e.cause as typeof e;
  }
  return {};
}
