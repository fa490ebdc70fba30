/**
 * `home`: the public pages anyone sees first, unauthenticated, on both drivers, against a bare Node
 * http server sending a body of the same size. Goals (from the issue): ≥ 1000 req/s at 50 connections
 * and p99 ≤ 50 ms at 300 req/s offered, on PostgreSQL; RSS ≤ 150 MB (postgres.js) and ≤ 450 MB (PGlite);
 * first 200 within 3 s of spawning on an existing embedded database; no non-2xx answers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closedLoop, fixedRate, withServerCpu, type LoadStats } from "../lib/load";
import { freshDatabase, serverUrl } from "../lib/postgres";
import { isRunning, memoryOf, onAbort, type Child } from "../lib/processes";
import { atLeast, atMost, exactly, formatTable, mb, round } from "../lib/report";
import { appEnv, prepareDatabase, startApp, startBaseline, type Running } from "../lib/servers";
import type { Check, Scenario, ScenarioContext } from "../lib/types";

const HOME = "/";
const COMMUNITY = "/communities/4";
const CONNECTIONS = 50;
const RATE = 300;
const RATE_CONNECTIONS = 20;
const BENCH_DB = "yishi_bench";

interface Timing {
  warmupS: number;
  runS: number;
}

interface PageRun {
  throughput: LoadStats;
  fixedRate: LoadStats;
}

interface TargetResult {
  skipped?: string;
  error?: string;
  firstOkMs?: number | null;
  homeBytes?: number;
  /** MB, from /proc/<pid>/status. */
  memory?: { afterStart: number | null; afterWarmup: number | null; end: number | null; peak: number | null };
  warmup?: Record<string, LoadStats>;
  pages?: Record<string, PageRun>;
  /** Server log lines at warn or above during the run. */
  serverWarnings?: number;
}

function alive(child: Child, label: string) {
  if (!isRunning(child)) throw new Error(`${label} server died during the run:\n${child.tail()}`);
}

/** Warm-up on every page, RSS, then per page a closed-loop run and a fixed-rate run. */
async function measure(ctx: ScenarioContext, label: string, server: Running, pages: string[], t: Timing): Promise<TargetResult> {
  const { child, origin } = server;
  const afterStart = memoryOf(child.pid).rss;
  const warmup: Record<string, LoadStats> = {};
  for (const page of pages) {
    ctx.log(`${label}: warm-up ${page} (${t.warmupS} s)`);
    warmup[page] = await closedLoop(origin + page, CONNECTIONS, t.warmupS);
    alive(child, label);
  }
  const afterWarmup = memoryOf(child.pid).rss;
  const runs: Record<string, PageRun> = {};
  for (const page of pages) {
    ctx.log(`${label}: ${page} closed loop, ${CONNECTIONS} connections (${t.runS} s)`);
    const throughput = await withServerCpu(child.pid, () => closedLoop(origin + page, CONNECTIONS, t.runS));
    alive(child, label);
    ctx.log(`${label}: ${page} at ${RATE} req/s offered (${t.runS} s)`);
    const rate = await withServerCpu(child.pid, () => fixedRate(origin + page, RATE, RATE_CONNECTIONS, t.runS));
    alive(child, label);
    runs[page] = { throughput, fixedRate: rate };
  }
  const end = memoryOf(child.pid);
  return {
    firstOkMs: round(server.firstOkMs, 0),
    homeBytes: Buffer.byteLength(server.firstBody),
    memory: { afterStart: mb(afterStart), afterWarmup: mb(afterWarmup), end: mb(end.rss), peak: mb(end.peak) },
    warmup,
    pages: runs,
    serverWarnings: child.warnings(),
  };
}

/** Starts the app on one driver, measures it, stops it; a failure is recorded, not thrown. */
async function measureApp(ctx: ScenarioContext, label: string, env: NodeJS.ProcessEnv, t: Timing): Promise<{ result: TargetResult; body?: string }> {
  let server: Running | undefined;
  try {
    ctx.log(`${label}: starting the built app`);
    server = await startApp(ctx.root, env, label);
    const started = server;
    ctx.defer(() => started.child.stop());
    ctx.log(`${label}: first 200 after ${server.firstOkMs.toFixed(0)} ms, pid ${server.child.pid}`);
    const result = await measure(ctx, label, server, [HOME, COMMUNITY], t);
    return { result, body: server.firstBody };
  } catch (e) {
    ctx.log(`${label}: FAILED — ${(e as Error).message.split("\n")[0]}`);
    return { result: { error: (e as Error).message }, body: server?.firstBody };
  } finally {
    await server?.child.stop();
  }
}

const sumOver = (targets: TargetResult[], pick: (s: LoadStats) => number) =>
  targets.flatMap((r) => [...Object.values(r.warmup ?? {}), ...Object.values(r.pages ?? {}).flatMap((p) => [p.throughput, p.fixedRate])]).reduce((n, s) => n + pick(s), 0);

const ratio = (app: number | null | undefined, base: number | null | undefined) => (app && base ? Number((app / base).toPrecision(3)) : null);

const fmtRatio = (r: number | null | undefined) => (r === null || r === undefined ? null : r.toPrecision(2));

const scenario: Scenario = {
  name: "home",
  description: `GET ${HOME} and ${COMMUNITY} on PostgreSQL and PGlite vs a bare node:http server`,
  async run(ctx) {
    const t: Timing = ctx.quick ? { warmupS: 1, runS: 2 } : { warmupS: 2, runS: 8 };
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "yishi-bench-"));
    const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
    const forget = onAbort(removeTmp);
    ctx.defer(() => {
      forget();
      removeTmp();
    });
    const pgliteEnv = appEnv({ dataDir: path.join(tmp, "pglite") });

    // Databases: a fresh PostgreSQL database and a fresh PGlite folder, each migrated and seeded by prepare.js.
    ctx.log(`preparing databases (PostgreSQL "${BENCH_DB}" and a PGlite folder in ${tmp})`);
    const pg = await freshDatabase(serverUrl(), BENCH_DB);
    if (pg.ok) ctx.defer(pg.drop);
    else ctx.log(`SKIPPING the PostgreSQL half: ${pg.reason}`);
    const pgEnv = pg.ok ? appEnv({ databaseUrl: pg.url }) : undefined;
    await Promise.all([prepareDatabase(ctx.root, pgliteEnv, "PGlite"), pgEnv && prepareDatabase(ctx.root, pgEnv, "PostgreSQL")]);

    // PGlite first: its start is also the "first 200 on an existing embedded database" measurement.
    const pglite = await measureApp(ctx, "pglite", pgliteEnv, t);
    const postgres: { result: TargetResult; body?: string } = pgEnv ? await measureApp(ctx, "postgres", pgEnv, t) : { result: { skipped: pg.ok ? "" : pg.reason } };

    // Baseline: the app's own home page bytes, served by bare node:http.
    const body = postgres.body ?? pglite.body;
    if (body === undefined) throw new Error(`the app never served ${HOME} on either driver:\n${pglite.result.error}\n${postgres.result.error ?? postgres.result.skipped}`);
    ctx.log(`baseline: starting bare node:http with the ${Buffer.byteLength(body)}-byte home page`);
    const baseServer = await startBaseline(ctx.root, body, tmp);
    ctx.defer(() => baseServer.child.stop());
    const baseline = await measure(ctx, "baseline", baseServer, [HOME], t);
    await baseServer.child.stop();

    const base = baseline.pages?.[HOME];
    const apps = { postgres: postgres.result, pglite: pglite.result };
    const ratios: Record<string, Record<string, number | null>> = {};
    for (const [driver, r] of Object.entries(apps)) {
      ratios[driver] = {};
      for (const [page, run] of Object.entries(r.pages ?? {})) ratios[driver][page] = ratio(run.throughput.reqPerSec, base?.throughput.reqPerSec);
    }
    const measured = Object.values(apps).filter((r) => r.pages);
    const non2xx = measured.length ? sumOver(measured, (s) => s.non2xx) : null;
    const errors = measured.length ? sumOver(measured, (s) => s.errors) : null;

    const pgHome = postgres.result.pages?.[HOME];
    const checks: Check[] = [
      atLeast("home req/s @50 conns (postgres)", pgHome?.throughput.reqPerSec, 1000, "req/s"),
      atMost(`home p99 @${RATE} req/s offered (postgres)`, pgHome?.fixedRate.p99, 50, "ms"),
      atMost("RSS postgres.js", postgres.result.memory?.afterWarmup, 150, "MB"),
      atMost("RSS PGlite", pglite.result.memory?.afterWarmup, 450, "MB"),
      atMost("first 200 after start (PGlite, existing db)", pglite.result.firstOkMs, 3000, "ms"),
      exactly("non-2xx responses", non2xx, 0),
    ];

    const rows: (string | number | null)[][] = [];
    const notes: string[] = [];
    const addRows = (label: string, r: TargetResult, pages: string[]) => {
      if (!r.pages) {
        rows.push([label, "—", null, null, null, null, null, null, null, null, null]);
        notes.push(`${label}: ${r.skipped ? `skipped — ${r.skipped}` : `failed — ${(r.error ?? "").split("\n")[0]}`}`);
        return;
      }
      for (const page of pages) {
        const run = r.pages[page];
        if (!run) continue;
        const wu = r.warmup?.[page];
        rows.push([
          label,
          page,
          run.throughput.reqPerSec,
          run.throughput.p50,
          run.throughput.p99,
          run.throughput.serverCpuMsPerReq ?? null,
          run.fixedRate.reqPerSec,
          run.fixedRate.p50,
          run.fixedRate.p99,
          label === "baseline" ? "1" : fmtRatio(ratios[label]?.[page]),
          run.throughput.non2xx + run.fixedRate.non2xx + (wu?.non2xx ?? 0),
        ]);
      }
    };
    addRows("baseline", baseline, [HOME]);
    addRows("postgres", postgres.result, [HOME, COMMUNITY]);
    addRows("pglite", pglite.result, [HOME, COMMUNITY]);
    const speed = formatTable(
      `GET, closed loop ${CONNECTIONS} conns / open loop ${RATE} req/s over ${RATE_CONNECTIONS} conns, ${t.runS} s each after ${t.warmupS} s warm-up; latencies in ms; CPU ms/req = server process CPU time per request; body ${Buffer.byteLength(body)} B uncompressed`,
      ["target", "page", `req/s @${CONNECTIONS}c`, "p50", "p99", "CPU ms/req", `req/s @${RATE} offered`, `p50 @${RATE}`, `p99 @${RATE}`, "req/s app/baseline", "non-2xx"],
      rows,
      "llrrrrrrrrr",
    );
    const memRow = (label: string, r: TargetResult) => [label, r.memory?.afterStart ?? null, r.memory?.afterWarmup ?? null, r.memory?.end ?? null, r.memory?.peak ?? null, r.firstOkMs ?? null];
    const memory = formatTable(
      "Server process: RSS in MB (VmRSS; peak = VmHWM), ms from spawn to first 200 of / (polled every 25 ms)",
      ["target", "RSS after start", "RSS after warm-up", "RSS at end", "peak RSS", "first 200 ms"],
      [memRow("baseline", baseline), memRow("postgres", postgres.result), memRow("pglite", pglite.result)],
    );

    return {
      results: {
        settings: {
          nodeEnv: "production",
          connections: CONNECTIONS,
          offeredRate: RATE,
          rateConnections: RATE_CONNECTIONS,
          warmupSeconds: t.warmupS,
          runSeconds: t.runS,
          quick: ctx.quick,
          compression: "none (no Accept-Encoding sent)",
          loadGenerator: "autocannon, in the runner process on the same machine",
        },
        homeBytes: Buffer.byteLength(body),
        baseline,
        postgres: postgres.result,
        pglite: pglite.result,
        reqPerSecRatioToBaseline: ratios,
        non2xx,
        connectionErrors: errors,
      },
      checks,
      tables: [speed + (notes.length ? `\n${notes.join("\n")}` : ""), memory],
    };
  },
};

export default scenario;
