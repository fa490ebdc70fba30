import loadHighs from "highs";
import { describe, expect, it } from "vitest";
import { expand, expandAround, homesOf, solveMaximinHere, solveWith } from "./maximin";
import { compile } from "./model";
import { meetsQuotas } from "./sampling";
import { seededRng, syntheticPool } from "./synthetic";
import type { Person, SolveInput } from "./types";

function combinations<T>(items: T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, k - 1).map((c) => [first, ...c]), ...combinations(rest, k)];
}

/** The maximin optimum the independent way: every panel enumerated (meetsQuotas checks the household rule), one LP over all of them. */
async function bruteForceMaximin(input: SolveInput): Promise<number> {
  const panels = combinations(input.people.map((p) => p.id), input.k).filter((c) => meetsQuotas(input, c).ok);
  const ids = [...new Set(panels.flat())];
  const rows = ids.map((id, r) => ` c${r}: ${panels.map((p, j) => (p.includes(id) ? `+ l${j}` : "")).filter(Boolean).join(" ")} - z >= 0`);
  const lp = `Maximize\n obj: z\nSubject To\n${rows.join("\n")}\n sum: ${panels.map((_p, j) => `+ l${j}`).join(" ")} = 1\nBounds\n z free\nEnd\n`;
  const r = (await loadHighs()).solve(lp, { output_flag: false });
  expect(r.Status).toBe("Optimal");
  return r.ObjectiveValue;
}

/** 13 people in households of one to three (many of them alike), k = 4, three attributes. */
function smallHouseholdPool(seed: number): SolveInput {
  const rng = seededRng(seed);
  const people: Person[] = [];
  let h = 0;
  while (people.length < 13) {
    h++;
    const size = 1 + Math.floor(rng() * 3);
    const building = rng() < 0.5 ? "A" : "B";
    for (let j = 0; j < size && people.length < 13; j++) {
      people.push({ id: `p${String(people.length).padStart(2, "0")}`, household: `h${h}`, attributes: { building, g: rng() < 0.5 ? "f" : "m", age: rng() < 0.3 ? "young" : "old" } });
    }
  }
  return {
    people,
    k: 4,
    onePerHousehold: true,
    quotas: [
      { category: "g", value: "f", min: 2, max: 2 },
      { category: "age", value: "young", min: 1, max: 3 },
      { category: "building", value: "B", min: 1, max: 3 },
    ],
  };
}

function checkPublished(input: SolveInput, dist: Awaited<ReturnType<typeof solveMaximinHere>>) {
  for (const p of dist.panels) expect(meetsQuotas(input, p)).toEqual({ ok: true });
  expect(Math.abs(dist.probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
  for (const p of input.people) {
    const fromPanels = dist.panels.reduce((s, panel, i) => s + (panel.includes(p.id) ? dist.probabilities[i] : 0), 0);
    expect(Math.abs(fromPanels - dist.selection[p.id])).toBeLessThan(1e-9);
  }
}

describe("one per household at scale", () => {
  it("merges households of the same type into one group per profile, with one row per type", () => {
    const people: Person[] = [
      { id: "a1", household: "h1", attributes: { g: "f" } },
      { id: "a2", household: "h1", attributes: { g: "m" } },
      { id: "b1", household: "h2", attributes: { g: "m" } },
      { id: "b2", household: "h2", attributes: { g: "f" } },
      { id: "c1", household: "h3", attributes: { g: "f" } },
      { id: "c2", household: "h3", attributes: { g: "f" } },
      { id: "s", household: "h4", attributes: { g: "f" } },
    ];
    const cm = compile({ people, k: 2, onePerHousehold: true, quotas: [{ category: "g", value: "f", min: 1, max: 1 }] });
    // h1 and h2 are one type (one f, one m); h3 another (two f); s alone merges by profile
    expect(cm.households.map((hh) => ({ capacity: hh.capacity, groups: hh.groups.map((g) => cm.groups[g].members) }))).toEqual([
      { capacity: 2, groups: [["a2", "b1"], ["a1", "b2"]] },
      { capacity: 1, groups: [["c1", "c2"]] },
    ]);
    expect(cm.groups.find((g) => g.members.includes("s"))).toEqual({ members: ["s"], quotas: [0], cap: 1 });
    expect(cm.groups.find((g) => g.members.includes("c1"))?.cap).toBe(1);
  });

  it("expands household-type counts into panels that seat each member with the group's share and never two of a home", () => {
    const people: Person[] = [];
    // three homes of type {f, m}, two of type {f, f}, five people alone
    for (let i = 0; i < 3; i++) people.push({ id: `x${i}f`, household: `x${i}`, attributes: { g: "f" } }, { id: `x${i}m`, household: `x${i}`, attributes: { g: "m" } });
    for (let i = 0; i < 2; i++) people.push({ id: `y${i}a`, household: `y${i}`, attributes: { g: "f" } }, { id: `y${i}b`, household: `y${i}`, attributes: { g: "f" } });
    for (let i = 0; i < 5; i++) people.push({ id: `s${i}`, household: null, attributes: { g: i < 3 ? "f" : "m" } });
    const input: SolveInput = { people, k: 6, onePerHousehold: true, quotas: [{ category: "g", value: "f", min: 0, max: 6 }] };
    const cm = compile(input);
    const counts = new Array<number>(cm.groups.length).fill(0);
    const groupOf = (id: string) => cm.groupOf.get(id)!;
    counts[groupOf("x0f")] = 1;
    counts[groupOf("x0m")] = 2;
    counts[groupOf("y0a")] = 1;
    counts[groupOf("s0")] = 1;
    counts[groupOf("s3")] = 1;
    const parts = expand(cm, counts);
    expect(Math.abs(parts.reduce((s, p) => s + p.weight, 0) - 1)).toBeLessThan(1e-12);
    const prob = new Map<string, number>();
    for (const { panel, weight } of parts) {
      expect(panel).toHaveLength(6);
      expect(meetsQuotas(input, panel)).toEqual({ ok: true });
      for (const id of panel) prob.set(id, (prob.get(id) ?? 0) + weight);
    }
    const share = (id: string) => counts[groupOf(id)] / cm.groups[groupOf(id)].members.length;
    for (const p of people) expect(Math.abs((prob.get(p.id) ?? 0) - share(p.id))).toBeLessThan(1e-12);
    expect(share("x1f")).toBeCloseTo(1 / 3, 12);
    expect(share("y1b")).toBeCloseTo(1 / 4, 12);
  });

  it("lays a household-blind panel out so housemates never sit together, or names the households it cannot", () => {
    const input = syntheticPool({ n: 200, k: 20, seed: 8, households: true });
    const blind = compile({ ...input, onePerHousehold: false });
    const homes = homesOf(input);
    // two per group where possible: every member's share stays exactly x/|g|
    let left = input.k;
    const counts = blind.groups.map((g) => {
      const x = Math.min(left, Math.min(2, g.members.length));
      left -= x;
      return x;
    });
    const { parts, clashes } = expandAround(blind, counts, homes);
    const prob = new Map<string, number>();
    for (const { panel, weight } of parts) for (const id of panel) prob.set(id, (prob.get(id) ?? 0) + weight);
    blind.groups.forEach((g, gi) => g.members.forEach((id) => expect(Math.abs((prob.get(id) ?? 0) - counts[gi] / g.members.length)).toBeLessThan(1e-12)));
    const clashing = new Set(clashes);
    for (const { panel } of parts) {
      const seen = new Map<string, number>();
      for (const id of panel) if (homes.has(id)) seen.set(homes.get(id)!, (seen.get(homes.get(id)!) ?? 0) + 1);
      for (const [home, n] of seen) if (n > 1) expect(clashing.has(home)).toBe(true);
    }
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`agrees with brute force on a small pool of households (seed ${seed}), both ways of solving`, async () => {
      const input = smallHouseholdPool(seed);
      const brute = await bruteForceMaximin(input);
      // household-blind first, households modelled where the layout clashes (the default for large pools)
      const dist = solveWith(await loadHighs(), input, { timeLimitMs: 20_000, tieRounds: true });
      expect(Math.abs(dist.min - brute)).toBeLessThan(1e-6);
      expect(dist.dualBound).toBeGreaterThanOrEqual(brute - 1e-6);
      expect(dist.optimal).toBe(true);
      checkPublished(input, dist);
      // the full household-type model straight away (the default for small pools, and the fallback)
      const full = await solveMaximinHere(input, { timeLimitMs: 20_000 });
      expect(Math.abs(full.min - brute)).toBeLessThan(1e-6);
      expect(Math.abs(full.dualBound - brute)).toBeLessThan(1e-6);
      checkPublished(input, full);
    }, 60_000);
  }

  it("proves a 500-person household pool optimal with the household-blind bound", async () => {
    const input = syntheticPool({ n: 500, k: 50, seed: 1000, households: true });
    const dist = solveWith(await loadHighs(), input, { timeLimitMs: 120_000, tieRounds: true });
    expect(dist.stopped).toBeUndefined();
    expect(dist.dualBound - dist.min).toBeLessThanOrEqual(1e-6);
    expect(dist.dualBound).toBeGreaterThanOrEqual(dist.min - 1e-9);
    for (const p of dist.panels.slice(0, 500)) expect(meetsQuotas(input, p)).toEqual({ ok: true });
  }, 240_000);
});
