/**
 * Background work as jobs on the Postgres queue (server/queue.ts): each job runs a command as the
 * system (no actor). With several instances each job runs once (pg-boss claims it with SKIP
 * LOCKED); a job that throws is retried with exponential backoff; a job whose process died is
 * failed by its expiry and retried. Each command still decides for itself what is due, so a job
 * run twice (a retry after a crash mid-job) does nothing the second time.
 */
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { closeDueVotes } from "../app/modules/matters/voting/close.server";
import { openDueVotes } from "../app/modules/matters/voting/setup.server";
import { remindOverdue } from "../app/modules/matters/outcomes/outcomes.server";
import { expireInvitations } from "../app/modules/matters/selection/invitations.server";
import { runQueuedDistributions } from "../app/modules/matters/selection/compute.server";
import { remindUpcomingActivities } from "../app/modules/volunteers/reminders.server";
import { closeOpenCheckIns } from "../app/modules/volunteers/close-open-checkins.server";
import { systemClock, type Clock } from "../app/modules/shared/clock";
import type { CommandContext } from "../app/modules/shared/context";
import type { EventBus } from "../app/modules/shared/events";
import type { Settings } from "../app/modules/shared/settings";
import { deliverOne, relayOutbox, type Channels } from "../app/modules/notifications/outbox.server";
import { gatherDigests } from "../app/modules/notifications/bundles.server";
import type { Queue } from "./queue";

export interface JobDeps {
  db: Db;
  queue: Queue;
  events: EventBus;
  log: Logger;
  clock?: Clock;
  settings?: Settings;
  /** How often due votes open and close and panel invitations expire (VOTE_SCHEDULER_MS). */
  voteSchedulerMs: number;
  /** Retry policy of every job (tests shorten it). */
  retry?: { limit: number; delaySeconds: number };
  /** The outside channels configured on this server (server/channels.ts); none: deliveries are marked skipped. */
  channels?: Channels;
  /** Deliveries sent at once by one instance. */
  deliveryConcurrency?: number;
}

/** The queues, by name: what each does is in startJobs. */
export const JOB = {
  due: "schedule.due",
  remindOverdue: "remind.overdue",
  remindActivities: "remind.activities",
  relay: "notify.relay",
  deliver: "notify.deliver",
  digest: "notify.digest",
  solve: "selection.solve",
} as const;

/** Starts the workers and schedules; the returned function stops this instance's workers (the queue itself is stopped by its owner). */
export async function startJobs(deps: JobDeps): Promise<() => Promise<void>> {
  const { log, queue } = deps;
  const ctx: CommandContext = { db: deps.db, actor: null, events: deps.events, clock: deps.clock ?? systemClock, settings: deps.settings };
  const retry = { retryLimit: deps.retry?.limit ?? 5, retryDelay: deps.retry?.delaySeconds ?? 5, retryBackoff: true };
  const everySeconds = Math.max(1, Math.round(deps.voteSchedulerMs / 1000));

  // "stately": at most one waiting and one running job of a kind, whatever the number of instances
  await queue.createQueue(JOB.due, { name: JOB.due, policy: "stately", ...retry, expireInSeconds: 300 });
  await queue.createQueue(JOB.remindOverdue, { name: JOB.remindOverdue, policy: "stately", ...retry, expireInSeconds: 600 });
  await queue.createQueue(JOB.remindActivities, { name: JOB.remindActivities, policy: "stately", ...retry, expireInSeconds: 600 });

  await queue.createQueue(JOB.digest, { name: JOB.digest, policy: "stately", ...retry, expireInSeconds: 600 });
  await queue.createQueue(JOB.relay, { name: JOB.relay, policy: "stately", ...retry, expireInSeconds: 300 });
  // each delivery: a job of its own; a claim that outlives its process is taken again after the lease
  await queue.createQueue(JOB.deliver, { name: JOB.deliver, ...retry, expireInSeconds: 120 });
  // the fair lottery's distributions, one run at a time across instances (the solver takes a core);
  // a run lasts at most its budget (≤ 600 s) and the worker's grace
  await queue.createQueue(JOB.solve, { name: JOB.solve, policy: "stately", ...retry, expireInSeconds: 1200 });

  /** The next sweep of due votes and invitations, `everySeconds` from now; a second one is refused while one waits. */
  const nextDue = (startAfter: number) => queue.send(JOB.due, {}, { startAfter });

  // a notice committed: its deliveries go to the queue now, not at the next minute
  const kick = () => void queue.send(JOB.relay, {}).catch((e: Error) => log.error({ err: e.message }, "could not start the relay"));
  const workers = [
    // opens and closes votes whose time has come; panel invitations past their deadline expire and the reserve fills the seat
    await queue.work(JOB.due, { pollingIntervalSeconds: Math.min(2, everySeconds) }, async () => {
      try {
        const opened = await openDueVotes(ctx);
        const closed = await closeDueVotes(ctx);
        const { expired } = await expireInvitations(ctx);
        if (opened || closed || expired) log.info({ opened, closed, expired }, "due votes and invitations handled");
      } catch (e) {
        log.error({ err: (e as Error).message }, "due votes and invitations failed; retrying with backoff");
        throw e;
      } finally {
        await nextDue(everySeconds).catch((e: Error) => log.error({ err: e.message }, "could not queue the next sweep"));
      }
    }),
    // overdue commitments: owners are reminded at most once a day (the query decides); checked hourly
    await queue.work(JOB.remindOverdue, { pollingIntervalSeconds: 5 }, async () => {
      const reminded = await remindOverdue(ctx);
      if (reminded) log.info({ reminded }, "overdue commitments reminded");
    }),
    // volunteers signed up for an activity starting within a day are reminded once (the query decides);
    // check-ins still open after an activity's check-out window close at its end, flagged for the organizer
    await queue.work(JOB.remindActivities, { pollingIntervalSeconds: 5 }, async () => {
      const reminded = await remindUpcomingActivities(ctx);
      if (reminded) log.info({ reminded }, "volunteer sign-ups reminded");
      const closed = await closeOpenCheckIns(ctx);
      if (closed) log.info({ closed }, "open volunteer check-ins closed");
    }),
    // the daily digest: each digest reader's notices of the day become one message per channel
    await queue.work(JOB.digest, { pollingIntervalSeconds: 5 }, async () => {
      const gathered = await gatherDigests(deps.db, ctx.clock.now());
      if (gathered) {
        log.info({ gathered }, "daily digests gathered");
        kick();
      }
    }),
    // the outbox relay: pending deliveries become one job each (the key rides along for anyone reading the queue)
    await queue.work(JOB.relay, { pollingIntervalSeconds: 1 }, async () => {
      const queued = await relayOutbox(deps.db, ctx.clock.now(), (items) =>
        queue.insert(items.map((i) => ({ name: JOB.deliver, data: { deliveryId: i.id, key: i.key } }))),
      );
      if (queued) log.info({ queued }, "deliveries queued");
    }),
    // the distributions committee members asked for (each run records its own outcome: a failed solve is not retried)
    await queue.work(JOB.solve, { pollingIntervalSeconds: 2 }, async () => {
      const ran = await runQueuedDistributions(ctx);
      if (ran) log.info({ ran }, "selection distributions worked out");
    }),
  ];
  const concurrency = deps.deliveryConcurrency ?? 10;
  workers.push(
    await queue.work<{ deliveryId: number }>(JOB.deliver, { pollingIntervalSeconds: 1, batchSize: concurrency, includeMetadata: true }, async (jobs) => {
      // each job succeeds or fails on its own: a failure is reported for that job only
      await Promise.all(
        jobs.map(async (job) => {
          try {
            await deliverOne(deps.db, job.data.deliveryId, deps.channels ?? {}, { now: ctx.clock.now(), final: job.retryCount >= job.retryLimit });
          } catch (e) {
            log.warn({ deliveryId: job.data.deliveryId, try: job.retryCount + 1, err: (e as Error).message }, "delivery failed");
            await queue.fail(JOB.deliver, job.id, { message: (e as Error).message });
          }
        }),
      );
    }),
  );
  let kickPending = false;
  const solveNow = () => void queue.send(JOB.solve, {}).catch((e: Error) => log.error({ err: e.message }, "could not start the selection solve"));
  const unsubscribe = deps.events.subscribe((e) => {
    if (e.type === "selection.solveRequested") return solveNow();
    if ((e.type !== "notification.created" && e.type !== "notification.requeued") || kickPending) return;
    kickPending = true;
    // one relay run per burst (a fan-out publishes thousands of events at once)
    setImmediate(() => {
      kickPending = false;
      kick();
    });
  });

  // cron runs once per tick across instances (pg-boss keeps the schedule in its tables); the
  // minutely one re-seeds the due-sweep chain should it ever stop (every retry of a job spent)
  await queue.schedule(JOB.due, "* * * * *", {}, {});
  await queue.schedule(JOB.remindOverdue, "0 * * * *", {}, {});
  await queue.schedule(JOB.remindActivities, "*/15 * * * *", {}, {});
  await queue.schedule(JOB.relay, "* * * * *", {}, {});
  // 08:00 Beijing time: after the SMS quiet hours, before the working day
  await queue.schedule(JOB.digest, "0 8 * * *", {}, { tz: "Asia/Shanghai" });
  // a request whose kick was lost (an instance stopped) is picked up within a minute
  await queue.schedule(JOB.solve, "* * * * *", {}, {});
  await nextDue(0);
  kick();

  return async () => {
    unsubscribe();
    for (const id of workers) await queue.offWork({ id });
  };
}
