/**
 * Rate limits for socket events. Every event a client can send spends a point of its kind, once for
 * the socket and once for its user (an anonymous socket: its address), before anything reads the
 * database; a refusal is a translated `rate_limited` ack. A socket that keeps sending after being
 * refused (STRIKES refusals in a window) is disconnected. With Redis the counters are shared by
 * every instance; without it each process counts its own (see docs/decisions/2026-12-03-room-limits.md).
 */
import type { Socket } from "socket.io";
import type { Logger } from "pino";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Actor } from "../../app/modules/accounts/actor";
import { DomainError } from "../../app/modules/shared/errors";

export type LimitKind = "post" | "react" | "hand" | "act" | "join" | "watch";

export interface Limit {
  /** Events a socket may send in the window. */
  socket: number;
  /** Events a user may send in the window over all their sockets. */
  user: number;
  seconds: number;
}

/**
 * Generous for a person, tight for a script: nobody types 20 statements in 10 s, and a room page
 * sends one join per (re)connect plus one per catch-up page.
 */
export const SOCKET_LIMITS: Record<LimitKind, Limit> = {
  /** statements and written questions */
  post: { socket: 20, user: 30, seconds: 10 },
  react: { socket: 40, user: 60, seconds: 10 },
  hand: { socket: 10, user: 15, seconds: 10 },
  /** moderation and everything else a room action does */
  act: { socket: 40, user: 60, seconds: 10 },
  /** room:join, each catch-up page included */
  join: { socket: 10, user: 20, seconds: 10 },
  /** vote:watch, selection:watch, room:leave and refused joins */
  watch: { socket: 30, user: 60, seconds: 10 },
};
/** Refusals a socket may collect in STRIKE_SECONDS before it is disconnected. */
export const STRIKES = 20;
const STRIKE_SECONDS = 10;

/** The kind of an event, from its name and raw payload (before it is parsed: junk is counted too). */
export function kindOf(event: unknown, raw: unknown): LimitKind {
  if (event === "room:join") return "join";
  // a comment costs what a room statement costs, per socket and per user
  if (event === "comments:post") return "post";
  if (event !== "room:act") return "watch";
  const intent = (raw as { action?: { intent?: unknown } } | null)?.action?.intent;
  if (intent === "post" || intent === "ask") return "post";
  if (intent === "react") return "react";
  if (intent === "raiseHand" || intent === "lowerHand") return "hand";
  return "act";
}

type RedisLike = object;

export function socketLimits(opts: { log: Logger; redis?: RedisLike; limits?: Partial<Record<LimitKind, Limit>>; strikes?: number }) {
  const limits = { ...SOCKET_LIMITS, ...opts.limits };
  const make = (prefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix: prefix, points, duration });
    if (!opts.redis) return memory;
    // Redis down: each process falls back to its own counts rather than refusing everyone
    return new RateLimiterRedis({ storeClient: opts.redis, useRedisPackage: true, keyPrefix: `yishi:rl:${prefix}`, points, duration, insuranceLimiter: memory });
  };
  const limiters = Object.fromEntries(
    (Object.keys(limits) as LimitKind[]).map((k) => [k, { socket: make(`s:${k}`, limits[k].socket, limits[k].seconds), user: make(`u:${k}`, limits[k].user, limits[k].seconds) }]),
  ) as Record<LimitKind, { socket: RateLimiterAbstract; user: RateLimiterAbstract }>;
  const strikes = new RateLimiterMemory({ keyPrefix: "strike", points: opts.strikes ?? STRIKES, duration: STRIKE_SECONDS });

  const userKey = (socket: Socket) => {
    const actor = (socket.data as { actor?: Actor | null }).actor;
    return actor ? `u${actor.id}` : `a${socket.handshake.address}`;
  };

  /** Spends one point of `kind`; throws a rate_limited DomainError when the socket or its user is over. */
  async function take(socket: Socket, kind: LimitKind) {
    const l = limiters[kind];
    try {
      await l.socket.consume(socket.id);
      await l.user.consume(userKey(socket));
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const seconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      await strike(socket, kind);
      throw new DomainError("rate_limited", "errors.rateLimited", { seconds });
    }
  }

  async function strike(socket: Socket, kind: LimitKind) {
    try {
      await strikes.consume(socket.id);
    } catch {
      opts.log.warn({ user: userKey(socket), kind }, "socket disconnected for flooding");
      // after this event's refusal has been written
      setImmediate(() => socket.disconnect(true));
    }
  }

  /**
   * A socket.io middleware (`socket.use`): spends the event's point, and on a refusal answers the
   * event's ack as `answer` does and drops the event.
   */
  const guard =
    (socket: Socket) =>
    (packet: unknown[], next: (err?: Error) => void): void => {
      const [event, ...args] = packet;
      take(socket, kindOf(event, args[0])).then(
        () => next(),
        (e: unknown) => {
          const ack = args.at(-1);
          if (typeof ack !== "function") return;
          if (e instanceof DomainError) ack({ ok: false, error: { code: e.code, message: e.messageKey, params: e.params } });
          else {
            opts.log.warn({ err: (e as Error).message }, "rate limit failed");
            ack({ ok: false, error: { code: "internal", message: "errorPage.body.500" } });
          }
        },
      );
    };

  return { take, guard };
}
export type SocketLimits = ReturnType<typeof socketLimits>;
