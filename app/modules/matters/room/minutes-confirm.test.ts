import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { ledgerEntries, matterEvents, matters, roomAttendance } from "../../../../db/schema";
import { fixedClock } from "../../shared/clock";
import { testDatabase } from "../../../../tests/support/db";
import { makeRoomWorld, ROOM_NOW } from "../../../../tests/support/room";
import { act } from "./act.server";
import { confirmMinutes, correctMinutes, MINUTES_CONFIRM_DAYS } from "./confirm.server";
import { getMinutes, respondToMinutes, writeSummary } from "./minutes.server";
import { getPublicMinutes } from "./public.server";
import { RoomActionSchema } from "./schemas";
import { getOpenData } from "../outcomes/open-data.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

const A = (x: Record<string, unknown>) => RoomActionSchema.parse(x);
const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string; messageKey?: string }) => `${e.code}:${e.messageKey}`);

/** A closed session of a panel of two, one statement with a phone number typed in. */
async function closedWorld() {
  const w = await makeRoomWorld(database.db, { panel: 2 });
  const mod = w.ctx(w.actors.committee);
  await act(mod, w.sessionId, A({ intent: "open" }));
  await act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "support", body: "赞成，有事打13812345678" }));
  await act(mod, w.sessionId, A({ intent: "close", confirm: "yes" }));
  return w;
}

describe("minutes: draft, confirmed, public, corrected (issue 19)", () => {
  it("the committee confirms only with a summary and once every panel member has confirmed", async () => {
    const w = await closedWorld();
    const [p1, p2] = w.actors.panel;
    const mod = w.ctx(w.actors.committee);
    expect(await code(confirmMinutes(w.ctx(p1), w.sessionId))).toBe("forbidden:errors.forbidden");
    expect(await code(confirmMinutes(mod, w.sessionId))).toBe("invalid_state:minutes.errors.noSummary");
    await writeSummary(mod, w.sessionId, { intent: "summary", summary: "多数支持改造。" });
    await respondToMinutes(w.ctx(p1), w.sessionId, { intent: "respond", kind: "confirm" });
    await respondToMinutes(w.ctx(p2), w.sessionId, { intent: "respond", kind: "comment", comment: "请补充费用" });
    // a comment is not a confirmation: one of two still missing, before the deadline
    expect(await code(confirmMinutes(mod, w.sessionId))).toBe("invalid_state:minutes.errors.awaiting");
    const draft = await getMinutes(w.ctx(p1), w.sessionId);
    expect(draft.status).toMatchObject({ expected: 2, missing: 1, confirmedAt: null, ready: false });
    // a draft is not public
    expect(await code(getPublicMinutes(w.ctx(null), w.sessionId))).toBe("not_found:minutes.errors.notPublic");
    await respondToMinutes(w.ctx(p2), w.sessionId, { intent: "respond", kind: "confirm" });
    // ready, but not confirmed by its second step: refused, still a draft
    expect(await code(confirmMinutes(mod, w.sessionId))).toBe("unconfirmed:confirm.required");
    await confirmMinutes(mod, w.sessionId, "yes");
    expect(await code(confirmMinutes(mod, w.sessionId, "yes"))).toBe("invalid_state:minutes.errors.alreadyConfirmed");
    const [ev] = await database.db.select().from(matterEvents).where(and(eq(matterEvents.matterId, w.matterId), eq(matterEvents.kind, "minutesConfirmed")));
    expect(ev.params).toMatchObject({ session: w.sessionId, unconfirmed: 0 });
  });

  it("after the stated deadline the committee confirms without the missing confirmations, and the result says how many were missing", async () => {
    const w = await closedWorld();
    const mod = w.ctx(w.actors.committee);
    await writeSummary(mod, w.sessionId, { intent: "summary", summary: "总结" });
    const justBefore = fixedClock(new Date(ROOM_NOW.getTime() + MINUTES_CONFIRM_DAYS * 86_400_000 - 60_000));
    expect(await code(confirmMinutes(w.ctx(w.actors.committee, justBefore), w.sessionId))).toBe("invalid_state:minutes.errors.awaiting");
    const after = fixedClock(new Date(ROOM_NOW.getTime() + MINUTES_CONFIRM_DAYS * 86_400_000));
    await confirmMinutes(w.ctx(w.actors.committee, after), w.sessionId, "yes");
    const [ev] = await database.db.select().from(matterEvents).where(and(eq(matterEvents.matterId, w.matterId), eq(matterEvents.kind, "minutesConfirmed")));
    expect(ev.params).toMatchObject({ unconfirmed: 2 });
  });

  it("confirmed minutes are public with names masked and numbers redacted, change only by a correction kept in the ledger, and appear in the open data", async () => {
    const w = await closedWorld();
    const [p1, p2] = w.actors.panel;
    const mod = w.ctx(w.actors.committee);
    await writeSummary(mod, w.sessionId, { intent: "summary", summary: "多数支持。联系人电话13900001111" });
    expect(await code(correctMinutes(mod, w.sessionId, { intent: "correct", correction: "太早" }))).toBe("invalid_state:minutes.errors.notConfirmed");
    for (const p of [p1, p2]) await respondToMinutes(w.ctx(p), w.sessionId, { intent: "respond", kind: "confirm" });
    await confirmMinutes(mod, w.sessionId, "yes");

    // the confirmed text no longer changes, and nobody re-answers it
    expect(await code(writeSummary(mod, w.sessionId, { intent: "summary", summary: "改写" }))).toBe("invalid_state:minutes.errors.alreadyConfirmed");
    expect(await code(respondToMinutes(w.ctx(p1), w.sessionId, { intent: "respond", kind: "comment", comment: "再改" }))).toBe("invalid_state:minutes.errors.alreadyConfirmed");
    expect(await code(correctMinutes(w.ctx(p1), w.sessionId, { intent: "correct", correction: "x" }))).toBe("forbidden:errors.forbidden");
    await correctMinutes(mod, w.sessionId, { intent: "correct", correction: "第二项议程时长应为25分钟。" });

    const pub = await getPublicMinutes(w.ctx(null), w.sessionId);
    const text = JSON.stringify(pub);
    expect(pub.summary).toBe("多数支持。联系人电话[…]");
    expect(text).not.toContain("13812345678");
    expect(text).not.toContain(p1.displayName);
    expect(pub.statements[0].speaker).toBe("代**");
    expect(pub.corrections.map((c) => c.body)).toEqual(["第二项议程时长应为25分钟。"]);
    expect(pub.confirmations).toEqual({ confirm: 2 });
    const own = await getMinutes(w.ctx(p1), w.sessionId);
    expect(own.summary).toBe("多数支持。联系人电话13900001111");
    expect(own.corrections).toHaveLength(1);

    const ledger = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.action, "matter.minutesCorrected"));
    expect(ledger.some((l) => (l.summary as { body?: string }).body === "第二项议程时长应为25分钟。")).toBe(true);

    const open = await getOpenData(w.ctx(null), w.tree.a1.id);
    const m = open.matters.find((x) => x.id === w.matterId)!;
    expect(m.minutes).toEqual([expect.objectContaining({ sessionId: w.sessionId, url: `/open/minutes/${w.sessionId}`, summary: "多数支持。联系人电话[…]" })]);
  });

  it("at a 居民会议 a resident who only posts a statement (one round trip, no socket) is present and expected to confirm", async () => {
    const w = await makeRoomWorld(database.db, { panel: 1 });
    await database.db.update(matters).set({ form: "meeting" }).where(eq(matters.id, w.matterId));
    const mod = w.ctx(w.actors.committee);
    await act(mod, w.sessionId, A({ intent: "open" }));
    await act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "post", stance: "support", body: "赞成" }));
    const present = await database.db.select().from(roomAttendance).where(eq(roomAttendance.sessionId, w.sessionId));
    expect(present.find((r) => r.userId === w.users.observer)).toMatchObject({ role: "panel", inPerson: false });
    await act(mod, w.sessionId, A({ intent: "close", confirm: "yes" }));
    expect((await getMinutes(mod, w.sessionId)).status).toMatchObject({ expected: 1, missing: 1 });
  });
});
