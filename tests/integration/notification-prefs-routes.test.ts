/**
 * The notification settings page without JavaScript: ticking urgent kinds, and muting a followed
 * matter by plain form posts (redirect with the notice; a matter one does not follow is refused
 * beside the form, changing nothing).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { follows, notificationSettings } from "../../db/schema";
import { action, loader } from "../../app/routes/account_.notifications";
import { testDatabase } from "../support/db";
import { actorOf, join, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";
import { makeMatter } from "../support/room";

let database: Database;
let residentId: number;
let followed: number;
let other: number;
beforeAll(async () => {
  database = await testDatabase();
  const tree = await makeTree(database.db);
  residentId = (await makeUser(database.db, { name: "王阿姨", phone: "13900002222" })).id;
  await join(database.db, residentId, tree.a1.id);
  const proposer = (await makeUser(database.db)).id;
  followed = (await makeMatter(database.db, tree.a1.id, proposer, tree.county.id)).id;
  other = (await makeMatter(database.db, tree.a1.id, proposer, tree.county.id)).id;
  await database.db.insert(follows).values({ matterId: followed, userId: residentId });
});
afterAll(() => database.close());

describe("the notification settings page", () => {
  it("saves urgent kinds and mutes and unmutes a followed matter by plain forms", async () => {
    const ctx = loadContext(database.db, await actorOf(database.db, residentId));
    const saved = await callRoute(action, {
      context: ctx,
      body: formBody({ emailLevel: "none", smsLevel: "important", locale: "zh-CN", smsUrgent: "notify.matter.transition" }),
    });
    expect(saved.status).toBe(302);
    const [s] = await database.db.select().from(notificationSettings).where(eq(notificationSettings.userId, residentId));
    expect(s.smsUrgentKinds).toEqual(["notify.matter.transition"]);

    const page = await callRoute(loader, { url: "/account/notifications", context: ctx });
    expect(page.data.followed).toEqual([expect.objectContaining({ matterId: followed, muted: false })]);

    const muted = await callRoute(action, { context: ctx, body: formBody({ intent: "mute", matterId: String(followed), muted: "true" }) });
    expect(muted.status).toBe(302);
    expect(muted.headers.get("location")).toBe(`/account/notifications?muted=${followed}#follows`);
    const row = () => database.db.select().from(follows).where(and(eq(follows.matterId, followed), eq(follows.userId, residentId)));
    expect((await row())[0].muted).toBe(true);

    const refused = await callRoute(action, { context: ctx, body: formBody({ intent: "mute", matterId: String(other), muted: "true" }) });
    expect(refused.status).toBe(404);
    expect(refused.data.result.error[""][0]).toMatch(/^notifications.errors.notFollowing/);
    const mangled = await callRoute(action, { context: ctx, body: formBody({ intent: "mute", matterId: "../1", muted: "maybe" }) });
    expect(mangled.status).toBe(400);

    await callRoute(action, { context: ctx, body: formBody({ intent: "mute", matterId: String(followed), muted: "false" }) });
    expect((await row())[0].muted).toBe(false);
  });
});
