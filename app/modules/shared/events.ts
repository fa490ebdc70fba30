import { EventEmitter } from "node:events";

/** Domain events, published after the transaction that caused them commits. */
export type DomainEvent =
  | {
      type: "notification.created";
      userId: number;
      notificationId: number;
      unread: number;
      kind: string;
      params: Record<string, string | number>;
      link: string | null;
    }
  | { type: "notification.read"; userId: number; unread: number }
  /** a dead delivery was put back in the outbox: the relay queues it */
  | { type: "notification.requeued"; deliveryId: number }
  | { type: "membership.requested"; communityId: number; membershipId: number }
  /** someone voted (never what): the realtime layer turns bursts of these into one turnout update */
  | { type: "vote.cast"; voteId: number }
  | { type: "vote.closed"; voteId: number }
  /** the fair-lottery solver's progress, for the watchers of the selection page (about once a second) */
  | { type: "selection.progress"; matterId: number; iteration: number; min: number; dualBound: number; ms: number; leximinRound: number | null }
  /** a committee member asked for the distribution: the job queue works it out */
  | { type: "selection.solveRequested"; matterId: number }
  /** registrations, the draw or the panel's answers changed: watchers of the selection page reload it */
  | { type: "selection.changed"; matterId: number }
  | { type: "membership.decided"; communityId: number; membershipId: number; userId: number; status: "verified" | "declined" }
  /** a comment was posted on a matter (its page's live readers are told to fetch it) */
  | { type: "comment.posted"; matterId: number; commentId: number; threadId: number | null }
  /** one stored entry of a room's log (already committed): the socket layer sends each viewer their view */
  | { type: "room.event"; sessionId: number; event: RoomEventData };

/** How a command hands its events to the bus once its transaction commits. */
export type Emit = (e: DomainEvent) => void;

/** A room log entry as stored: seq, kind, full payload, who may see it ("all" or "staff"). */
export interface RoomEventData {
  seq: number;
  kind: string;
  payload: Record<string, unknown>;
  audience: string;
  at: string;
  actorId: number | null;
}

export class EventBus {
  private emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  publish(event: DomainEvent) {
    this.emitter.emit("event", event);
  }
  subscribe(fn: (event: DomainEvent) => void) {
    this.emitter.on("event", fn);
    return () => this.emitter.off("event", fn);
  }
}
