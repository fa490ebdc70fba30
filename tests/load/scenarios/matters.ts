/**
 * `matters`: the public matter page and a community's matter list, unauthenticated, on PostgreSQL, each at
 * a small and a large size, against a bare Node http server sending a body the size of the small matter page.
 * Goals (from the issue): a matter page with 1,000 co-signers costs at most 1.2× one with 10, and a list over
 * 1,000 matters at most 1.2× one over 10; p99 ≤ 100 ms at 200 req/s offered for the large page and the
 * large list; no non-2xx answers. Issue 20 adds the discussion: the first page of a matter's comments with
 * 5,000 comments (300 of them in one thread, on that first page) costs at most 1.2× one with 10, and its
 * p99 ≤ 100 ms at 200 req/s.
 *
 * After prepare.js (migrate + seed) the bench data goes in with plain SQL: 1,000 verified residents of
 * community 4; two accepted matters there with the same text and the same 200-entry timeline, one with 10
 * co-signers and one with 1,000; 1,000 accepted matters in community 5 and 10 in community 6.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { closedLoop, fixedRate, withServerCpu, type LoadStats } from "../lib/load";
import { freshDatabase, serverUrl } from "../lib/postgres";
import { isRunning, onAbort, type Child } from "../lib/processes";
import { atMost, exactly, formatTable, round } from "../lib/report";
import { appEnv, getOk, prepareDatabase, startApp, startBaseline, type Running } from "../lib/servers";
import type { Check, Scenario, ScenarioContext } from "../lib/types";

const CONNECTIONS = 50;
const RATE = 200;
const RATE_CONNECTIONS = 20;
const BENCH_DB = "yishi_bench_matters";

/** The seed's communities (server/demo/seed.ts): 4 gets the residents and the two matter pages, 5 the long list, 6 the short one. */
const PAGE_COMMUNITY = 4;
const LONG_LIST_COMMUNITY = 5;
const SHORT_LIST_COMMUNITY = 6;
const RESIDENTS = 1_000;
const FEW_COSIGNERS = 10;
const MANY_COSIGNERS = 1_000;
const TIMELINE_EVENTS = 200;
const LONG_LIST = 1_000;
const SHORT_LIST = 10;
const LIST_COSIGNS = 3;
const FEW_COMMENTS = 10;
const MANY_COMMENTS = 5_000;
const LONG_THREAD = 300;

interface Timing {
  warmupS: number;
  runS: number;
}

interface PageRun {
  throughput: LoadStats;
  fixedRate: LoadStats;
}

/** What a measured target answered: per URL, its body size, the warm-up and the two runs. */
interface TargetResult {
  bytes: Record<string, number>;
  warmup: Record<string, LoadStats>;
  pages: Record<string, PageRun>;
  /** Server log lines at warn or above during the run. */
  serverWarnings: number;
}

interface BenchData {
  smallMatterId: number;
  largeMatterId: number;
  /** the discussions: 10 comments on the small matter, 5,000 (one thread of 300 replies) on the large one */
  commentsSmallMatterId: number;
  commentsLargeMatterId: number;
  rows: Record<string, number>;
}

/**
 * Inserts the bench data with set-based SQL (one INSERT … SELECT generate_series per table and size) and
 * checks the counts. Runs on a fresh, seeded database that nothing else is using, so no transaction.
 */
async function insertBenchData(url: string): Promise<BenchData> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const communities = await sql<{ id: number; kind: string }[]>`select id, kind from areas where id in (${PAGE_COMMUNITY}, ${LONG_LIST_COMMUNITY}, ${SHORT_LIST_COMMUNITY})`;
    for (const id of [PAGE_COMMUNITY, LONG_LIST_COMMUNITY, SHORT_LIST_COMMUNITY]) {
      if (communities.find((c) => c.id === id)?.kind !== "community") throw new Error(`the seed has no community with id ${id}; server/demo/seed.ts changed?`);
    }
    const [cat] = await sql<{ id: number }[]>`select min(id)::int as id from categories`;
    // the seed's committee member of community 4 proposes (as in seed matter 2) and acts on every timeline entry
    const [staff] = await sql<{ id: number }[]>`select coalesce((select id from users where username = 'committee_a'), (select min(id) from users))::int as id`;
    if (!cat?.id || !staff?.id) throw new Error("the seed has no categories or no users");

    // residents: users + verified memberships of community 4; the first few also live in 5 and 6 (they co-sign the listed matters)
    await sql`
      insert into users (username, display_name, password_hash)
      select 'bench_' || lpad(g::text, 4, '0'), '居民' || lpad(g::text, 4, '0'), 'bench-no-login'
      from generate_series(1, ${RESIDENTS}::int) g`;
    const residents = sql`select id from users where username like 'bench\\_%'`;
    await sql`
      insert into memberships (user_id, community_id, status, address, decided_by, decided_at)
      select id, ${PAGE_COMMUNITY}::int, 'verified', '基准小区 ' || id || ' 号', ${staff.id}::int, now() from (${residents}) r`;
    await sql`
      insert into memberships (user_id, community_id, status, address, decided_at)
      select r.id, c.id, 'verified', '基准小区 ' || r.id || ' 号', now()
      from (${residents} order by id limit ${LIST_COSIGNS}::int) r cross join (values (${LONG_LIST_COMMUNITY}::int), (${SHORT_LIST_COMMUNITY}::int)) c(id)`;

    // the two matter pages: same text, same timeline, only the number of co-signers differs
    const description = Array.from({ length: 6 }, (_, i) => `第 ${i + 1} 段：小区东侧道路长期积水，雨天老人孩子出行不便，排水管道老化堵塞，需要统一改造并明确日常维护责任。`).join("\n");
    const matterPage = async (size: string, cosigners: number) => {
      const [m] = await sql<{ id: number }[]>`
        insert into matters (community_id, proposer_id, state, title, description, category_id, affected_area, desired_outcome, form, cosign_count, submitted_at)
        values (${PAGE_COMMUNITY}, ${staff.id}, 'accepted', ${`基准议题（${size}）：东侧道路积水改造`}, ${description}, ${cat.id}, '东侧道路及 1–6 号楼',
                '改造排水管道，公示维护责任人和维护周期。', 'meeting', ${cosigners}, now() - interval '30 days')
        returning id`;
      await sql`
        insert into cosigns (matter_id, user_id, created_at)
        select ${m.id}::int, id, now() - interval '29 days' from (${residents} order by id limit ${cosigners}::int) r`;
      // co-signers follow the matter, as cosignMatter does
      await sql`
        insert into matter_follows (matter_id, user_id, created_at)
        select ${m.id}::int, id, now() - interval '29 days' from (${residents} order by id limit ${cosigners}::int) r`;
      await sql`
        insert into matter_events (matter_id, kind, to_state, actor_id, params, created_at)
        select ${m.id}::int,
               case g when 1 then 'submit' when 2 then 'accept' else 'materials' end,
               case g when 1 then 'under_review'::matter_state when 2 then 'accepted'::matter_state end,
               ${staff.id}::int,
               case when g > 2 then jsonb_build_object('title', '第 ' || lpad(g::text, 3, '0') || ' 份公示材料') else '{}'::jsonb end,
               now() - interval '1 minute' * (${TIMELINE_EVENTS}::int - g)
        from generate_series(1, ${TIMELINE_EVENTS}::int) g`;
      return m.id;
    };
    // both timelines get four-digit event ids (they are in the page's JSON), so the two bodies differ only in the count
    await sql`select setval(pg_get_serial_sequence('matter_events', 'id'), greatest(999, (select coalesce(max(id), 0) from matter_events)))`;
    const smallMatterId = await matterPage("小", FEW_COSIGNERS);
    const largeMatterId = await matterPage("大", MANY_COSIGNERS);

    // the lists: accepted matters with a few co-signs each, titles of one length
    const list = async (communityId: number, n: number) => {
      const ids = await sql<{ id: number }[]>`
        insert into matters (community_id, proposer_id, state, title, description, category_id, affected_area, desired_outcome, form, cosign_count, submitted_at, created_at, updated_at)
        select ${communityId}::int, ${staff.id}::int, 'accepted', '基准列表议题 ' || lpad(g::text, 4, '0') || '：公共设施维护', ${description}, ${cat.id}::int,
               '全社区', '明确维护责任。', 'meeting', ${LIST_COSIGNS}::int, now() - interval '1 hour' * (${n}::int - g), now() - interval '1 hour' * (${n}::int - g), now() - interval '1 hour' * (${n}::int - g)
        from generate_series(1, ${n}::int) g
        returning id`;
      const matterIds = ids.map((r) => r.id);
      await sql`
        insert into cosigns (matter_id, user_id)
        select m, r.id from unnest(${sql.array(matterIds)}::int[]) m cross join (${residents} order by id limit ${LIST_COSIGNS}::int) r`;
    };
    await list(LONG_LIST_COMMUNITY, LONG_LIST);
    await list(SHORT_LIST_COMMUNITY, SHORT_LIST);

    // discussions (issue 20): top-level comments by the residents in turn, stances in turn, bodies of one length;
    // on the large one, the newest top-level comment carries a thread of 300 replies (every third answers the reply before it)
    const [{ first }] = await sql<{ first: number }[]>`select min(id)::int as first from (${residents}) r`;
    const discussion = async (matterId: number, n: number, thread: number) => {
      const top = n - thread;
      await sql`
        insert into comments (matter_id, author_id, stance, body, agree_count, disagree_count, created_at)
        select ${matterId}::int, ${first}::int + (g % ${RESIDENTS}::int), (array['support','oppose','neutral','question'])[1 + g % 4]::comment_stance,
               '基准评论 ' || lpad(g::text, 4, '0') || '：排水改造要先做管网检测，再定施工时间，避免雨季开挖影响出行。', g % 7, g % 3,
               now() - interval '1 second' * (${n}::int - g) - interval '1 day'
        from generate_series(1, ${top}::int) g`;
      if (!thread) return;
      const [root] = await sql<{ id: number }[]>`select id from comments where matter_id = ${matterId}::int and thread_id is null order by created_at desc, id desc limit 1`;
      await sql`
        insert into comments (matter_id, author_id, stance, body, thread_id, reply_to_id, created_at)
        select ${matterId}::int, ${first}::int + (g % ${RESIDENTS}::int), (array['support','oppose','neutral','question'])[1 + g % 4]::comment_stance,
               '基准回复 ' || lpad(g::text, 4, '0') || '：排水改造要先做管网检测，再定施工时间，避免雨季开挖影响出行。', ${root.id}::int, ${root.id}::int,
               now() - interval '1 second' * (${thread}::int - g)
        from generate_series(1, ${thread}::int) g`;
      await sql`
        update comments c set reply_to_id = p.id from comments p
        where c.thread_id = ${root.id}::int and p.thread_id = ${root.id}::int and p.id = c.id - 1 and c.id % 3 = 0`;
      await sql`update comments set reply_count = ${thread}::int where id = ${root.id}::int`;
    };
    // on matters of their own, so the co-signer pages above measure what they did before
    const discussed = async (size: string) =>
      (
        await sql<{ id: number }[]>`
          insert into matters (community_id, proposer_id, state, title, description, category_id, affected_area, desired_outcome, form, submitted_at)
          values (${PAGE_COMMUNITY}, ${staff.id}, 'accepted', ${`基准讨论（${size}）：东侧道路积水改造`}, ${description}, ${cat.id}, '东侧道路及 1–6 号楼', '改造排水管道。', 'meeting', now() - interval '30 days')
          returning id`
      )[0].id;
    const commentsSmallMatterId = await discussed("小");
    const commentsLargeMatterId = await discussed("大");
    await discussion(commentsSmallMatterId, FEW_COMMENTS, 0);
    await discussion(commentsLargeMatterId, MANY_COMMENTS, LONG_THREAD);
    await sql`analyze`;

    const [counts] = await sql<Record<string, number>[]>`
      select
        (select count(*)::int from memberships where community_id = ${PAGE_COMMUNITY} and status = 'verified') as "verifiedResidents4",
        (select count(*)::int from cosigns where matter_id = ${smallMatterId}) as "cosignsSmall",
        (select count(*)::int from cosigns where matter_id = ${largeMatterId}) as "cosignsLarge",
        (select count(*)::int from matter_events where matter_id = ${smallMatterId}) as "eventsSmall",
        (select count(*)::int from matter_events where matter_id = ${largeMatterId}) as "eventsLarge",
        (select count(*)::int from matters where community_id = ${LONG_LIST_COMMUNITY} and state = 'accepted') as "acceptedMatters5",
        (select count(*)::int from matters where community_id = ${SHORT_LIST_COMMUNITY} and state = 'accepted') as "acceptedMatters6",
        (select count(*)::int from matters) as "matters",
        (select count(*)::int from cosigns) as "cosigns",
        (select count(*)::int from comments where matter_id = ${commentsSmallMatterId}) as "commentsSmall",
        (select count(*)::int from comments where matter_id = ${commentsLargeMatterId}) as "commentsLarge",
        (select max(reply_count)::int from comments where matter_id = ${commentsLargeMatterId}) as "longestThread",
        (select count(*)::int from users) as "users"`;
    const expect = (key: string, n: number) => {
      if (counts[key] !== n) throw new Error(`bench data: expected ${key} = ${n}, found ${counts[key]}`);
    };
    expect("cosignsSmall", FEW_COSIGNERS);
    expect("cosignsLarge", MANY_COSIGNERS);
    expect("eventsSmall", TIMELINE_EVENTS);
    expect("eventsLarge", TIMELINE_EVENTS);
    expect("acceptedMatters5", LONG_LIST);
    expect("acceptedMatters6", SHORT_LIST);
    expect("commentsSmall", FEW_COMMENTS);
    expect("commentsLarge", MANY_COMMENTS);
    expect("longestThread", LONG_THREAD);
    if (counts.verifiedResidents4 < RESIDENTS) throw new Error(`bench data: only ${counts.verifiedResidents4} verified residents in community ${PAGE_COMMUNITY}`);
    return { smallMatterId, largeMatterId, commentsSmallMatterId, commentsLargeMatterId, rows: counts };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function alive(child: Child, label: string) {
  if (!isRunning(child)) throw new Error(`${label} server died during the run:\n${child.tail()}`);
}

/** Warm-up on every URL, then per URL a closed-loop run and a fixed-rate run, with the server's CPU per request. */
async function measure(ctx: ScenarioContext, label: string, server: Running, urls: string[], bytes: Record<string, number>, t: Timing): Promise<TargetResult> {
  const { child, origin } = server;
  const warmup: Record<string, LoadStats> = {};
  for (const url of urls) {
    ctx.log(`${label}: warm-up ${url} (${t.warmupS} s)`);
    warmup[url] = await closedLoop(origin + url, CONNECTIONS, t.warmupS);
    alive(child, label);
  }
  const pages: Record<string, PageRun> = {};
  for (const url of urls) {
    ctx.log(`${label}: ${url} closed loop, ${CONNECTIONS} connections (${t.runS} s)`);
    const throughput = await withServerCpu(child.pid, () => closedLoop(origin + url, CONNECTIONS, t.runS));
    alive(child, label);
    ctx.log(`${label}: ${url} at ${RATE} req/s offered (${t.runS} s)`);
    const rate = await withServerCpu(child.pid, () => fixedRate(origin + url, RATE, RATE_CONNECTIONS, t.runS));
    alive(child, label);
    pages[url] = { throughput, fixedRate: rate };
  }
  return { bytes, warmup, pages, serverWarnings: child.warnings() };
}

const allStats = (r: TargetResult) => [...Object.values(r.warmup), ...Object.values(r.pages).flatMap((p) => [p.throughput, p.fixedRate])];

/** large/small time per request, as 1/throughput: small req/s ÷ large req/s. */
const timeRatio = (small: PageRun | undefined, large: PageRun | undefined) => {
  const s = small?.throughput.reqPerSec;
  const l = large?.throughput.reqPerSec;
  return s && l ? Number((s / l).toPrecision(3)) : null;
};

const cpuRatio = (small: PageRun | undefined, large: PageRun | undefined) => {
  const s = small?.throughput.serverCpuMsPerReq;
  const l = large?.throughput.serverCpuMsPerReq;
  return s && l ? Number((l / s).toPrecision(3)) : null;
};

const fmtRatio = (r: number | null | undefined) => (r === null || r === undefined ? null : r.toPrecision(3));

const CHECK_NAMES = {
  pageRatio: "matter page large/small time ratio",
  listRatio: "list large/small time ratio",
  pageP99: `matter page (1,000 co-signers) p99 @${RATE} req/s`,
  commentsRatio: "comments first page 5,000/10 comments time ratio",
  commentsP99: `comments first page (5,000 comments) p99 @${RATE} req/s`,
  listP99: `list (1,000 matters) p99 @${RATE} req/s`,
  non2xx: "non-2xx responses",
};

const scenario: Scenario = {
  name: "matters",
  description: `GET a matter page (10 vs 1,000 co-signers), a matter list (10 vs 1,000 matters) and a discussion's first page (10 vs 5,000 comments) on PostgreSQL vs a bare node:http server`,
  async run(ctx) {
    const t: Timing = ctx.quick ? { warmupS: 1, runS: 2 } : { warmupS: 2, runS: 8 };

    ctx.log(`preparing PostgreSQL database "${BENCH_DB}"`);
    const pg = await freshDatabase(serverUrl(), BENCH_DB);
    if (!pg.ok) {
      ctx.log(`SKIPPING: ${pg.reason}`);
      const checks: Check[] = [
        atMost(CHECK_NAMES.pageRatio, null, 1.2),
        atMost(CHECK_NAMES.listRatio, null, 1.2),
        atMost(CHECK_NAMES.pageP99, null, 100, "ms"),
        atMost(CHECK_NAMES.listP99, null, 100, "ms"),
        atMost(CHECK_NAMES.commentsRatio, null, 1.2),
        atMost(CHECK_NAMES.commentsP99, null, 100, "ms"),
        exactly(CHECK_NAMES.non2xx, null, 0),
      ];
      return { results: { skipped: pg.reason }, checks, tables: [`matters: skipped — ${pg.reason}`] };
    }
    ctx.defer(pg.drop);
    const env = appEnv({ databaseUrl: pg.url });
    await prepareDatabase(ctx.root, env, "PostgreSQL");
    ctx.log("inserting bench data (residents, co-signs, timelines, lists)");
    const seedStarted = performance.now();
    const data = await insertBenchData(pg.url);
    ctx.log(`bench data in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: ${JSON.stringify(data.rows)}`);

    const PAGE_SMALL = `/matters/${data.smallMatterId}`;
    const PAGE_LARGE = `/matters/${data.largeMatterId}`;
    const LIST_SMALL = `/communities/${SHORT_LIST_COMMUNITY}/matters`;
    const LIST_LARGE = `/communities/${LONG_LIST_COMMUNITY}/matters`;
    const COMMENTS_SMALL = `/matters/${data.commentsSmallMatterId}/comments`;
    const COMMENTS_LARGE = `/matters/${data.commentsLargeMatterId}/comments`;
    const urls = [PAGE_SMALL, PAGE_LARGE, LIST_SMALL, LIST_LARGE, COMMENTS_SMALL, COMMENTS_LARGE];

    ctx.log("starting the built app");
    const app = await startApp(ctx.root, env, "postgres");
    ctx.defer(() => app.child.stop());
    ctx.log(`first 200 after ${app.firstOkMs.toFixed(0)} ms, pid ${app.child.pid}`);

    // every URL must answer 200 with the page it should be, before any load
    const bodies: Record<string, string> = {};
    for (const url of urls) bodies[url] = await getOk(app.origin + url);
    const expectIn = (url: string, needle: string, what: string) => {
      if (!bodies[url].includes(needle)) throw new Error(`GET ${url} answered 200 but without ${what} (${JSON.stringify(needle)})`);
    };
    expectIn(PAGE_SMALL, "基准议题（小）", "the matter's title");
    expectIn(PAGE_LARGE, "基准议题（大）", "the matter's title");
    expectIn(PAGE_LARGE, "第 200 份公示材料", "the last timeline entry");
    expectIn(LIST_LARGE, "基准列表议题 1000", "the newest matter");
    expectIn(LIST_LARGE, "page=2", "a link to page 2");
    expectIn(LIST_SMALL, "基准列表议题 0001", "the oldest matter");
    expectIn(COMMENTS_LARGE, "查看全部 300 条回复", "the long thread with its link to all replies");
    expectIn(COMMENTS_LARGE, "page=2", "a link to page 2 of the discussion");
    expectIn(COMMENTS_SMALL, "基准评论 0001", "the oldest comment");
    if (bodies[LIST_SMALL].includes("page=2")) throw new Error(`GET ${LIST_SMALL} links to a page 2, but the community has only ${SHORT_LIST} matters`);
    const bytes = Object.fromEntries(urls.map((u) => [u, Buffer.byteLength(bodies[u])]));

    const appResult = await measure(ctx, "postgres", app, urls, bytes, t);
    await app.child.stop();

    // baseline: the small matter page's bytes, served by bare node:http (as home.ts does with its home page)
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "yishi-bench-"));
    const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
    const forget = onAbort(removeTmp);
    ctx.defer(() => {
      forget();
      removeTmp();
    });
    const baseBody = bodies[PAGE_SMALL];
    ctx.log(`baseline: starting bare node:http with the ${Buffer.byteLength(baseBody)}-byte small matter page`);
    const baseServer = await startBaseline(ctx.root, baseBody, tmp);
    ctx.defer(() => baseServer.child.stop());
    const baseline = await measure(ctx, "baseline", baseServer, ["/"], { "/": Buffer.byteLength(baseServer.firstBody) }, t);
    await baseServer.child.stop();

    const p = appResult.pages;
    const ratios = {
      matterPage: { timeRatio: timeRatio(p[PAGE_SMALL], p[PAGE_LARGE]), cpuRatio: cpuRatio(p[PAGE_SMALL], p[PAGE_LARGE]) },
      list: { timeRatio: timeRatio(p[LIST_SMALL], p[LIST_LARGE]), cpuRatio: cpuRatio(p[LIST_SMALL], p[LIST_LARGE]) },
      comments: { timeRatio: timeRatio(p[COMMENTS_SMALL], p[COMMENTS_LARGE]), cpuRatio: cpuRatio(p[COMMENTS_SMALL], p[COMMENTS_LARGE]) },
    };
    const non2xx = allStats(appResult).reduce((n, s) => n + s.non2xx, 0);
    const errors = allStats(appResult).reduce((n, s) => n + s.errors, 0);

    const checks: Check[] = [
      atMost(CHECK_NAMES.pageRatio, ratios.matterPage.timeRatio, 1.2),
      atMost(CHECK_NAMES.listRatio, ratios.list.timeRatio, 1.2),
      atMost(CHECK_NAMES.pageP99, p[PAGE_LARGE]?.fixedRate.p99, 100, "ms"),
      atMost(CHECK_NAMES.listP99, p[LIST_LARGE]?.fixedRate.p99, 100, "ms"),
      atMost(CHECK_NAMES.commentsRatio, ratios.comments.timeRatio, 1.2),
      atMost(CHECK_NAMES.commentsP99, p[COMMENTS_LARGE]?.fixedRate.p99, 100, "ms"),
      exactly(CHECK_NAMES.non2xx, non2xx, 0),
    ];

    const labels: Record<string, string> = {
      [PAGE_SMALL]: `matter page, ${FEW_COSIGNERS} co-signers`,
      [PAGE_LARGE]: `matter page, ${MANY_COSIGNERS.toLocaleString("en-US")} co-signers`,
      [LIST_SMALL]: `list, ${SHORT_LIST} matters`,
      [LIST_LARGE]: `list, ${LONG_LIST.toLocaleString("en-US")} matters`,
      [COMMENTS_SMALL]: `comments, ${FEW_COMMENTS}`,
      [COMMENTS_LARGE]: `comments, ${MANY_COMMENTS.toLocaleString("en-US")} (thread of ${LONG_THREAD})`,
    };
    const row = (target: string, url: string, r: TargetResult, ratio: string | null) => {
      const run = r.pages[url];
      return [
        target,
        url,
        r.bytes[url] ?? null,
        run.throughput.reqPerSec,
        run.throughput.p50,
        run.throughput.p99,
        run.throughput.serverCpuMsPerReq ?? null,
        run.fixedRate.reqPerSec,
        run.fixedRate.p50,
        run.fixedRate.p99,
        ratio,
        run.throughput.non2xx + run.fixedRate.non2xx + (r.warmup[url]?.non2xx ?? 0),
      ];
    };
    const speed = formatTable(
      `GET, PostgreSQL, unauthenticated; closed loop ${CONNECTIONS} conns / open loop ${RATE} req/s over ${RATE_CONNECTIONS} conns, ${t.runS} s each after ${t.warmupS} s warm-up; latencies in ms; CPU ms/req = server process CPU time per request; body = bytes uncompressed.\n` +
        `large/small = time per request as 1/throughput (small req/s @${CONNECTIONS}c ÷ large req/s @${CONNECTIONS}c), on the large row`,
      ["target", "URL", "body B", `req/s @${CONNECTIONS}c`, "p50", "p99", "CPU ms/req", `req/s @${RATE} offered`, `p50 @${RATE}`, `p99 @${RATE}`, "large/small", "non-2xx"],
      [
        row("baseline", "/", baseline, null),
        row(labels[PAGE_SMALL], PAGE_SMALL, appResult, null),
        row(labels[PAGE_LARGE], PAGE_LARGE, appResult, fmtRatio(ratios.matterPage.timeRatio)),
        row(labels[LIST_SMALL], LIST_SMALL, appResult, null),
        row(labels[LIST_LARGE], LIST_LARGE, appResult, fmtRatio(ratios.list.timeRatio)),
        row(labels[COMMENTS_SMALL], COMMENTS_SMALL, appResult, null),
        row(labels[COMMENTS_LARGE], COMMENTS_LARGE, appResult, fmtRatio(ratios.comments.timeRatio)),
      ],
      "llrrrrrrrrrr",
    );
    const ratioTable = formatTable(
      "large/small: time per request (1/throughput, the checked one) and server CPU ms per request (steadier on a busy machine), closed loop",
      ["pair", "time ratio (1/throughput)", "CPU ms/req ratio", "body bytes large/small"],
      [
        ["matter page 1,000 vs 10 co-signers", fmtRatio(ratios.matterPage.timeRatio), fmtRatio(ratios.matterPage.cpuRatio), `${bytes[PAGE_LARGE]} / ${bytes[PAGE_SMALL]}`],
        ["list 1,000 vs 10 matters", fmtRatio(ratios.list.timeRatio), fmtRatio(ratios.list.cpuRatio), `${bytes[LIST_LARGE]} / ${bytes[LIST_SMALL]}`],
        ["comments 5,000 vs 10", fmtRatio(ratios.comments.timeRatio), fmtRatio(ratios.comments.cpuRatio), `${bytes[COMMENTS_LARGE]} / ${bytes[COMMENTS_SMALL]}`],
      ],
    );

    return {
      results: {
        settings: {
          nodeEnv: "production",
          logLevel: "warn",
          driver: "postgres",
          connections: CONNECTIONS,
          offeredRate: RATE,
          rateConnections: RATE_CONNECTIONS,
          warmupSeconds: t.warmupS,
          runSeconds: t.runS,
          quick: ctx.quick,
          compression: "none (no Accept-Encoding sent)",
          loadGenerator: "autocannon, in the runner process on the same machine",
          ratioMeasure: "time per request as 1/throughput at 50 connections (small req/s ÷ large req/s)",
        },
        data: { ...data.rows, smallMatterId: data.smallMatterId, largeMatterId: data.largeMatterId },
        urls: { pageSmall: PAGE_SMALL, pageLarge: PAGE_LARGE, listSmall: LIST_SMALL, listLarge: LIST_LARGE, commentsSmall: COMMENTS_SMALL, commentsLarge: COMMENTS_LARGE },
        firstOkMs: round(app.firstOkMs, 0),
        baseline,
        postgres: appResult,
        ratios,
        non2xx,
        connectionErrors: errors,
      },
      checks,
      tables: [speed, ratioTable],
    };
  },
};

export default scenario;
