/**
 * Load benchmarks. `npm run bench` runs every scenario; `npm run bench -- home matters` runs those.
 * `--quick` shortens every run (to try the harness; the numbers mean little); `--list` lists the scenarios.
 *
 * A scenario is a file tests/load/scenarios/<name>.ts whose default export is a `Scenario` (lib/types.ts).
 * Each one measures the app and its own baseline, returns results and checks; this runner prints them,
 * writes bench-results/<name>.json, and exits 1 when a check failed (2 when a scenario could not run).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { killAll } from "./lib/processes";
import { checksTable, loadAverage, writeResults } from "./lib/report";
import type { Scenario } from "./lib/types";

const root = path.resolve(import.meta.dirname, "../..");
const scenariosDir = path.join(import.meta.dirname, "scenarios");
/** Scenarios run in this order; any others after them, alphabetically. */
const ORDER = ["home", "matters", "selection", "room", "voting"];

async function loadScenarios(): Promise<Map<string, Scenario>> {
  const names = fs
    .readdirSync(scenariosDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .sort((a, b) => {
      const ia = ORDER.indexOf(a) === -1 ? ORDER.length : ORDER.indexOf(a);
      const ib = ORDER.indexOf(b) === -1 ? ORDER.length : ORDER.indexOf(b);
      return ia - ib || a.localeCompare(b);
    });
  const registry = new Map<string, Scenario>();
  for (const name of names) {
    const mod = (await import(pathToFileURL(path.join(scenariosDir, `${name}.ts`)).href)) as { default?: Scenario };
    const scenario = mod.default;
    if (!scenario || typeof scenario.run !== "function") throw new Error(`scenarios/${name}.ts has no default-exported Scenario`);
    if (scenario.name !== name) throw new Error(`scenarios/${name}.ts calls itself "${scenario.name}"; the file name and the name must match`);
    registry.set(name, scenario);
  }
  return registry;
}

function ensureBuild() {
  const needed = ["build/server/index.js", "build/server/prepare.js", "build/remix/index.js"];
  if (needed.every((f) => fs.existsSync(path.join(root, f)))) return;
  console.log("No build found; running `npm run build` first…");
  const r = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error("`npm run build` failed");
}

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const wanted = args.filter((a) => !a.startsWith("--"));
  const registry = await loadScenarios();

  if (args.includes("--list")) {
    for (const s of registry.values()) console.log(`${s.name.padEnd(12)} ${s.description}`);
    return;
  }
  const unknown = wanted.filter((w) => !registry.has(w));
  if (unknown.length) {
    console.error(`Unknown scenario: ${unknown.join(", ")}. Available: ${[...registry.keys()].join(", ")}`);
    process.exitCode = 2;
    return;
  }
  const selected = wanted.length ? wanted.map((w) => registry.get(w)!) : [...registry.values()];

  ensureBuild();
  let failedChecks = 0;
  let broken = 0;
  for (const scenario of selected) {
    const started = performance.now();
    console.log(`\n=== ${scenario.name}: ${scenario.description}${quick ? " (quick)" : ""}`);
    const deferred: (() => unknown)[] = [];
    const loadBefore = loadAverage();
    if (loadBefore[0] > os.cpus().length / 2) {
      console.log(`  note: the machine is busy (load ${loadBefore[0]} on ${os.cpus().length} CPUs); expect noisy, pessimistic numbers`);
    }
    try {
      const outcome = await scenario.run({
        root,
        quick,
        log: (m) => console.log(`  [${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${m}`),
        defer: (fn) => deferred.push(fn),
      });
      for (const t of outcome.tables) console.log(`\n${t}`);
      console.log(`\n${checksTable(outcome.checks)}`);
      outcome.results.machineLoad = { before: loadBefore, after: loadAverage() };
      const file = writeResults(root, scenario.name, outcome);
      const failed = outcome.checks.filter((c) => !c.pass).length;
      failedChecks += failed;
      console.log(
        `\n${scenario.name}: ${outcome.checks.length - failed}/${outcome.checks.length} checks passed in ${((performance.now() - started) / 1000).toFixed(0)} s; wrote ${path.relative(root, file)}`,
      );
    } catch (e) {
      broken++;
      console.error(`\n${scenario.name} could not run: ${(e as Error).stack ?? String(e)}`);
    } finally {
      for (const fn of deferred.reverse()) {
        try {
          await fn();
        } catch (e) {
          console.error(`  cleanup after ${scenario.name} failed: ${(e as Error).message}`);
        }
      }
    }
  }
  process.exitCode = broken ? 2 : failedChecks ? 1 : 0;
}

process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

await main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
