/**
 * `notify`: a vote opens in a community of 10,000 verified residents — one notice fanned out to
 * all of them in one transaction (as `notify` does when a matter moves to voting) — on PostgreSQL,
 * with two queue instances sharing the job queue (each its own pg-boss pool, database pool and
 * workers; in one process, not two app servers), delivering e-mail to a local SMTP server
 * (smtp-server, parsed with mailparser). Preferences: 5% none, 10% a daily e-mail digest, the rest
 * half e-mail (every update or important only), half SMS important only (console provider; from
 * 21:00 to 08:00 Beijing time these are held for the morning, as the rules say).
 *
 * Measured from the commit: the fan-out handed to the queue (every pending delivery queued), all
 * e-mails at the SMTP server, messages/s, p99 commit → arrival; lost and duplicated by Message-ID.
 * Baseline in the same run: the same number of messages sent straight through one pooled
 * nodemailer transport to the same server (no outbox, no queue).
 */
import { eq, and, isNull, count } from "drizzle-orm";
import nodemailer from "nodemailer";
import { pino } from "pino";
import { migrate, openDatabase, type Database } from "../../../db/client";
import { notificationDeliveries, notificationSettings, users } from "../../../db/schema";
import { fixedClock, systemClock } from "../../../app/modules/shared/clock";
import { inTransaction } from "../../../app/modules/shared/context";
import { EventBus } from "../../../app/modules/shared/events";
import { emailChannel } from "../../../app/modules/notifications/email.server";
import { notify } from "../../../app/modules/notifications/notifications.server";
import { consoleSmsProvider, smsChannel } from "../../../app/modules/notifications/sms.server";
import { startJobs } from "../../../server/jobs";
import { startQueue, type Queue } from "../../../server/queue";
import { startSmtp } from "../../support/smtp";
import { freshDatabase, serverUrl } from "../lib/postgres";
import { atLeast, atMost, exactly, formatTable, round } from "../lib/report";
import type { Scenario } from "../lib/types";

const KEY = "bench-unsubscribe-key-".padEnd(40, "x");
const log = pino({ level: "warn" });

const scenario: Scenario = {
  name: "notify",
  description: "a vote opens for 10,000 residents: outbox fan-out, two queue instances, e-mail to a local SMTP server",
  async run(ctx) {
    const n = ctx.quick ? 1_000 : 10_000;
    const fresh = await freshDatabase(serverUrl(), "yishi_bench_notify");
    if (!fresh.ok) throw new Error(fresh.reason);
    ctx.defer(() => fresh.drop());
    const smtp = await startSmtp();
    ctx.defer(() => smtp.stop());

    const setup = await openDatabase({ url: fresh.url, poolSize: 4 });
    ctx.defer(() => setup.close());
    await migrate(setup);
    ctx.log(`seeding ${n} residents and their preferences`);
    const ids: number[] = [];
    for (let i = 0; i < n; i += 2_000) {
      const rows = await setup.db
        .insert(users)
        .values(Array.from({ length: Math.min(2_000, n - i) }, (_, j) => ({ username: `r${i + j}`, phone: `139${String(i + j).padStart(8, "0")}`, displayName: `居民${i + j}`, passwordHash: "x" })))
        .returning({ id: users.id });
      ids.push(...rows.map((r) => r.id));
    }
    let expectedEmail = 0;
    const prefs = ids.map((userId, i) => {
      if (i % 20 === 0) return { userId, emailLevel: "none", smsLevel: "none" };
      if (i % 10 === 1) return { userId, email: `r${i}@bench.example.cn`, emailLevel: "digest", smsLevel: "none" };
      if (i % 2 === 0) {
        expectedEmail++;
        return { userId, email: `r${i}@bench.example.cn`, emailLevel: i % 4 === 0 ? "every" : "important", smsLevel: "none" };
      }
      return { userId, emailLevel: "none", smsLevel: "important" };
    });
    for (let i = 0; i < prefs.length; i += 2_000) await setup.db.insert(notificationSettings).values(prefs.slice(i, i + 2_000));

    // baseline: the same number of messages straight through one pooled transport
    ctx.log(`baseline: ${expectedEmail} messages straight to the SMTP server`);
    const direct = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections: 5 } as Parameters<typeof nodemailer.createTransport>[0]);
    const b0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < expectedEmail) {
          const i = next++;
          await direct.sendMail({ from: "bench@example.cn", to: `base${i}@bench.example.cn`, subject: "议事：基线", text: "基线", html: "<p>基线</p>" });
        }
      }),
    );
    const baselineSeconds = (Date.now() - b0) / 1000;
    direct.close();
    smtp.received.length = 0;
    smtp.arrivals.length = 0;

    // two instances sharing the queue
    const instances: { database: Database; queue: Queue; stop: () => Promise<void>; events: EventBus }[] = [];
    let smsSent = 0;
    for (let k = 0; k < 2; k++) {
      const database = await openDatabase({ url: fresh.url, poolSize: 10 });
      const queue = await startQueue({ database, log, poolSize: 6 });
      const events = new EventBus();
      const email = emailChannel({ smtpUrl: smtp.url, from: "议事 <noreply@bench.example.cn>", origin: "https://yishi.example.cn", unsubscribeKey: KEY });
      const sms = smsChannel(consoleSmsProvider(() => void smsSent++), { signature: "议事" });
      const stop = await startJobs({ queue, db: database.db, events, log, clock: systemClock, voteSchedulerMs: 60_000, channels: { email, sms }, deliveryConcurrency: 20 });
      instances.push({ database, queue, stop, events });
      ctx.defer(async () => {
        await stop();
        await queue.stop({ graceful: false, wait: true, timeout: 3_000 }).catch(() => {});
        email.close();
        await database.close();
      });
    }

    ctx.log("a vote opens: one notice to every resident, in one transaction");
    const first = instances[0];
    const clock = fixedClock(new Date());
    await inTransaction({ db: first.database.db, actor: null, events: first.events, clock }, (tx, emit) =>
      notify(tx, emit, ids, { kind: "notify.matter.transition", params: { title: "小区道路坑洼修补", state: "@matters.state.voting" }, link: "/matters/1", at: clock.now() }),
    );
    const committed = Date.now();
    const unqueued = async () =>
      Number(
        (await setup.db.select({ n: count() }).from(notificationDeliveries).where(and(eq(notificationDeliveries.status, "pending"), isNull(notificationDeliveries.queuedAt))))[0].n,
      );
    let enqueuedMs: number | null = null;
    let deliveredMs: number | null = null;
    const deadline = committed + 120_000;
    while (Date.now() < deadline) {
      if (enqueuedMs === null && (await unqueued()) === 0) enqueuedMs = Date.now() - committed;
      if (smtp.received.length >= expectedEmail) {
        deliveredMs = Math.max(...smtp.arrivals) - committed;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2_000)); // anything sent twice would arrive now
    const messageIds = smtp.received.map((m) => m.messageId ?? "");
    const unique = new Set(messageIds).size;
    const latencies = smtp.arrivals.map((a) => a - committed).sort((x, y) => x - y);
    const p99 = latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] : null;
    const statuses = await setup.db.select({ status: notificationDeliveries.status, channel: notificationDeliveries.channel, n: count() }).from(notificationDeliveries).groupBy(notificationDeliveries.status, notificationDeliveries.channel);
    const perSecond = deliveredMs ? round(expectedEmail / (deliveredMs / 1000)) : null;
    const results = {
      residents: n,
      expectedEmail,
      received: smtp.received.length,
      unique,
      enqueuedMs,
      deliveredMs,
      p99Ms: p99,
      messagesPerSecond: perSecond,
      baselineMessagesPerSecond: round(expectedEmail / baselineSeconds),
      smsSent,
      deliveries: statuses.map((s) => ({ ...s, n: Number(s.n) })),
    };
    return {
      results,
      tables: [
        formatTable("notify: e-mail fan-out", ["measure", "value"], [
          ["residents", n],
          ["e-mails expected", expectedEmail],
          ["received (unique Message-IDs)", `${smtp.received.length} (${unique})`],
          ["fan-out queued after commit (ms)", enqueuedMs],
          ["all delivered after commit (ms)", deliveredMs],
          ["p99 commit → arrival (ms)", p99],
          ["messages/s (outbox + queue)", perSecond],
          ["messages/s (baseline: straight to SMTP)", results.baselineMessagesPerSecond],
          ["SMS sent now (console; held in quiet hours)", smsSent],
        ]),
      ],
      checks: [
        atMost("fan-out enqueued after commit", enqueuedMs, 2_000, "ms"),
        exactly("e-mails lost", enqueuedMs === null ? null : expectedEmail - unique, 0),
        exactly("e-mails duplicated", smtp.received.length - unique, 0),
        atMost("all e-mails delivered after commit", deliveredMs, 60_000, "ms"),
        atLeast("e-mails received", unique, expectedEmail),
      ],
    };
  },
};
export default scenario;
