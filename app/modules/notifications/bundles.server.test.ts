import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../../../db/client";
import { follows, notificationDeliveries, notifications, notificationSettings } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, join, makeCategory, makeTree, makeUser, outcomeOf } from "../../../tests/support/factories";
import { fixedClock } from "../shared/clock";
import { fromBeijing } from "../shared/beijing-time";
import { inTransaction } from "../shared/context";
import { createDraft } from "../matters/proposals.server";
import { BURST_WINDOW_MS, gatherDigests, matterOfLink } from "./bundles.server";
import { composeEmail } from "./email.server";
import { setMatterMuted } from "./mute.server";
import { notify } from "./notifications.server";
import { deliverOne, relayOutbox, type Delivery } from "./outbox.server";
import { consoleSmsProvider, smsChannel } from "./sms.server";

let database: Database;
let db: Db;
let tree: Awaited<ReturnType<typeof makeTree>>;
beforeAll(async () => {
  database = await testDatabase();
  db = database.db;
  tree = await makeTree(db);
});
afterAll(() => database.close());

const MIN = 60_000;
const origin = { origin: "https://yishi.example.cn", unsubscribeKey: "k".repeat(40) };
const draft = { title: "东门路灯不亮", description: "晚上回家看不清路。", affectedArea: "东门", desiredOutcome: "修好路灯" };

/** A matter in community a1 and residents who follow it, each with e-mail at `level`. */
async function followedMatter(n: number, level = "every") {
  const proposer = await makeUser(db);
  await join(db, proposer.id, tree.a1.id);
  const category = await makeCategory(db, tree.a1.id);
  const { id } = await createDraft(context(db, await actorOf(db, proposer.id)).ctx, tree.a1.id, { ...draft, categoryId: category.id });
  const people = [];
  for (let i = 0; i < n; i++) {
    const u = await makeUser(db, { phone: `1391234${String(5000 + i + id * 10).padStart(4, "0")}` });
    await db.insert(notificationSettings).values({ userId: u.id, email: `r${u.id}@example.cn`, emailLevel: level });
    await db.insert(follows).values({ matterId: id, userId: u.id });
    people.push(u);
  }
  return { matterId: id, people };
}

function capture() {
  const sent: Delivery[] = [];
  return { sent, channels: { email: { send: async (d: Delivery) => void sent.push(d) } } };
}
const update = (matterId: number, state: string, at: Date) =>
  ({ kind: "notify.matter.transition" as const, params: { title: "东门路灯不亮", state }, link: `/matters/${matterId}`, at });
const rowsOf = (userId: number) =>
  db.select().from(notificationDeliveries).where(eq(notificationDeliveries.userId, userId)).orderBy(notificationDeliveries.id);

describe("a notice's matter", () => {
  it("is read from its link when the caller names none", () => {
    expect(matterOfLink("/matters/12")).toBe(12);
    expect(matterOfLink("/matters/12/room?x=1")).toBe(12);
    expect(matterOfLink("/matters/12x")).toBeNull();
    expect(matterOfLink("/activities/12")).toBeNull();
    expect(matterOfLink(null)).toBeNull();
  });
});

describe("muting a followed matter", () => {
  it("keeps its notices in the app and sends no e-mail about it; only one's own follow can be muted", async () => {
    const { matterId, people } = await followedMatter(2);
    const [quiet, loud] = people;
    const { ctx, clock } = context(db, await actorOf(db, quiet.id));
    expect(await setMatterMuted(ctx, { matterId, muted: "true" })).toMatchObject({ matterId, muted: true });

    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [quiet.id, loud.id], update(matterId, "@matters.state.voting", clock.now())));
    expect(await db.select().from(notifications).where(eq(notifications.userId, quiet.id))).toHaveLength(1);
    expect(await rowsOf(quiet.id)).toEqual([]);
    expect((await rowsOf(loud.id)).map((r) => r.status)).toEqual(["pending"]);

    // unmuted, the next notice goes out again
    await setMatterMuted(ctx, { matterId, muted: "false" });
    clock.advance(2 * BURST_WINDOW_MS);
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [quiet.id], update(matterId, "@matters.state.closed", clock.now())));
    expect((await rowsOf(quiet.id)).map((r) => r.status)).toEqual(["pending"]);

    // a matter one does not follow, a mangled id, or nobody signed in: refused, nothing changes
    const other = await followedMatter(1);
    expect(await outcomeOf(setMatterMuted(ctx, { matterId: other.matterId, muted: "true" }))).toBe("notifications.errors.notFollowing");
    expect((await db.select().from(follows).where(eq(follows.matterId, other.matterId)))[0].muted).toBe(false);
    await expect(setMatterMuted(ctx, { matterId: "1; drop table", muted: "true" })).rejects.toThrow();
    expect(await outcomeOf(setMatterMuted(context(db, null).ctx, { matterId, muted: "true" }))).toBe("errors.unauthenticated");
  });
});

describe("bursts", () => {
  it("sends the first update at once and the rest of the hour as one message when the hour is up", async () => {
    const { matterId, people } = await followedMatter(1);
    const [u] = people;
    const clock = fixedClock(fromBeijing("2026-12-03", "10:00"));
    const { ctx } = context(db, null, clock);
    const { sent, channels } = capture();
    const t0 = clock.now();
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], update(matterId, "@matters.state.review", clock.now())));
    // the first goes out at once (the relay hands it over within a second)
    const [first] = await rowsOf(u.id);
    expect(await deliverOne(db, first.id, channels, { now: clock.now(), final: false })).toBe("sent");
    clock.advance(10 * MIN);
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], update(matterId, "@matters.state.collecting", clock.now())));
    clock.advance(10 * MIN);
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], update(matterId, "@matters.state.voting", clock.now())));
    // another matter's notice is not folded in
    const other = await followedMatter(0);
    await db.insert(follows).values({ matterId: other.matterId, userId: u.id });
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], update(other.matterId, "@matters.state.voting", clock.now())));

    const rows = await rowsOf(u.id);
    expect(rows.map((r) => [r.bundleKey === null, r.notBefore?.getTime() ?? null])).toEqual([
      [true, null],
      [false, t0.getTime() + BURST_WINDOW_MS],
      [false, t0.getTime() + BURST_WINDOW_MS],
      [true, null],
    ]);
    expect(rows[1].bundleKey).toBe(rows[2].bundleKey);

    // at 10:20 the relay hands over the other matter's notice, not the burst
    const queued: number[] = [];
    await relayOutbox(db, clock.now(), async (items) => void queued.push(...items.map((i) => i.id)));
    expect(queued.filter((id) => rows.some((r) => r.id === id))).toEqual([rows[3].id]);
    expect(await deliverOne(db, rows[3].id, channels, { now: clock.now(), final: false })).toBe("sent");
    expect(sent.map((d) => d.bundle)).toEqual([null, null]);

    clock.advance(41 * MIN);
    queued.length = 0;
    await relayOutbox(db, clock.now(), async (items) => void queued.push(...items.map((i) => i.id)));
    expect(queued.filter((id) => rows.some((r) => r.id === id))).toEqual([rows[1].id, rows[2].id]);
    expect(await deliverOne(db, rows[2].id, channels, { now: clock.now(), final: false })).toBe("sent");
    expect(await deliverOne(db, rows[1].id, channels, { now: clock.now(), final: false })).toBe("already");
    expect(sent).toHaveLength(3);
    const burst = sent[2];
    expect(burst.bundle?.type).toBe("burst");
    expect(burst.bundle?.items.map((i) => i.params.state)).toEqual(["@matters.state.collecting", "@matters.state.voting"]);
    const mail = composeEmail(burst, origin);
    expect(mail.subject).toContain("“东门路灯不亮”有 2 条新动态");
    expect(mail.text).toContain(`https://yishi.example.cn/matters/${matterId}`);
    expect(mail.text.match(/^- /gm)).toHaveLength(2);
    expect((await rowsOf(u.id)).map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent"]);

    // an update after the burst went out waits an hour from the burst
    clock.advance(5 * MIN);
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], update(matterId, "@matters.state.closed", clock.now())));
    const last = (await rowsOf(u.id)).at(-1)!;
    expect(last.notBefore?.getTime()).toBe(t0.getTime() + 2 * BURST_WINDOW_MS);
  });

  it("gathers a text held overnight with the updates of the night into one text in the morning", async () => {
    const { matterId, people } = await followedMatter(1, "none");
    const [u] = people;
    await db.update(notificationSettings).set({ smsLevel: "every" }).where(eq(notificationSettings.userId, u.id));
    const texts: string[] = [];
    const channels = { sms: smsChannel(consoleSmsProvider((l) => void texts.push(String(l.text))), { signature: "议事" }) };
    const clock = fixedClock(fromBeijing("2026-12-03", "22:00"));
    const { ctx } = context(db, null, clock);
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], update(matterId, "@matters.state.review", clock.now())));
    const [first] = await rowsOf(u.id);
    expect(await deliverOne(db, first.id, channels, { now: clock.now(), final: false })).toBe("held");
    clock.advance(90 * MIN);
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], update(matterId, "@matters.state.voting", clock.now())));
    clock.advance(10 * MIN);
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], update(matterId, "@matters.state.closed", clock.now())));

    // nothing before 08:00; then the three of the night as one text
    clock.advance(fromBeijing("2026-12-04", "07:59").getTime() - clock.now().getTime());
    const mine = new Set((await rowsOf(u.id)).map((r) => r.id));
    const ids: number[] = [];
    const relay = () => relayOutbox(db, clock.now(), async (items) => void ids.push(...items.map((i) => i.id).filter((id) => mine.has(id))));
    await relay();
    expect(ids).toEqual([]);
    clock.advance(MIN);
    await relay();
    const outcomes = [];
    for (const id of ids) outcomes.push(await deliverOne(db, id, channels, { now: clock.now(), final: false }));
    expect(outcomes).toEqual(["sent", "already", "already"]);
    expect(texts).toEqual(["【议事】“东门路灯不亮”有 3 条新动态"]);
    expect((await rowsOf(u.id)).every((r) => r.status === "sent")).toBe(true);
  });
});

describe("the daily digest", () => {
  it("gathers a day's digest-level notices into one message per person and channel, once", async () => {
    const { matterId, people } = await followedMatter(2, "digest");
    const clock = fixedClock(fromBeijing("2026-12-03", "09:00"));
    const { ctx } = context(db, null, clock);
    const { sent, channels } = capture();
    for (const state of ["@matters.state.review", "@matters.state.collecting", "@matters.state.voting"]) {
      await inTransaction(ctx, (tx, emit) => notify(tx, emit, people.map((p) => p.id), update(matterId, state, clock.now())));
      clock.advance(3 * 60 * MIN);
    }
    for (const p of people) expect((await rowsOf(p.id)).map((r) => r.status)).toEqual(["digest", "digest", "digest"]);

    clock.advance(fromBeijing("2026-12-04", "08:00").getTime() - clock.now().getTime());
    expect(await gatherDigests(db, clock.now())).toBeGreaterThanOrEqual(6);
    expect(await gatherDigests(db, clock.now())).toBe(0);
    const rows = (await rowsOf(people[0].id)).concat(await rowsOf(people[1].id));
    expect(new Set(rows.map((r) => r.bundleKey)).size).toBe(2);
    expect(rows[0].bundleKey).toBe(`digest:${people[0].id}:email:2026-12-04`);

    const outcomes = [];
    for (const r of rows) outcomes.push(await deliverOne(db, r.id, channels, { now: clock.now(), final: false }));
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(2);
    expect(sent.filter((d) => people.some((p) => p.id === d.userId))).toHaveLength(2);
    const digest = sent.find((d) => d.userId === people[0].id)!;
    expect(digest.bundle?.type).toBe("digest");
    const mail = composeEmail(digest, origin);
    expect(mail.subject).toContain("议事每日汇总：3 条新通知");
    expect(mail.text).toContain("https://yishi.example.cn/notifications");
    expect(mail.html.match(/<li>/g)).toHaveLength(3);
  });
});

describe("urgent texts", () => {
  it("go out during quiet hours for the kinds a person marked urgent, and wait for the rest", async () => {
    const u = await makeUser(db, { phone: "13800001111" });
    await db.insert(notificationSettings).values({ userId: u.id, smsLevel: "every", smsUrgentKinds: ["notify.matter.transition"] });
    const texts: string[] = [];
    const channels = { sms: smsChannel(consoleSmsProvider((l) => void texts.push(String(l.text))), { signature: "议事" }) };
    const clock = fixedClock(fromBeijing("2026-12-03", "23:30"));
    const { ctx } = context(db, null, clock);
    await inTransaction(ctx, (tx, emit) =>
      notify(tx, emit, [u.id], { kind: "notify.matter.transition", params: { title: "路灯", state: "@matters.state.voting" }, at: clock.now() }),
    );
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [u.id], { kind: "notify.volunteers.confirmed", params: { title: "清扫", hours: 2 }, at: clock.now() }));
    const [urgent, minor] = await rowsOf(u.id);
    expect(await deliverOne(db, urgent.id, channels, { now: clock.now(), final: false })).toBe("sent");
    expect(await deliverOne(db, minor.id, channels, { now: clock.now(), final: false })).toBe("held");
    expect(texts).toHaveLength(1);
    const [held] = await db.select().from(notificationDeliveries).where(and(eq(notificationDeliveries.id, minor.id)));
    expect(held.notBefore).toEqual(fromBeijing("2026-12-04", "08:00"));
  });
});
