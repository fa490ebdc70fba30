import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { panelPlans } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { makeCategory, makeTree, outcomeOf } from "../../../../tests/support/factories";
import { selectingMatter } from "../../../../tests/support/selection";
import { cancelDistribution, reportOf, requestDistribution, runDistribution, runQueuedDistributions } from "./compute.server";
import { registerInterest, uploadPaperPool } from "./registration.server";
import { ALGORITHM, LEXIMIN_ALGORITHM, type Distribution } from "./solver/types";
import { getSelectionPage } from "./view.server";

const DAY = 86_400_000;
let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let categoryId: number;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  categoryId = (await makeCategory(database.db, tree.county.id)).id;
});
afterAll(() => database.close());
const err = outcomeOf;

const run = async (id: number) => (await database.db.select().from(panelPlans).where(eq(panelPlans.matterId, id)))[0];

describe("working out the distribution on the job queue", () => {
  it("queues a request with its budget; refuses one too early, a second, a bad budget and a resident; cancels a queued one", { timeout: 60_000 }, async () => {
    const { id, staff, residents, clock, as } = await selectingMatter(database, tree, categoryId, "性别,男,1,2\n性别,女,1,2", 2, 4);
    expect(await err(requestDistribution(as(staff), id))).toBe("selection.errors.registrationOpen");
    clock.advance(DAY + 1000);
    for (const budgetSeconds of [4, 601, 1.5]) expect(await err(requestDistribution(as(staff), id, { budgetSeconds }))).toBe("selection.errors.budget");
    expect(await err(requestDistribution(as(residents[0]), id))).toBe("errors.forbidden");
    expect(await err(cancelDistribution(as(staff), id))).toBe("selection.errors.notComputing");
    expect((await run(id)).solveRun).toBeNull();
    const queued = await requestDistribution(as(staff), id, { budgetSeconds: 20 });
    expect(queued).toMatchObject({ status: "queued", budgetSeconds: 20, requestedBy: staff.id });
    expect(await err(requestDistribution(as(staff), id))).toBe("selection.errors.alreadyComputing");
    expect(await err(cancelDistribution(as(residents[0]), id))).toBe("errors.forbidden");
    await cancelDistribution(as(staff), id);
    expect((await run(id)).solveRun).toMatchObject({ status: "cancelled" });
    // nothing queued: the job has nothing to do, and nothing was published
    expect(await runQueuedDistributions(as(null))).toBe(0);
    expect((await run(id)).status).toBe("open");
  });

  it("the job works it out with LEXIMIN, says what it proves, and each registrant sees their chance and why; the public sees the chart", { timeout: 120_000 }, async () => {
    // 2 seats; 1 of 6 registrants answered 女 and a seat is kept for her: her chance is 1, the others' 1 / 5
    const { id, staff, residents, clock, as, events } = await selectingMatter(database, tree, categoryId, "性别,男,1,1\n性别,女,1,1", 2, 6);
    for (let i = 0; i < 6; i++) await registerInterest(as(residents[i]), id, { 性别: i === 0 ? "女" : "男" });
    clock.advance(DAY + 1000);
    await requestDistribution(as(staff), id, { budgetSeconds: 30 });
    expect(events.some((e) => e.type === "selection.solveRequested" && e.matterId === id)).toBe(true);
    // the job runs as the system
    expect(await runQueuedDistributions(as(null))).toBe(1);
    const plan = await run(id);
    expect(plan.status).toBe("computed");
    expect(plan.solveRun).toMatchObject({ status: "done", budgetSeconds: 30 });
    expect(plan.solverReport).toMatchObject({ algorithm: LEXIMIN_ALGORITHM, proves: "leximin", leximin: { complete: true }, budgetSeconds: 30 });
    expect(events.some((e) => e.type === "selection.progress" && e.matterId === id)).toBe(true);

    const her = (await getSelectionPage(as(residents[0]), id)).viewer.chance!;
    expect(her.probability).toBeCloseTo(1);
    expect(her.even).toBeCloseTo(2 / 6);
    expect(her.level).toBe("higher");
    expect(her.reasons).toEqual([expect.objectContaining({ category: "性别", value: "女", count: 1, min: 1, effect: "raises" })]);
    const him = (await getSelectionPage(as(residents[3]), id)).viewer.chance!;
    expect(him.probability).toBeCloseTo(0.2);
    expect(him.reasons[0]).toMatchObject({ value: "男", count: 5, max: 1, effect: "lowers" });
    // the public: no one's own chance, the chart by answer
    const pub = await getSelectionPage(as(null), id);
    expect(pub.viewer.chance).toBeNull();
    expect(pub.chart!.rows.map((r) => [r.value, r.count, Number(r.mean.toFixed(4))])).toEqual([
      ["女", 1, 1],
      ["男", 5, 0.2],
    ]);
    // a committee member does not register: no chance of their own either
    expect((await getSelectionPage(as(staff), id)).viewer.chance).toBeNull();
  });

  it("a cancel stops a running solve: nothing is published and the run says so", { timeout: 180_000 }, async () => {
    // a town-sized paper pool (1,600 people in households of one to three) that takes the solver a while
    const values = { 楼栋: ["1", "2", "3", "4", "5", "6", "7", "8"], 年龄: ["18-34", "35-49", "50-64", "65+"], 性别: ["男", "女"], 住房: ["业主", "租户"] };
    const quotas = Object.entries(values)
      .flatMap(([c, vs]) => vs.map((v, i) => `${c},${v},${Math.floor(100 / vs.length / 2) - (i % 2)},${Math.ceil((100 / vs.length) * 1.6)}`))
      .join("\n");
    const { id, staff, clock, as } = await selectingMatter(database, tree, categoryId, quotas, 100);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const rows = ["id,household,楼栋,年龄,性别,住房"];
    for (let i = 0, h = 0; i < 1600; h++) {
      const size = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < size && i < 1600; j++, i++) rows.push([`纸-${i}`, `H${h}`, ...Object.values(values).map((vs) => vs[Math.floor(rnd() * vs.length)])].join(","));
    }
    await uploadPaperPool(as(staff), id, rows.join("\n"));
    clock.advance(DAY + 1000);
    await requestDistribution(as(staff), id, { budgetSeconds: 120 });
    const started = Date.now();
    const running = runDistribution(as(null), id);
    // once the solver reports progress, a committee member cancels
    while (!(await run(id)).solveRun?.progress) {
      if (Date.now() - started > 120_000) throw new Error("no progress");
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await run(id)).solveRun?.status).toBe("running");
    await cancelDistribution(as(staff), id);
    const cancelledAt = Date.now();
    const outcome = await running;
    expect(outcome.report).toBeUndefined();
    // stopped soon after the cancel, far inside its 120 s budget (the run checks about once a
    // second; the bound leaves room for a loaded 2-core CI). "cancelled" below is only written when
    // the solver was aborted, so the status, not this bound, is what proves the cancel
    expect(Date.now() - cancelledAt).toBeLessThan(60_000);
    const plan = await run(id);
    expect(plan.solveRun).toMatchObject({ status: "cancelled", cancelRequested: true });
    expect(plan.status).toBe("open");
    expect(plan.distribution).toBeNull();
    // and it can be asked for again
    expect((await requestDistribution(as(staff), id, { budgetSeconds: 5 })).status).toBe("queued");
  });

  it("states which algorithm ran and what it proves: LEXIMIN complete, the MAXIMIN fallback, or only a bound", () => {
    const base = { panels: [], probabilities: [], selection: {}, min: 0.2, mean: 0.3, max: 0.5, dualBound: 0.2, optimal: true, excluded: [], iterations: 3, ms: 10 } as unknown as Distribution;
    expect(reportOf({ ...base, algorithm: LEXIMIN_ALGORITHM, leximin: { rounds: 3, complete: true } }, 10, 30)).toMatchObject({ algorithm: LEXIMIN_ALGORITHM, proves: "leximin" });
    expect(reportOf({ ...base, algorithm: LEXIMIN_ALGORITHM, leximin: { rounds: 1, complete: false } }, 10, 30)).toMatchObject({ algorithm: ALGORITHM, proves: "maximin", leximin: { rounds: 1 } });
    expect(reportOf({ ...base, algorithm: LEXIMIN_ALGORITHM, dualBound: 0.3, optimal: false, stopped: "time_limit", leximin: { rounds: 0, complete: false } }, 10, 30)).toMatchObject({
      algorithm: ALGORITHM,
      proves: "bound",
      stopped: "time_limit",
    });
  });
});
