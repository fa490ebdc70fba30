import http from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { createSession } from "../../app/modules/accounts/sessions.server";
import { decideMembership, requestMembership } from "../../app/modules/communities/communities.server";
import { EventBus } from "../../app/modules/shared/events";
import { systemClock } from "../../app/modules/shared/clock";
import { testDatabase } from "../../tests/support/db";
import { actorOf, grant, makeTree, makeUser } from "../../tests/support/factories";
import { attachRealtime } from "./index";

let database: Database;
let server: http.Server;
let events: EventBus;
let url: string;
let close: () => Promise<void>;
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await testDatabase();
  events = new EventBus();
  server = http.createServer();
  // these tests send hundreds of malformed events from one socket to check parsing; the limits
  // that would disconnect such a socket are tested in limits.test.ts
  const roomy = { socket: 10_000, user: 10_000, seconds: 10 };
  const limits = { post: roomy, react: roomy, hand: roomy, act: roomy, join: roomy, watch: roomy };
  const rt = await attachRealtime(server, { db: database.db, events, log: pino({ level: "silent" }), limits });
  close = rt.close;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await close();
  await database.close();
});

function open(opts: { origin?: string; cookie?: string } = {}) {
  const s = connect(url, {
    transports: ["polling"],
    reconnection: false,
    extraHeaders: { Origin: opts.origin ?? url, ...(opts.cookie ? { Cookie: opts.cookie } : {}) },
  });
  sockets.push(s);
  return s;
}
const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.on("connect", () => resolve());
    s.on("connect_error", reject);
  });

describe("realtime", () => {
  it("refuses a handshake from another origin", async () => {
    await expect(connected(open({ origin: "http://evil.example" }))).rejects.toThrow();
  });

  it("lets an anonymous socket connect but not join a private room", async () => {
    const s = open();
    await connected(s);
    const ack = await s.emitWithAck("join", "user:1");
    expect(ack).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });

  it("pushes a notification to the signed-in user's room when the committee verifies them, and to no one else", async () => {
    const tree = await makeTree(database.db);
    const staff = await makeUser(database.db);
    await grant(database.db, staff.id, "committee", tree.a1.id);
    const resident = await makeUser(database.db);
    const bystander = await makeUser(database.db);
    const cookieOf = async (id: number) => `yishi_session=${(await createSession(database.db, id, new Date())).token}`;

    const mine = open({ cookie: await cookieOf(resident.id) });
    const theirs = open({ cookie: await cookieOf(bystander.id) });
    await Promise.all([connected(mine), connected(theirs)]);
    const got: unknown[] = [];
    const leaked: unknown[] = [];
    theirs.on("notification", (n) => leaked.push(n));
    const arrived = new Promise((r) => mine.on("notification", (n) => (got.push(n), r(n))));

    const ctx = (actor: Awaited<ReturnType<typeof actorOf>>) => ({ db: database.db, actor, events, clock: systemClock });
    const { membershipId } = await requestMembership(ctx(await actorOf(database.db, resident.id)), tree.a1.id, { address: "1 号楼" });
    await decideMembership(ctx(await actorOf(database.db, staff.id)), { decision: "verify", membershipId });
    await arrived;
    expect(got[0]).toMatchObject({ kind: "notify.membership.verified", unread: 1, link: `/communities/${tree.a1.id}` });
    await new Promise((r) => setTimeout(r, 100));
    expect(leaked).toEqual([]);
  });

  it("pushes a vote's turnout (a count, never a choice) to watchers, once per burst", async () => {
    const { matters, memberships } = await import("../../db/schema");
    const { makeCategory } = await import("../../tests/support/factories");
    const { openVote } = await import("../../app/modules/matters/voting/setup.server");
    const { castBallot } = await import("../../app/modules/matters/voting/cast.server");
    const { newBallotKey } = await import("../../app/modules/matters/voting/receipts.server");
    const { CreateVoteSchema } = await import("../../app/modules/matters/voting/schemas");
    const tree = await makeTree(database.db);
    const staff = await makeUser(database.db);
    await grant(database.db, staff.id, "committee", tree.a1.id);
    const voters = [await makeUser(database.db), await makeUser(database.db)];
    // adults on record: a residents' meeting lists only residents recorded 18 or over
    for (const v of voters) await database.db.insert(memberships).values({ userId: v.id, communityId: tree.a1.id, status: "verified", address: `${v.id}`, birthYear: 1980 });
    const cat = await makeCategory(database.db, tree.county.id);
    const [m] = await database.db
      .insert(matters)
      .values({ communityId: tree.a1.id, proposerId: staff.id, state: "scheduled", title: "t", description: "d", categoryId: cat.id, affectedArea: "a", desiredOutcome: "o" })
      .returning();
    const ctx = async (id: number) => ({ db: database.db, actor: await actorOf(database.db, id), events, clock: systemClock });
    const vote = await openVote(await ctx(staff.id), m.id, CreateVoteSchema.parse({ question: "q", method: "yes_no", electorate: "residents", preset: "residents_meeting", secret: "yes" }));

    const watcher = open();
    await connected(watcher);
    expect(await watcher.emitWithAck("vote:watch", vote.id)).toEqual({ ok: true, data: { turnout: 0 } });
    expect(await watcher.emitWithAck("vote:watch", 987654)).toMatchObject({ ok: false });
    const pushes: { voteId: number; turnout: number; closed: boolean }[] = [];
    const done = new Promise((r) => watcher.on("vote:turnout", (x: (typeof pushes)[number]) => (pushes.push(x), x.turnout === 2 && r(x))));
    const voterCtx = await Promise.all(voters.map((v) => ctx(v.id)));
    // the push waits 1 s after the first ballot; it counts both when the second is in by then
    const castFrom = performance.now();
    for (const c of voterCtx) await castBallot(c, vote.id, { choices: ["yes"], idem: newBallotKey() });
    const burst = performance.now() - castFrom < 1000;
    await done;
    await new Promise((r) => setTimeout(r, 300));
    if (burst) expect(pushes).toEqual([{ voteId: vote.id, turnout: 2, closed: false }]);
    else {
      // a loaded machine took over a second for the two ballots: that is two bursts, one push each
      // (one push would be wrong to expect there); still counts only, never more than one per ballot
      expect(pushes.at(-1)).toEqual({ voteId: vote.id, turnout: 2, closed: false });
      expect(pushes.length).toBeLessThanOrEqual(2);
      for (const p of pushes) expect(Object.keys(p).sort()).toEqual(["closed", "turnout", "voteId"]);
    }
  });

  it("tells watchers of a selection page when it changes; a matter that is not a panel's cannot be watched", async () => {
    const { matters, memberships, panelPlans } = await import("../../db/schema");
    const { makeCategory } = await import("../../tests/support/factories");
    const { registerInterest } = await import("../../app/modules/matters/selection/registration.server");
    const tree = await makeTree(database.db);
    const resident = await makeUser(database.db);
    await database.db.insert(memberships).values({ userId: resident.id, communityId: tree.a1.id, status: "verified", address: "9 号楼" });
    const cat = await makeCategory(database.db, tree.county.id);
    const base = { communityId: tree.a1.id, proposerId: resident.id, title: "t", description: "d", categoryId: cat.id, affectedArea: "a", desiredOutcome: "o" };
    const [m] = await database.db.insert(matters).values({ ...base, state: "selecting", form: "panel" }).returning();
    const [meeting] = await database.db.insert(matters).values({ ...base, state: "scheduled", form: "meeting" }).returning();
    await database.db.insert(panelPlans).values({
      matterId: m.id,
      panelSize: 3,
      registrationDeadline: new Date(Date.now() + 86_400_000),
      attributes: [{ key: "性别", label: "性别", values: ["男", "女"] }],
      quotas: [{ category: "性别", value: "男", min: 0, max: 3 }, { category: "性别", value: "女", min: 0, max: 3 }],
      status: "open",
    });
    const watcher = open();
    await connected(watcher);
    expect(await watcher.emitWithAck("selection:watch", m.id)).toEqual({ ok: true, data: { ok: true } });
    expect(await watcher.emitWithAck("selection:watch", meeting.id)).toMatchObject({ ok: false });
    expect(await watcher.emitWithAck("selection:watch", "1; drop table")).toMatchObject({ ok: false });
    const changed = new Promise((r) => watcher.on("selection:changed", r));
    await registerInterest({ db: database.db, actor: await actorOf(database.db, resident.id), events, clock: systemClock }, m.id, { 性别: "女" });
    expect(await changed).toEqual({ matterId: m.id });
  });

  it("an id out of range or of the wrong kind is refused as not found (never an internal fault) by every event that takes one", async () => {
    const s = open();
    await connected(s);
    const ids: unknown[] = [2 ** 40, 2 ** 31, -1, 0, 1.5, Number.MAX_SAFE_INTEGER, "99999999999", "1e3x", "", null, {}, { id: 1 }, [1, 2], true, "\u0000"];
    const payloads: [string, (id: unknown) => unknown][] = [
      ["vote:watch", (id) => id],
      ["selection:watch", (id) => id],
      ["room:join", (id) => ({ sessionId: id })],
      ["room:join", (id) => ({ sessionId: 1, since: id })],
      ["room:leave", (id) => ({ sessionId: id })],
      ["room:act", (id) => ({ sessionId: id, action: { intent: "raiseHand" } })],
      ["room:act", (id) => ({ sessionId: 1, action: { intent: "react", statementId: id, value: "agree" } })],
    ];
    for (const [event, payload] of payloads) {
      for (const id of ids) {
        const ack = (await s.emitWithAck(event, payload(id))) as { ok: boolean; data?: { left?: boolean }; error?: { code: string } };
        const what = `${event} ${JSON.stringify(payload(id))}`;
        expect(ack.error?.code, what).not.toBe("internal");
        // leaving a room this socket is not in is no error, and leaves nothing
        if (event === "room:leave" && ack.ok) expect(ack.data, what).toEqual({ left: false });
        else expect(ack.ok, what).toBe(false);
      }
    }
    // a payload that is not an object at all
    for (const raw of [2 ** 40, "x", null, [1]]) {
      for (const event of ["room:join", "room:leave", "room:act"]) {
        const ack = (await s.emitWithAck(event, raw)) as { ok: boolean; error?: { code: string } };
        expect([ack.ok, ack.error?.code === "internal"], `${event} ${JSON.stringify(raw)}`).toEqual([false, false]);
      }
    }
  });
});
