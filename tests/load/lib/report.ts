import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Check, ScenarioOutcome } from "./types";

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: { model: cpus[0]?.model.trim() ?? "unknown", count: cpus.length },
    totalmem: os.totalmem(),
    node: process.version,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
  };
}

/** 1-, 5- and 15-minute load averages: other work on the machine skews every number here. */
export function loadAverage() {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

const fmtGoal = (op: string, limit: number, unit: string) => `${op} ${limit}${unit ? ` ${unit}` : ""}`;

export function atLeast(name: string, value: number | null | undefined, min: number, unit = ""): Check {
  const v = value ?? null;
  return { name, value: v, goal: fmtGoal(">=", min, unit), pass: v !== null && Number.isFinite(v) && v >= min };
}

export function atMost(name: string, value: number | null | undefined, max: number, unit = ""): Check {
  const v = value ?? null;
  return { name, value: v, goal: fmtGoal("<=", max, unit), pass: v !== null && Number.isFinite(v) && v <= max };
}

export function exactly(name: string, value: number | null | undefined, expected: number, unit = ""): Check {
  const v = value ?? null;
  return { name, value: v, goal: fmtGoal("=", expected, unit), pass: v === expected };
}

/** Rounds for display and for the JSON file: results are measurements, not exact numbers. */
export function round(n: number | null | undefined, digits = 1): number | null {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? null : round(bytes / 1024 / 1024, 1));

export function show(v: number | string | null | undefined, suffix = ""): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  return `${v.toLocaleString("en-US", { maximumFractionDigits: 2 })}${suffix}`;
}

/** A plain text table. `align` has one letter per column, "l" or "r"; by default the first column is left-aligned, the rest right. */
export function formatTable(title: string, headers: string[], rows: (string | number | null)[][], align?: string): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? show(c) : (c ?? "—"))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const right = headers.map((_h, i) => (align ? align[i] === "r" : i > 0));
  const line = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [title, line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

export function checksTable(checks: Check[]): string {
  return formatTable(
    "Checks",
    ["check", "value", "goal", "result"],
    checks.map((c) => [c.name, c.value === null ? "—" : show(c.value), c.goal, c.pass ? "pass" : "FAIL"]),
    "lrll",
  );
}

export function writeResults(root: string, scenario: string, outcome: ScenarioOutcome): string {
  const dir = path.join(root, "bench-results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${scenario}.json`);
  const doc = { scenario, when: new Date().toISOString(), machine: machine(), results: outcome.results, checks: outcome.checks };
  fs.writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
  return file;
}
