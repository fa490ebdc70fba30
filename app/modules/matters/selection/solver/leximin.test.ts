import { describe, expect, it } from "vitest";
import { solveMaximinHere, type Progress } from "./maximin";
import { meetsQuotas } from "./sampling";
import { syntheticPool } from "./synthetic";

describe("LEXIMIN rounds", () => {
  it("keep the optimal minimum and raise the next-lowest probabilities", async () => {
    const input = syntheticPool({ n: 100, k: 10, seed: 4 });
    const maximin = await solveMaximinHere(input, { timeLimitMs: 20_000 });
    const progress: Progress[] = [];
    const leximin = await solveMaximinHere(input, { timeLimitMs: 20_000, leximin: true, onProgress: (p) => progress.push(p) });
    expect(leximin.algorithm).toBe("leximin-colgen/1");
    expect(leximin.leximin?.complete).toBe(true);
    expect(leximin.optimal).toBe(true);
    expect(Math.abs(leximin.min - maximin.min)).toBeLessThan(1e-6);
    expect(Math.abs(leximin.dualBound - maximin.dualBound)).toBeLessThan(1e-6);
    expect(progress.some((p) => (p.leximinRound ?? 0) > 0)).toBe(true);
    for (const p of leximin.panels) expect(meetsQuotas(input, p)).toEqual({ ok: true });
    // sorted probabilities: where the two first differ, LEXIMIN is higher (and on this pool they do differ)
    const a = Object.values(maximin.selection).sort((x, y) => x - y);
    const b = Object.values(leximin.selection).sort((x, y) => x - y);
    const first = a.findIndex((v, i) => Math.abs(v - b[i]) > 1e-6);
    expect(first).toBeGreaterThan(0);
    expect(b[first]).toBeGreaterThan(a[first]);
    expect(Math.abs(b.reduce((s, v) => s + v, 0) - input.k)).toBeLessThan(1e-9);
  }, 60_000); // a few seconds alone; the margin is for a shared, busy machine

  it("stop at the budget without giving up the minimum", async () => {
    const input = syntheticPool({ n: 200, k: 20, seed: 4 });
    const maximin = await solveMaximinHere(input, { timeLimitMs: 10_000 });
    expect(maximin.optimal).toBe(true);
    // a budget a little above what MAXIMIN alone took: LEXIMIN gets cut short (or, on a fast machine, completes)
    const budget = Math.max(3000, maximin.ms * 3);
    const dist = await solveMaximinHere(input, { timeLimitMs: budget, leximin: true });
    expect(dist.ms).toBeLessThan(budget + 5000);
    expect(dist.stopped).toBeUndefined();
    expect(dist.optimal).toBe(true);
    expect(Math.abs(dist.min - maximin.min)).toBeLessThan(1e-6);
    expect(dist.leximin).toBeDefined();
    for (const p of dist.panels) expect(meetsQuotas(input, p)).toEqual({ ok: true });
  }, 60_000);
});
