import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { solveMaximinHere } from "./maximin";
import { solveMaximin, workerLocation } from "./solve";
import { syntheticPool } from "./synthetic";
import { SelectionInfeasibleError, SelectionInputError } from "./types";

describe("solveMaximin (worker thread)", () => {
  it("runs from the TypeScript source under vitest", () => {
    expect(workerLocation()).toMatchObject({ typescript: true });
    expect(workerLocation().file.endsWith("worker.ts")).toBe(true);
  });

  it("solves off the main thread: timers keep ticking, progress arrives, same answer as in-process", async () => {
    const input = syntheticPool({ n: 120, k: 12, seed: 3, households: true });
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 20);
    const progress: number[] = [];
    const started = performance.now();
    let dist;
    try {
      dist = await solveMaximin(input, { timeLimitMs: 15_000, onProgress: (p) => progress.push(p.iteration) });
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    expect(dist.optimal).toBe(true);
    expect(progress.length).toBe(dist.iterations);
    // the event loop was free throughout: ticks at about the expected rate, no long stall
    expect(ticks).toBeGreaterThan(elapsed / 20 / 3);
    expect(longestGap).toBeLessThan(500);
    const here = await solveMaximinHere(input, { timeLimitMs: 15_000 });
    expect(Math.abs(here.min - dist.min)).toBeLessThan(1e-9);
  }, 60_000); // a few seconds alone; the margin is for a shared, busy machine

  it("rejects infeasible quotas with the conflicts and the relaxation", async () => {
    const input = syntheticPool({ n: 60, k: 10, seed: 1 });
    input.quotas = [{ category: "building", value: "F", min: 9, max: 10 }];
    const err = await solveMaximin(input, { timeLimitMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SelectionInfeasibleError);
    expect((err as SelectionInfeasibleError).conflicts).toEqual([input.quotas[0]]);
    expect((err as SelectionInfeasibleError).relaxation?.[0].min).toBeLessThan(9);
  });

  it("reports a worker that crashes as an error, and the process lives on", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "selection-")), "broken-worker.mjs");
    fs.writeFileSync(file, "throw new Error('Aborted()');\n");
    const err = await solveMaximin(syntheticPool({ n: 30, k: 5, seed: 1 }), { timeLimitMs: 5000, workerFile: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SelectionInputError);
    expect((err as SelectionInputError).code).toBe("solver_failed");
    expect((err as Error).message).toContain("Aborted");
  });

  it("terminates a worker that does not answer within the budget and grace", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "selection-")), "silent-worker.mjs");
    fs.writeFileSync(file, "setInterval(() => {}, 1000);\n");
    const started = performance.now();
    const err = await solveMaximin(syntheticPool({ n: 30, k: 5, seed: 1 }), { timeLimitMs: 100, graceMs: 200, workerFile: file }).catch((e: unknown) => e);
    expect((err as SelectionInputError).code).toBe("solver_failed");
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
