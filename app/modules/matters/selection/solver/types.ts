/**
 * Shared shapes of the fair-lottery solver. Pure data: no database, no Remix. Ids are strings chosen
 * by the caller (pseudonymous ids in published data); attribute values are compared as exact strings.
 */

export interface Person {
  id: string;
  /** People with the same non-null household may not sit together when `onePerHousehold` is set. */
  household: string | null;
  attributes: Record<string, string>;
}

/** Between `min` and `max` panel members (inclusive) must have `attributes[category] === value`. */
export interface Quota {
  category: string;
  value: string;
  min: number;
  max: number;
}

export interface SolveInput {
  people: Person[];
  quotas: Quota[];
  /** Panel size. */
  k: number;
  onePerHousehold: boolean;
}

/** Why a person can be on no quota-satisfying panel. */
export type ExclusionReason =
  /** Their value of `quota.category` has a maximum of 0 seats. */
  | "quota_max_zero"
  /** They could sit on a panel if the one-per-household rule were dropped. */
  | "household_conflict"
  /** The quotas together leave no seat for someone with their attributes. */
  | "quota_combination";

export interface Exclusion {
  id: string;
  reason: ExclusionReason;
  /** For `quota_max_zero`: the quota that allows no one with their value. */
  quota?: Quota;
}

export interface Distribution {
  /** Algorithm and its version, published with the draw. */
  algorithm: string;
  /** Each panel = sorted person ids; panels in canonical order (see sortPanels). */
  panels: string[][];
  /** One per panel, each a multiple of 1e-12, summing to 1. */
  probabilities: number[];
  /** Each person's selection probability (0 for the excluded), from `panels` and `probabilities`. */
  selection: Record<string, number>;
  /** Over the people who are not excluded. */
  min: number;
  mean: number;
  max: number;
  /** LP upper bound on the achievable minimum (the certificate that no distribution does better). */
  dualBound: number;
  /** `dualBound - min <= 1e-4`. */
  optimal: boolean;
  /** The time budget ran out: this is the best distribution found so far. */
  stopped?: "time_limit";
  /** People on no quota-satisfying panel, with why. */
  excluded: Exclusion[];
  /** Column-generation iterations (pricing problems solved). */
  iterations: number;
  ms: number;
  /** Interchangeable groups the LP was built on (people with the same quota memberships and no household clash). */
  groups?: number;
  /** With SolveOptions.leximin: rounds run after the MAXIMIN one, and whether every group's level was settled. */
  leximin?: { rounds: number; complete: boolean };
  /** Where the time went (ms): feasibility check, initial panels, master LP, pricing MIP, expansion to person panels. */
  phases?: { feasibilityMs: number; coverMs: number; masterMs: number; pricingMs: number; expandMs: number };
}

export type SelectionInputErrorCode =
  | "missing_column"
  | "duplicate_column"
  | "empty_id"
  | "duplicate_id"
  | "empty_value"
  | "not_a_number"
  | "not_an_integer"
  | "negative"
  | "min_above_max"
  | "duplicate_quota"
  | "malformed_csv"
  | "empty_file"
  | "unknown_category"
  | "invalid_k"
  | "invalid_seed"
  | "empty_pool"
  | "infeasible_quotas"
  | "solver_failed"
  | "solver_cancelled";

/**
 * Bad input (a CSV, a quota set, a seed). `code` is a stable key for translation; `row` and `column`
 * are 1-based as in a spreadsheet (row 1 = the header), null when they do not apply.
 */
export class SelectionInputError extends Error {
  readonly code: SelectionInputErrorCode;
  readonly row: number | null;
  readonly column: number | null;
  /** Header name of the column, when known. */
  readonly columnName: string | null;
  readonly details: Record<string, unknown>;
  constructor(
    code: SelectionInputErrorCode,
    message: string,
    where: { row?: number | null; column?: number | null; columnName?: string | null; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = "SelectionInputError";
    this.code = code;
    this.row = where.row ?? null;
    this.column = where.column ?? null;
    this.columnName = where.columnName ?? null;
    this.details = where.details ?? {};
  }
}

/** The quotas cannot be met by this pool: nothing may be drawn. */
export class SelectionInfeasibleError extends SelectionInputError {
  readonly conflicts: Quota[];
  readonly relaxation: Quota[] | null;
  readonly reason: string;
  constructor(reason: string, conflicts: Quota[], relaxation: Quota[] | null) {
    super("infeasible_quotas", `The quotas cannot be met by this pool (${reason})${conflicts.length ? `: ${conflicts.map(quotaLabel).join("; ")}` : ""}`, {
      details: { reason },
    });
    this.name = "SelectionInfeasibleError";
    this.conflicts = conflicts;
    this.relaxation = relaxation;
    this.reason = reason;
  }
}

export const quotaLabel = (q: Quota) => `${q.category}=${q.value} [${q.min}, ${q.max}]`;

/** Published with every distribution; bump when the method or its canonical form changes. */
export const ALGORITHM = "maximin-colgen/1";
/** The same, followed by LEXIMIN rounds (see SolveOptions.leximin). */
export const LEXIMIN_ALGORITHM = "leximin-colgen/1";
/** Probabilities are published as integer multiples of 1 / PROBABILITY_SCALE. */
export const PROBABILITY_SCALE = 1e12;
