/**
 * `voting`: 5,000 verified residents of community 4 cast ballots on one open yes/no vote at once,
 * as the vote page's script posts its ballot form (POST /api/votes/<id>/ballot: the same fields,
 * the same castBallot command, a JSON answer instead of a page render), on PostgreSQL, against a
 * bare Node http server receiving the same posts through the same driver. A sample of voters also
 * changes its ballot through the page's own form post (POST /votes/<id>, the path without
 * JavaScript: action, loaders and page render), measured beside it without a goal.
 *
 * After prepare.js (migrate + seed) the bench data goes in with plain SQL: the residents (users +
 * verified memberships), one session per resident (the token stays here, its sha256 is the row's id),
 * a matter in community 4, and an open vote on it (votes row + one vote_electors row per resident, the
 * matter moved to `voting`), as openVote would leave them. Open ballot (not secret), the residents'
 * meeting preset, no closing time.
 *
 * Load: 100 clients (a pool of 100 workers on one queue of voters, keep-alive connections). Phase
 * "cast": per voter, the ballot post, then the same post again (a retry: same idempotency key, same
 * choice). Phase "change": every fifth voter posts a different choice with a new key. Phase "form":
 * every tenth voter posts another choice through the page's form, without JavaScript. Every answer
 * must be 200. Then the database must hold exactly one ballot per voter, with the final choice.
 *
 * Goals (from the issue): no lost ballots, no double ballots, ≥ 1000 ballots/s, p99 ≤ 250 ms,
 * the tally matches the expected one.
 */
import { randomBytes, createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { freshDatabase, serverUrl } from "../lib/postgres";
import { cpuTimeMs, isRunning, onAbort, type Child } from "../lib/processes";
import { atLeast, atMost, exactly, formatTable, round } from "../lib/report";
import { keepAliveClient, Recorder, workerPool, type Answer, type LatencyStats, type RequestSpec } from "../lib/requests";
import { appEnv, excerpt, prepareDatabase, startApp, startBaseline, type Running } from "../lib/servers";
import type { Check, Scenario, ScenarioContext } from "../lib/types";

const BENCH_DB = "yishi_bench_voting";
const COMMUNITY = 4;
const CLIENTS = 100;
/** The app's own default pool (server/app.ts): the bench runs the app as deployed. */
const DB_POOL = 10;
/** Every CHANGE_EVERY-th voter changes the ballot: 20 %. */
const CHANGE_EVERY = 5;
/** Every FORM_EVERY-th voter (offset 3, so never a changer) changes once more through the page's form post. */
const FORM_EVERY = 10;
const OPTIONS = ["yes", "no", "abstain"] as const;
type Option = (typeof OPTIONS)[number];
const SESSION_COOKIE = "yishi_session";
const QUESTION = "基准表决：是否同意东侧道路积水改造方案？";
/** pg_stat_activity is sampled this often during each phase. */
const SAMPLE_MS = 50;

interface Voter {
  n: number;
  userId: number;
  voterKey: string;
  token: string;
  choice: Option;
  idem: string;
  /** Set for the voters who change their ballot afterwards. */
  change?: { choice: Option; idem: string };
  /** Set for the voters who then change it through the page's form post (no JavaScript). */
  form?: { choice: Option; idem: string };
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
/** 24 characters of [A-Za-z0-9_-], as CastBallotSchema wants (16–64). */
const newIdem = () => randomBytes(18).toString("base64url");

/**
 * Inserts the residents, their sessions, the matter and the open vote with set-based SQL, and checks
 * the counts. Runs on a fresh, seeded database nothing else is using, so no transaction.
 */
export async function insertBenchData(url: string, voters: number): Promise<{ voteId: number; matterId: number; voters: Voter[]; rows: Record<string, number> }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [community] = await sql<{ kind: string }[]>`select kind from areas where id = ${COMMUNITY}`;
    if (community?.kind !== "community") throw new Error(`the seed has no community with id ${COMMUNITY}; server/demo/seed.ts changed?`);
    const [cat] = await sql<{ id: number }[]>`select min(id)::int as id from categories`;
    // the seed's committee member (as matters.ts does) proposes the matter and "opens" the vote
    const [staff] = await sql<{ id: number }[]>`select coalesce((select id from users where username = 'committee_a'), (select min(id) from users))::int as id`;
    if (!cat?.id || !staff?.id) throw new Error("the seed has no categories or no users");

    await sql`
      insert into users (username, display_name, password_hash)
      select 'voter_' || lpad(g::text, 5, '0'), '投票人' || lpad(g::text, 5, '0'), 'bench-no-login'
      from generate_series(1, ${voters}::int) g`;
    const users = await sql<{ id: number; username: string }[]>`select id, username from users where username like 'voter\\_%' order by username`;
    if (users.length !== voters) throw new Error(`bench data: expected ${voters} voters, found ${users.length}`);
    await sql`
      insert into memberships (user_id, community_id, status, address, decided_by, decided_at)
      select id, ${COMMUNITY}::int, 'verified', '基准小区 ' || substr(username, 7) || ' 号', ${staff.id}::int, now()
      from users where username like 'voter\\_%'`;

    // one session per voter: the token is the cookie, the table keeps its sha256 (as createSession does)
    const tokens = users.map(() => randomBytes(32).toString("base64url"));
    await sql`
      insert into sessions (id, user_id, created_at, last_seen_at, expires_at)
      select s.id, s.user_id, now(), now(), now() + interval '1 day'
      from unnest(${sql.array(tokens.map(sha256))}::text[], ${sql.array(users.map((u) => u.id))}::int[]) as s(id, user_id)`;

    const description = "小区东侧道路长期积水，雨天老人孩子出行不便，排水管道老化堵塞，需要统一改造并明确日常维护责任。";
    const [matter] = await sql<{ id: number }[]>`
      insert into matters (community_id, proposer_id, state, title, description, category_id, affected_area, desired_outcome, form, submitted_at)
      values (${COMMUNITY}, ${staff.id}, 'scheduled', '基准表决议题：东侧道路积水改造', ${description}, ${cat.id}, '东侧道路及 1–6 号楼',
              '改造排水管道，公示维护责任人和维护周期。', 'meeting', now() - interval '30 days')
      returning id`;
    // what openVote leaves: the vote (residents' meeting rule, open ballot), its fixed electorate, the matter in `voting`
    const options = OPTIONS.map((id) => ({ id, label: `@voting.${id}` }));
    const [vote] = await sql<{ id: number }[]>`
      insert into votes (matter_id, question, method, options, max_choices, electorate, preset, quorum_num, quorum_den, quorum_strict,
                         pass_num, pass_den, pass_strict, pass_base, secret, state, electorate_size, opened_at, created_by)
      values (${matter.id}, ${QUESTION}, 'yes_no', ${sql.json(options)}, 1, 'residents', 'residents_meeting', 1, 2, true,
              1, 2, true, 'present', false, 'open', ${voters}, now(), ${staff.id})
      returning id`;
    await sql`
      insert into vote_electors (vote_id, voter_key, user_ids, label)
      select ${vote.id}::int, 'u:' || id, jsonb_build_array(id), display_name from users where username like 'voter\\_%'`;
    await sql`update matters set state = 'voting', updated_at = now() where id = ${matter.id}`;
    await sql`analyze`;

    const [counts] = await sql<Record<string, number>[]>`
      select
        (select count(*)::int from memberships m join users u on u.id = m.user_id
          where m.community_id = ${COMMUNITY} and m.status = 'verified' and u.username like 'voter\\_%') as "verifiedVoters",
        (select count(*)::int from sessions s join users u on u.id = s.user_id where u.username like 'voter\\_%') as "sessions",
        (select count(*)::int from vote_electors where vote_id = ${vote.id}) as "electors",
        (select count(*)::int from ballots) as "ballotsBefore",
        (select count(*)::int from users) as "users"`;
    for (const key of ["verifiedVoters", "sessions", "electors"]) {
      if (counts[key] !== voters) throw new Error(`bench data: expected ${key} = ${voters}, found ${counts[key]}`);
    }
    if (counts.ballotsBefore !== 0) throw new Error(`bench data: ${counts.ballotsBefore} ballots before the run`);

    const list: Voter[] = users.map((u, i) => ({
      n: i + 1,
      userId: u.id,
      voterKey: `u:${u.id}`,
      token: tokens[i],
      // deterministic per voter: yes, no, abstain, yes, …; every fifth voter later moves to the next option
      choice: OPTIONS[i % OPTIONS.length],
      idem: newIdem(),
      change: i % CHANGE_EVERY === 0 ? { choice: OPTIONS[(i + 1) % OPTIONS.length], idem: newIdem() } : undefined,
      form: i % FORM_EVERY === 3 ? { choice: OPTIONS[(i + 2) % OPTIONS.length], idem: newIdem() } : undefined,
    }));
    return { voteId: vote.id, matterId: matter.id, voters: list, rows: counts };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** What the database holds for the vote after the run, against what the voters posted last. */
async function verifyBallots(sql: postgres.Sql, voteId: number, voters: Voter[]) {
  const [b] = await sql<{ rows: number; voters: number; unkeyed: number; notOne: number; paper: number }[]>`
    select count(*)::int as rows, count(distinct voter_key)::int as voters, count(*) filter (where voter_key is null)::int as unkeyed,
           count(*) filter (where jsonb_array_length(choices) <> 1)::int as "notOne", count(*) filter (where channel <> 'online')::int as paper
    from ballots where vote_id = ${voteId}`;
  const [p] = await sql<{ rows: number; online: number }[]>`
    select count(*)::int as rows, count(*) filter (where channel = 'online')::int as online from vote_participation where vote_id = ${voteId}`;
  const stored = await sql<{ voterKey: string; choice: string }[]>`select voter_key as "voterKey", choices->>0 as choice from ballots where vote_id = ${voteId}`;
  const final = new Map(voters.map((v) => [v.voterKey, v.form?.choice ?? v.change?.choice ?? v.choice]));
  const expected: Record<string, number> = Object.fromEntries(OPTIONS.map((o) => [o, 0]));
  for (const c of final.values()) expected[c]++;
  const counted: Record<string, number> = Object.fromEntries(OPTIONS.map((o) => [o, 0]));
  const seen = new Set<string>();
  let wrongChoice = 0;
  let strangers = 0;
  for (const r of stored) {
    counted[r.choice] = (counted[r.choice] ?? 0) + 1;
    if (!final.has(r.voterKey)) strangers++;
    else if (final.get(r.voterKey) !== r.choice) wrongChoice++;
    seen.add(r.voterKey);
  }
  const votersWithBallot = [...final.keys()].filter((k) => seen.has(k)).length;
  const tallyMatches = Object.keys({ ...expected, ...counted }).every((k) => (expected[k] ?? 0) === (counted[k] ?? 0));
  return {
    ballotRows: b.rows,
    distinctVoters: b.voters,
    unkeyedBallots: b.unkeyed,
    ballotsNotOneChoice: b.notOne,
    nonOnlineBallots: b.paper,
    participationRows: p.rows,
    participationOnline: p.online,
    lost: voters.length - votersWithBallot,
    doubled: b.rows - b.voters,
    /** Ballots whose stored choice is not the voter's last posted one. */
    wrongChoice,
    /** Ballots of voter keys that did not vote here. */
    strangers,
    expected,
    counted,
    tallyMatches,
  };
}

/** Every `SAMPLE_MS` while running: the app's backends by state and wait event (from pg_stat_activity). */
function backendSampler(sql: postgres.Sql) {
  let running = true;
  let samples = 0;
  const seen: Record<string, number> = {};
  const loop = (async () => {
    while (running) {
      const rows = await sql<{ state: string | null; type: string | null; event: string | null }[]>`
        select state, wait_event_type as type, wait_event as event from pg_stat_activity
        where datname = ${BENCH_DB} and backend_type = 'client backend' and pid <> pg_backend_pid()`;
      samples++;
      for (const r of rows) {
        const key = `${r.state ?? "?"}: ${r.type ? `${r.type}/${r.event}` : "running (CPU)"}`;
        seen[key] = (seen[key] ?? 0) + 1;
      }
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  return async () => {
    running = false;
    await loop;
    /** Average number of backends in each state over the phase. */
    const avg: Record<string, number> = {};
    for (const [k, n] of Object.entries(seen).sort((a, b) => b[1] - a[1])) avg[k] = round(n / Math.max(samples, 1), 2) ?? 0;
    return { samples, avg };
  };
}

/** CPU ms used so far by the database's client backends (same machine only; null when /proc cannot see them). */
async function backendCpu(sql: postgres.Sql): Promise<Map<number, number>> {
  const pids = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = ${BENCH_DB} and backend_type = 'client backend' and pid <> pg_backend_pid()`;
  const out = new Map<number, number>();
  for (const { pid } of pids) {
    const ms = cpuTimeMs(pid);
    if (ms !== null) out.set(pid, ms);
  }
  return out;
}

interface PhaseCost {
  /** Server (Node) process CPU ms per request. */
  serverCpuMsPerReq: number | null;
  /** The app's PostgreSQL backends' CPU ms per request (null for the baseline, or when /proc cannot see them). */
  dbCpuMsPerReq: number | null;
  /** This runner (the load generator) CPU ms per request. */
  clientCpuMsPerReq: number | null;
  /** Average backends per state while the phase ran. */
  backends?: { samples: number; avg: Record<string, number> };
}

/** Measures the CPU the server, its database backends and this process spend over `run`, and samples the backends. */
async function withCosts<T extends { requests: number }>(server: Child, monitor: postgres.Sql | null, run: () => Promise<T>): Promise<T & { cost: PhaseCost }> {
  const serverBefore = cpuTimeMs(server.pid);
  const clientBefore = process.cpuUsage();
  const dbBefore = monitor ? await backendCpu(monitor) : null;
  const stopSampler = monitor ? backendSampler(monitor) : null;
  const result = await run();
  const backends = stopSampler ? await stopSampler() : undefined;
  const dbAfter = monitor ? await backendCpu(monitor) : null;
  const serverAfter = cpuTimeMs(server.pid);
  const client = process.cpuUsage(clientBefore);
  const per = (ms: number | null) => (ms !== null && result.requests > 0 ? round(ms / result.requests, 3) : null);
  let dbMs: number | null = null;
  if (dbBefore && dbAfter && dbAfter.size) {
    dbMs = 0;
    for (const [pid, ms] of dbAfter) dbMs += ms - (dbBefore.get(pid) ?? 0);
  }
  return {
    ...result,
    cost: {
      serverCpuMsPerReq: per(serverBefore !== null && serverAfter !== null ? serverAfter - serverBefore : null),
      dbCpuMsPerReq: per(dbMs),
      clientCpuMsPerReq: per((client.user + client.system) / 1000),
      backends,
    },
  };
}

interface PhaseResult {
  seconds: number;
  requests: number;
  /** New ballots (first casts, or changes) per second of the phase's wall time. */
  ballotsPerSec: number | null;
  /** Latency per kind of request in the phase, and all of them together. */
  latency: Record<string, LatencyStats>;
}

/** How each voter's posts look, as the vote page's script sends its ballot form: the same for the app and the baseline. */
function castPost(origin: string, voteId: number, voter: Voter, choice: Option, idem: string, keepBody: boolean): RequestSpec {
  return {
    method: "POST",
    path: `/api/votes/${voteId}/ballot`,
    headers: {
      cookie: `${SESSION_COOKIE}=${voter.token}`,
      origin,
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
    },
    body: new URLSearchParams({ intent: "cast", choices: choice, idem }).toString(),
    keepBody,
  };
}

/** The page's own form post (the browser without JavaScript): the action, then the page's loaders and render. */
function formPost(origin: string, voteId: number, voter: Voter, choice: Option, idem: string): RequestSpec {
  return {
    method: "POST",
    path: `/votes/${voteId}`,
    headers: { cookie: `${SESSION_COOKIE}=${voter.token}`, origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "cast", choices: choice, idem }).toString(),
    keepBody: true,
  };
}

interface Receipts {
  /** First casts whose answer shows the receipt of their form key. */
  castShown: number;
  /** Retries whose answer shows the same receipt again. */
  retryShown: number;
  /** Retries whose answer says the ballot was changed. */
  retryChanged: number;
  /** Changes whose answer says "changed" (and no new receipt: an open ballot keeps its first). */
  changeChanged: number;
  /** Form posts (no JavaScript) whose page says the vote was changed. */
  formChanged: number;
}

type Kind = "cast" | "retry" | "change" | "form";

/**
 * The ballot phases against one server. `check` (the app only) looks at each answer's body.
 * Phase "cast": per voter the post, then the same post again. Phase "change": every fifth voter, a new choice.
 * Phase "form" (the app only, when `check` is given): every tenth voter, another choice through the page's form post.
 */
async function ballotPhases(
  ctx: ScenarioContext,
  label: string,
  server: Running,
  monitor: postgres.Sql | null,
  voteId: number,
  voters: Voter[],
  check?: (kind: Kind, voter: Voter, answer: Answer) => void,
) {
  const client = keepAliveClient(server.origin, CLIENTS);
  ctx.defer(() => client.close());
  const keep = !!check;
  const phase = async (name: string, items: Voter[], steps: { kind: Kind; spec: (v: Voter) => RequestSpec }[], newBallots: number) => {
    const recorders = Object.fromEntries(steps.map((s) => [s.kind, new Recorder(200)]));
    ctx.log(`${label}: phase "${name}", ${items.length} voters × ${steps.length} post(s), ${CLIENTS} clients`);
    const r = await withCosts(server.child, monitor, async () => {
      const seconds = await workerPool(items, CLIENTS, async (voter) => {
        for (const step of steps) {
          try {
            const a = await client.send(step.spec(voter));
            recorders[step.kind].add(a);
            check?.(step.kind, voter, a);
          } catch (e) {
            recorders[step.kind].fail(e);
          }
        }
      });
      return { seconds, requests: Object.values(recorders).reduce((n, rec) => n + rec.count, 0) };
    });
    if (!isRunning(server.child)) throw new Error(`${label} server died during phase "${name}":\n${server.child.tail()}`);
    const latency: Record<string, LatencyStats> = {};
    for (const [kind, rec] of Object.entries(recorders)) latency[kind] = rec.stats(r.seconds);
    latency.all = Recorder.merged(Object.values(recorders)).stats(r.seconds);
    const samples = Object.values(recorders).flatMap((rec) => rec.errorSamples);
    if (samples.length) ctx.log(`${label}: phase "${name}" connection errors, e.g. ${samples[0]}`);
    const result: PhaseResult & { cost: PhaseCost } = {
      seconds: round(r.seconds, 2) ?? r.seconds,
      requests: r.requests,
      ballotsPerSec: round(newBallots / r.seconds, 0),
      latency,
      cost: r.cost,
    };
    return { result, recorders };
  };
  const cast = await phase(
    "cast",
    voters,
    [
      { kind: "cast", spec: (v) => castPost(server.origin, voteId, v, v.choice, v.idem, keep) },
      { kind: "retry", spec: (v) => castPost(server.origin, voteId, v, v.choice, v.idem, keep) },
    ],
    voters.length,
  );
  const changers = voters.filter((v) => v.change);
  const change = await phase("change", changers, [{ kind: "change", spec: (v) => castPost(server.origin, voteId, v, v.change!.choice, v.change!.idem, keep) }], changers.length);
  const all = Recorder.merged([...Object.values(cast.recorders), ...Object.values(change.recorders)]);
  const seconds = cast.result.seconds + change.result.seconds;
  // after the goals' phases, apart from them: the same change without JavaScript
  const formers = voters.filter((v) => v.form);
  const form = check ? await phase("form", formers, [{ kind: "form", spec: (v) => formPost(server.origin, voteId, v, v.form!.choice, v.form!.idem) }], formers.length) : null;
  client.close();
  return {
    phases: { cast: cast.result, change: change.result, form: form?.result ?? null },
    overall: { ...all.stats(seconds), ballotsPerSec: round((voters.length + changers.length) / seconds, 0) },
  };
}

const CHECK_NAMES = {
  lost: "lost ballots",
  doubled: "double ballots",
  rate: "ballots/s (first-cast phase, retries included in its time)",
  p99: "p99 latency (every ballot post)",
  tally: "tally matches expected (1 = yes)",
  non200: "non-200 answers (incl. no answer)",
};

function skippedChecks(): Check[] {
  return [
    exactly(CHECK_NAMES.lost, null, 0),
    exactly(CHECK_NAMES.doubled, null, 0),
    atLeast(CHECK_NAMES.rate, null, 1000, "ballots/s"),
    atMost(CHECK_NAMES.p99, null, 250, "ms"),
    exactly(CHECK_NAMES.tally, null, 1),
    exactly(CHECK_NAMES.non200, null, 0),
  ];
}

/** The built app must know the vote page, or every post would be a 404. */
function assertBuildHasVoting(root: string) {
  const file = path.join(root, "build/remix/index.js");
  if (!fs.readFileSync(file, "utf8").includes('"routes/votes.$voteId"')) {
    throw new Error(`${path.relative(root, file)} has no route routes/votes.$voteId: the build predates the voting feature; run \`npm run build\``);
  }
}

const scenario: Scenario = {
  name: "voting",
  description: `5,000 residents cast, retry and change ballots on one open vote as the vote page's script does (POST /api/votes/<id>/ballot), ${CLIENTS} clients, PostgreSQL, vs a bare node:http server`,
  async run(ctx) {
    const VOTERS = ctx.quick ? 1_000 : 5_000;
    const WARMUP_GETS = ctx.quick ? 200 : 1_000;
    assertBuildHasVoting(ctx.root);

    ctx.log(`preparing PostgreSQL database "${BENCH_DB}"`);
    const pg = await freshDatabase(serverUrl(), BENCH_DB);
    if (!pg.ok) {
      ctx.log(`SKIPPING: ${pg.reason}`);
      return { results: { skipped: pg.reason }, checks: skippedChecks(), tables: [`voting: skipped — ${pg.reason}`] };
    }
    ctx.defer(pg.drop);
    const env = { ...appEnv({ databaseUrl: pg.url }), DB_POOL: String(DB_POOL), AUTH_RATE_LIMIT: "1000000" };
    await prepareDatabase(ctx.root, env, "PostgreSQL");
    ctx.log(`inserting bench data (${VOTERS} residents with sessions, a matter, an open vote)`);
    const seedStarted = performance.now();
    const data = await insertBenchData(pg.url, VOTERS);
    const { voteId, voters } = data;
    ctx.log(`bench data in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: vote ${voteId} on matter ${data.matterId}, ${JSON.stringify(data.rows)}`);

    // a connection of our own: pg_stat_activity samples, backend CPU, and the final count
    const monitor = postgres(pg.url, { max: 1, onnotice: () => {} });
    ctx.defer(() => monitor.end({ timeout: 5 }));

    ctx.log(`starting the built app (DB_POOL=${DB_POOL})`);
    const app = await startApp(ctx.root, env, "postgres");
    ctx.defer(() => app.child.stop());
    ctx.log(`first 200 after ${app.firstOkMs.toFixed(0)} ms, pid ${app.child.pid}`);

    // the vote page must show the ballot form to a voter before any load
    const client = keepAliveClient(app.origin, CLIENTS);
    ctx.defer(() => client.close());
    const page = (v: Voter, keepBody = false): RequestSpec => ({ method: "GET", path: `/votes/${voteId}`, headers: { cookie: `${SESSION_COOKIE}=${v.token}` }, keepBody });
    const first = await client.send(page(voters[0], true));
    if (first.status !== 200 || !first.body?.includes(QUESTION) || !first.body.includes('name="idem"')) {
      throw new Error(`GET /votes/${voteId} as voter 1 answered ${first.status} without the question and the ballot form: ${excerpt(first.body ?? "")}`);
    }

    // warm-up: the vote page as many voters (the same loaders and render as the post's answer; no ballot written)
    ctx.log(`postgres: warm-up, ${WARMUP_GETS} GET /votes/${voteId} as different voters, ${CLIENTS} clients`);
    const warm = new Recorder(200);
    const warmS = await workerPool(
      Array.from({ length: WARMUP_GETS }, (_, i) => voters[i % voters.length]),
      CLIENTS,
      async (v) => {
        try {
          warm.add(await client.send(page(v)));
        } catch (e) {
          warm.fail(e);
        }
      },
    );
    const warmup = warm.stats(warmS);
    client.close();

    // the app: every answer must be 200; the receipt on it is checked against the form key
    const { formatReceipt, receiptFor } = await import("../../../app/modules/matters/voting/receipts.server");
    const receipts: Receipts = { castShown: 0, retryShown: 0, retryChanged: 0, changeChanged: 0, formChanged: 0 };
    let answerSample: string | undefined;
    const bad: string[] = [];
    const check = (kind: Kind, v: Voter, a: Answer) => {
      const body = a.body ?? "";
      if (a.status !== 200 && bad.length < 5) bad.push(`${kind} as voter ${v.n}: ${a.status} ${excerpt(body, 200)}`);
      if (a.status !== 200) return;
      if (kind === "form") {
        // the rendered page says the vote was changed
        if (body.includes('role="status"') && !body.includes(formatReceipt(receiptFor(voteId, v.form!.idem)))) receipts.formChanged++;
        return;
      }
      let answer: { receipt?: string | null; changed?: boolean } = {};
      try {
        answer = JSON.parse(body) as typeof answer;
      } catch {
        if (bad.length < 5) bad.push(`${kind} as voter ${v.n}: not JSON: ${excerpt(body, 200)}`);
        return;
      }
      const shown = answer.receipt === formatReceipt(receiptFor(voteId, v.idem));
      if (kind === "change") {
        if (answer.changed === true && answer.receipt === null) receipts.changeChanged++;
      } else if (kind === "cast") {
        if (shown && answer.changed === false) receipts.castShown++;
        answerSample ??= body;
      } else {
        if (shown && answer.changed === false) receipts.retryShown++;
        if (answer.changed) receipts.retryChanged++;
      }
    };
    const appRun = await ballotPhases(ctx, "postgres", app, monitor, voteId, voters, check);
    if (bad.length) ctx.log(`postgres: answers other than 200, e.g.\n    ${bad.join("\n    ")}`);
    const serverWarnings = app.child.warnings();
    await app.child.stop();

    ctx.log("verifying the ballots in the database");
    const db = await verifyBallots(monitor, voteId, voters);

    // the baseline: the same posts through the same driver, answered with the app's answer to a first cast
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "yishi-bench-"));
    const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
    const forget = onAbort(removeTmp);
    ctx.defer(() => {
      forget();
      removeTmp();
    });
    const baseBody = answerSample ?? first.body ?? "";
    ctx.log(`baseline: starting bare node:http with the ${Buffer.byteLength(baseBody)}-byte answer to a ballot post`);
    const baseServer = await startBaseline(ctx.root, baseBody, tmp, "application/json; charset=utf-8");
    ctx.defer(() => baseServer.child.stop());
    const baseRun = await ballotPhases(ctx, "baseline", baseServer, null, voteId, voters);
    await baseServer.child.stop();

    const appPosts = appRun.overall;
    const non200 = appPosts.unexpected + appPosts.errors + warmup.unexpected + warmup.errors;
    const ratio = appPosts.reqPerSec && baseRun.overall.reqPerSec ? Number((appPosts.reqPerSec / baseRun.overall.reqPerSec).toPrecision(3)) : null;

    const checks: Check[] = [
      exactly(CHECK_NAMES.lost, db.lost, 0),
      exactly(CHECK_NAMES.doubled, db.doubled, 0),
      atLeast(CHECK_NAMES.rate, appRun.phases.cast.ballotsPerSec, 1000, "ballots/s"),
      atMost(CHECK_NAMES.p99, appPosts.p99, 250, "ms"),
      exactly(CHECK_NAMES.tally, db.tallyMatches && db.participationRows === VOTERS ? 1 : 0, 1),
      exactly(CHECK_NAMES.non200, non200, 0),
    ];

    const changers = voters.filter((v) => v.change).length;
    const formers = voters.filter((v) => v.form).length;
    const rows: (string | number | null)[][] = [];
    const addRows = (target: string, run: typeof appRun) => {
      const p = run.phases;
      const line = (phase: string, kind: string, s: LatencyStats, ballotsPerSec: number | null, cost?: PhaseCost) => [
        target,
        phase,
        kind,
        s.requests,
        s.seconds,
        s.reqPerSec,
        ballotsPerSec,
        s.p50,
        s.p90,
        s.p99,
        s.max,
        s.unexpected + s.errors,
        cost?.serverCpuMsPerReq ?? null,
        cost?.dbCpuMsPerReq ?? null,
        cost?.clientCpuMsPerReq ?? null,
      ];
      rows.push(line("cast", "all", p.cast.latency.all, p.cast.ballotsPerSec, p.cast.cost));
      rows.push(line("", "first post", p.cast.latency.cast, null));
      rows.push(line("", "retry", p.cast.latency.retry, null));
      rows.push(line("change", "change", p.change.latency.all, p.change.ballotsPerSec, p.change.cost));
      rows.push(line("overall", "all posts", run.overall, run.overall.ballotsPerSec));
      if (p.form) rows.push(line("form", "no-JS form post", p.form.latency.all, p.form.ballotsPerSec, p.form.cost));
    };
    rows.push(["postgres", "warm-up", `GET /votes/${voteId}`, warmup.requests, warmup.seconds, warmup.reqPerSec, null, warmup.p50, warmup.p90, warmup.p99, warmup.max, warmup.unexpected + warmup.errors, null, null, null]);
    addRows("postgres", appRun);
    addRows("baseline", baseRun);
    const speed = formatTable(
      `POST /api/votes/${voteId}/ballot (the vote page's script), ${VOTERS.toLocaleString("en-US")} voters, ${CLIENTS} clients (closed loop, keep-alive); "cast" = per voter the post then its retry (same key), ` +
        `"change" = ${changers.toLocaleString("en-US")} voters post a new choice; "form" (no goal) = ${formers.toLocaleString("en-US")} voters change once more through the page's form post ` +
        `(POST /votes/${voteId}: no JavaScript, action + loaders + page render). Latency in ms, timed by the client. ` +
        `ballots/s = new ballots (first posts, or changes) per second of the phase's wall time. CPU ms per request: server process / its PostgreSQL backends / this load generator. ` +
        `app/baseline req/s over all posts: ${ratio ?? "—"}`,
      ["target", "phase", "kind", "n", "s", "req/s", "ballots/s", "p50", "p90", "p99", "max", "non-200", "server CPU", "DB CPU", "client CPU"],
      rows,
      "lllrrrrrrrrrrrr",
    );
    const tally = formatTable(
      `In the database after the run (vote ${voteId}): one ballot per voter, the last choice counted`,
      ["what", "expected", "stored"],
      [
        ["ballot rows", VOTERS, db.ballotRows],
        ["voters with a ballot", VOTERS, VOTERS - db.lost],
        ["participation rows (online)", VOTERS, db.participationOnline],
        ...OPTIONS.map((o) => [`choice ${o}`, db.expected[o], db.counted[o] ?? 0]),
        ["ballots not the voter's last choice", 0, db.wrongChoice],
        ["ballots of voters not in the run", 0, db.strangers],
        ["first-cast answers showing their receipt", VOTERS, receipts.castShown],
        ["retry answers showing the same receipt", VOTERS, receipts.retryShown],
        ["retry answers saying \"changed\"", 0, receipts.retryChanged],
        ["change answers saying \"changed\"", changers, receipts.changeChanged],
        ["form-post pages (no JavaScript) saying \"changed\"", formers, receipts.formChanged],
      ],
      "lrr",
    );
    const states = new Set([...Object.keys(appRun.phases.cast.cost.backends?.avg ?? {}), ...Object.keys(appRun.phases.change.cost.backends?.avg ?? {})]);
    const backends = formatTable(
      `The app's PostgreSQL backends (pool of ${DB_POOL}) by state, average number over the phase (pg_stat_activity every ${SAMPLE_MS} ms; "idle: Client/ClientRead" = waiting for Node)`,
      ["state: wait event", "cast", "change"],
      [...states].map((s) => [s, appRun.phases.cast.cost.backends?.avg[s] ?? 0, appRun.phases.change.cost.backends?.avg[s] ?? 0]),
      "lrr",
    );

    return {
      results: {
        settings: {
          nodeEnv: "production",
          logLevel: "warn",
          driver: "postgres",
          dbPool: DB_POOL,
          clients: CLIENTS,
          voters: VOTERS,
          changers,
          warmupGets: WARMUP_GETS,
          quick: ctx.quick,
          secret: false,
          request: "POST /api/votes/<id>/ballot as the vote page's script sends it (the castBallot command, a JSON answer); the no-JS form post POST /votes/<id> is measured apart",
          loadGenerator: "undici Pool of 100 keep-alive connections (no pipelining), 100 workers on one queue, in the runner process on the same machine",
        },
        data: { ...data.rows, voteId, matterId: data.matterId },
        firstOkMs: round(app.firstOkMs, 0),
        answerBytes: Buffer.byteLength(baseBody),
        warmup,
        postgres: appRun,
        baseline: baseRun,
        postPerSecRatioToBaseline: ratio,
        database: db,
        receipts,
        non200,
        serverWarnings,
      },
      checks,
      tables: [speed, tally, backends],
    };
  },
};

export default scenario;
