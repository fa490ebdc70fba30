import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { roleGrants, roomEvents, roomHands, roomStatements } from "../../db/schema";
import { act } from "../../app/modules/matters/room/act.server";
import { RoomActionSchema } from "../../app/modules/matters/room/schemas";
import { EventBus } from "../../app/modules/shared/events";
import { systemClock } from "../../app/modules/shared/clock";
import { testDatabase } from "../../tests/support/db";
import { makeRoomWorld, type RoomWorld } from "../../tests/support/room";
import { grant, makeUser } from "../../tests/support/factories";
import { cookieOf, RoomClient, startInstance, type Instance } from "../../tests/support/room-sockets";

let database: Database;
let events: EventBus;
let server: Instance;
const clients: RoomClient[] = [];

beforeAll(async () => {
  database = await testDatabase();
  events = new EventBus();
  // seats are re-checked often here, so a lost role shows within a test
  process.env.ROOM_RECHECK_MS = "200";
  server = await startInstance(database.db, events);
  delete process.env.ROOM_RECHECK_MS;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
  await database.close();
});

async function world() {
  const w = await makeRoomWorld(database.db, { events, panel: 3 });
  // the socket server runs on the real clock
  await act({ ...w.ctx(w.actors.committee), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "open" }));
  return w;
}
async function client(w: RoomWorld, userId: number | null, opts: { reconnection?: boolean; url?: string; sessionId?: number } = {}) {
  const c = new RoomClient(opts.url ?? server.url, userId ? await cookieOf(database.db, userId) : undefined, opts.sessionId ?? w.sessionId, opts);
  clients.push(c);
  await c.connected();
  return c;
}
const count = async (sessionId: number) => (await database.db.select().from(roomEvents).where(eq(roomEvents.sessionId, sessionId))).length;

describe("room sockets: who may join and act", () => {
  it("refuses a stranger, another community's resident, an anonymous socket, a forged room and a malformed join", async () => {
    const w = await world();
    expect(await (await client(w, w.users.stranger)).join()).toMatchObject({ ok: false, error: { code: "forbidden", message: "room.errors.notInRoom" } });
    expect(await (await client(w, w.users.outsider)).join()).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await (await client(w, null)).join()).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await (await client(w, w.users.panel[0], { sessionId: 2_000_000_000 })).join()).toMatchObject({ ok: false, error: { code: "not_found" } });
    const p = await client(w, w.users.panel[0]);
    for (const bad of [null, "1", { sessionId: "abc" }, { sessionId: -1 }, { sessionId: 1, since: -5 }, [1, 2]]) {
      expect(await p.socket.emitWithAck("room:join", bad)).toMatchObject({ ok: false, error: { code: "validation" } });
    }
    // acting without joining is authorised the same way: the outsider is refused
    const out = await client(w, w.users.outsider);
    expect(await out.act({ intent: "react", statementId: 1, value: "agree" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await (await client(w, null)).act({ intent: "raiseHand" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await count(w.sessionId)).toBe(1);
  });

  it("an observer reads and reacts but cannot post or take the floor; malformed actions store nothing", async () => {
    const w = await world();
    const panel = await client(w, w.users.panel[0]);
    const obs = await client(w, w.users.observer);
    expect(await obs.join()).toMatchObject({ ok: true, data: { role: "observer" } });
    await panel.join();
    const posted = await panel.act({ intent: "post", stance: "support", body: "同意" });
    expect(posted).toMatchObject({ ok: true, data: { seq: 2 } });
    expect(await obs.act({ intent: "post", stance: "support", body: "我也想说" })).toMatchObject({ ok: false, error: { code: "forbidden", message: "room.errors.panelOnly" } });
    expect(await obs.act({ intent: "raiseHand" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await obs.act({ intent: "giveFloor", userId: w.users.observer })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    for (const bad of [{ intent: "post", stance: "angry", body: "x" }, { intent: "post", stance: "support", body: "" }, { intent: "post", stance: "support", body: "<script>x</script>" }, { intent: "nuke" }, "post", null, { intent: "react", statementId: "1; drop table" }]) {
      expect(await panel.act(bad as never)).toMatchObject({ ok: false, error: { code: "validation" } });
    }
    expect(await panel.socket.emitWithAck("room:act", { sessionId: "x", action: { intent: "raiseHand" } })).toMatchObject({ ok: false, error: { code: "validation" } });
    expect(await obs.act({ intent: "react", statementId: posted.data.statementId, value: "agree" })).toMatchObject({ ok: true });
    expect(await count(w.sessionId)).toBe(3);
  });

  it("a muted member cannot post; moderation is authorised on every event, not only at join", async () => {
    const w = await world();
    const mod = await client(w, w.users.committee);
    const p1 = await client(w, w.users.panel[0]);
    const p2 = await client(w, w.users.panel[1]);
    await Promise.all([mod.join(), p1.join(), p2.join()]);
    const { data } = await p1.act({ intent: "post", stance: "oppose", body: "反对" });
    expect(await p2.act({ intent: "hide", statementId: data.statementId, reason: "我不喜欢" })).toMatchObject({ ok: false, error: { code: "forbidden", message: "room.errors.moderatorOnly" } });
    expect(await p2.act({ intent: "mute", userId: w.users.panel[0] })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await mod.act({ intent: "mute", userId: w.users.panel[1], reason: "刷屏" })).toMatchObject({ ok: true });
    expect(await p2.act({ intent: "post", stance: "support", body: "还能说吗" })).toMatchObject({ ok: false, error: { message: "room.errors.muted" } });
    // a second committee member moderates, then loses the role mid-session: the next moderation is refused
    const other = await makeUser(database.db);
    await grant(database.db, other.id, "committee", w.tree.a1.id);
    const mod2 = await client(w, other.id);
    expect(await mod2.join()).toMatchObject({ ok: true, data: { role: "moderator" } });
    expect(await mod2.act({ intent: "pin", statementId: data.statementId })).toMatchObject({ ok: true });
    await database.db.delete(roleGrants).where(and(eq(roleGrants.userId, other.id), eq(roleGrants.role, "committee")));
    // listen before acting: the refusal can take the socket out of the room before the ack is read
    const left = new Promise((r) => mod2.socket.once("room:left", r));
    expect(await mod2.act({ intent: "hide", statementId: data.statementId, reason: "迟到的隐藏" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const [st] = await database.db.select().from(roomStatements).where(eq(roomStatements.id, data.statementId));
    expect(st.hiddenAt).toBeNull();
    // and the broadcasts stop: the socket is taken out of the room's channels
    const heard: unknown[] = [];
    mod2.socket.on("room:event", (e: unknown) => heard.push(e));
    await left;
    await p1.act({ intent: "post", stance: "support", body: "之后的发言" });
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual([]);
  });
});

describe("room sockets: delivery", () => {
  it("delivers in order to everyone, form posts included, and a reconnect gets exactly what it missed", async () => {
    const w = await world();
    const a = await client(w, w.users.panel[0]);
    const b = await client(w, w.users.panel[1]);
    const obs = await client(w, w.users.observer);
    await Promise.all([a.join(0), b.join(0), obs.join(0)]);
    await b.until(() => b.presence?.panel.length === 2 && b.presence.observers === 1);
    expect(b.presence!.panel.sort()).toEqual(["代表1", "代表2"]);
    const acks = await Promise.all(Array.from({ length: 15 }, (_, i) => a.act({ intent: "post", stance: "neutral", body: `第 ${i + 1} 条` })));
    expect(acks.every((r) => r.ok)).toBe(true);
    // a plain form post runs the same command and is published after commit
    await act({ ...w.ctx(w.actors.panel[2]), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "post", stance: "question", body: "表单提交" }));
    await Promise.all([b.until(() => b.head === 17), obs.until(() => obs.head === 17)]);
    expect(b.seqs()).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(obs.got.at(-1)?.payload.statement.body).toBe("表单提交");

    // b drops; things happen; b comes back with since = its head
    b.close();
    for (let i = 0; i < 5; i++) await a.act({ intent: "post", stance: "support", body: `离线期间 ${i}` });
    await a.act({ intent: "raiseHand" });
    const back = await client(w, w.users.panel[1]);
    back.head = b.head;
    const r = await back.join();
    expect(r.data.events.map((e: { seq: number }) => e.seq)).toEqual([18, 19, 20, 21, 22, 23]);
    expect(back.got.map((e) => e.kind)).toEqual([...Array(5).fill("statement.posted"), "hand.raised"]);
    expect(obs.seqs()).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it("a retried post with the same key is stored once, even when the retries race", async () => {
    const w = await world();
    const a = await client(w, w.users.panel[0]);
    await a.join();
    const action = { intent: "post", key: "k-retry-000001", stance: "support", body: "只存一次" };
    const acks = await Promise.all([a.act(action), a.act(action), a.act(action)]);
    expect(new Set(acks.map((x) => x.data.seq)).size).toBe(1);
    expect(acks.filter((x) => x.data.duplicate)).toHaveLength(2);
    expect(await database.db.select().from(roomStatements).where(eq(roomStatements.sessionId, w.sessionId))).toHaveLength(1);
  });

  it("the queue and the floor survive a server restart; clients catch up by seq", async () => {
    const w = await world();
    const port = server.port;
    const mod = await client(w, w.users.committee, { reconnection: true });
    const p1 = await client(w, w.users.panel[0], { reconnection: true });
    mod.autoRejoin();
    p1.autoRejoin();
    await Promise.all([mod.join(), p1.join()]);
    await p1.act({ intent: "raiseHand" });
    await mod.until(() => mod.head === 2);
    await server.close();
    // while the server is down, the committee's form post still lands in the database
    await act({ ...w.ctx(w.actors.panel[1]), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "raiseHand" }));
    server = await startInstance(database.db, events, { port });
    await Promise.all([mod.until(() => mod.joins === 2), p1.until(() => p1.joins === 2)]);
    expect(mod.seqs()).toEqual([1, 2, 3]);
    const hands = await database.db.select().from(roomHands).where(eq(roomHands.sessionId, w.sessionId));
    expect(hands.map((h) => h.userId).sort()).toEqual([w.users.panel[0], w.users.panel[1]].sort());
    expect(await mod.act({ intent: "giveFloor", userId: w.users.panel[0] })).toMatchObject({ ok: true, data: { seq: 4 } });
    await p1.until(() => p1.head === 4);
    expect(p1.got.at(-1)).toMatchObject({ kind: "floor.given", payload: { userId: w.users.panel[0], turnSeconds: 180 } });
  });
});
