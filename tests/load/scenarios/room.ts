/**
 * `room`: 500 socket.io clients in one deliberation room (400 observers, 100 panel members) on
 * PostgreSQL; panel members post 10 statements a second for 60 s through `room:act` (each stored
 * with its seq before it is broadcast); every client counts what it got and when. The same clients,
 * payloads and rate then run against a bare socket.io server (servers/room-baseline.ts) in the same
 * run. Then a reconnect storm on the app: statements keep coming while all 500 clients drop within
 * 2 s and reconnect, each re-joining with its last seq; all must end with every statement, once.
 *
 * Clients behave like the browser hook: events are applied strictly in seq order; a gap that stays
 * open 800 ms, or a reconnect, re-joins with `since` = last seq. Latency is send → first delivery,
 * measured in this process (send time and receive time on the same clock).
 *
 * Goals (from the issue): 0 lost; p99 ≤ 50 ms and ≤ 3× the bare run's p99; server CPU per delivery
 * reported beside the bare run's; after the storm every client has caught up.
 *
 * Data goes in with plain SQL after prepare.js: the 500 users as verified residents of community 4,
 * one session each (the token stays here, its sha256 is the row's id), a panel matter in
 * `deliberating` with 100 accepted panel seats, and an open room session with one agenda item, as
 * the open command would leave it.
 */
import { createHash, randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import postgres from "postgres";
import { io as connect, type Socket } from "socket.io-client";
import { freshDatabase, serverUrl } from "../lib/postgres";
import { cpuTimeMs, freePort, isRunning, start, waitFor200, type Child } from "../lib/processes";
import { atMost, exactly, formatTable, round } from "../lib/report";
import { percentile } from "../lib/requests";
import { appEnv, prepareDatabase, startApp } from "../lib/servers";
import type { Check, Scenario, ScenarioContext } from "../lib/types";

const BENCH_DB = "yishi_bench_room";
const COMMUNITY = 4;
const PANEL = 100;
const OBSERVERS = 400;
const RATE = 10;
const STORM_WINDOW_MS = 2000;
const SESSION_COOKIE = "yishi_session";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Seat {
  token: string;
  panel: boolean;
}

export async function insertBenchData(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [community] = await sql<{ kind: string }[]>`select kind from areas where id = ${COMMUNITY}`;
    if (community?.kind !== "community") throw new Error(`the seed has no community with id ${COMMUNITY}`);
    const [cat] = await sql<{ id: number }[]>`select min(id)::int as id from categories`;
    const [staff] = await sql<{ id: number }[]>`select coalesce((select id from users where username = 'committee_a'), (select min(id) from users))::int as id`;
    const n = PANEL + OBSERVERS;
    await sql`
      insert into users (username, display_name, password_hash)
      select 'room_' || lpad(g::text, 4, '0'), '参会人' || lpad(g::text, 4, '0'), 'bench-no-login' from generate_series(1, ${n}::int) g`;
    const users = await sql<{ id: number }[]>`select id from users where username like 'room\\_%' order by username`;
    await sql`
      insert into memberships (user_id, community_id, status, address, decided_by, decided_at)
      select id, ${COMMUNITY}::int, 'verified', '基准小区', ${staff.id}::int, now() from users where username like 'room\\_%'`;
    const tokens = users.map(() => randomBytes(32).toString("base64url"));
    await sql`
      insert into sessions (id, user_id, created_at, last_seen_at, expires_at)
      select s.id, s.user_id, now(), now(), now() + interval '1 day'
      from unnest(${sql.array(tokens.map(sha256))}::text[], ${sql.array(users.map((u) => u.id))}::int[]) as s(id, user_id)`;
    const [matter] = await sql<{ id: number }[]>`
      insert into matters (community_id, proposer_id, state, title, description, category_id, affected_area, desired_outcome, form, submitted_at, materials_published_at)
      values (${COMMUNITY}, ${staff.id}, 'deliberating', '基准议事：东侧道路积水改造', '小区东侧道路长期积水，需要统一改造。', ${cat.id}, '东侧道路', '改造排水管道', 'panel', now() - interval '40 days', now() - interval '30 days')
      returning id`;
    const panelIds = users.slice(0, PANEL).map((u) => u.id);
    await sql`
      insert into panel_members (matter_id, user_id, source, status, respond_by, invited_at, responded_at)
      select ${matter.id}::int, u, 'lottery', 'accepted', now(), now(), now() from unnest(${sql.array(panelIds)}::int[]) as u`;
    const [session] = await sql<{ id: number }[]>`
      insert into room_sessions (matter_id, scheduled_at, moderator_id, status, opened_at, checkin_code, created_by, created_at, item_started_at)
      values (${matter.id}, now(), ${staff.id}, 'open', now(), '123456', ${staff.id}, now(), now()) returning id`;
    const [item] = await sql<{ id: number }[]>`
      insert into room_agenda_items (session_id, position, title, minutes, started_at) values (${session.id}, 1, '讨论方案', 60, now()) returning id`;
    await sql`update room_sessions set current_item_id = ${item.id} where id = ${session.id}`;
    await sql`analyze`;
    const seats: Seat[] = tokens.map((token, i) => ({ token, panel: i < PANEL }));
    return { sessionId: session.id, seats };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** One bench client: ordered application by seq, gap and reconnect resync, latency of first delivery. */
class Client {
  socket: Socket;
  head = 0;
  got = new Set<number>();
  duplicates = 0;
  resyncs = 0;
  private pending = new Map<number, { seq: number; payload?: { statement?: { body?: string } } }>();
  private gapTimer: NodeJS.Timeout | undefined;

  constructor(
    origin: string,
    public seat: Seat,
    private sessionId: number,
    private onFirst: (body: string) => void,
  ) {
    this.socket = connect(origin, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 500,
      extraHeaders: { Origin: origin, Cookie: `${SESSION_COOKIE}=${seat.token}` },
    });
    this.socket.on("room:event", (e: { sessionId: number; seq: number; payload?: { statement?: { body?: string } } }) => {
      if (e.sessionId === this.sessionId) this.take([e], true);
    });
    this.socket.io.on("reconnect", () => void this.join());
  }

  private take(events: { seq: number; payload?: { statement?: { body?: string } } }[], live: boolean) {
    for (const e of events) {
      if (e.seq <= this.head || this.pending.has(e.seq)) {
        this.duplicates++;
        continue;
      }
      if (live && e.payload?.statement?.body) this.onFirst(e.payload.statement.body);
      this.pending.set(e.seq, e);
    }
    while (this.pending.has(this.head + 1)) {
      this.pending.delete(this.head + 1);
      this.head++;
      this.got.add(this.head);
    }
    if (this.pending.size && !this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        if (this.pending.size) void this.join();
      }, 800);
    }
  }

  connected() {
    return new Promise<void>((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once("connect", () => resolve());
      this.socket.once("connect_error", (e) => reject(e));
    });
  }

  async join() {
    this.resyncs++;
    // a join answers one page of the log; follow on while there is more
    for (;;) {
      const since = this.head;
      const r = await this.socket.timeout(20_000).emitWithAck("room:join", { sessionId: this.sessionId, since });
      if (!r.ok) throw new Error(`join refused: ${JSON.stringify(r.error)}`);
      this.take(r.data.events, false);
      if (!r.data.more || this.head <= since) return;
    }
  }

  close() {
    clearTimeout(this.gapTimer);
    this.socket.disconnect();
  }
}

interface PhaseResult {
  statements: number;
  expectedDeliveries: number;
  delivered: number;
  lost: number;
  duplicatesDropped: number;
  latency: { p50: number | null; p99: number | null; max: number | null; samples: number };
  ackP99: number | null;
  failedPosts: number;
  serverCpuMs: number | null;
  cpuUsPerDelivery: number | null;
  caughtUp: number;
  catchUpMs?: number | null;
}

/** Connects every client (in batches) and joins the room. */
async function connectAll(ctx: ScenarioContext, origin: string, seats: Seat[], sessionId: number, onFirst: (body: string) => void) {
  const clients: Client[] = [];
  for (let i = 0; i < seats.length; i += 50) {
    const batch = seats.slice(i, i + 50).map((s) => new Client(origin, s, sessionId, onFirst));
    await Promise.all(batch.map((c) => c.connected()));
    await Promise.all(batch.map((c) => c.join()));
    clients.push(...batch);
  }
  ctx.log(`${clients.length} clients joined`);
  return clients;
}

/**
 * Posts RATE statements a second for `seconds` from the panel clients (round robin), each with its
 * own key, retried with the same key when unanswered. Calls `during(t)` once after `duringAtMs`.
 */
async function postAtRate(senders: Client[], sessionId: number, tag: string, seconds: number, sentAt: Map<string, number>, ackMs: number[], firstIndex: number) {
  const total = seconds * RATE;
  const t0 = performance.now();
  let failed = 0;
  const posts: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const n = firstIndex + i;
    const body = `${tag}#${n} 基准发言：排水管道应当先行改造，费用按户分摊并公示，维护责任落实到人。`;
    const sender = senders[n % senders.length];
    const key = `bench-${tag}-${n}`.slice(0, 64);
    posts.push(
      (async () => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const s0 = performance.now();
          if (attempt === 0) sentAt.set(body, s0);
          try {
            const r = await sender.socket.timeout(5000).emitWithAck("room:act", { sessionId, action: { intent: "post", key, stance: "support", body } });
            if (r.ok) {
              ackMs.push(performance.now() - s0);
              return;
            }
            failed++;
            return;
          } catch {
            await sleep(200);
          }
        }
        failed++;
      })(),
    );
  }
  await Promise.all(posts);
  return { total, failed };
}

async function waitAll(clients: Client[], head: number, ms: number) {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (clients.every((c) => c.head >= head)) return performance.now() - t0;
    await sleep(50);
  }
  return null;
}

async function steadyPhase(ctx: ScenarioContext, label: string, child: Child, origin: string, seats: Seat[], sessionId: number, seconds: number): Promise<{ result: PhaseResult; clients: Client[]; sentAt: Map<string, number>; lat: number[] }> {
  const sentAt = new Map<string, number>();
  const lat: number[] = [];
  const clients = await connectAll(ctx, origin, seats, sessionId, (body) => {
    const s = sentAt.get(body);
    if (s !== undefined) lat.push(performance.now() - s);
  });
  await sleep(1000); // presence settles
  const senders = clients.filter((c) => c.seat.panel);
  const ackMs: number[] = [];
  const cpu0 = cpuTimeMs(child.pid);
  ctx.log(`${label}: ${RATE} statements/s for ${seconds} s to ${clients.length} clients`);
  const { total, failed } = await postAtRate(senders, sessionId, label, seconds, sentAt, ackMs, 1);
  await waitAll(clients, total, 10_000);
  const cpu1 = cpuTimeMs(child.pid);
  if (!isRunning(child)) throw new Error(`${label} server died:\n${child.tail()}`);
  return { result: summarise(clients, total, lat, ackMs, failed, cpu0, cpu1), clients, sentAt, lat };
}

function summarise(clients: Client[], total: number, lat: number[], ackMs: number[], failed: number, cpu0: number | null, cpu1: number | null, upTo = total): PhaseResult {
  const delivered = clients.reduce((a, c) => a + [...c.got].filter((s) => s <= upTo).length, 0);
  const expected = clients.length * upTo;
  const sorted = [...lat].sort((a, b) => a - b);
  const acks = [...ackMs].sort((a, b) => a - b);
  const cpu = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
  return {
    statements: total,
    expectedDeliveries: expected,
    delivered,
    lost: expected - delivered,
    duplicatesDropped: clients.reduce((a, c) => a + c.duplicates, 0),
    latency: { p50: round(percentile(sorted, 50), 1), p99: round(percentile(sorted, 99), 1), max: round(sorted.at(-1) ?? null, 1), samples: sorted.length },
    ackP99: round(percentile(acks, 99), 1),
    failedPosts: failed,
    serverCpuMs: round(cpu, 0),
    cpuUsPerDelivery: cpu !== null && delivered ? round((cpu * 1000) / delivered, 2) : null,
    caughtUp: clients.filter((c) => c.head >= upTo).length,
  };
}

async function startRoomBaseline(root: string): Promise<{ child: Child; origin: string }> {
  const script = path.join(root, "build", "bench", "room-baseline.mjs");
  await build({ entryPoints: [path.join(import.meta.dirname, "../servers/room-baseline.ts")], outfile: script, platform: "node", format: "esm", target: "node20", bundle: true, packages: "external", logLevel: "warning" });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = start(process.execPath, [script], { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: String(port) }, label: "room baseline" });
  await waitFor200(`${origin}/`, child, { intervalMs: 25, timeoutMs: 20_000 });
  return { child, origin };
}

function skipped(reason: string) {
  const checks: Check[] = [exactly("room: lost deliveries", null, 0), atMost("room: p99 end-to-end", null, 50, " ms")];
  return { results: { skipped: reason }, checks, tables: [`room: skipped — ${reason}`] };
}

const scenario: Scenario = {
  name: "room",
  description: "500 socket clients in one room (100 panel, 400 observers), 10 statements/s persisted on PostgreSQL, vs bare socket.io; reconnect storm",
  async run(ctx) {
    const seconds = ctx.quick ? 10 : 60;
    const stormSeconds = ctx.quick ? 6 : 15;
    const pg = await freshDatabase(serverUrl(), BENCH_DB);
    if (!pg.ok) return skipped(pg.reason);
    ctx.defer(pg.drop);
    const env = appEnv({ databaseUrl: pg.url });
    await prepareDatabase(ctx.root, env, "PostgreSQL");
    const data = await insertBenchData(pg.url);
    ctx.log(`bench data: session ${data.sessionId}, ${PANEL} panel + ${OBSERVERS} observers`);

    // the bare socket.io run first, same clients, payloads and rate
    const base = await startRoomBaseline(ctx.root);
    ctx.defer(() => base.child.stop());
    const bare = await steadyPhase(ctx, "bare", base.child, base.origin, data.seats, data.sessionId, seconds);
    for (const c of bare.clients) c.close();
    await base.child.stop();

    const app = await startApp(ctx.root, env, "app (PostgreSQL)");
    ctx.defer(() => app.child.stop());
    const room = await steadyPhase(ctx, "room", app.child, app.origin, data.seats, data.sessionId, seconds);

    // reconnect storm: statements keep coming; every client drops once within 2 s and re-joins with its last seq
    ctx.log(`storm: ${stormSeconds} s of statements; all ${room.clients.length} clients drop within ${STORM_WINDOW_MS / 1000} s`);
    const senders = room.clients.filter((c) => c.seat.panel);
    const stormAck: number[] = [];
    const latBefore = room.lat.length;
    const cpu0 = cpuTimeMs(app.child.pid);
    const sending = postAtRate(senders, data.sessionId, "storm", stormSeconds, room.sentAt, stormAck, 1_000_000);
    await sleep(2000);
    const drops = room.clients.map((c) => sleep(Math.random() * STORM_WINDOW_MS).then(() => c.socket.io.engine.close()));
    await Promise.all(drops);
    const sent = await sending;
    const totalAll = room.result.statements + sent.total;
    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    // the clients must end with everything the room stored (a post that failed is counted apart)
    const [{ head }] = await sql<{ head: number }[]>`select last_seq as head from room_sessions where id = ${data.sessionId}`;
    const catchUpMs = await waitAll(room.clients, head, 30_000);
    const cpu1 = cpuTimeMs(app.child.pid);
    const storm = summarise(room.clients, sent.total, room.lat.slice(latBefore), stormAck, sent.failed, cpu0, cpu1, head);
    storm.catchUpMs = round(catchUpMs, 0);

    const [stored] = await sql<{ statements: number; distinctSeqs: number; maxSeq: number; events: number }[]>`
      select (select count(*)::int from room_statements where session_id = ${data.sessionId}) as statements,
             (select count(distinct seq)::int from room_events where session_id = ${data.sessionId}) as "distinctSeqs",
             (select coalesce(max(seq), 0)::int from room_events where session_id = ${data.sessionId}) as "maxSeq",
             (select count(*)::int from room_events where session_id = ${data.sessionId}) as events`;
    await sql.end({ timeout: 5 });
    for (const c of room.clients) c.close();

    const ratio = room.result.latency.p99 !== null && bare.result.latency.p99 ? round(room.result.latency.p99 / bare.result.latency.p99, 2) : null;
    const row = (label: string, r: PhaseResult) => [
      label,
      r.statements,
      r.expectedDeliveries,
      r.delivered,
      r.lost,
      r.latency.p50,
      r.latency.p99,
      r.latency.max,
      r.ackP99,
      r.serverCpuMs,
      r.cpuUsPerDelivery,
    ];
    const tables = [
      formatTable(
        `room: ${PANEL + OBSERVERS} clients in one room, ${RATE} statements/s (${os.cpus().length} CPUs; clients run in the bench process)`,
        ["run", "statements", "expected", "delivered", "lost", "p50 ms", "p99 ms", "max ms", "ack p99 ms", "server CPU ms", "CPU µs/delivery"],
        [row("bare socket.io", bare.result), row(`room (stored first, ${seconds} s)`, room.result), row(`storm (+${stormSeconds} s, all drop)`, storm)],
      ),
      formatTable("room: reconnect storm and storage", ["measure", "value"], [
        ["clients caught up after the storm", `${storm.caughtUp} / ${room.clients.length}`],
        ["time to catch up after the last statement", `${storm.catchUpMs ?? "—"} ms`],
        ["re-joins (joins + reconnects + gap resyncs)", room.clients.reduce((a, c) => a + c.resyncs, 0)],
        ["duplicates dropped by seq", storm.duplicatesDropped],
        ["statements stored / posted", `${stored.statements} / ${totalAll}`],
        ["events: count, distinct seqs, max seq", `${stored.events}, ${stored.distinctSeqs}, ${stored.maxSeq}`],
        ["room p99 / bare p99", ratio ?? "—"],
      ]),
    ];
    const checks: Check[] = [
      exactly("room: lost deliveries", room.result.lost, 0),
      exactly("room: failed posts", room.result.failedPosts + sent.failed, 0),
      exactly("room: statements stored = posted", stored.statements, totalAll),
      exactly("room: seqs contiguous (max seq = events = distinct)", stored.maxSeq === stored.events && stored.events === stored.distinctSeqs ? 1 : 0, 1),
      atMost("room: p99 end-to-end", room.result.latency.p99, 50, " ms"),
      atMost("room: p99 / bare p99", ratio, 3, "×"),
      exactly("storm: clients caught up", storm.caughtUp, room.clients.length),
      exactly("storm: lost deliveries", storm.lost, 0),
    ];
    return { results: { clients: PANEL + OBSERVERS, rate: RATE, seconds, stormSeconds, bare: bare.result, room: room.result, storm, stored, p99Ratio: ratio }, checks, tables };
  },
};

export default scenario;
