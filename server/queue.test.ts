import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Database } from "../db/client";
import { freshPostgres, postgresReachable } from "../tests/support/real-postgres";
import { startQueue, type Queue } from "./queue";

const log = pino({ level: "silent" });
const until = async (ok: () => boolean | Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
};

const reachable = await postgresReachable();

describe.skipIf(!reachable)("the job queue on real PostgreSQL", () => {
  let database: Database;
  const queues: Queue[] = [];
  const open = async (extra: { maintenanceIntervalSeconds?: number } = {}) => {
    const q = await startQueue({ database, log, poolSize: 3, ...extra });
    queues.push(q);
    return q;
  };
  beforeAll(async () => {
    database = await freshPostgres();
  });
  afterAll(async () => {
    for (const q of queues) await q.stop({ graceful: false, wait: true, timeout: 2_000 }).catch(() => {});
    await database.close();
  });

  it("runs each job once when two instances share the queue, and both take part", async () => {
    const a = await open();
    const b = await open();
    await a.createQueue("test.once", { name: "test.once" });
    const ran: { instance: string; n: number }[] = [];
    const handler = (instance: string) => async (jobs: { data: { n: number } }[]) => {
      for (const j of jobs) ran.push({ instance, n: j.data.n });
      await new Promise((r) => setTimeout(r, 5));
    };
    await a.work("test.once", { pollingIntervalSeconds: 0.5, batchSize: 5 }, handler("a"));
    await b.work("test.once", { pollingIntervalSeconds: 0.5, batchSize: 5 }, handler("b"));
    await a.insert(Array.from({ length: 300 }, (_, n) => ({ name: "test.once", data: { n } })));
    await until(() => ran.length >= 300);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(ran).toHaveLength(300);
    expect(new Set(ran.map((r) => r.n)).size).toBe(300);
    expect(ran.some((r) => r.instance === "a") && ran.some((r) => r.instance === "b")).toBe(true);
  });

  it("retries a failing job with growing delays, then completes it", async () => {
    const q = await open();
    await q.createQueue("test.retry", { name: "test.retry", retryLimit: 4, retryDelay: 1, retryBackoff: true });
    const tries: number[] = [];
    await q.work("test.retry", { pollingIntervalSeconds: 0.5 }, async () => {
      tries.push(Date.now());
      if (tries.length < 3) throw new Error("provider down");
    });
    const id = await q.send("test.retry", {});
    await until(async () => (await q.getJobById("test.retry", id!))?.state === "completed", 30_000);
    const job = await q.getJobById("test.retry", id!);
    expect(job).toMatchObject({ state: "completed", retryCount: 2 });
    expect(tries).toHaveLength(3);
    // backoff: pg-boss waits retryDelay · 2^n / 2 · (1 + random) after the n-th failure, so 1–2 s
    // after the first and 2–4 s after the second (plus up to a polling interval and any load).
    // Comparing the two measured waits raced that jitter (1.9 s + a late poll against 2.1 s + an
    // early one); each wait's floor is certain, and without backoff the second would be ~1 s
    const slack = 100; // the database's clock and this process's read the same system clock at different moments
    expect(tries[1] - tries[0]).toBeGreaterThanOrEqual(1_000 - slack);
    expect(tries[2] - tries[1]).toBeGreaterThanOrEqual(2_000 - slack);
  });

  it("picks up a job again when the process running it is killed", async () => {
    const q = await open({ maintenanceIntervalSeconds: 1 });
    // the child must still hold the job when it is checked below: 2 s could pass between its start
    // and that check on a loaded machine (the job had then expired into "retry")
    await q.createQueue("test.killed", { name: "test.killed", retryLimit: 3, retryDelay: 0, expireInSeconds: 8 });
    const id = (await q.send("test.killed", { what: "deliver" }))!;
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/support/queue-child.ts"), database.url!, "test.killed"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    await until(() => out.includes(`started ${id}`), 30_000);
    expect((await q.getJobById("test.killed", id))?.state).toBe("active");
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const done: string[] = [];
    await q.work("test.killed", { pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const j of jobs) done.push(j.id);
    });
    await until(() => done.length > 0, 30_000);
    await until(async () => (await q.getJobById("test.killed", id))?.state === "completed");
    expect(done).toEqual([id]);
    expect((await q.getJobById("test.killed", id))?.retryCount).toBe(1);
  }, 120_000); // a child started through tsx, then the expiry and a maintenance round
});
