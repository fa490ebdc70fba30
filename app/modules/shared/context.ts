import type { Db } from "../../../db/client";
import type { Actor } from "../accounts/actor";
import type { Clock } from "./clock";
import type { DomainEvent, EventBus } from "./events";
import type { Settings } from "./settings";

/** What every command and query receives: who asks, the database, the clock and the event bus. */
export interface CommandContext {
  db: Db;
  actor: Actor | null;
  events: EventBus;
  clock: Clock;
  ip?: string;
  /** Configuration read once at start (loadConfig); absent in tests, seeds and CLIs: defaults apply. */
  settings?: Settings;
  /** Sends one text now (no quiet hours: a code the person just asked for); absent when no SMS provider is configured. */
  textMessage?: (to: string, text: string) => Promise<void>;
}

/**
 * Runs `work` in one transaction and publishes the events it collected only after commit,
 * so no client hears of a change that was rolled back.
 */
export async function inTransaction<T>(ctx: CommandContext, work: (tx: Db, emit: (e: DomainEvent) => void) => Promise<T>): Promise<T> {
  const pending: DomainEvent[] = [];
  const result = await ctx.db.transaction((tx) => work(tx as unknown as Db, (e) => pending.push(e)));
  for (const e of pending) ctx.events.publish(e);
  return result;
}
