/**
 * `room-flood`: one member floods a deliberation room while everyone else goes on. 90 socket.io
 * clients (10 panel members who speak, 80 observers) are in one room on PostgreSQL; the speakers
 * post RATE statements a second. First a calm run (no flood), then the same with two flooders:
 * a panel member's socket sending `room:act` posts as fast as it can (200/s, connecting again
 * 100 ms after each time the server cuts it off), and an observer's socket sending 150 `room:join {since:0}` a second (the attack
 * from the issue: 2,000 posts accepted in 10 s; 150 joins returned 122 MB and pushed /healthz from
 * 3 ms to 12 s). /healthz is polled every 100 ms throughout.
 *
 * Goals (from the issue): the flooder is slowed to the per-user limit and disconnected; the
 * catch-up it can pull is bounded, across its reconnections; everyone else keeps their latency (p99 under flood within 2× the
 * calm run's, nothing lost, no post refused) and /healthz stays fast.
 *
 * Data: the `room` scenario's (500 users, 100 panel seats, an open session); this one uses 92 of them.
 */
import postgres from "postgres";
import { io as connect, type Socket } from "socket.io-client";
import { SOCKET_LIMITS } from "../../../server/realtime/limits";
import { freshDatabase, serverUrl } from "../lib/postgres";
import { cpuTimeMs, isRunning } from "../lib/processes";
import { atLeast, atMost, exactly, formatTable, mb, round } from "../lib/report";
import { percentile } from "../lib/requests";
import { appEnv, prepareDatabase, startApp } from "../lib/servers";
import type { Check, Scenario, ScenarioContext } from "../lib/types";
import { insertBenchData, type Seat } from "./room";

const BENCH_DB = "yishi_bench_room_flood";
const SPEAKERS = 10;
const OBSERVERS = 80;
const RATE = 5;
const FLOOD_POSTS_PER_SEC = 200;
const FLOOD_JOINS_PER_SEC = 150;
const SESSION_COOKIE = "yishi_session";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function socketOf(origin: string, seat: Seat, reconnection = false): Socket {
  return connect(origin, {
    transports: ["websocket"],
    forceNew: true,
    reconnection,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    extraHeaders: { Origin: origin, Cookie: `${SESSION_COOKIE}=${seat.token}` },
  });
}
const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    if (s.connected) return resolve();
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });

/** A well-behaved client: joins (following the log's pages) and notes when each measured statement first arrives. */
class Member {
  socket: Socket;
  bodies = new Set<string>();
  constructor(
    origin: string,
    public seat: Seat,
    private sessionId: number,
    onFirst: (body: string) => void,
  ) {
    this.socket = socketOf(origin, seat);
    this.socket.on("room:event", (e: { sessionId: number; payload?: { statement?: { body?: string } } }) => {
      const body = e.sessionId === sessionId ? e.payload?.statement?.body : undefined;
      if (body && !this.bodies.has(body)) {
        this.bodies.add(body);
        onFirst(body);
      }
    });
  }
  async join() {
    for (let since = 0; ; ) {
      const r = await this.socket.timeout(20_000).emitWithAck("room:join", { sessionId: this.sessionId, since });
      if (!r.ok) throw new Error(`join refused: ${JSON.stringify(r.error)}`);
      const last = r.data.events.at(-1)?.seq ?? since;
      if (!r.data.more || last <= since) return;
      since = last;
    }
  }
}

interface FloodStats {
  postsSent: number;
  postsAccepted: number;
  postsRefused: number;
  postDisconnects: number;
  joinsSent: number;
  joinsAnswered: number;
  joinsRefused: number;
  joinBytes: number;
  joinDisconnects: number;
}

/** The two flooders, until `stop()`: each reconnects when cut off and carries on. */
function startFlood(origin: string, poster: Seat, joiner: Seat, sessionId: number) {
  const st: FloodStats = { postsSent: 0, postsAccepted: 0, postsRefused: 0, postDisconnects: 0, joinsSent: 0, joinsAnswered: 0, joinsRefused: 0, joinBytes: 0, joinDisconnects: 0 };
  const p = socketOf(origin, poster, true);
  const j = socketOf(origin, joiner, true);
  // cut off by the server, a flooder connects again at once (socket.io only retries by itself after a network loss)
  let on = true;
  const again = (s: Socket) => (reason: string) => {
    if (s === p) st.postDisconnects++;
    else st.joinDisconnects++;
    if (on && reason === "io server disconnect") setTimeout(() => on && s.connect(), 100);
  };
  p.on("disconnect", again(p));
  j.on("disconnect", again(j));
  let n = 0;
  const postTimer = setInterval(() => {
    if (!p.connected) return;
    for (let i = 0; i < FLOOD_POSTS_PER_SEC / 100; i++) {
      st.postsSent++;
      p.emit("room:act", { sessionId, action: { intent: "post", stance: "support", body: `刷屏 ${n++}` } }, (r: { ok: boolean }) => (r.ok ? st.postsAccepted++ : st.postsRefused++));
    }
  }, 10);
  const joinTimer = setInterval(() => {
    if (!j.connected) return;
    for (let i = 0; i < FLOOD_JOINS_PER_SEC / 10; i++) {
      st.joinsSent++;
      j.emit("room:join", { sessionId, since: 0 }, (r: { ok: boolean }) => {
        st.joinBytes += Buffer.byteLength(JSON.stringify(r));
        if (r.ok) st.joinsAnswered++;
        else st.joinsRefused++;
      });
    }
  }, 100);
  return {
    stats: st,
    stop: () => {
      on = false;
      clearInterval(postTimer);
      clearInterval(joinTimer);
      p.disconnect();
      j.disconnect();
    },
  };
}

/** /healthz, one request at a time every `everyMs`, until stop(). */
function pollHealth(origin: string, everyMs = 100) {
  const ms: number[] = [];
  let failed = 0;
  let on = true;
  const done = (async () => {
    while (on) {
      const t0 = performance.now();
      try {
        const r = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(30_000) });
        await r.arrayBuffer();
        if (r.status !== 200) failed++;
      } catch {
        failed++;
      }
      ms.push(performance.now() - t0);
      await sleep(Math.max(0, everyMs - (performance.now() - t0)));
    }
  })();
  return {
    stop: async () => {
      on = false;
      await done;
      const sorted = [...ms].sort((a, b) => a - b);
      return { p50: round(percentile(sorted, 50), 1), p99: round(percentile(sorted, 99), 1), max: round(sorted.at(-1) ?? null, 1), samples: sorted.length, failed };
    },
  };
}

interface Phase {
  statements: number;
  expectedDeliveries: number;
  lost: number;
  failedPosts: number;
  latency: { p50: number | null; p99: number | null; max: number | null; samples: number };
  ackP99: number | null;
  healthz: { p50: number | null; p99: number | null; max: number | null; samples: number; failed: number };
  serverCpuMs: number | null;
  flood: FloodStats | null;
}

async function phase(ctx: ScenarioContext, origin: string, label: string, members: Member[], lat: number[], sentAt: Map<string, number>, sessionId: number, seconds: number, flood: (() => { stats: FloodStats; stop: () => void }) | null, pid: number): Promise<Phase> {
  lat.length = 0;
  const health = pollHealth(origin);
  const speakers = members.filter((m) => m.seat.panel);
  const cpu0 = cpuTimeMs(pid);
  const f = flood?.() ?? null;
  ctx.log(`${label}: ${RATE} statements/s from ${speakers.length} speakers to ${members.length} clients for ${seconds} s${f ? `; flooding ${FLOOD_POSTS_PER_SEC} posts/s and ${FLOOD_JOINS_PER_SEC} joins/s` : ""}`);
  const total = seconds * RATE;
  const acks: number[] = [];
  let failed = 0;
  const bodies: string[] = [];
  const posts: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    const body = `${label}#${i} 基准发言：排水管道应当先行改造，费用按户分摊并公示。`;
    bodies.push(body);
    const s = speakers[i % speakers.length];
    const s0 = performance.now();
    sentAt.set(body, s0);
    posts.push(
      s.socket
        .timeout(10_000)
        .emitWithAck("room:act", { sessionId, action: { intent: "post", key: `flood-${label}-${i}`, stance: "support", body } })
        .then(
          (r: { ok: boolean }) => (r.ok ? void acks.push(performance.now() - s0) : void failed++),
          () => void failed++,
        ),
    );
  }
  await Promise.all(posts);
  // give the last deliveries a moment
  const until = performance.now() + 5000;
  while (performance.now() < until && !members.every((m) => bodies.every((b) => m.bodies.has(b)))) await sleep(50);
  f?.stop();
  const cpu1 = cpuTimeMs(pid);
  const healthz = await health.stop();
  const delivered = members.reduce((a, m) => a + bodies.filter((b) => m.bodies.has(b)).length, 0);
  const sorted = [...lat].sort((a, b) => a - b);
  const ackSorted = [...acks].sort((a, b) => a - b);
  return {
    statements: total,
    expectedDeliveries: total * members.length,
    lost: total * members.length - delivered,
    failedPosts: failed,
    latency: { p50: round(percentile(sorted, 50), 1), p99: round(percentile(sorted, 99), 1), max: round(sorted.at(-1) ?? null, 1), samples: sorted.length },
    ackP99: round(percentile(ackSorted, 99), 1),
    healthz,
    serverCpuMs: cpu0 !== null && cpu1 !== null ? round(cpu1 - cpu0, 0) : null,
    flood: f ? { ...f.stats } : null,
  };
}

function skipped(reason: string) {
  const checks: Check[] = [atMost("others: p99 under flood / calm p99", null, 2, "×")];
  return { results: { skipped: reason }, checks, tables: [`room-flood: skipped — ${reason}`] };
}

const scenario: Scenario = {
  name: "room-flood",
  description: "one member floods a room (200 posts/s, 150 joins/s) while 90 others talk; their latency and /healthz against a calm run",
  async run(ctx) {
    const seconds = ctx.quick ? 6 : 20;
    const pg = await freshDatabase(serverUrl(), BENCH_DB);
    if (!pg.ok) return skipped(pg.reason);
    ctx.defer(pg.drop);
    const env = appEnv({ databaseUrl: pg.url });
    await prepareDatabase(ctx.root, env, "PostgreSQL");
    const data = await insertBenchData(pg.url);
    const panel = data.seats.filter((s) => s.panel);
    const observers = data.seats.filter((s) => !s.panel);
    const others = [...panel.slice(0, SPEAKERS), ...observers.slice(0, OBSERVERS)];
    const poster = panel.at(-1)!;
    const joiner = observers.at(-1)!;

    const app = await startApp(ctx.root, env, "app (PostgreSQL)");
    ctx.defer(() => app.child.stop());
    const sentAt = new Map<string, number>();
    const lat: number[] = [];
    const members = others.map(
      (seat) =>
        new Member(app.origin, seat, data.sessionId, (body) => {
          const s = sentAt.get(body);
          if (s !== undefined) lat.push(performance.now() - s);
        }),
    );
    for (let i = 0; i < members.length; i += 30) {
      const batch = members.slice(i, i + 30);
      await Promise.all(batch.map((m) => connected(m.socket)));
      await Promise.all(batch.map((m) => m.join()));
    }
    ctx.log(`${members.length} clients joined session ${data.sessionId}`);
    await sleep(1000);
    const calm = await phase(ctx, app.origin, "calm", members, lat, sentAt, data.sessionId, seconds, null, app.child.pid);
    await sleep(2000);
    const flood = await phase(ctx, app.origin, "flood", members, lat, sentAt, data.sessionId, seconds, () => startFlood(app.origin, poster, joiner, data.sessionId), app.child.pid);
    if (!isRunning(app.child)) throw new Error(`the app died:\n${app.child.tail()}`);
    for (const m of members) m.socket.disconnect();

    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    const [{ flooderStatements }] = await sql<{ flooderStatements: number }[]>`
      select count(*)::int as "flooderStatements" from room_statements s join sessions x on x.user_id = s.author_id
      where s.session_id = ${data.sessionId} and x.id = encode(sha256(${poster.token}::bytea), 'hex')`;
    await sql.end({ timeout: 5 });

    const fs = flood.flood!;
    const per10s = (n: number) => round((n * 10) / seconds, 1);
    const floor = (v: number | null) => (v === null ? null : Math.max(v, 10));
    const ratio = flood.latency.p99 !== null && calm.latency.p99 !== null ? round(flood.latency.p99 / floor(calm.latency.p99)!, 2) : null;
    const row = (label: string, r: Phase) => [label, r.statements, r.expectedDeliveries, r.lost, r.failedPosts, r.latency.p50, r.latency.p99, r.latency.max, r.ackP99, r.healthz.p50, r.healthz.p99, r.healthz.max, r.serverCpuMs];
    const tables = [
      formatTable(
        `room-flood: ${members.length} clients (${SPEAKERS} speaking, ${RATE} statements/s), ${seconds} s per run`,
        ["run", "statements", "expected", "lost", "failed", "p50 ms", "p99 ms", "max ms", "ack p99", "healthz p50", "healthz p99", "healthz max", "CPU ms"],
        [row("calm (no flood)", calm), row("flood", flood)],
      ),
      formatTable("room-flood: the flooders", ["measure", "value"], [
        ["posts sent / accepted / refused", `${fs.postsSent} / ${fs.postsAccepted} / ${fs.postsRefused}`],
        ["flooder's statements stored", flooderStatements],
        ["post socket disconnected by the server", fs.postDisconnects],
        ["joins sent / answered / refused", `${fs.joinsSent} / ${fs.joinsAnswered} / ${fs.joinsRefused}`],
        ["bytes the joins returned", `${mb(fs.joinBytes)} MB`],
        ["join socket disconnected by the server", fs.joinDisconnects],
        ["others' p99 flood / calm (calm floored at 10 ms)", ratio ?? "—"],
      ]),
    ];
    const checks: Check[] = [
      atMost("flood: member's posts accepted per 10 s", per10s(fs.postsAccepted), SOCKET_LIMITS.post.user),
      atMost("flood: member's statements stored per 10 s", per10s(flooderStatements), SOCKET_LIMITS.post.user),
      atLeast("flood: flooding sockets disconnected", Math.min(fs.postDisconnects, fs.joinDisconnects), 1),
      atMost("flood: joins answered per 10 s", per10s(fs.joinsAnswered), SOCKET_LIMITS.join.user),
      atMost("flood: catch-up bytes per 10 s", mb((fs.joinBytes * 10) / seconds), 4, "MB"),
      exactly("others: lost deliveries (calm + flood)", calm.lost + flood.lost, 0),
      exactly("others: failed posts (calm + flood)", calm.failedPosts + flood.failedPosts, 0),
      atMost("others: p99 under flood / calm p99", ratio, 2, "×"),
      atMost("others: p99 under flood", flood.latency.p99, 100, "ms"),
      atMost("healthz: p99 under flood", flood.healthz.p99, 100, "ms"),
      exactly("healthz: failed under flood", flood.healthz.failed, 0),
    ];
    return { results: { clients: members.length, speakers: SPEAKERS, rate: RATE, seconds, limits: SOCKET_LIMITS, calm, flood, flooderStatements, p99Ratio: ratio }, checks, tables };
  },
};

export default scenario;
