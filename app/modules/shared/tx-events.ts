import type { Db } from "../../../db/client";
import type { Emit } from "./events";

/**
 * Domain events one sub-domain acts on inside the transaction of the command that publishes them,
 * so the publisher's writes and every subscriber's writes commit together or not at all (events
 * for the outside world, after commit, go on the EventBus instead). The publisher names what
 * happened and knows nothing of who listens: voting says a vote opened; the room, which
 * subscribes, announces it in its open sessions.
 */
export type TxEvent = {
  type: "vote.opened";
  voteId: number;
  matterId: number;
  question: string;
  /** who opened it (null: the scheduler) */
  actorId: number | null;
  at: Date;
};

type Handler<E extends TxEvent> = (tx: Db, emit: Emit, event: E) => Promise<void>;

const subscribers = new Map<TxEvent["type"], Map<string, Handler<TxEvent>>>();

/**
 * Registers `handler` for events of `type` under a name: registering the same name again replaces
 * it (a module evaluated twice, as in development reloads, does not subscribe twice).
 */
export function subscribeInTransaction<T extends TxEvent["type"]>(type: T, name: string, handler: Handler<Extract<TxEvent, { type: T }>>) {
  const forType = subscribers.get(type) ?? new Map<string, Handler<TxEvent>>();
  forType.set(name, handler as Handler<TxEvent>);
  subscribers.set(type, forType);
  return () => {
    if (forType.get(name) === handler) forType.delete(name);
  };
}

/** Runs every subscriber of the event in turn, inside the caller's transaction; a subscriber's error rolls the whole command back. */
export async function publishInTransaction(tx: Db, emit: Emit, event: TxEvent) {
  for (const handler of [...(subscribers.get(event.type)?.values() ?? [])]) await handler(tx, emit, event);
}
