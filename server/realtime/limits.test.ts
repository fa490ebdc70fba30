import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { roomStatements } from "../../db/schema";
import { act } from "../../app/modules/matters/room/act.server";
import { MAX_STATEMENTS_PER_MEMBER } from "../../app/modules/matters/room/statements.server";
import { JOIN_PAGE } from "../../app/modules/matters/room/view.server";
import { RoomActionSchema } from "../../app/modules/matters/room/schemas";
import { systemClock } from "../../app/modules/shared/clock";
import { EventBus } from "../../app/modules/shared/events";
import { testDatabase } from "../../tests/support/db";
import { makeRoomWorld, type RoomWorld } from "../../tests/support/room";
import { cookieOf, RoomClient, startInstance, type Instance } from "../../tests/support/room-sockets";
import { SOCKET_LIMITS, STRIKES } from "./limits";

let database: Database;
let events: EventBus;
let server: Instance;
const clients: RoomClient[] = [];

beforeAll(async () => {
  database = await testDatabase();
  events = new EventBus();
  server = await startInstance(database.db, events);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
  await database.close();
});

async function world() {
  const w = await makeRoomWorld(database.db, { events, panel: 3 });
  await act({ ...w.ctx(w.actors.committee), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "open" }));
  return w;
}
async function client(w: RoomWorld, userId: number) {
  const c = new RoomClient(server.url, await cookieOf(database.db, userId), w.sessionId);
  clients.push(c);
  await c.connected();
  return c;
}
const statementsOf = async (sessionId: number, authorId: number) =>
  (await database.db.select({ id: roomStatements.id }).from(roomStatements).where(and(eq(roomStatements.sessionId, sessionId), eq(roomStatements.authorId, authorId)))).length;
type Ack = { ok: boolean; error?: { code: string; message: string; params?: Record<string, number> } };
/**
 * Sends `n` events at once without waiting between them; an event that gets no answer (the socket
 * was cut: socket.io rejects its pending acks at once) counts as null. The wait for an answer is
 * long: the accepted posts are written one after another, and on a loaded 2-core CI the last of
 * 30 writes could answer after the 3 s this once allowed, counting as unanswered.
 */
function flood(c: RoomClient, n: number, event: string, payload: (i: number) => unknown) {
  return Promise.all(Array.from({ length: n }, (_, i) => c.socket.timeout(30_000).emitWithAck(event, payload(i)).then((r: Ack) => r, () => null)));
}
const disconnected = (c: RoomClient) => new Promise<string>((r) => (c.socket.connected ? c.socket.once("disconnect", r) : r("already")));

describe("socket rate limits", () => {
  it("a member flooding posts gets a translated refusal past the limit, is disconnected, and others still post", { timeout: 120_000 }, async () => {
    const w = await world();
    const flooder = await client(w, w.users.panel[0]);
    const other = await client(w, w.users.panel[1]);
    await Promise.all([flooder.join(), other.join()]);
    const cut = disconnected(flooder);
    const acks = await flood(flooder, 300, "room:act", (i) => ({ sessionId: w.sessionId, action: { intent: "post", stance: "support", body: `刷屏 ${i}` } }));
    // the socket may be cut before the acks of its last accepted posts arrive (their writes still
    // finish): never more than the limit is acknowledged, and exactly the limit is stored
    const accepted = acks.filter((a) => a?.ok).length;
    expect(accepted).toBeLessThanOrEqual(SOCKET_LIMITS.post.socket);
    const refused = acks.filter((a) => a && !a.ok);
    expect(refused.length).toBeGreaterThanOrEqual(STRIKES);
    expect(refused[0]).toMatchObject({ ok: false, error: { code: "rate_limited", message: "errors.rateLimited", params: { seconds: expect.any(Number) } } });
    expect(await cut).toBe("io server disconnect");
    // expect.poll gives up after 1 s by default: too short for the last writes on a loaded machine
    await expect.poll(() => statementsOf(w.sessionId, w.users.panel[0]), { timeout: 30_000 }).toBe(SOCKET_LIMITS.post.socket);
    // everyone else is untouched
    expect(await other.act({ intent: "post", stance: "oppose", body: "我的发言照常" })).toMatchObject({ ok: true });
  });

  it("the user's limit holds across sockets, and reactions, hands and junk each spend their own kind", { timeout: 120_000 }, async () => {
    const w = await world();
    const tabs = await Promise.all([0, 1, 2].map(() => client(w, w.users.panel[0])));
    const acks = (await Promise.all(tabs.map((t) => flood(t, 15, "room:act", (i) => ({ sessionId: w.sessionId, action: { intent: "post", stance: "neutral", body: `多窗口 ${i}` } }))))).flat();
    expect(acks.filter((a) => a?.ok).length).toBe(SOCKET_LIMITS.post.user);
    expect(await statementsOf(w.sessionId, w.users.panel[0])).toBe(SOCKET_LIMITS.post.user);
    // hands have a tighter budget than posts; malformed actions are counted before they are parsed
    const hand = await client(w, w.users.panel[1]);
    const hands = await flood(hand, SOCKET_LIMITS.hand.socket + 5, "room:act", (i) => ({ sessionId: w.sessionId, action: { intent: i % 2 ? "lowerHand" : "raiseHand" } }));
    expect(hands.filter((a) => a?.ok).length).toBe(SOCKET_LIMITS.hand.socket);
    const junk = await client(w, w.users.panel[2]);
    const bad = await flood(junk, SOCKET_LIMITS.act.socket + 5, "room:act", () => ({ sessionId: "x" }));
    expect(bad.filter((a) => a?.error?.code === "validation").length).toBe(SOCKET_LIMITS.act.socket);
    expect(bad.filter((a) => a?.error?.code === "rate_limited").length).toBe(5);
  });

  it("joins, watches and unknown events are limited too, anonymous sockets included", { timeout: 120_000 }, async () => {
    const w = await world();
    const obs = await client(w, w.users.observer);
    const joins = await flood(obs, SOCKET_LIMITS.join.socket + 10, "room:join", () => ({ sessionId: w.sessionId, since: 0 }));
    expect(joins.filter((a) => a?.ok).length).toBe(SOCKET_LIMITS.join.socket);
    expect(joins.filter((a) => a?.error?.code === "rate_limited").length).toBe(10);
    const watcher = await client(w, w.users.panel[0]);
    const watches = await flood(watcher, SOCKET_LIMITS.watch.socket + 3, "vote:watch", () => 987_654);
    expect(watches.filter((a) => a?.error?.code === "not_found").length).toBe(SOCKET_LIMITS.watch.socket);
    expect(watches.filter((a) => a?.error?.code === "rate_limited").length).toBe(3);
    const anon = new RoomClient(server.url, undefined, w.sessionId);
    clients.push(anon);
    await anon.connected();
    const unknown = await flood(anon, SOCKET_LIMITS.watch.socket + 2, "no:such:event", () => 1);
    expect(unknown.filter((a) => a?.error?.code === "rate_limited").length).toBe(2);
  });
});

describe("the catch-up is paged", () => {
  it("a join answers one page after `since` and says where to go on; following it yields every entry once", async () => {
    const w = await world();
    // a long log, as a busy session leaves it: 450 statements after the opening
    await database.db.execute(sql`
      with s as (update room_sessions set last_seq = last_seq + 450 where id = ${w.sessionId} returning last_seq - 450 as base),
      st as (
        insert into room_statements (session_id, seq, author_id, stance, body, created_at)
        select ${w.sessionId}, s.base + g, ${w.users.panel[1]}, 'neutral', '填充 ' || g, now() from s, generate_series(1, 450) g
        returning id, seq)
      insert into room_events (session_id, seq, kind, actor_id, payload, audience, created_at)
      select ${w.sessionId}, st.seq, 'statement.posted', ${w.users.panel[1]},
             jsonb_build_object('statement', jsonb_build_object('id', st.id, 'seq', st.seq, 'stance', 'neutral', 'body', '填充')), 'all', now()
      from st`);
    const obs = await client(w, w.users.observer);
    const first = await obs.socket.emitWithAck("room:join", { sessionId: w.sessionId, since: 0 });
    expect(first).toMatchObject({ ok: true, data: { head: 451, more: true, next: JOIN_PAGE } });
    expect(first.data.events.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: JOIN_PAGE }, (_, i) => i + 1));
    const last = await obs.socket.emitWithAck("room:join", { sessionId: w.sessionId, since: 400 });
    expect(last).toMatchObject({ ok: true, data: { more: false, next: null } });
    expect(last.data.events).toHaveLength(51);
    // the test client follows the pages as the browser hook does
    const follower = await client(w, w.users.panel[0]);
    await follower.join(0);
    expect(follower.seqs()).toEqual(Array.from({ length: 451 }, (_, i) => i + 1));
  });
});

describe("statements per member per session", () => {
  it("a member who has posted the most one may post is refused with a translated message, and nothing is stored", async () => {
    const w = await world();
    const author = w.users.panel[0];
    await database.db.execute(sql`
      with s as (update room_sessions set last_seq = last_seq + ${MAX_STATEMENTS_PER_MEMBER - 1} where id = ${w.sessionId} returning last_seq - ${MAX_STATEMENTS_PER_MEMBER - 1} as base)
      insert into room_statements (session_id, seq, author_id, stance, body, created_at)
      select ${w.sessionId}, s.base + g, ${author}, 'neutral', '已说过 ' || g, now() from s, generate_series(1, ${MAX_STATEMENTS_PER_MEMBER - 1}) g`);
    const ctx = { ...w.ctx(w.actors.panel[0]), clock: systemClock };
    const post = (body: string) => act(ctx, w.sessionId, RoomActionSchema.parse({ intent: "post", stance: "support", body }));
    await post("最后一条");
    await expect(post("再多一条")).rejects.toMatchObject({ code: "invalid_state", messageKey: "room.errors.statementCap", params: { max: MAX_STATEMENTS_PER_MEMBER }, field: "body" });
    expect(await statementsOf(w.sessionId, author)).toBe(MAX_STATEMENTS_PER_MEMBER);
    // another member, and the moderator recording an in-person speaker, still post
    await act({ ...w.ctx(w.actors.panel[1]), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "post", stance: "support", body: "我还能说" }));
    await act({ ...w.ctx(w.actors.committee), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "post", stance: "support", body: "现场记录", speaker: "李大爷" }));
  });

  it("a statement longer than 1000 characters is refused over the socket", async () => {
    const w = await world();
    const p = await client(w, w.users.panel[0]);
    expect(await p.act({ intent: "post", stance: "support", body: "长".repeat(1001) })).toMatchObject({ ok: false, error: { code: "validation" } });
    expect(await p.act({ intent: "post", stance: "support", body: "长".repeat(1000) })).toMatchObject({ ok: true });
  });
});
