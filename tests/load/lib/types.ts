/** One goal from an issue, judged against a measured value (null when it could not be measured). */
export interface Check {
  name: string;
  value: number | null;
  goal: string;
  pass: boolean;
}

export interface ScenarioContext {
  /** Repository root: the working directory for every child process. */
  root: string;
  /** `--quick`: shortened runs for trying the harness itself; the numbers mean little. */
  quick: boolean;
  log: (message: string) => void;
  /** Registers cleanup that runs after the scenario, in reverse order, whether it succeeded or threw. */
  defer: (fn: () => unknown) => void;
}

export interface ScenarioOutcome {
  /** Everything measured, as written to bench-results/<name>.json. */
  results: Record<string, unknown>;
  checks: Check[];
  /** Printed tables (already formatted), shown before the checks. */
  tables: string[];
}

/** A file tests/load/scenarios/<name>.ts default-exports one of these. */
export interface Scenario {
  name: string;
  description: string;
  run: (ctx: ScenarioContext) => Promise<ScenarioOutcome>;
}
