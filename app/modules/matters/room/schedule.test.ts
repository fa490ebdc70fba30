import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { matterEvents, matters, roomSessions } from "../../../../db/schema";
import { beijingLocalInput } from "../../shared/beijing-time";
import { testDatabase } from "../../../../tests/support/db";
import { makeMatter, makeRoomWorld, ROOM_NOW, type RoomWorld } from "../../../../tests/support/room";
import { scheduleSession } from "./agenda.server";
import { ScheduleSessionSchema } from "./schemas";

let database: Database;
let w: RoomWorld;
beforeAll(async () => {
  database = await testDatabase();
  w = await makeRoomWorld(database.db);
});
afterAll(() => database.close());

const DAY = 86_400_000;
const at = (ms: number) => ScheduleSessionSchema.parse({ scheduledAt: beijingLocalInput(new Date(ROOM_NOW.getTime() + ms)), place: "社区活动室", items: [{ title: "情况介绍", minutes: "30" }] });
const outcome = async (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string; messageKey?: string; field?: string }) => `${e.code}:${e.messageKey}${e.field ? `@${e.field}` : ""}`);
const stateOf = async (id: number) => (await database.db.select().from(matters).where(eq(matters.id, id)))[0];
const sessionsOf = async (id: number) => database.db.select().from(roomSessions).where(eq(roomSessions.matterId, id));

describe("one scheduling step", () => {
  it("for an accepted matter, the session's time is the consultation's: one command moves the matter to scheduled and inserts the session, or does neither", async () => {
    const m = await makeMatter(database.db, w.tree.a1.id, w.users.committee, w.tree.county.id, { state: "accepted", form: "meeting", published: null });
    // a resident may not; too soon for the notice period (the message beside the form's own field); a moderator from elsewhere
    expect(await outcome(scheduleSession(w.ctx(w.actors.observer), m.id, at(5 * DAY)))).toBe("forbidden:errors.forbidden");
    expect(await outcome(scheduleSession(w.ctx(w.actors.committee), m.id, at(DAY)))).toBe("validation:matters.errors.tooSoon@scheduledAt");
    expect(await outcome(scheduleSession(w.ctx(w.actors.committee), m.id, { ...at(5 * DAY), moderatorId: w.users.panel[0] }))).toBe("validation:room.errors.moderator@moderatorId");
    expect((await stateOf(m.id)).state).toBe("accepted");
    expect(await sessionsOf(m.id)).toEqual([]);

    const when = new Date(ROOM_NOW.getTime() + 5 * DAY);
    expect(await outcome(scheduleSession(w.ctx(w.actors.committee), m.id, at(5 * DAY)))).toBe("ok");
    const after = await stateOf(m.id);
    expect(after.state).toBe("scheduled");
    expect(after.scheduledFor?.getTime()).toBe(when.getTime());
    const sessions = await sessionsOf(m.id);
    expect(sessions.map((s) => s.scheduledAt.getTime())).toEqual([when.getTime()]);
    const kinds = (await database.db.select().from(matterEvents).where(eq(matterEvents.matterId, m.id))).map((e) => e.kind);
    expect(kinds).toEqual(["schedule", "roomScheduled"]);

    // a further sitting only adds a session: the consultation's time stays
    expect(await outcome(scheduleSession(w.ctx(w.actors.committee), m.id, at(7 * DAY)))).toBe("ok");
    expect((await stateOf(m.id)).scheduledFor?.getTime()).toBe(when.getTime());
    expect(await sessionsOf(m.id)).toHaveLength(2);
    const scheduled = await database.db.select().from(matterEvents).where(and(eq(matterEvents.matterId, m.id), eq(matterEvents.kind, "schedule")));
    expect(scheduled).toHaveLength(1);
  });

  it("a matter in no schedulable state is refused", async () => {
    const m = await makeMatter(database.db, w.tree.a1.id, w.users.committee, w.tree.county.id, { state: "accepted", form: "meeting" });
    await database.db.update(matters).set({ state: "draft" }).where(eq(matters.id, m.id));
    expect(await outcome(scheduleSession(w.ctx(w.actors.committee), m.id, at(5 * DAY)))).toBe("invalid_state:matters.errors.wrongState");
    expect(await sessionsOf(m.id)).toEqual([]);
  });
});
