/**
 * The old greedy stratified draw (as in the Sortition Foundation's legacy tool), kept only as the
 * bench baseline the fair lottery is compared with. Step by step it fills the quota value whose
 * unmet minimum is most urgent relative to the people still available, picking uniformly within it
 * (or from everyone left once every minimum is met); people whose value reached its maximum, and
 * the household of whoever was picked, drop out. It may get stuck (null); the caller draws again.
 */
import { meetsQuotas } from "./sampling";
import type { SolveInput } from "./types";

interface Prepared {
  members: number[][];
  byQuota: number[][];
  byHousehold: number[][];
}
const prepared = new WeakMap<SolveInput, Prepared>();

function prepare(input: SolveInput): Prepared {
  let p = prepared.get(input);
  if (p) return p;
  const members = input.people.map((person) => input.quotas.flatMap((q, qi) => (person.attributes[q.category] === q.value ? [qi] : [])));
  const byQuota: number[][] = input.quotas.map(() => []);
  members.forEach((qs, i) => qs.forEach((q) => byQuota[q].push(i)));
  const households = new Map<string, number[]>();
  input.people.forEach((person, i) => {
    if (!person.household) return;
    const list = households.get(person.household) ?? [];
    list.push(i);
    households.set(person.household, list);
  });
  const byHousehold = input.people.map((person) => (input.onePerHousehold && person.household ? households.get(person.household)! : []));
  p = { members, byQuota, byHousehold };
  prepared.set(input, p);
  return p;
}

export function greedyDraw(input: SolveInput, rng: () => number): string[] | null {
  const { quotas, k, people } = input;
  const { members, byQuota, byHousehold } = prepare(input);
  const alive = new Array<boolean>(people.length).fill(true);
  const available = byQuota.map((list) => list.length);
  let left = people.length;
  const count = quotas.map(() => 0);
  const remove = (i: number) => {
    if (!alive[i]) return;
    alive[i] = false;
    left--;
    for (const q of members[i]) available[q]--;
  };
  quotas.forEach((q, qi) => {
    if (q.max === 0) byQuota[qi].forEach(remove);
  });
  const panel: number[] = [];
  while (panel.length < k) {
    if (left === 0) return null;
    let best = -1;
    let bestRatio = 0;
    quotas.forEach((q, qi) => {
      const need = q.min - count[qi];
      if (need <= 0) return;
      const ratio = available[qi] === 0 ? Infinity : need / available[qi];
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = qi;
      }
    });
    if (bestRatio > 1) return null;
    const pool = best === -1 ? people.map((_p, i) => i) : byQuota[best];
    const candidates = pool.filter((i) => alive[i]);
    const chosen = candidates[Math.min(candidates.length - 1, Math.floor(rng() * candidates.length))];
    panel.push(chosen);
    remove(chosen);
    byHousehold[chosen].forEach(remove);
    for (const q of members[chosen]) {
      count[q]++;
      if (count[q] >= quotas[q].max) byQuota[q].forEach(remove);
    }
  }
  const ids = panel.map((i) => people[i].id).sort();
  return meetsQuotas(input, ids).ok ? ids : null;
}
