import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { ledgerEntries, matters, memberships } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { makeRoomWorld, ROOM_NOW } from "../../../../tests/support/room";
import { actorOf, grant, makeUser } from "../../../../tests/support/factories";
import { addRepresentative, endRepresentativeTerm } from "../../communities/roster.server";
import { recordBirthYear } from "../../communities/birth-year.server";
import { act } from "./act.server";
import { joinRoom, listSessions } from "./view.server";
import { RoomActionSchema } from "./schemas";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

const A = (x: Record<string, unknown>) => RoomActionSchema.parse(x);
const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string; messageKey?: string }) => `${e.code}:${e.messageKey}`);
const thisYear = Number(new Date(ROOM_NOW.getTime() + 8 * 3_600_000).toISOString().slice(0, 4));

async function world(form: "panel" | "meeting" | "representatives") {
  const w = await makeRoomWorld(database.db);
  await database.db.update(matters).set({ form }).where(eq(matters.id, w.matterId));
  await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "open" }));
  return w;
}
async function setBirthYear(userId: number, communityId: number, year: number | null) {
  await database.db.update(memberships).set({ birthYear: year }).where(and(eq(memberships.userId, userId), eq(memberships.communityId, communityId)));
}

describe("who speaks follows the consultation form", () => {
  it("at a 居民会议 a verified resident recorded 18+ speaks and queues; one turning 17 this year, or with no birth year, only looks on", async () => {
    const w = await world("meeting");
    const c = w.tree.a1.id;
    await setBirthYear(w.users.observer, c, thisYear - 18);
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "post", stance: "support", body: "我是居民，我支持" })))).toBe("ok");
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "raiseHand" })))).toBe("ok");
    expect((await joinRoom(w.ctx(w.actors.observer), w.sessionId, 0)).role).toBe("panel");
    await setBirthYear(w.users.observer, c, thisYear - 17);
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "post", stance: "support", body: "再说一句" })))).toBe("forbidden:room.errors.residentsOnly");
    await setBirthYear(w.users.observer, c, null);
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "post", stance: "support", body: "再说一句" })))).toBe("forbidden:room.errors.residentsOnly");
    // a panel seat is no place to speak from at a meeting; another community's adult is not in the room
    await setBirthYear(w.users.outsider, w.tree.b1.id, 1970);
    await setBirthYear(w.users.panel[0], c, null);
    expect(await code(act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "support", body: "代表发言" })))).toBe("forbidden:room.errors.residentsOnly");
    expect(await code(act(w.ctx(w.actors.outsider), w.sessionId, A({ intent: "post", stance: "support", body: "外人" })))).toBe("forbidden:room.errors.notInRoom");
    // staff still record words said in the hall
    expect(await code(act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "post", stance: "neutral", body: "现场发言", speaker: "张大爷" })))).toBe("ok");
  });

  it("at a 代表会议 the roster speaks within its term; the committee keeps the roster, on the ledger", async () => {
    const w = await world("representatives");
    const c = w.tree.a1.id;
    const ctx = w.ctx(w.actors.committee);
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "raiseHand" })))).toBe("forbidden:room.errors.representativesOnly");
    expect(await code(addRepresentative(w.ctx(w.actors.observer), c, { userId: w.users.observer, termStart: "2026-01-01" }))).toBe("forbidden:errors.forbidden");
    expect(await code(addRepresentative(ctx, c, { userId: w.users.outsider, termStart: "2026-01-01" }))).toBe("validation:register.errors.notResident");
    expect(await code(addRepresentative(ctx, c, { userId: w.users.observer, termStart: "2026-12-01", termEnd: "2026-01-01" }))).toBe("validation:register.errors.termOrder");
    // a term that starts after today does not count yet
    const later = await addRepresentative(ctx, c, { userId: w.users.observer, termStart: "2099-01-01" });
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "raiseHand" })))).toBe("forbidden:room.errors.representativesOnly");
    await endRepresentativeTerm(ctx, c, { representativeId: later.representativeId, termEnd: "2099-12-31" });
    const { representativeId } = await addRepresentative(ctx, c, { userId: w.users.observer, termStart: "2024-01-01" });
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "raiseHand" })))).toBe("ok");
    expect(await code(act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "support", body: "代表发言" })))).toBe("forbidden:room.errors.representativesOnly");
    await endRepresentativeTerm(ctx, c, { representativeId, termEnd: "2025-12-31" });
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "post", stance: "support", body: "任期已满" })))).toBe("forbidden:room.errors.representativesOnly");
    const actions = (await database.db.select({ action: ledgerEntries.action }).from(ledgerEntries).where(eq(ledgerEntries.stream, `area:${c}`))).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith("roster."))).toEqual(["roster.added", "roster.ended", "roster.added", "roster.ended"]);
  });

  it("the committee records a birth year, not one in the future, with before and after on the ledger", async () => {
    const w = await world("meeting");
    const c = w.tree.a1.id;
    await setBirthYear(w.users.observer, c, null);
    const [m] = await database.db.select().from(memberships).where(and(eq(memberships.userId, w.users.observer), eq(memberships.communityId, c)));
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "post", stance: "support", body: "登记前" })))).toBe("forbidden:room.errors.residentsOnly");
    expect(await code(recordBirthYear(w.ctx(w.actors.observer), c, { membershipId: m.id, birthYear: 1980 }))).toBe("forbidden:errors.forbidden");
    expect(await code(recordBirthYear(w.ctx(w.actors.committee), c, { membershipId: m.id, birthYear: thisYear + 1 }))).toBe("validation:register.errors.birthYear");
    await recordBirthYear(w.ctx(w.actors.committee), c, { membershipId: m.id, birthYear: 1980 });
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "post", stance: "support", body: "登记后发言" })))).toBe("ok");
    const [e] = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.stream, `area:${c}`), eq(ledgerEntries.action, "membership.birth_year")));
    expect(e.summary).toMatchObject({ before: { birthYear: null }, after: { birthYear: 1980 } });
  });

  it("the matter page links a room only for those it lets in: admins above look in, a stranger sees no link", async () => {
    const w = await world("panel");
    const county = await makeUser(database.db);
    await grant(database.db, county.id, "county_admin", w.tree.county.id);
    const countyActor = await actorOf(database.db, county.id);
    const enter = async (who: Parameters<typeof w.ctx>[0]) => (await listSessions(w.ctx(who), w.matterId)).map((s) => s.canEnter);
    expect(await enter(w.actors.observer)).toEqual([true]);
    expect(await enter(countyActor)).toEqual([true]);
    expect(await enter(w.actors.stranger)).toEqual([false]);
    expect(await enter(w.actors.outsider)).toEqual([false]);
    expect(await enter(null)).toEqual([false]);
    expect((await joinRoom(w.ctx(countyActor), w.sessionId, 0)).role).toBe("observer");
    expect(await code(act(w.ctx(countyActor), w.sessionId, A({ intent: "ask", body: "请说明费用" })))).toBe("forbidden:errors.forbidden");
  });
});
