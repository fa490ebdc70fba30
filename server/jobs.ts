/**
 * Background work, in one place: each job runs a command as the system (no actor) on a timer.
 * The state is in the database, so a restart loses nothing; each command decides for itself
 * what is due, and a failure is logged and tried again at the next tick.
 */
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { closeDueVotes } from "../app/modules/matters/voting/close.server";
import { openDueVotes } from "../app/modules/matters/voting/setup.server";
import { remindOverdue } from "../app/modules/matters/outcomes/outcomes.server";
import { expireInvitations } from "../app/modules/matters/selection/invitations.server";
import { remindUpcomingActivities } from "../app/modules/volunteers/activities.server";
import { closeOpenCheckIns } from "../app/modules/volunteers/close-open-checkins.server";
import { systemClock, type Clock } from "../app/modules/shared/clock";
import type { CommandContext } from "../app/modules/shared/context";
import type { EventBus } from "../app/modules/shared/events";
import type { Settings } from "../app/modules/shared/settings";

export interface JobDeps {
  db: Db;
  events: EventBus;
  log: Logger;
  clock?: Clock;
  settings?: Settings;
  /** How often due votes open and close and panel invitations expire (VOTE_SCHEDULER_MS). */
  voteSchedulerMs: number;
}

/** A job's run: logs what it did (when it did something) or why it failed; never rejects. */
function logged<T>(log: Logger, run: () => Promise<T>, did: (r: T) => Record<string, number> | null, message: string, failed: string) {
  return () =>
    run()
      .then((r) => {
        const fields = did(r);
        if (fields) log.info(fields, message);
      })
      .catch((e: Error) => log.error({ err: e.message }, failed));
}

/** Starts every scheduler; the returned function stops them. */
export function startJobs(deps: JobDeps): () => void {
  const { log } = deps;
  const ctx: CommandContext = { db: deps.db, actor: null, events: deps.events, clock: deps.clock ?? systemClock, settings: deps.settings };
  const count = (key: string) => (n: number) => (n ? { [key]: n } : null);

  // opens and closes votes whose time has come; panel invitations past their deadline expire and the reserve fills the seat
  const openDue = logged(log, () => openDueVotes(ctx), count("opened"), "votes opened on schedule", "opening due votes failed");
  const closeDue = logged(log, () => closeDueVotes(ctx), count("closed"), "votes closed on schedule", "closing due votes failed");
  const expire = logged(log, () => expireInvitations(ctx), (r) => count("expired")(r.expired), "panel invitations expired", "expiring invitations failed");
  const due = () => Promise.all([openDue(), closeDue(), expire()]);
  // overdue commitments: owners are reminded at most once a day (the query decides); check hourly
  const remind = logged(log, () => remindOverdue(ctx), count("reminded"), "overdue commitments reminded", "overdue reminders failed");
  // volunteers signed up for an activity starting within a day are reminded once (the query decides)
  const remindVolunteers = logged(log, () => remindUpcomingActivities(ctx), count("reminded"), "volunteer sign-ups reminded", "volunteer reminders failed");

  // check-ins still open after an activity's check-out window close at its end, flagged for the organizer
  const closeCheckIns = logged(log, () => closeOpenCheckIns(ctx), count("closed"), "open volunteer check-ins closed", "closing open check-ins failed");
  const volunteerJobs = () => Promise.all([remindVolunteers(), closeCheckIns()]);

  void due();
  const timers = [setInterval(due, deps.voteSchedulerMs), setInterval(remind, 3_600_000), setInterval(volunteerJobs, 15 * 60_000)];
  for (const t of timers) t.unref();
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
