/**
 * Why a chance is what it is, in plain words, and the distribution by quota value for the public
 * chart. Pure: no database, no clock. The lottery gives everyone the same chance (seats / eligible
 * registrants) unless a quota forces otherwise: a quota that reserves at least `min` seats for the
 * `count` registrants who answered a value raises their chance when min / count is above the even
 * share (the value is rare in the pool); one that allows at most `max` seats lowers it when
 * max / count is below it (the value is common in the pool).
 */
import type { Person, Quota } from "./engine";

export type Effect = "raises" | "lowers" | "neutral";

export interface Reason {
  category: string;
  value: string;
  /** registrants who gave this answer */
  count: number;
  min: number;
  max: number;
  effect: Effect;
}

export interface ChanceExplanation {
  probability: number;
  /** seats / eligible registrants: what everyone would get without quotas */
  even: number;
  /** how this chance compares with the even share */
  level: "higher" | "lower" | "even";
  reasons: Reason[];
  /** the solver's reason this registrant cannot be chosen, if any */
  excluded: string | null;
  /** shares a household with other registrants under the one-per-household rule */
  sharesHousehold: boolean;
}

/** Chances within this of the even share read as "about even" (0.1 percentage point). */
const EVEN_TOLERANCE = 0.001;

export function effectOf(quota: Pick<Quota, "min" | "max">, count: number, even: number): Effect {
  if (count === 0) return "neutral";
  if (quota.min / count > even + 1e-12) return "raises";
  if (quota.max / count < even - 1e-12) return "lowers";
  return "neutral";
}

export function evenShare(seats: number, eligible: number) {
  return eligible > 0 ? Math.min(1, seats / eligible) : 0;
}

/** Registrants per (category, value) among the given people. */
export function countsByValue(people: Person[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of people) for (const [c, v] of Object.entries(p.attributes)) counts.set(`${c}\u0000${v}`, (counts.get(`${c}\u0000${v}`) ?? 0) + 1);
  return counts;
}

/** Why `person` has `probability`: every quota on one of their answers, and whether it raises or lowers their chance. */
export function explainChance(input: {
  person: Person;
  pool: Person[];
  quotas: Quota[];
  seats: number;
  probability: number;
  excluded?: { id: string; reason: string }[];
}): ChanceExplanation {
  const excludedIds = new Set((input.excluded ?? []).map((e) => e.id));
  const eligible = input.pool.filter((p) => !excludedIds.has(p.id));
  const even = evenShare(input.seats, eligible.length);
  const counts = countsByValue(eligible);
  const reasons: Reason[] = input.quotas
    .filter((q) => input.person.attributes[q.category] === q.value)
    .map((q) => {
      const count = counts.get(`${q.category}\u0000${q.value}`) ?? 0;
      return { category: q.category, value: q.value, count, min: q.min, max: q.max, effect: effectOf(q, count, even) };
    });
  const order: Record<Effect, number> = { raises: 0, lowers: 0, neutral: 1 };
  reasons.sort((a, b) => order[a.effect] - order[b.effect]);
  const diff = input.probability - even;
  const household = input.person.household;
  return {
    probability: input.probability,
    even,
    level: Math.abs(diff) <= EVEN_TOLERANCE ? "even" : diff > 0 ? "higher" : "lower",
    reasons,
    excluded: input.excluded?.find((e) => e.id === input.person.id)?.reason ?? null,
    sharesHousehold: Boolean(household) && input.pool.some((p) => p.id !== input.person.id && p.household === household),
  };
}

export interface ValueRow {
  category: string;
  value: string;
  count: number;
  quotaMin: number | null;
  quotaMax: number | null;
  /** average, smallest and largest chance of the registrants who gave this answer */
  mean: number;
  min: number;
  max: number;
  effect: Effect;
}

/** The published distribution by quota value: the public chart and its table (answers, never people). */
export function chanceByValue(input: { pool: Person[]; quotas: Quota[]; seats: number; selection: Record<string, number>; excluded?: { id: string }[] }) {
  const excludedIds = new Set((input.excluded ?? []).map((e) => e.id));
  const eligible = input.pool.filter((p) => !excludedIds.has(p.id));
  const even = evenShare(input.seats, eligible.length);
  const byKey = new Map<string, { category: string; value: string; chances: number[] }>();
  for (const p of eligible) {
    for (const [category, value] of Object.entries(p.attributes)) {
      const key = `${category}\u0000${value}`;
      const row = byKey.get(key) ?? { category, value, chances: [] };
      row.chances.push(input.selection[p.id] ?? 0);
      byKey.set(key, row);
    }
  }
  const rows: ValueRow[] = [];
  for (const [key, r] of byKey) {
    const q = input.quotas.find((x) => `${x.category}\u0000${x.value}` === key) ?? null;
    rows.push({
      category: r.category,
      value: r.value,
      count: r.chances.length,
      quotaMin: q?.min ?? null,
      quotaMax: q?.max ?? null,
      mean: r.chances.reduce((a, b) => a + b, 0) / r.chances.length,
      min: Math.min(...r.chances),
      max: Math.max(...r.chances),
      effect: q ? effectOf(q, r.chances.length, even) : "neutral",
    });
  }
  rows.sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { even, rows };
}
