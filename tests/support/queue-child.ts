/**
 * A second process for the queue tests: takes jobs of one queue and hangs in each, so the test can
 * kill it with jobs in flight. Usage: node --import tsx queue-child.ts <postgres url> <queue>
 */
import { pino } from "pino";
import type { Database } from "../../db/client";
import { startQueue } from "../../server/queue";

const [url, name] = process.argv.slice(2);
const queue = await startQueue({ database: { driver: "postgres", url } as Database, log: pino({ level: "silent" }), poolSize: 2 });
await queue.work(name, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
  for (const job of jobs) process.stdout.write(`started ${job.id}\n`);
  await new Promise(() => {});
});
process.stdout.write("ready\n");
