/**
 * The job queue: pg-boss on the app's own PostgreSQL (its tables live in the `pgboss` schema).
 *
 * On PostgreSQL pg-boss keeps its own small pool (DATABASE_URL); jobs are claimed with
 * `FOR UPDATE SKIP LOCKED`, so with several app instances each job runs once, a failed job is
 * retried with backoff, and a job whose process died is failed by its expiry and retried.
 *
 * On the embedded database (PGlite, one process by construction: its folder is locked) pg-boss
 * runs through a small adapter over the same in-process connection. The queue's tables, retries,
 * expiry and cron are the same code; what differs is that there is only ever one instance.
 */
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Database } from "../db/client";

export type Queue = PgBoss;

interface PGliteLike {
  exec(sql: string): Promise<{ rows: unknown[]; affectedRows?: number }[]>;
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
}

/**
 * pg-boss's `db` option over PGlite. pg-boss sends multi-statement SQL (its schema, maintenance)
 * without values; PGlite's `query` refuses several statements in one prepared statement, so those
 * go through `exec`, and everything with values through `query`.
 */
function pgliteAdapter(pg: PGliteLike): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (!values || values.length === 0) {
        const results = await pg.exec(text);
        const last = results[results.length - 1];
        return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 } as { rows: unknown[] };
      }
      const r = await pg.query(text, values);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length } as { rows: unknown[] };
    },
  };
}

export interface QueueOptions {
  database: Database;
  log: Logger;
  /** pg-boss pool size on PostgreSQL. */
  poolSize?: number;
  /** How often expired (dead-process) jobs are failed over to a retry; 120 s by default. */
  maintenanceIntervalSeconds?: number;
  /** How often pg-boss looks for due cron schedules (1–45 s; 30 s by default). */
  cronMonitorIntervalSeconds?: number;
}

/** Starts pg-boss on the app's database (creating its schema on first start). */
export async function startQueue(opts: QueueOptions): Promise<Queue> {
  const pglite = (opts.database as unknown as { pglite?: PGliteLike }).pglite;
  const connection: PgBoss.DatabaseOptions =
    opts.database.driver === "postgres"
      ? { connectionString: requireUrl(opts.database.url), max: opts.poolSize ?? 4, application_name: "yishi-jobs" }
      : { db: pgliteAdapter(requirePglite(pglite)) };
  const boss = new PgBoss({
    ...connection,
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 120,
    cronMonitorIntervalSeconds: opts.cronMonitorIntervalSeconds ?? 30,
    // finished jobs are kept a week for anyone looking into what ran
    deleteAfterDays: 7,
  });
  boss.on("error", (e: Error) => opts.log.error({ err: e.message }, "job queue error"));
  await boss.start();
  return boss;
}

function requireUrl(url: string | undefined) {
  if (!url) throw new Error("the job queue needs DATABASE_URL on PostgreSQL");
  return url;
}

function requirePglite(pg: PGliteLike | undefined) {
  if (!pg) throw new Error("the embedded database does not expose its connection to the job queue");
  return pg;
}
