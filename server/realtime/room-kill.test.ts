/**
 * The room survives its server being killed (kill -9) and restarted: the queue is in PostgreSQL,
 * and clients re-join with their last seq and get exactly what they missed. PostgreSQL only: the
 * server runs in another process, which PGlite (one process) cannot share.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "../../db/client";
import { roomHands, roomStatements } from "../../db/schema";
import { act } from "../../app/modules/matters/room/act.server";
import { RoomActionSchema } from "../../app/modules/matters/room/schemas";
import { systemClock } from "../../app/modules/shared/clock";
import { withDatabase } from "../../tests/support/global-setup";
import { adminUrl } from "../../tests/support/pg";
import { makeRoomWorld } from "../../tests/support/room";
import { cookieOf, RoomClient } from "../../tests/support/room-sockets";

const url = process.env.DATABASE_URL;
const root = path.resolve(import.meta.dirname, "../..");

function freePort() {
  return new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function startServer(dbUrl: string, port: number) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/support/room-server.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => ((out += d.toString()), out.includes("ready") && resolve()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return { child, ready };
}

describe.skipIf(!url)("kill -9 and restart", () => {
  let database: Database;
  let dbUrl: string;
  let admin: Database;
  let name: string;
  let child: ChildProcess | undefined;
  const clients: RoomClient[] = [];

  beforeAll(async () => {
    name = `yishi_t_kill_${randomBytes(4).toString("hex")}`;
    admin = await openDatabase({ url: adminUrl(url!), poolSize: 1 });
    await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${inject("pgTemplate")}`);
    dbUrl = withDatabase(url!, name);
    database = await openDatabase({ url: dbUrl, poolSize: 3 });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    child?.kill("SIGKILL");
    await database.close();
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });

  it("keeps the queue and delivers exactly the missed events after the server is killed and restarted", async () => {
    const w = await makeRoomWorld(database.db, { panel: 2 });
    await act({ ...w.ctx(w.actors.committee), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "open" }));
    const port = await freePort();
    let s = startServer(dbUrl, port);
    child = s.child;
    await s.ready;
    const origin = `http://127.0.0.1:${port}`;
    const mod = new RoomClient(origin, await cookieOf(database.db, w.users.committee), w.sessionId, { reconnection: true }).autoRejoin();
    const p1 = new RoomClient(origin, await cookieOf(database.db, w.users.panel[0]), w.sessionId, { reconnection: true }).autoRejoin();
    clients.push(mod, p1);
    await Promise.all([mod.connected(), p1.connected()]);
    await Promise.all([mod.join(0), p1.join(0)]);
    expect(await p1.act({ intent: "raiseHand" })).toMatchObject({ ok: true, data: { seq: 2 } });
    expect(await p1.act({ intent: "post", key: "kill-test-0001", stance: "support", body: "杀进程之前" })).toMatchObject({ ok: true, data: { seq: 3 } });
    await mod.until(() => mod.head === 3);

    child.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    // while it is down, the other panel member's plain form post lands in the database
    await act({ ...w.ctx(w.actors.panel[1]), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "post", stance: "oppose", body: "服务器重启期间" }));

    s = startServer(dbUrl, port);
    child = s.child;
    await s.ready;
    await Promise.all([mod.until(() => mod.joins === 2 && mod.head === 4, 20_000), p1.until(() => p1.joins === 2 && p1.head === 4, 20_000)]);
    expect(mod.seqs()).toEqual([1, 2, 3, 4]);
    expect(p1.seqs()).toEqual([1, 2, 3, 4]);
    expect(mod.got.at(-1)?.payload.statement.body).toBe("服务器重启期间");
    // the client's retry after the restart is the same post: stored once
    expect(await p1.act({ intent: "post", key: "kill-test-0001", stance: "support", body: "杀进程之前" })).toMatchObject({ ok: true, data: { seq: 3, duplicate: true } });
    expect(await database.db.select().from(roomStatements).where(eq(roomStatements.sessionId, w.sessionId))).toHaveLength(2);
    // the queue survived: the moderator gives the floor to the hand raised before the kill
    expect((await database.db.select().from(roomHands).where(eq(roomHands.sessionId, w.sessionId))).map((h) => h.userId)).toEqual([w.users.panel[0]]);
    expect(await mod.act({ intent: "giveFloor", userId: w.users.panel[0] })).toMatchObject({ ok: true, data: { seq: 5 } });
    await p1.until(() => p1.head === 5);
  });
});
