import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { freePort, runToEnd, start, waitFor200, type Child } from "./processes";

export type Driver = "postgres" | "pglite";

export interface Running {
  child: Child;
  origin: string;
  /** Spawn to the first 200 of `/`, polled every 25 ms. */
  firstOkMs: number;
  /** The body of that first `/`. */
  firstBody: string;
}

/**
 * The environment of an app child: the caller's, minus anything that would pick another database or
 * Redis, in production mode (React's production build, as deployed) with warn-level logs.
 */
export function appEnv(target: { databaseUrl: string } | { dataDir: string }, port?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", YISHI_MODE: "local", LOG_LEVEL: "warn", HOST: "127.0.0.1" };
  for (const key of ["DATABASE_URL", "DATA_DIR", "REDIS_URL", "PORT", "REMIX_BUILD"]) delete env[key];
  if ("databaseUrl" in target) env.DATABASE_URL = target.databaseUrl;
  else env.DATA_DIR = target.dataDir;
  if (port !== undefined) env.PORT = String(port);
  return env;
}

/** build/server/prepare.js: migrate and seed, in its own process (as `npm start` does). */
export async function prepareDatabase(root: string, env: NodeJS.ProcessEnv, label: string) {
  await runToEnd(process.execPath, ["build/server/prepare.js"], { cwd: root, env, label: `prepare (${label})`, timeoutMs: 120_000 });
}

/** Spawns `node build/server/index.js` and waits for `/` to answer 200. */
export async function startApp(root: string, env: NodeJS.ProcessEnv, label: string): Promise<Running> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  // BENCH_CPU_PROF=<dir>: the app writes a V8 CPU profile there when it stops (open it in Chrome's DevTools)
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = start(process.execPath, [...prof, "build/server/index.js"], { cwd: root, env: { ...env, PORT: String(port) }, label });
  try {
    const firstBody = await waitFor200(`${origin}/`, child, { intervalMs: 25, timeoutMs: 60_000 });
    return { child, origin, firstOkMs: performance.now() - t0, firstBody };
  } catch (e) {
    await child.stop();
    throw e;
  }
}

/**
 * The bare Node http baseline (servers/baseline.ts), compiled to plain JavaScript so it runs on `node`
 * alone, as the built app does. It answers every request with `body`.
 */
export async function startBaseline(root: string, body: string | Buffer, tmpDir: string, contentType?: string): Promise<Running> {
  const dir = fs.mkdtempSync(path.join(tmpDir, "baseline-"));
  const script = path.join(dir, "baseline.mjs");
  const bodyFile = path.join(dir, "body.html");
  await build({ entryPoints: [path.join(import.meta.dirname, "../servers/baseline.ts")], outfile: script, platform: "node", format: "esm", target: "node20", logLevel: "warning" });
  fs.writeFileSync(bodyFile, body);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = start(process.execPath, [script], { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: String(port), BODY_FILE: bodyFile, ...(contentType ? { BODY_TYPE: contentType } : {}) }, label: "baseline" });
  try {
    const firstBody = await waitFor200(`${origin}/`, child, { intervalMs: 25, timeoutMs: 20_000 });
    return { child, origin, firstOkMs: performance.now() - t0, firstBody };
  } catch (e) {
    await child.stop();
    throw e;
  }
}

/** The start of a page's text (tags stripped, whitespace collapsed), for error messages. */
export function excerpt(body: string, chars = 300): string {
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}

/** One GET; returns the body when the answer is 200, otherwise throws with the status and the start of the body. */
export async function getOk(url: string, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}, not 200${res.headers.get("location") ? ` (to ${res.headers.get("location")})` : ""}: ${excerpt(body) || "(empty body)"}`);
  return body;
}
