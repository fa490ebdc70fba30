/**
 * Turns a SolveInput into the integer model both the pricing MIP and the feasibility MIP use.
 *
 * People with the same quota memberships are interchangeable: any quota-satisfying panel stays
 * quota-satisfying when one is swapped for another, so an optimal maximin gives them the same
 * probability. Unless a household rule ties them to someone else, they are merged into one group
 * with an integer variable 0..size (how many of them sit). People in a household of two or more
 * under the one-per-household rule stay alone in their group, with a row "at most one per household".
 */
import { SelectionInputError, type Person, type Quota, type SolveInput } from "./types";

export interface Group {
  /** Sorted ids of the members. */
  members: string[];
  /** Indexes into CompiledModel.quotas of the quotas the members count towards. */
  quotas: number[];
}

export interface CompiledModel {
  input: SolveInput;
  groups: Group[];
  quotas: Quota[];
  /** For each quota, the groups counting towards it. */
  quotaGroups: number[][];
  /** Households (of 2+ groups) under the one-per-household rule: their groups. */
  households: { key: string; groups: number[] }[];
  /** Person id → group index. */
  groupOf: Map<string, number>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Structural checks the CSV parser cannot make (it sees one file at a time). Throws SelectionInputError. */
export function validateInput(input: SolveInput): void {
  if (!Number.isInteger(input.k) || input.k < 1) throw new SelectionInputError("invalid_k", `The panel size must be a whole number of at least 1 (got ${input.k})`);
  if (input.people.length === 0) throw new SelectionInputError("empty_pool", "The pool is empty");
  const seen = new Set<string>();
  for (const p of input.people) {
    if (!p.id) throw new SelectionInputError("empty_id", "A person has an empty id");
    if (seen.has(p.id)) throw new SelectionInputError("duplicate_id", `The id ${p.id} appears twice`, { details: { id: p.id } });
    seen.add(p.id);
  }
  const categories = new Set(input.people.flatMap((p) => Object.keys(p.attributes)));
  const quotaKeys = new Set<string>();
  input.quotas.forEach((q, i) => {
    const row = i + 2;
    if (!categories.has(q.category)) throw new SelectionInputError("unknown_category", `Quota row ${row}: no one in the pool has the attribute "${q.category}"`, { row, details: { category: q.category } });
    for (const [name, v] of [["min", q.min], ["max", q.max]] as const) {
      if (!Number.isFinite(v)) throw new SelectionInputError("not_a_number", `Quota row ${row}: ${name} is not a number`, { row, columnName: name });
      if (!Number.isInteger(v)) throw new SelectionInputError("not_an_integer", `Quota row ${row}: ${name} is not a whole number`, { row, columnName: name });
      if (v < 0) throw new SelectionInputError("negative", `Quota row ${row}: ${name} is negative`, { row, columnName: name });
    }
    if (q.min > q.max) throw new SelectionInputError("min_above_max", `Quota row ${row}: min ${q.min} is above max ${q.max}`, { row, columnName: "min" });
    const key = `${q.category}\u0000${q.value}`;
    if (quotaKeys.has(key)) throw new SelectionInputError("duplicate_quota", `Quota row ${row}: ${q.category}=${q.value} appears twice`, { row });
    quotaKeys.add(key);
  });
}

export function quotaMembership(quotas: Quota[], p: Person): number[] {
  const out: number[] = [];
  quotas.forEach((q, i) => {
    if (p.attributes[q.category] === q.value) out.push(i);
  });
  return out;
}

/** Households with two or more members: the only ones that constrain anything. */
export function sharedHouseholds(people: Person[]): Set<string> {
  const count = new Map<string, number>();
  for (const p of people) if (p.household !== null && p.household !== "") count.set(p.household, (count.get(p.household) ?? 0) + 1);
  return new Set([...count].filter(([, n]) => n > 1).map(([h]) => h));
}

export function compile(input: SolveInput, opts: { merge?: boolean } = {}): CompiledModel {
  const merge = opts.merge ?? true;
  const quotas = input.quotas;
  const shared = input.onePerHousehold ? sharedHouseholds(input.people) : new Set<string>();
  const people = [...input.people].sort((a, b) => cmp(a.id, b.id));
  const byKey = new Map<string, number>();
  const groups: Group[] = [];
  const householdGroups = new Map<string, number[]>();
  for (const p of people) {
    const qs = quotaMembership(quotas, p);
    const tied = p.household !== null && shared.has(p.household);
    const key = merge && !tied ? qs.join(",") : null;
    let g = key === null ? undefined : byKey.get(key);
    if (g === undefined) {
      g = groups.length;
      groups.push({ members: [], quotas: qs });
      if (key !== null) byKey.set(key, g);
    }
    groups[g].members.push(p.id);
    if (tied) {
      const list = householdGroups.get(p.household!) ?? [];
      list.push(g);
      householdGroups.set(p.household!, list);
    }
  }
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => g.members.forEach((id) => groupOf.set(id, i)));
  const quotaGroups: number[][] = quotas.map(() => []);
  groups.forEach((g, i) => g.quotas.forEach((q) => quotaGroups[q].push(i)));
  const households = [...householdGroups].sort((a, b) => cmp(a[0], b[0])).map(([key, gs]) => ({ key, groups: gs }));
  return { input, groups, quotas, quotaGroups, households, groupOf };
}

export { cmp as compareIds };
