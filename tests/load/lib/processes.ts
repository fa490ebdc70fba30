import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** Every child a scenario starts, so the runner can kill them on error or Ctrl-C. */
const live = new Set<ChildProcess>();

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** The last lines the child printed (stdout and stderr), for error messages. */
  tail: () => string;
  /** Pino lines at warn (40) or above seen so far. */
  warnings: () => number;
  /** Resolves with the exit code (or signal name) once the child has exited. */
  exited: Promise<number | string>;
  stop: (graceMs?: number) => Promise<void>;
}

export function start(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; label: string }): Child {
  const proc = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  if (proc.pid === undefined) throw new Error(`could not start ${opts.label}`);
  live.add(proc);
  const lines: string[] = [];
  let warnings = 0;
  const collect = (chunk: Buffer) => {
    for (const l of chunk.toString("utf8").split("\n")) {
      if (!l.trim()) continue;
      const level = /"level":(\d+)/.exec(l);
      if (level && Number(level[1]) >= 40) warnings++;
      lines.push(l);
      if (lines.length > 60) lines.shift();
    }
  };
  proc.stdout?.on("data", collect);
  proc.stderr?.on("data", collect);
  const exited = new Promise<number | string>((resolve) => {
    proc.once("exit", (code, signal) => {
      live.delete(proc);
      resolve(code ?? signal ?? "unknown");
    });
  });
  return {
    proc,
    pid: proc.pid,
    tail: () => lines.join("\n"),
    warnings: () => warnings,
    exited,
    stop: async (graceMs = 5_000) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) {
        proc.kill("SIGKILL");
        await exited;
      }
    },
  };
}

/** Runs a command to completion; throws with its output when it fails. */
export async function runToEnd(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; label: string; timeoutMs?: number }) {
  const child = start(command, args, opts);
  const timer = setTimeout(() => child.proc.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${opts.label} failed (exit ${code}):\n${child.tail()}`);
}

/** Synchronous cleanups (temporary folders) that must also happen on Ctrl-C; remove them with the returned function. */
const exitCleanups = new Set<() => void>();
export function onAbort(fn: () => void): () => void {
  exitCleanups.add(fn);
  return () => exitCleanups.delete(fn);
}

/** Last resort (process exit, Ctrl-C): kill whatever is still running, then run the registered cleanups. */
export function killAll() {
  for (const proc of live) proc.kill("SIGKILL");
  live.clear();
  for (const fn of exitCleanups) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
  exitCleanups.clear();
}

export function isRunning(child: Child) {
  return child.proc.exitCode === null && child.proc.signalCode === null;
}

/** VmRSS and VmHWM (peak RSS) in bytes from /proc/<pid>/status; null where /proc is absent. */
export function memoryOf(pid: number): { rss: number | null; peak: number | null } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status);
      return m ? Number(m[1]) * 1024 : null;
    };
    return { rss: kb("VmRSS"), peak: kb("VmHWM") };
  } catch {
    return { rss: null, peak: null };
  }
}

let clockTicks: number | undefined;

/** CPU time (user + system) the process has used so far, in ms, from /proc/<pid>/stat; null where /proc is absent. */
export function cpuTimeMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after "pid (comm) ": state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `url` every `intervalMs` until it answers 200; returns the response body.
 * Throws if the child exits first or nothing answers within `timeoutMs`.
 */
export async function waitFor200(url: string, child: Child, { intervalMs = 25, timeoutMs = 60_000 } = {}): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  let last = "no answer yet";
  while (performance.now() < deadline) {
    if (!isRunning(child)) throw new Error(`server exited (${child.proc.exitCode ?? child.proc.signalCode}) before answering ${url}:\n${child.tail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      if (res.status === 200) return body;
      last = `status ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${last}):\n${child.tail()}`);
}
