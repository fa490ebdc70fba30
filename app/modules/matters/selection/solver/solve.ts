/**
 * solveMaximin: the MAXIMIN solve in a worker_threads Worker, so the server's event loop keeps
 * serving while HiGHS works. The worker stops itself at the time budget with the best distribution
 * so far; if it does not answer by budget + grace it is terminated and the promise rejects. A crash
 * of the WebAssembly module ends the worker, never the process.
 *
 * Which worker file: `workerFile` (SELECTION_WORKER, a path, read at start into the settings) if given; else, when this module runs from TypeScript
 * source (vitest, tsx), worker.ts through tsx; else the bundle build/server/selection-worker.js
 * under process.cwd().
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Progress, SolveOptions } from "./maximin";
import { SelectionInfeasibleError, SelectionInputError, type Distribution, type Quota, type SelectionInputErrorCode, type SolveInput } from "./types";

export type WorkerMessage =
  | { type: "progress"; progress: Progress }
  | { type: "done"; distribution: Distribution }
  | {
      type: "error";
      code: SelectionInputErrorCode;
      message: string;
      details?: Record<string, unknown>;
      row?: number | null;
      column?: number | null;
      columnName?: string | null;
      conflicts?: Quota[];
      relaxation?: Quota[] | null;
      reason?: string;
    };

export const BUILT_WORKER = "build/server/selection-worker.js";

export function workerLocation(override?: string): { file: string; typescript: boolean } {
  if (override) {
    const file = path.resolve(override);
    return { file, typescript: file.endsWith(".ts") };
  }
  const here = import.meta.url;
  if (here.startsWith("file:") && here.endsWith(".ts")) {
    const source = fileURLToPath(new URL("./worker.ts", here));
    if (fs.existsSync(source)) return { file: source, typescript: true };
  }
  return { file: path.resolve(process.cwd(), BUILT_WORKER), typescript: false };
}

/**
 * A TypeScript worker cannot simply get `execArgv: ["--import", "tsx"]` on Node 20 (the worker does
 * not inherit the loader: "Unknown file extension .ts"), so it starts as a tiny script that
 * registers tsx's hooks in the worker and then imports the source.
 */
function startWorker(file: string, typescript: boolean, workerData: unknown): Worker {
  if (!typescript) return new Worker(file, { workerData, stderr: false });
  const code = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(code, { eval: true, workerData, stderr: false });
}

/** Time after the budget the worker gets to hand back its best distribution before it is terminated. */
export const graceMs = (timeLimitMs: number) => 10_000 + timeLimitMs * 0.25;

/** `signal`: aborting it stops the worker at once (a cancelled run); the promise rejects with code "solver_cancelled". */
export function solveMaximin(input: SolveInput, opts: SolveOptions & { graceMs?: number; workerFile?: string; signal?: AbortSignal }): Promise<Distribution> {
  const { file, typescript } = workerLocation(opts.workerFile);
  const wait = opts.timeLimitMs + (opts.graceMs ?? graceMs(opts.timeLimitMs));
  return new Promise<Distribution>((resolve, reject) => {
    let settled = false;
    const worker = startWorker(file, typescript, { input, timeLimitMs: opts.timeLimitMs, leximin: opts.leximin ?? false });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new SelectionInputError("solver_failed", `The solver did not answer within ${Math.round(wait / 1000)} s and was stopped`)),
        ),
      wait,
    );
    const onAbort = () => finish(() => reject(new SelectionInputError("solver_cancelled", "The solve was cancelled")));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort);
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "progress") {
        try {
          opts.onProgress?.(m.progress);
        } catch {
          // a failing progress listener must not break the solve
        }
      } else if (m.type === "done") finish(() => resolve(m.distribution));
      else
        finish(() =>
          reject(
            m.code === "infeasible_quotas"
              ? new SelectionInfeasibleError(m.reason ?? "quota_combination", m.conflicts ?? [], m.relaxation ?? null)
              : new SelectionInputError(m.code, m.message, { row: m.row, column: m.column, columnName: m.columnName, details: m.details }),
          ),
        );
    });
    worker.on("error", (e) => finish(() => reject(new SelectionInputError("solver_failed", `The solver stopped: ${e.message}`))));
    worker.on("exit", (code) => finish(() => reject(new SelectionInputError("solver_failed", `The solver exited (code ${code}) without an answer`))));
  });
}
