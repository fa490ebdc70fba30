/**
 * worker_threads entry: solves one SolveInput with HiGHS off the main thread. Receives
 * { input, timeLimitMs, leximin } as workerData, posts { type: "progress" } messages, then one
 * { type: "done", distribution } or { type: "error", ... }. Bundled to build/server/selection-worker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import { solveMaximinHere } from "./maximin";
import { SelectionInfeasibleError, SelectionInputError, type SolveInput } from "./types";
import type { WorkerMessage } from "./solve";

const port = parentPort;
if (!port) throw new Error("selection worker: not started as a worker thread");
const { input, timeLimitMs, leximin } = workerData as { input: SolveInput; timeLimitMs: number; leximin?: boolean };
const post = (m: WorkerMessage) => port.postMessage(m);

try {
  const distribution = await solveMaximinHere(input, {
    timeLimitMs,
    leximin,
    onProgress: (progress) => post({ type: "progress", progress }),
  });
  post({ type: "done", distribution });
} catch (e) {
  if (e instanceof SelectionInfeasibleError) {
    post({ type: "error", code: e.code, message: e.message, details: e.details, conflicts: e.conflicts, relaxation: e.relaxation, reason: e.reason });
  } else if (e instanceof SelectionInputError) {
    post({ type: "error", code: e.code, message: e.message, details: e.details, row: e.row, column: e.column, columnName: e.columnName });
  } else {
    post({ type: "error", code: "solver_failed", message: e instanceof Error ? e.message : String(e) });
  }
}
