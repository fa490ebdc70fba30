import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/client";
import { panelPlans } from "../db/schema";
import { requestDistribution } from "../app/modules/matters/selection/compute.server";
import { registerInterest } from "../app/modules/matters/selection/registration.server";
import { EventBus } from "../app/modules/shared/events";
import { testDatabase } from "../tests/support/db";
import { makeCategory, makeTree } from "../tests/support/factories";
import { selectingMatter } from "../tests/support/selection";
import { startJobs } from "./jobs";
import { startQueue, type Queue } from "./queue";

const quiet = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Logger;

describe("the selection's distribution runs on the job queue", () => {
  let database: Database;
  let queue: Queue;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await queue?.stop({ graceful: false, wait: true, timeout: 2_000 }).catch(() => {});
    await database.close();
  });

  it("a committee member's request is worked out by the queue's worker, not the request, and published", { timeout: 120_000 }, async () => {
    const tree = await makeTree(database.db);
    const categoryId = (await makeCategory(database.db, tree.county.id)).id;
    const { id, staff, residents, clock, as } = await selectingMatter(database, tree, categoryId, "性别,男,1,2\n性别,女,1,2", 2, 4);
    for (let i = 0; i < 4; i++) await registerInterest(as(residents[i]), id, { 性别: i % 2 ? "女" : "男" });
    clock.advance(86_400_000 + 1000);
    queue = await startQueue({ database, log: quiet, poolSize: 2 });
    const events = new EventBus();
    const stop = await startJobs({ queue, db: database.db, events, log: quiet, clock, voteSchedulerMs: 60_000 });
    // the command only queues: it returns at once, before anything is computed
    await requestDistribution({ ...as(staff), events }, id, { budgetSeconds: 20 });
    const plan = async () => (await database.db.select().from(panelPlans).where(eq(panelPlans.matterId, id)))[0];
    expect((await plan()).status).toBe("open");
    const end = Date.now() + 90_000;
    while ((await plan()).solveRun?.status !== "done") {
      if (Date.now() > end) throw new Error(`not worked out: ${JSON.stringify((await plan()).solveRun)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await stop();
    const p = await plan();
    expect(p.status).toBe("computed");
    expect(p.solverReport).toMatchObject({ feasible: true, proves: "leximin" });
  });
});
