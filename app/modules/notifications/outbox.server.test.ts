import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Database, Db } from "../../../db/client";
import { ledgerEntries, notificationDeliveries, notifications, notificationSettings } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, grant, makeTree, makeUser, outcomeOf } from "../../../tests/support/factories";
import { startSmtp } from "../../../tests/support/smtp";
import { startJobs } from "../../../server/jobs";
import { startQueue, type Queue } from "../../../server/queue";
import { inTransaction } from "../shared/context";
import { EventBus } from "../shared/events";
import { emailChannel, readUnsubscribeToken } from "./email.server";
import { notify } from "./notifications.server";
import { unsubscribe } from "./unsubscribe.server";
import { deliverOne, listDeadDeliveries, retryDeadDelivery } from "./outbox.server";

const KEY = "k".repeat(40);
const log = pino({ level: "silent" });
const until = async (ok: () => boolean | Promise<boolean>, ms = 40_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
};

let database: Database;
let db: Db;
beforeAll(async () => {
  database = await testDatabase();
  db = database.db;
});
afterAll(async () => {
  await database.close();
});

async function resident(settings: { email?: string; emailLevel?: string; smsLevel?: string; locale?: string } | null, name?: string) {
  const u = await makeUser(db, { name });
  if (settings) await db.insert(notificationSettings).values({ userId: u.id, ...settings });
  return u;
}
const deliveriesOf = (userId: number) => db.select().from(notificationDeliveries).where(eq(notificationDeliveries.userId, userId));
const transition = { kind: "notify.matter.transition" as const, params: { title: "路灯维修", state: "@matters.state.voting" }, link: "/matters/1" };

describe("the outbox", () => {
  it("is written with the notice in one transaction: per channel by level, and a rollback leaves neither", async () => {
    const { ctx, clock } = context(db, null);
    const every = await resident({ email: "every@example.cn", emailLevel: "every", smsLevel: "important" });
    const digest = await resident({ email: "digest@example.cn", emailLevel: "digest" });
    const none = await resident({ email: "none@example.cn", emailLevel: "none" });
    const noAddress = await resident({ emailLevel: "every" });
    const plain = await resident(null);
    const all = [every, digest, none, noAddress, plain].map((u) => u.id);

    await expect(
      inTransaction(ctx, async (tx, emit) => {
        await notify(tx, emit, all, { ...transition, at: clock.now() });
        throw new Error("the event's transaction fails");
      }),
    ).rejects.toThrow();
    expect(await db.select().from(notifications).where(eq(notifications.userId, every.id))).toHaveLength(0);
    expect(await deliveriesOf(every.id)).toHaveLength(0);

    await inTransaction(ctx, (tx, emit) => notify(tx, emit, all, { ...transition, at: clock.now() }));
    const [n] = await db.select().from(notifications).where(eq(notifications.userId, every.id));
    expect((await deliveriesOf(every.id)).map((d) => [d.channel, d.status, d.key]).sort()).toEqual([
      ["email", "pending", `${n.id}:email`],
      ["sms", "pending", `${n.id}:sms`],
    ]);
    expect((await deliveriesOf(digest.id)).map((d) => [d.channel, d.status])).toEqual([["email", "digest"]]);
    for (const u of [none, noAddress, plain]) expect(await deliveriesOf(u.id)).toEqual([]);

    // "important only" lets a state change through and not a volunteer's confirmation
    const important = await resident({ email: "imp@example.cn", emailLevel: "important" });
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [important.id], { kind: "notify.volunteers.confirmed", params: { title: "x", hours: 2 }, at: clock.now() }));
    expect(await deliveriesOf(important.id)).toEqual([]);
  });
});

describe("e-mail delivery on the job queue, against a real SMTP server", () => {
  let queue: Queue;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let stopJobs: () => Promise<void>;
  let email: ReturnType<typeof emailChannel>;
  // the bus the jobs listen to: a committed notice kicks the relay through it
  const bus = new EventBus();
  beforeAll(async () => {
    smtp = await startSmtp();
    queue = await startQueue({ database, log, poolSize: 3 });
    email = emailChannel({ smtpUrl: smtp.url, from: "议事 <noreply@yishi.example.cn>", origin: "https://yishi.example.cn", unsubscribeKey: KEY });
    const { ctx } = context(db, null);
    stopJobs = await startJobs({ queue, db, events: bus, log, clock: ctx.clock, voteSchedulerMs: 60_000, channels: { email }, retry: { limit: 2, delaySeconds: 1 } });
  });
  afterAll(async () => {
    await stopJobs?.();
    await queue?.stop({ graceful: false, wait: true, timeout: 2_000 }).catch(() => {});
    email?.close();
    await smtp?.stop();
  });
  const to = (addr: string) => smtp.received.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(addr)));

  it("sends each delivery once, in the recipient's language, with a signed one-click unsubscribe link and header", async () => {
    const zh = await resident({ email: "wang@example.cn", emailLevel: "every" }, "王阿姨");
    const en = await resident({ email: "li@example.cn", emailLevel: "every", locale: "en" }, "Li");
    const { ctx, clock } = context(db, null);
    // the queue's relay is kicked by the event this publishes after commit
    await inTransaction({ ...ctx, events: bus }, (tx, emit) => notify(tx, emit, [zh.id, en.id], { ...transition, at: clock.now() }));
    await until(() => to("wang@example.cn").length === 1 && to("li@example.cn").length === 1);

    const [m] = to("wang@example.cn");
    expect(m.subject).toBe("议事：您关注的议题“路灯维修”：表决中");
    expect(m.text).toContain("王阿姨，您好");
    expect(m.html).toContain('href="https://yishi.example.cn/matters/1"');
    // the raw header lines, as a mail client reads them
    const line = (key: string) => m.headerLines.find((h) => h.key === key)?.line ?? "";
    const header = line("list-unsubscribe");
    const link = /<(https:\/\/yishi\.example\.cn\/unsubscribe\/([^>]+))>/.exec(header);
    expect(link).not.toBeNull();
    expect(readUnsubscribeToken(KEY, link![2])).toEqual({ userId: zh.id, channel: "email" });
    expect(readUnsubscribeToken("another key".padEnd(40, "x"), link![2])).toBeNull();
    expect(line("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(m.text).toContain(link![1]);
    expect(to("li@example.cn")[0].subject).toMatch(/^Yishi: A matter you follow, “路灯维修”/);

    // the row is the idempotency record: a second job for a sent delivery sends nothing
    const [d] = await deliveriesOf(zh.id);
    expect(d.status).toBe("sent");
    expect(await deliverOne(db, d.id, { email }, { now: clock.now(), final: false })).toBe("already");
    await new Promise((r) => setTimeout(r, 300));
    expect(to("wang@example.cn")).toHaveLength(1);

    // the link's one click turns e-mail off for that person; a forged or foreign token changes nothing
    const keyed = { ...ctx, settings: { notifications: { unsubscribeKey: KEY } } };
    expect(await outcomeOf(unsubscribe(keyed, { token: link![2].replace(/.$/, (c) => (c === "A" ? "B" : "A")) }))).toBe("notifications.errors.badToken");
    expect(await outcomeOf(unsubscribe(ctx, { token: link![2] }))).toBe("notifications.errors.badToken");
    await unsubscribe(keyed, { token: link![2] });
    const [after] = await db.select().from(notificationSettings).where(eq(notificationSettings.userId, zh.id));
    expect(after.emailLevel).toBe("none");
    await inTransaction(ctx, (tx, emit) => notify(tx, emit, [zh.id], { ...transition, at: clock.now() }));
    expect((await deliveriesOf(zh.id)).length).toBe(1);
  });

  it("keeps messages while the SMTP server is down and delivers each exactly once when it returns", async () => {
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => resident({ email: `down${i}@example.cn`, emailLevel: "every" })));
    await smtp.stop();
    const { ctx, clock } = context(db, null);
    await inTransaction({ ...ctx, events: bus }, (tx, emit) => notify(tx, emit, people.map((p) => p.id), { ...transition, at: clock.now() }));
    // every first try fails against the closed port
    await until(async () => (await Promise.all(people.map((p) => deliveriesOf(p.id)))).flat().every((d) => d.attempts >= 1 && d.status === "pending"));
    await smtp.start();
    await until(() => people.every((_, i) => to(`down${i}@example.cn`).length >= 1));
    // the row turns "sent" after the server took the message: wait for that too (a fixed pause
    // raced it on a loaded machine), then a while longer for any second copy to show up
    await until(async () => (await Promise.all(people.map((p) => deliveriesOf(p.id)))).flat().every((d) => d.status === "sent"));
    await new Promise((r) => setTimeout(r, 1_500));
    for (let i = 0; i < people.length; i++) expect(to(`down${i}@example.cn`)).toHaveLength(1);
    expect((await Promise.all(people.map((p) => deliveriesOf(p.id)))).flat().map((d) => d.status)).toEqual(Array(6).fill("sent"));
  }, 120_000); // waits on retries with backoff: each wait is bounded by `until`, and on a loaded CI several add up past 30 s

  it("puts a delivery that keeps failing on the dead-letter list, where an admin (and no one else) sends it again", async () => {
    const bounced = await resident({ email: "full@example.cn", emailLevel: "every" });
    smtp.setReject((addr) => addr === "full@example.cn");
    const { ctx, clock } = context(db, null);
    await inTransaction({ ...ctx, events: bus }, (tx, emit) => notify(tx, emit, [bounced.id], { ...transition, at: clock.now() }));
    await until(async () => (await deliveriesOf(bounced.id))[0]?.status === "dead");
    const [dead] = await deliveriesOf(bounced.id);
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toMatch(/451/);

    const tree = await makeTree(db);
    const admin = await makeUser(db);
    await grant(db, admin.id, "county_admin", tree.county.id);
    const adminCtx = context(db, await actorOf(db, admin.id)).ctx;
    const residentCtx = context(db, await actorOf(db, bounced.id)).ctx;
    expect((await listDeadDeliveries(adminCtx)).map((d) => d.id)).toContain(dead.id);
    expect(await outcomeOf(listDeadDeliveries(residentCtx))).toBe("errors.forbidden");
    expect(await outcomeOf(retryDeadDelivery(residentCtx, { deliveryId: dead.id }))).toBe("errors.forbidden");

    smtp.setReject(undefined);
    await retryDeadDelivery({ ...adminCtx, events: bus }, { deliveryId: dead.id });
    expect(await outcomeOf(retryDeadDelivery(adminCtx, { deliveryId: dead.id }))).toBe("notifications.errors.notDead");
    await until(() => to("full@example.cn").length === 1);
    expect((await deliveriesOf(bounced.id))[0].status).toBe("sent");
    const ledger = await db.select().from(ledgerEntries).where(eq(ledgerEntries.action, "notification.delivery.retried"));
    expect(ledger.map((e) => [e.actorId, e.entityId])).toEqual([[admin.id, String(dead.id)]]);
  }, 120_000); // waits on retries with backoff: each wait is bounded by `until`, and on a loaded CI several add up past 30 s
});
