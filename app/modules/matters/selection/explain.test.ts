import { describe, expect, it } from "vitest";
import { chanceByValue, effectOf, explainChance } from "./explain";
import type { Person, Quota } from "./engine";

// 10 registrants, 4 seats: the even share is 40%. Two are "old" (at least 2 seats: rare, raised),
// eight are "young" (at most 2 seats: common, lowered); gender has a quota that binds nobody.
const person = (id: string, age: string, gender: string, household: string | null = null): Person => ({ id, household, attributes: { age, gender } });
const pool: Person[] = [
  person("a", "old", "f", "H1"),
  person("b", "old", "m"),
  ...Array.from({ length: 8 }, (_, i) => person(`y${i}`, "young", i % 2 ? "f" : "m", i === 0 ? "H1" : null)),
];
const quotas: Quota[] = [
  { category: "age", value: "old", min: 2, max: 2 },
  { category: "age", value: "young", min: 2, max: 2 },
  { category: "gender", value: "f", min: 0, max: 4 },
];

describe("why a chance is what it is", () => {
  it("says which quota raises a rare answer's chance and which lowers a common one's", () => {
    expect(effectOf({ min: 2, max: 2 }, 2, 0.4)).toBe("raises");
    expect(effectOf({ min: 2, max: 2 }, 8, 0.4)).toBe("lowers");
    expect(effectOf({ min: 0, max: 4 }, 5, 0.4)).toBe("neutral");
    expect(effectOf({ min: 1, max: 1 }, 0, 0.4)).toBe("neutral");

    const old = explainChance({ person: pool[0], pool, quotas, seats: 4, probability: 1 });
    expect(old.even).toBeCloseTo(0.4);
    expect(old.level).toBe("higher");
    expect(old.reasons[0]).toMatchObject({ category: "age", value: "old", count: 2, min: 2, max: 2, effect: "raises" });
    expect(old.reasons.find((r) => r.category === "gender")?.effect).toBe("neutral");
    expect(old.sharesHousehold).toBe(true);

    const young = explainChance({ person: pool[3], pool, quotas, seats: 4, probability: 0.25 });
    expect(young.level).toBe("lower");
    expect(young.reasons[0]).toMatchObject({ value: "young", count: 8, effect: "lowers" });
    expect(young.sharesHousehold).toBe(false);
    expect(young.excluded).toBeNull();
  });

  it("reads a chance within 0.1 point of the even share as even, and names an exclusion", () => {
    expect(explainChance({ person: pool[1], pool, quotas: [], seats: 4, probability: 0.4005 }).level).toBe("even");
    const ex = explainChance({ person: pool[1], pool, quotas, seats: 4, probability: 0, excluded: [{ id: "b", reason: "quota_excludes" }] });
    expect(ex.excluded).toBe("quota_excludes");
    // the even share is over the eligible registrants only
    expect(ex.even).toBeCloseTo(4 / 9);
  });

  it("gives the public the chance by answer: count, quota, average, smallest and largest", () => {
    const selection: Record<string, number> = { a: 1, b: 1 };
    for (let i = 0; i < 8; i++) selection[`y${i}`] = 0.25;
    const { even, rows } = chanceByValue({ pool, quotas, seats: 4, selection });
    expect(even).toBeCloseTo(0.4);
    expect(rows.map((r) => `${r.category}=${r.value}`)).toEqual(["age=old", "age=young", "gender=f", "gender=m"]);
    expect(rows[0]).toMatchObject({ count: 2, quotaMin: 2, quotaMax: 2, mean: 1, min: 1, max: 1, effect: "raises" });
    expect(rows[1]).toMatchObject({ count: 8, mean: 0.25, effect: "lowers" });
    expect(rows[3]).toMatchObject({ quotaMin: null, quotaMax: null, effect: "neutral" });
    expect(rows[2].mean).toBeCloseTo((1 + 4 * 0.25) / 5);
    expect(rows[2].min).toBe(0.25);
    expect(rows[2].max).toBe(1);
  });
});
