/**
 * Can these quotas be met by this pool? First plain counting arguments that name the quotas at
 * fault (a minimum above the people who have the value, minimums of one category adding up to more
 * than k, …), then the panel MIP itself. When infeasible, a second MIP finds the nearest relaxation:
 * the quota bounds moved by the least total number of seats (minimums lowered, maximums raised).
 */
import type { Highs } from "highs";
import { buildPanelMip, freshHighs, getHighs, roundCounts, solverMessage, STATUS } from "./highs";
import { compile, sharedHouseholds, validateInput } from "./model";
import { SelectionInputError, type Person, type Quota, type SolveInput } from "./types";

export type InfeasibilityReason =
  | "pool_too_small"
  | "too_few_households"
  | "min_exceeds_available"
  | "category_mins_exceed_k"
  | "category_max_below_k"
  | "quota_combination";

export interface Finding {
  reason: InfeasibilityReason;
  quotas: Quota[];
}

export type FeasibilityResult =
  | { feasible: true }
  | {
      feasible: false;
      /** The quotas that cannot all hold (from the first findings, else those the nearest relaxation has to move). */
      conflicts: Quota[];
      /** All quotas, some with bounds moved, that this pool can meet; null when no quota change helps (pool too small). */
      relaxation: Quota[] | null;
      /** Reason code of the first finding. */
      reason: InfeasibilityReason;
      findings: Finding[];
    };

/** Distinct households among these people (no household = a household of one). */
function seatsAvailable(people: Person[], onePerHousehold: boolean): number {
  if (!onePerHousehold) return people.length;
  const keys = new Set(people.map((p) => (p.household ? `h:${p.household}` : `p:${p.id}`)));
  return keys.size;
}

export function countingFindings(input: SolveInput): Finding[] {
  const { people, quotas, k, onePerHousehold } = input;
  const findings: Finding[] = [];
  if (people.length < k) findings.push({ reason: "pool_too_small", quotas: [] });
  else if (onePerHousehold && seatsAvailable(people, true) < k) findings.push({ reason: "too_few_households", quotas: [] });
  const holders = (q: Quota) => people.filter((p) => p.attributes[q.category] === q.value);
  for (const q of quotas) {
    if (q.min > seatsAvailable(holders(q), onePerHousehold)) findings.push({ reason: "min_exceeds_available", quotas: [q] });
  }
  const categories = [...new Set(quotas.map((q) => q.category))];
  for (const c of categories) {
    const qs = quotas.filter((q) => q.category === c);
    if (qs.reduce((s, q) => s + q.min, 0) > k) findings.push({ reason: "category_mins_exceed_k", quotas: qs.filter((q) => q.min > 0) });
    const values = new Set(qs.map((q) => q.value));
    const free = people.filter((p) => !values.has(p.attributes[c] as string)).length;
    const capacity = qs.reduce((s, q) => s + Math.min(q.max, holders(q).length), 0) + free;
    if (capacity < k) findings.push({ reason: "category_max_below_k", quotas: qs });
  }
  return findings;
}

export function feasibilityWith(h: Highs, input: SolveInput, timeLimitSeconds = 20): FeasibilityResult {
  validateInput(input);
  const findings = countingFindings(input);
  const cm = compile(input);
  if (findings.length === 0) {
    const { model } = buildPanelMip(h, cm);
    try {
      model.options.set({ time_limit: timeLimitSeconds });
      const r = model.run();
      if (r.modelStatus === STATUS.optimal) return { feasible: true };
      if (r.modelStatus !== STATUS.infeasible) throw new Error(`feasibility MIP ended with status ${r.modelStatus}`);
    } finally {
      model.dispose();
    }
    findings.push({ reason: "quota_combination", quotas: [] });
  }
  const relaxation = nearestRelaxation(h, input, timeLimitSeconds);
  let conflicts = dedupe(findings.flatMap((f) => f.quotas));
  if (conflicts.length === 0 && relaxation) conflicts = input.quotas.filter((q, i) => relaxation[i].min !== q.min || relaxation[i].max !== q.max);
  if (findings[0].reason === "quota_combination") findings[0].quotas = conflicts;
  return { feasible: false, conflicts, relaxation, reason: findings[0].reason, findings };
}

function dedupe(qs: Quota[]): Quota[] {
  const seen = new Set<Quota>();
  return qs.filter((q) => !seen.has(q) && !!seen.add(q));
}

/**
 * Minimises Σ (lowered minimums + raised maximums) over panels that meet the size and household
 * rules. Returns the relaxed quota list (same order), or null when even that is impossible.
 */
export function nearestRelaxation(h: Highs, input: SolveInput, timeLimitSeconds = 20): Quota[] | null {
  const cm = compile(input);
  const { model } = buildPanelMip(h, cm, { quotas: false });
  try {
    const G = cm.groups.length;
    const Q = cm.quotas.length;
    if (Q === 0) return null;
    // s⁻_q at G + 2q, s⁺_q at G + 2q + 1
    const lower: number[] = [];
    const upper: number[] = [];
    cm.quotas.forEach((q) => {
      lower.push(0, 0);
      upper.push(q.min, input.k);
    });
    model.addVars(lower, upper);
    model.changeColsIntegrality({ kind: "range", from: G, to: G + 2 * Q - 1 }, new Array(2 * Q).fill(h.constants.variableType.integer));
    model.changeColsCost({ kind: "range", from: G, to: G + 2 * Q - 1 }, new Array(2 * Q).fill(1));
    cm.quotas.forEach((q, i) => {
      const gs = cm.quotaGroups[i];
      model.addRow(q.min, h.infinity, { indices: [...gs, G + 2 * i], values: [...gs.map(() => 1), 1] });
      model.addRow(-h.infinity, q.max, { indices: [...gs, G + 2 * i + 1], values: [...gs.map(() => 1), -1] });
    });
    model.options.set({ time_limit: timeLimitSeconds });
    const r = model.run();
    if (r.modelStatus !== STATUS.optimal) return null;
    const v = roundCounts(model.getSolution().colValue, G + 2 * Q);
    return cm.quotas.map((q, i) => ({ ...q, min: q.min - v[G + 2 * i], max: q.max + v[G + 2 * i + 1] }));
  } finally {
    model.dispose();
  }
}

/** Whether the quotas can be met; if not, which conflict and the nearest relaxation that works. */
export async function checkFeasibility(input: SolveInput): Promise<FeasibilityResult> {
  validateInput(input);
  try {
    return feasibilityWith(await getHighs(), input);
  } catch (e) {
    if (e instanceof SelectionInputError) throw e;
    // an abort leaves the WebAssembly instance unusable: load a fresh one for the next caller
    await freshHighs();
    throw new SelectionInputError("solver_failed", `The feasibility check failed: ${solverMessage(e)}`);
  }
}

export { sharedHouseholds };
