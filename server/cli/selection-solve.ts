/**
 * `npm run selection:solve -- --pool pool.csv --quotas quotas.csv --k 30 [--household] [--time-limit 60] [--leximin] [--panels]`
 *
 * Runs the fair lottery's MAXIMIN solve on a pool and quotas from spreadsheets (CSV) and prints
 * JSON: each id's selection probability, the minimum / mean / maximum, the LP dual bound, whether
 * the minimum is proved optimal, and who can be on no panel and why. `--panels` adds the whole
 * distribution (panels and their probabilities), as the draw would publish it. `--leximin` goes on,
 * within the time limit, to raise the next-lowest probabilities in turn once the minimum is optimal.
 * Exit codes: 0 solved, 2 bad input (malformed file, infeasible quotas), 1 anything else.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { parsePoolCsv, parseQuotasCsv } from "../../app/modules/matters/selection/solver/csv";
import { solveMaximin } from "../../app/modules/matters/selection/solver/solve";
import { quotaLabel, SelectionInfeasibleError, SelectionInputError } from "../../app/modules/matters/selection/solver/types";

const USAGE = "usage: npm run selection:solve -- --pool pool.csv --quotas quotas.csv --k 30 [--household] [--time-limit 60] [--leximin] [--panels]";

function inputError(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(2);
}

function readFile(label: string, file: string | undefined): string {
  if (!file) inputError(`--${label} is missing`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    inputError(`${file}: cannot be read (${(e as Error).message})`);
  }
}

function parseWith<T>(file: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof SelectionInputError) inputError(`${file}: ${e.message}`);
    throw e;
  }
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        pool: { type: "string" },
        quotas: { type: "string" },
        k: { type: "string" },
        household: { type: "boolean", default: false },
        "time-limit": { type: "string", default: "60" },
        panels: { type: "boolean", default: false },
        leximin: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    inputError((e as Error).message);
  }
  const poolText = readFile("pool", values.pool);
  const quotasText = readFile("quotas", values.quotas);
  const k = Number(values.k);
  if (!values.k || !Number.isInteger(k) || k < 1) inputError(`--k must be a whole number of at least 1 (got ${values.k ?? "nothing"})`);
  const seconds = Number(values["time-limit"]);
  if (!Number.isFinite(seconds) || seconds <= 0) inputError(`--time-limit must be a positive number of seconds (got ${values["time-limit"]})`);

  const { people } = parseWith(values.pool!, poolText, parsePoolCsv);
  const quotas = parseWith(values.quotas!, quotasText, parseQuotasCsv);
  let dist;
  try {
    dist = await solveMaximin(
      { people, quotas, k, onePerHousehold: values.household },
      {
        timeLimitMs: seconds * 1000,
        leximin: values.leximin,
        onProgress: (p) => {
          if (p.iteration % 25 === 0) console.error(`iteration ${p.iteration}: min ${p.min.toFixed(6)}, bound ${p.dualBound.toFixed(6)}, ${(p.ms / 1000).toFixed(1)} s`);
        },
      },
    );
  } catch (e) {
    if (e instanceof SelectionInfeasibleError) {
      console.error(`The quotas cannot be met by this pool (${e.reason}).`);
      if (e.conflicts.length) console.error(`Conflicting quotas: ${e.conflicts.map(quotaLabel).join("; ")}`);
      if (e.relaxation) console.error(`Nearest quotas that work: ${e.relaxation.map(quotaLabel).join("; ")}`);
      console.log(JSON.stringify({ feasible: false, reason: e.reason, conflicts: e.conflicts, relaxation: e.relaxation }, null, 2));
      process.exit(2);
    }
    if (e instanceof SelectionInputError && e.code !== "solver_failed") inputError(e.message);
    throw e;
  }
  const out = {
    algorithm: dist.algorithm,
    n: people.length,
    k,
    onePerHousehold: values.household,
    min: dist.min,
    mean: dist.mean,
    max: dist.max,
    dualBound: dist.dualBound,
    optimal: dist.optimal,
    ...(dist.stopped ? { stopped: dist.stopped } : {}),
    ...(dist.leximin ? { leximin: dist.leximin } : {}),
    iterations: dist.iterations,
    ms: dist.ms,
    excluded: dist.excluded,
    probabilities: dist.selection,
    ...(values.panels ? { panels: dist.panels, panelProbabilities: dist.probabilities } : {}),
  };
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
