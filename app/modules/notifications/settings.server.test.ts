import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, notificationSettings } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, makeUser, outcomeOf } from "../../../tests/support/factories";
import { getNotificationSettings, updateNotificationSettings } from "./settings.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

describe("notification settings", () => {
  it("a person sets their own levels per channel; e-mail needs an address and SMS a phone; nothing changes on a refusal", async () => {
    const db = database.db;
    const phoneless = await makeUser(db);
    const withPhone = await makeUser(db, { phone: "13900001111" });
    const me = context(db, await actorOf(db, phoneless.id)).ctx;
    expect(await getNotificationSettings(me)).toMatchObject({ emailLevel: "none", smsLevel: "none", phone: null });

    expect(await outcomeOf(updateNotificationSettings(context(db, null).ctx, { emailLevel: "none", smsLevel: "none", locale: "en" }))).toBe("errors.unauthenticated");
    await expect(updateNotificationSettings(me, { emailLevel: "every", smsLevel: "none", locale: "zh-CN" })).rejects.toThrow();
    await expect(updateNotificationSettings(me, { email: "not an address", emailLevel: "every", smsLevel: "none", locale: "zh-CN" })).rejects.toThrow();
    expect(await outcomeOf(updateNotificationSettings(me, { email: "a@example.cn", emailLevel: "every", smsLevel: "important", locale: "zh-CN" }))).toBe("notifications.errors.phoneNeeded");
    expect(await db.select().from(notificationSettings).where(eq(notificationSettings.userId, phoneless.id))).toEqual([]);

    await updateNotificationSettings(me, { email: " a@example.cn ", emailLevel: "digest", smsLevel: "none", locale: "en" });
    expect(await getNotificationSettings(me)).toMatchObject({ email: "a@example.cn", emailLevel: "digest", smsLevel: "none", locale: "en" });
    const other = context(db, await actorOf(db, withPhone.id)).ctx;
    await updateNotificationSettings(other, { emailLevel: "none", smsLevel: "important", locale: "zh-CN" });
    expect(await getNotificationSettings(other)).toMatchObject({ smsLevel: "important", phone: "13900001111", smsUrgent: [] });
    // urgent kinds: one ticked box arrives as a string, several as a list; an unknown kind is refused
    await updateNotificationSettings(other, { emailLevel: "none", smsLevel: "important", locale: "zh-CN", smsUrgent: "notify.matter.transition" });
    expect(await getNotificationSettings(other)).toMatchObject({ smsUrgent: ["notify.matter.transition"] });
    await updateNotificationSettings(other, { emailLevel: "none", smsLevel: "important", locale: "zh-CN", smsUrgent: ["notify.matter.transition", "notify.commitment.overdue"] });
    expect(await getNotificationSettings(other)).toMatchObject({ smsUrgent: ["notify.matter.transition", "notify.commitment.overdue"] });
    await expect(updateNotificationSettings(other, { emailLevel: "none", smsLevel: "important", locale: "zh-CN", smsUrgent: ["notify.volunteers.confirmed"] })).rejects.toThrow();
    expect(await getNotificationSettings(other)).toMatchObject({ smsUrgent: ["notify.matter.transition", "notify.commitment.overdue"] });
    // the ledger says what changed, never the address
    const [entry] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.stream, `user:${phoneless.id}`));
    expect(entry.action).toBe("notification.settingsChanged");
    expect(JSON.stringify(entry.summary)).not.toContain("a@example.cn");
  });
});
