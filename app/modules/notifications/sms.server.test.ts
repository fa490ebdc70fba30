import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { notificationDeliveries, notificationSettings } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { context, makeUser } from "../../../tests/support/factories";
import { fixedClock } from "../shared/clock";
import { fromBeijing } from "../shared/beijing-time";
import { inTransaction } from "../shared/context";
import { notify } from "./notifications.server";
import { deliverOne, relayOutbox } from "./outbox.server";
import { afterQuietHours, consoleSmsProvider, smsChannel, smsSegments } from "./sms.server";

describe("SMS rules", () => {
  it("counts 70 characters as one segment and longer texts in parts of 67", () => {
    expect(smsSegments("路".repeat(70))).toBe(1);
    expect(smsSegments("路".repeat(71))).toBe(2);
    expect(smsSegments("路".repeat(134))).toBe(2);
    expect(smsSegments("路".repeat(135))).toBe(3);
  });

  it("keeps quiet from 21:00 to 08:00 Beijing time", () => {
    expect(afterQuietHours(fromBeijing("2026-12-03", "20:59"))).toBeNull();
    expect(afterQuietHours(fromBeijing("2026-12-03", "08:00"))).toBeNull();
    expect(afterQuietHours(fromBeijing("2026-12-03", "21:00"))).toEqual(fromBeijing("2026-12-04", "08:00"));
    expect(afterQuietHours(fromBeijing("2026-12-03", "23:00"))).toEqual(fromBeijing("2026-12-04", "08:00"));
    expect(afterQuietHours(fromBeijing("2026-12-04", "07:59"))).toEqual(fromBeijing("2026-12-04", "08:00"));
  });
});

describe("an SMS notice", () => {
  let database: Database;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it("a resident on 'important only' by SMS gets one text when a vote opens at 23:00, held until 08:00, and none for minor news", async () => {
    const db = database.db;
    const u = await makeUser(db, { phone: "13912345678", name: "何奶奶" });
    await db.insert(notificationSettings).values({ userId: u.id, smsLevel: "important" });
    const sent: { to: string; text: string; segments: number }[] = [];
    const channels = { sms: smsChannel(consoleSmsProvider((l) => void sent.push(l as never)), { signature: "议事" }) };
    const clock = fixedClock(fromBeijing("2026-12-03", "23:00"));
    const { ctx } = context(db, null, clock);
    await inTransaction(ctx, (tx, emit) =>
      notify(tx, emit, [u.id], { kind: "notify.matter.transition", params: { title: "路灯维修", state: "@matters.state.voting" }, link: "/matters/1", at: clock.now() }),
    );
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], { kind: "notify.volunteers.confirmed", params: { title: "清扫", hours: 2 }, at: clock.now() }));
    const queued: number[] = [];
    const relay = () => relayOutbox(db, clock.now(), async (items) => void queued.push(...items.map((i) => i.id)));

    expect(await relay()).toBe(1);
    expect(await deliverOne(db, queued[0], channels, { now: clock.now(), final: false })).toBe("held");
    expect(sent).toEqual([]);
    // still quiet at 07:59: the relay leaves it
    clock.advance(fromBeijing("2026-12-04", "07:59").getTime() - clock.now().getTime());
    expect(await relay()).toBe(0);
    clock.advance(60_000);
    expect(await relay()).toBe(1);
    expect(await deliverOne(db, queued[1], channels, { now: clock.now(), final: false })).toBe("sent");
    expect(await deliverOne(db, queued[1], channels, { now: clock.now(), final: false })).toBe("already");
    expect(sent).toEqual([{ sms: true, to: "13912345678", segments: 1, key: expect.stringMatching(/:sms$/), text: "【议事】您关注的议题“路灯维修”：表决中" }]);
    const rows = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.userId, u.id));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["sent", 1]]);
  });
});
