/**
 * Two instances behind Debian's nginx, configured from deploy/nginx/yishi.conf (its maps, its
 * sticky upstream and its socket.io location, with the instances' ports put in), with Redis
 * between them: members on different instances share a room live, including one on socket.io's
 * polling transport (which fails without sticky routing: each poll must reach the instance that
 * holds its session); when an instance dies its members reconnect through nginx to the other and
 * catch up with nothing lost. Runs where nginx and Redis are (CI installs nginx).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { act } from "../../app/modules/matters/room/act.server";
import { RoomActionSchema } from "../../app/modules/matters/room/schemas";
import { systemClock } from "../../app/modules/shared/clock";
import { EventBus } from "../../app/modules/shared/events";
import { testDatabase } from "../support/db";
import { makeRoomWorld } from "../support/room";
import { cookieOf, RoomClient, startInstance, type Instance } from "../support/room-sockets";

const redisUrl = process.env.REDIS_URL;
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => fs.existsSync(p));
const DEPLOYED = path.resolve(import.meta.dirname, "../../deploy/nginx/yishi.conf");

/** A block `head { … }` of the deployed file, braces matched. */
function block(conf: string, head: string) {
  const start = conf.indexOf(head);
  if (start < 0) throw new Error(`deploy/nginx/yishi.conf has no "${head}"`);
  let depth = 0;
  for (let i = conf.indexOf("{", start); i < conf.length; i++) {
    if (conf[i] === "{") depth++;
    if (conf[i] === "}" && --depth === 0) return conf.slice(start, i + 1);
  }
  throw new Error(`unbalanced "${head}"`);
}

/** The deployed configuration with these upstream ports, on plain HTTP at `port`, rooted in `dir`. */
function testConfig(deployed: string, dir: string, port: number, upstreams: number[]) {
  const maps = [...deployed.matchAll(/^map [^{]+\{[^}]*\}/gm)].map((m) => m[0]);
  const upstream = block(deployed, "upstream yishi").replace(/^\s*server 127\.0\.0\.1:\d+.*$/gm, "");
  const servers = upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`).join("\n");
  const https = deployed.slice(deployed.indexOf("listen 443"));
  const socketLocation = block(https, "location /socket.io/");
  // as root, nginx's workers would run as nobody and could not use this test's private folder
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  return `${user}daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${maps.join("\n  ")}
  ${upstream.replace(/\}$/, `${servers}\n}`)}
  server {
    listen 127.0.0.1:${port};
    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    add_header X-Upstream $upstream_addr always;
    ${socketLocation}
  }
}
`;
}

function freePort() {
  return new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!redisUrl || !NGINX)("two instances behind nginx (deploy/nginx/yishi.conf) with Redis", () => {
  let database: Database;
  const buses = [new EventBus(), new EventBus()];
  const instances: Instance[] = [];
  const clients: RoomClient[] = [];
  let nginx: ChildProcess;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    database = await testDatabase();
    for (const bus of buses) instances.push(await startInstance(database.db, bus, { redisUrl }));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "yishi-nginx-"));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    fs.writeFileSync(path.join(dir, "nginx.conf"), testConfig(fs.readFileSync(DEPLOYED, "utf8"), dir, port, instances.map((i) => i.port)));
    nginx = spawn(NGINX!, ["-p", dir, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
    let said = "";
    nginx.stderr!.on("data", (d) => (said += String(d)));
    for (let i = 0; ; i++) {
      if (nginx.exitCode !== null) throw new Error(`nginx stopped: ${said}${fs.readFileSync(path.join(dir, "error.log"), "utf8")}`);
      const up = await fetch(`${base}/socket.io/?EIO=4&transport=polling`).then(() => true, () => false);
      if (up) break;
      if (i > 100) throw new Error("nginx did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    nginx?.kill("SIGTERM");
    for (const i of instances) await i.close().catch(() => {});
    await database.close();
  });

  /** Which instance nginx sends this cookie to (the upstream's port). */
  async function upstreamOf(cookie: string) {
    const res = await fetch(`${base}/socket.io/?EIO=4&transport=polling`, { headers: { Cookie: cookie, Origin: base } });
    await res.text();
    return Number(res.headers.get("x-upstream")?.split(":").pop());
  }

  it("members on both instances share the room, one on polling; when an instance dies, its members reconnect to the other and catch up", async () => {
    const w = await makeRoomWorld(database.db, { events: buses[0], panel: 8 });
    await act({ ...w.ctx(w.actors.committee), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "open" }));
    // one panel member whom nginx sends to each instance (the hash of the session cookie decides)
    const byPort = new Map<number, string>();
    for (const userId of w.users.panel) {
      const cookie = await cookieOf(database.db, userId);
      const port = await upstreamOf(cookie);
      // the same cookie always reaches the same instance
      expect(await upstreamOf(cookie)).toBe(port);
      if (!byPort.has(port)) byPort.set(port, cookie);
    }
    expect([...byPort.keys()].sort()).toEqual(instances.map((i) => i.port).sort());
    const onPort = (i: number, transports: ("websocket" | "polling")[]) => {
      const c = new RoomClient(base, byPort.get(instances[i].port), w.sessionId, { reconnection: true, transports }).autoRejoin();
      clients.push(c);
      return c;
    };
    const a = onPort(0, ["polling"]);
    const b = onPort(1, ["websocket"]);
    await Promise.all([a.connected(), b.connected()]);
    expect(await a.join(0)).toMatchObject({ ok: true });
    expect(await b.join(0)).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) expect(await a.act({ intent: "post", stance: "support", body: `经代理 ${i}` })).toMatchObject({ ok: true });
    expect(await b.act({ intent: "post", stance: "oppose", body: "从二号实例经代理" })).toMatchObject({ ok: true });
    // the room's opening is event 1
    await Promise.all([a.until(() => a.head === 7), b.until(() => b.head === 7)]);
    for (const c of [a, b]) expect(c.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);

    // the instance that serves `a` dies; `b` keeps posting; `a` comes back through nginx to the other
    await instances[0].close();
    for (let i = 0; i < 3; i++) expect(await b.act({ intent: "post", stance: "neutral", body: `宕机后 ${i}` })).toMatchObject({ ok: true });
    await a.until(() => a.head === 10, 20_000);
    expect(a.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(a.joins).toBeGreaterThan(1);
  }, 90_000);
});
