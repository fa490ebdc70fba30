import { describe, expect, it } from "vitest";
import { checkFeasibility } from "./feasibility";
import { solveMaximinHere } from "./maximin";
import { syntheticPool } from "./synthetic";
import { SelectionInfeasibleError, SelectionInputError, type Person, type Quota, type SolveInput } from "./types";

/** 12 people: 4 women (all tenants), 8 men (owners); 6 households of two. */
function pool(): Person[] {
  return Array.from({ length: 12 }, (_, i) => ({
    id: `p${String(i).padStart(2, "0")}`,
    household: `h${Math.floor(i / 2)}`,
    attributes: { gender: i < 4 ? "f" : "m", tenure: i < 4 ? "tenant" : "owner", building: i % 3 === 0 ? "A" : "B" },
  }));
}
const q = (category: string, value: string, min: number, max: number): Quota => ({ category, value, min, max });

async function expectInfeasible(input: SolveInput, reason: string, conflicts: Quota[]) {
  const r = await checkFeasibility(input);
  expect(r.feasible).toBe(false);
  if (r.feasible) return r;
  expect(r.reason).toBe(reason);
  expect(r.conflicts).toEqual(expect.arrayContaining(conflicts));
  if (r.relaxation) {
    expect(await checkFeasibility({ ...input, quotas: r.relaxation })).toEqual({ feasible: true });
    // only loosened, never tightened
    r.relaxation.forEach((rq, i) => {
      expect(rq.min).toBeLessThanOrEqual(input.quotas[i].min);
      expect(rq.max).toBeGreaterThanOrEqual(input.quotas[i].max);
    });
  }
  return r;
}

describe("checkFeasibility", () => {
  it("accepts quotas the pool can meet", async () => {
    expect(await checkFeasibility({ people: pool(), k: 4, onePerHousehold: true, quotas: [q("gender", "f", 1, 2), q("building", "A", 1, 4)] })).toEqual({ feasible: true });
    expect(await checkFeasibility(syntheticPool({ n: 300, k: 30, seed: 1, households: true }))).toEqual({ feasible: true });
  });

  it("names a minimum above the people who have the value, and relaxes it", async () => {
    const quotas = [q("gender", "f", 5, 6), q("building", "A", 0, 4)];
    const r = await expectInfeasible({ people: pool(), k: 6, onePerHousehold: false, quotas }, "min_exceeds_available", [quotas[0]]);
    if (!r.feasible) expect(r.relaxation).toEqual([q("gender", "f", 4, 6), quotas[1]]);
  });

  it("counts households, not people, under the one-per-household rule", async () => {
    // the 4 women live in 2 households
    const quotas = [q("gender", "f", 3, 4)];
    await expectInfeasible({ people: pool(), k: 4, onePerHousehold: true, quotas }, "min_exceeds_available", [quotas[0]]);
    expect(await checkFeasibility({ people: pool(), k: 4, onePerHousehold: false, quotas })).toEqual({ feasible: true });
  });

  it("names the minimums of one category that add up to more than k", async () => {
    const quotas = [q("building", "A", 3, 4), q("building", "B", 3, 4)];
    await expectInfeasible({ people: pool(), k: 5, onePerHousehold: false, quotas }, "category_mins_exceed_k", quotas);
  });

  it("names maximums that leave seats no one may take", async () => {
    const quotas = [q("gender", "f", 0, 1), q("gender", "m", 0, 2)];
    await expectInfeasible({ people: pool(), k: 5, onePerHousehold: false, quotas }, "category_max_below_k", quotas);
  });

  it("finds conflicts between categories with the MIP and names them", async () => {
    // every woman is a tenant: at least 2 women but at most 1 tenant cannot both hold
    const quotas = [q("gender", "f", 2, 4), q("tenure", "tenant", 0, 1), q("building", "A", 0, 6)];
    const r = await expectInfeasible({ people: pool(), k: 4, onePerHousehold: false, quotas }, "quota_combination", []);
    if (!r.feasible) {
      expect(r.conflicts.length).toBe(1);
      expect([quotas[0], quotas[1]]).toContainEqual(r.conflicts[0]);
    }
  });

  it("says when no quota change can help: a pool or household count below k", async () => {
    let r = await expectInfeasible({ people: pool(), k: 13, onePerHousehold: false, quotas: [q("gender", "f", 0, 13)] }, "pool_too_small", []);
    if (!r.feasible) expect(r.relaxation).toBeNull();
    r = await expectInfeasible({ people: pool(), k: 7, onePerHousehold: true, quotas: [q("gender", "f", 0, 7)] }, "too_few_households", []);
    if (!r.feasible) expect(r.relaxation).toBeNull();
  });

  it("makes the solver refuse to draw, naming the quotas", async () => {
    const quotas = [q("gender", "f", 5, 6)];
    const err = await solveMaximinHere({ people: pool(), k: 6, onePerHousehold: false, quotas }, { timeLimitMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SelectionInfeasibleError);
    expect((err as SelectionInfeasibleError).conflicts).toEqual(quotas);
    expect((err as SelectionInfeasibleError).message).toContain("gender=f [5, 6]");
  });

  it("rejects malformed input before solving", async () => {
    await expect(checkFeasibility({ people: pool(), k: 0, onePerHousehold: false, quotas: [] })).rejects.toThrow(SelectionInputError);
    await expect(checkFeasibility({ people: pool(), k: 2, onePerHousehold: false, quotas: [q("colour", "red", 0, 1)] })).rejects.toMatchObject({ code: "unknown_category" });
    await expect(checkFeasibility({ people: [...pool(), pool()[0]], k: 2, onePerHousehold: false, quotas: [] })).rejects.toMatchObject({ code: "duplicate_id" });
  });
});
