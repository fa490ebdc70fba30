/**
 * The old greedy stratified draw (as in the Sortition Foundation's legacy tool), kept only as the
 * bench baseline the fair lottery is compared with. Step by step it fills the quota value whose
 * unmet minimum is most urgent relative to the people still available, picking uniformly within it;
 * it may fail (null), and then the caller draws again.
 */
import { meetsQuotas } from "./sampling";
import type { Person, SolveInput } from "./types";

export function greedyDraw(input: SolveInput, rng: () => number): string[] | null {
  const { quotas, k } = input;
  const count = quotas.map(() => 0);
  const has = (p: Person, qi: number) => p.attributes[quotas[qi].category] === quotas[qi].value;
  let remaining = input.people.filter((p) => quotas.every((q, qi) => !has(p, qi) || q.max > 0));
  const panel: Person[] = [];
  while (panel.length < k) {
    if (remaining.length === 0) return null;
    let best = -1;
    let bestRatio = 0;
    quotas.forEach((q, qi) => {
      const need = q.min - count[qi];
      if (need <= 0) return;
      const available = remaining.filter((p) => has(p, qi)).length;
      const ratio = available === 0 ? Infinity : need / available;
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = qi;
      }
    });
    if (bestRatio > 1) return null;
    const candidates = best === -1 ? remaining : remaining.filter((p) => has(p, best));
    const chosen = candidates[Math.min(candidates.length - 1, Math.floor(rng() * candidates.length))];
    panel.push(chosen);
    quotas.forEach((_q, qi) => {
      if (has(chosen, qi)) count[qi]++;
    });
    remaining = remaining.filter(
      (p) =>
        p !== chosen &&
        !(input.onePerHousehold && chosen.household && p.household === chosen.household) &&
        quotas.every((q, qi) => !has(p, qi) || count[qi] < q.max),
    );
  }
  const ids = panel.map((p) => p.id).sort();
  return meetsQuotas(input, ids).ok ? ids : null;
}
