/**
 * Turns a SolveInput into the integer model both the pricing MIP and the feasibility MIP use.
 *
 * People with the same quota memberships (a "profile") are interchangeable: any quota-satisfying
 * panel stays quota-satisfying when one is swapped for another, so an optimal maximin (and the
 * unique LEXIMIN) gives them the same probability. Unless a household rule ties them to someone
 * else, they are merged into one group with an integer variable 0..size (how many of them sit).
 *
 * Under the one-per-household rule, a household of two or more is described by its "type": the
 * multiset of its members' profiles. Households of the same type are interchangeable too (swapping
 * two of them, and members of one profile within a household, maps panels to panels), so the people
 * of profile t in households of type H form one group (H, t) with a variable 0..c_H (c_H = how many
 * households have type H: how many of them seat someone of profile t), and one row per type says
 * Σ_t x_(H,t) ≤ c_H. Any counts meeting that row are realised by distinct households (see
 * maximin.ts `expand`), so the model is exact, not a relaxation.
 */
import { SelectionInputError, type Person, type Quota, type SolveInput } from "./types";

export interface Group {
  /** Sorted ids of the members. */
  members: string[];
  /** Indexes into CompiledModel.quotas of the quotas the members count towards. */
  quotas: number[];
  /** How many of them can sit together: |members|, or c_H for a group of a household type. */
  cap: number;
}

/** Households of one type (two or more registrants each, same multiset of member profiles). */
export interface HouseholdType {
  key: string;
  /** Its groups, one per distinct profile, in the order of `homes[i].members`. */
  groups: number[];
  /** At most this many of its members sit (one per household): c_H. */
  capacity: number;
  /** The households, sorted by key; members[j] = the sorted ids of this home's members in groups[j]. */
  homes: { key: string; members: string[][] }[];
}

export interface CompiledModel {
  input: SolveInput;
  groups: Group[];
  quotas: Quota[];
  /** For each quota, the groups counting towards it. */
  quotaGroups: number[][];
  /** Household types (households of 2+ registrants) under the one-per-household rule. */
  households: HouseholdType[];
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

/**
 * `tied`: the households to model as such (default: every household of two or more under the rule).
 * Leaving some out gives a model whose panels may seat two of one of them: a relaxation, which the
 * solver only publishes after laying its panels out so that they never do (maximin.ts).
 */
export function compile(input: SolveInput, opts: { merge?: boolean; tied?: Set<string> } = {}): CompiledModel {
  const merge = opts.merge ?? true;
  const quotas = input.quotas;
  const shared = !input.onePerHousehold ? new Set<string>() : opts.tied ?? sharedHouseholds(input.people);
  const people = [...input.people].sort((a, b) => cmp(a.id, b.id));
  const byKey = new Map<string, number>();
  const groups: Group[] = [];
  const profileOf = new Map<string, number[]>();
  const homes = new Map<string, Person[]>();
  for (const p of people) {
    const qs = quotaMembership(quotas, p);
    if (p.household !== null && shared.has(p.household)) {
      profileOf.set(p.id, qs);
      const list = homes.get(p.household) ?? [];
      list.push(p);
      homes.set(p.household, list);
      continue;
    }
    const key = merge ? qs.join(",") : null;
    let g = key === null ? undefined : byKey.get(key);
    if (g === undefined) {
      g = groups.length;
      groups.push({ members: [], quotas: qs, cap: 0 });
      if (key !== null) byKey.set(key, g);
    }
    groups[g].members.push(p.id);
    groups[g].cap++;
  }
  // households of two or more: by type (merged) or each its own type (merge: false)
  const types = new Map<string, { profiles: string[]; homes: { key: string; members: string[][] }[] }>();
  for (const [hk, members] of [...homes].sort((a, b) => cmp(a[0], b[0]))) {
    const byProfile = new Map<string, string[]>();
    for (const p of members) {
      const pk = profileOf.get(p.id)!.join(",");
      const list = byProfile.get(pk) ?? [];
      list.push(p.id);
      byProfile.set(pk, list);
    }
    const profiles = [...byProfile.keys()].sort(cmp);
    const typeKey = merge ? profiles.map((pk) => `${pk}*${byProfile.get(pk)!.length}`).join("|") : `home:${hk}`;
    const t = types.get(typeKey) ?? { profiles, homes: [] };
    t.homes.push({ key: hk, members: profiles.map((pk) => byProfile.get(pk)!) });
    types.set(typeKey, t);
  }
  const households: HouseholdType[] = [];
  for (const [key, t] of [...types].sort((a, b) => cmp(a[0], b[0]))) {
    const first = groups.length;
    t.profiles.forEach((pk, j) => {
      const members = t.homes.flatMap((h) => h.members[j]).sort(cmp);
      groups.push({ members, quotas: pk === "" ? [] : pk.split(",").map(Number), cap: t.homes.length });
    });
    households.push({ key, groups: t.profiles.map((_pk, j) => first + j), capacity: t.homes.length, homes: t.homes });
  }
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => g.members.forEach((id) => groupOf.set(id, i)));
  const quotaGroups: number[][] = quotas.map(() => []);
  groups.forEach((g, i) => g.quotas.forEach((q) => quotaGroups[q].push(i)));
  return { input, groups, quotas, quotaGroups, households, groupOf };
}

export { cmp as compareIds };
