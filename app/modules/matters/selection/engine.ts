/** The solver's public face for the rest of the app: one import path over ./solver's files. */
export type { Distribution, Person, Quota, SolveInput } from "./solver/types";
export { SelectionInputError } from "./solver/types";
export { parsePoolCsv, parseQuotasCsv } from "./solver/csv";
export { checkFeasibility } from "./solver/feasibility";
export { solveMaximin } from "./solver/solve";
export { canonicalJson, drawPanel, meetsQuotas, nextReplacement, reserveOrder } from "./solver/sampling";
