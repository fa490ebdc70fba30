import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "pino";
import type { Database } from "../db/client";
import { testDatabase } from "../tests/support/db";
import { fixedClock } from "../app/modules/shared/clock";
import { EventBus } from "../app/modules/shared/events";
import { JOB, startJobs } from "./jobs";
import { startQueue, type Queue } from "./queue";

/** A logger that keeps what it is told. */
function recordingLog() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, log: { info: at("info"), error: at("error"), warn: at("warn") } as unknown as Logger };
}

const until = async (ok: () => boolean | Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("background jobs on the queue (on the test database's driver)", () => {
  let database: Database;
  let queue: Queue;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await queue?.stop({ graceful: false, wait: true, timeout: 2_000 }).catch(() => {});
    await database.close();
  });

  it("a failing sweep is logged and retried with backoff, and the schedule goes on once it succeeds", { timeout: 120_000 }, async () => {
    const { lines, log } = recordingLog();
    queue = await startQueue({ database, log, poolSize: 2 });
    // the sweep cannot read votes: every run fails until the table is back
    await database.exec("ALTER TABLE votes RENAME TO votes_away");
    const stop = await startJobs({ queue, db: database.db, events: new EventBus(), log, clock: fixedClock(new Date("2026-11-26T02:00:00Z")), voteSchedulerMs: 1_000, retry: { limit: 5, delaySeconds: 1 } });
    const failures = () => lines.filter((l) => l.message.startsWith("due votes and invitations failed"));
    await until(() => failures().length >= 2);
    await database.exec("ALTER TABLE votes_away RENAME TO votes");
    // a retried job completes, and the chain of sweeps keeps running after it
    // the retried job itself completes (its backoff may outlast a few sweeps of the chain), and the chain goes on
    await until(async () => (await jobsOf(queue, "retry_count > 0 and state = 'completed'")) >= 1, 90_000);
    await until(async () => (await completedSweeps(queue)) >= 2);
    await stop();
    expect(lines.filter((l) => l.level === "error" && !l.message.startsWith("due votes and invitations failed"))).toEqual([]);
    const retried = await jobsOf(queue, "retry_count > 0 and state = 'completed'");
    expect(retried).toBeGreaterThanOrEqual(1);
  });
});

async function jobsOf(queue: Queue, where: string) {
  const db = (queue as unknown as { getDb(): { executeSql(t: string, v?: unknown[]): Promise<{ rows: { n: number }[] }> } }).getDb();
  const r = await db.executeSql(`select count(*)::int as n from pgboss.job where name = $1 and ${where}`, [JOB.due]);
  return Number(r.rows[0].n);
}
const completedSweeps = (queue: Queue) => jobsOf(queue, "state = 'completed'");
