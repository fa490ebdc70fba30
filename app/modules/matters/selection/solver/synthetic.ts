/**
 * Seeded synthetic pools for tests and the bench: five attributes with the skew of real volunteer
 * pools — a small building that quotas force onto the panel, an over-represented older age band,
 * owners/tenants, gender, employment — and households of one to three people. Not for production
 * draws (the generator is a plain seeded PRNG, not the HMAC stream of sampling.ts).
 */
import type { Person, Quota, SolveInput } from "./types";

/** mulberry32: small, seeded, good enough for synthetic data. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends string>(rng: () => number, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let u = rng() * total;
  for (const [v, w] of entries) {
    if ((u -= w) < 0) return v;
  }
  return entries[entries.length - 1][0];
}

const BUILDINGS = { A: 0.24, B: 0.22, C: 0.2, D: 0.17, E: 0.14, F: 0.03 };
const AGE_POOL = { "18-34": 0.14, "35-49": 0.2, "50-64": 0.26, "65+": 0.4 };
const AGE_CENSUS = { "18-34": 0.27, "35-49": 0.27, "50-64": 0.25, "65+": 0.21 };
const GENDER = { f: 0.55, m: 0.45 };
const TENURE_POOL = { owner: 0.75, tenant: 0.25 };
const TENURE_CENSUS = { owner: 0.62, tenant: 0.38 };
const WORK = { employed: 0.45, retired: 0.38, student: 0.05, other: 0.12 };

export interface SyntheticOptions {
  n: number;
  k: number;
  seed: number;
  /** Household tags (1–3 people each) and the one-per-household rule. */
  households?: boolean;
}

export function syntheticPool(opts: SyntheticOptions): SolveInput {
  const rng = seededRng(opts.seed);
  const people: Person[] = [];
  let h = 0;
  while (people.length < opts.n) {
    h++;
    const size = opts.households ? 1 + Math.floor(rng() * rng() * 3) : 1;
    const building = pick(rng, BUILDINGS);
    const tenure = pick(rng, TENURE_POOL);
    for (let j = 0; j < size && people.length < opts.n; j++) {
      const age = pick(rng, AGE_POOL);
      people.push({
        id: `p${String(people.length + 1).padStart(5, "0")}`,
        household: opts.households ? `h${String(h).padStart(5, "0")}` : null,
        attributes: { building, age, gender: pick(rng, GENDER), tenure, work: age === "65+" && rng() < 0.8 ? "retired" : pick(rng, WORK) },
      });
    }
  }
  const { k } = opts;
  const around = (category: string, shares: Record<string, number>, slack: number): Quota[] =>
    Object.entries(shares).map(([value, s]) => ({
      category,
      value,
      min: Math.max(0, Math.floor(s * k * (1 - slack))),
      max: Math.min(k, Math.ceil(s * k * (1 + slack))),
    }));
  const quotas: Quota[] = [
    ...around("building", BUILDINGS, 0.25).map((q) => (q.value === "F" ? { ...q, min: Math.max(2, Math.ceil(k / 20)), max: Math.max(3, Math.ceil(k / 10)) } : q)),
    ...around("age", AGE_CENSUS, 0.2),
    ...around("gender", { f: 0.5, m: 0.5 }, 0.12),
    ...around("tenure", TENURE_CENSUS, 0.2),
    { category: "work", value: "student", min: 0, max: Math.max(1, Math.ceil(k / 15)) },
    { category: "work", value: "retired", min: 0, max: Math.ceil(k * 0.4) },
  ];
  return { people, quotas, k, onePerHousehold: !!opts.households };
}
