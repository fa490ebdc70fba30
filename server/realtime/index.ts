import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import type { Db } from "../../db/client";
import type { Actor } from "../../app/modules/accounts/actor";
import type { EventBus } from "../../app/modules/shared/events";
import { DomainError } from "../../app/modules/shared/errors";
import type { Settings } from "../../app/modules/shared/settings";
import { resolveActor } from "../../app/web/actor.server";
import { answer } from "../../app/web/errors.server";
import { canWatchVote, getTurnout } from "../../app/modules/matters/voting/results.server";
import { canWatchSelection } from "../../app/modules/matters/selection/view.server";
import type { Logger } from "pino";
import { socketLimits, type Limit, type LimitKind } from "./limits";
import { attachComments, onCommentSocket } from "./comments";
import { attachRoom } from "./room";

export interface SocketData {
  actor: Actor | null;
}

/**
 * A record id sent over the socket: a whole number the database's integer column can hold (a
 * larger one, like 2**40, would reach the query and fail there as a fault). Anything else,
 * an object, a string of letters, is not found.
 */
const SocketId = z.union([z.number(), z.string().regex(/^\d{1,10}$/).transform(Number)]).pipe(z.number().int().min(1).max(2_147_483_647));

export function socketId(raw: unknown): number {
  const r = SocketId.safeParse(raw);
  if (!r.success) throw new DomainError("not_found", "errors.notFound");
  return r.data;
}

export function isAllowedOrigin(origin: string | undefined, host: string | undefined, publicOrigin?: string) {
  if (!origin) return false;
  if (publicOrigin && origin === publicOrigin) return true;
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * socket.io on the app's own HTTP server. The handshake must come from our origin; the session
 * cookie names the actor, who joins only their own user room. Broadcasts come from domain events,
 * so a plain form post updates live clients too.
 */
export async function attachRealtime(
  httpServer: HttpServer,
  deps: { db: Db; events: EventBus; log: Logger; redisUrl?: string; publicOrigin?: string; limits?: Partial<Record<LimitKind, Limit>>; settings?: Settings },
) {
  const io = new Server(httpServer, {
    serveClient: false,
    allowRequest: (req, cb) => cb(null, isAllowedOrigin(req.headers.origin, req.headers.host, deps.publicOrigin)),
    maxHttpBufferSize: 64 * 1024,
  });
  let closeRedis = async () => {};
  let redis: object | undefined;
  if (deps.redisUrl) {
    const { createClient } = await import("redis");
    const { createAdapter } = await import("@socket.io/redis-adapter");
    const pub = createClient({ url: deps.redisUrl });
    const sub = pub.duplicate();
    pub.on("error", (e) => deps.log.error({ err: e.message }, "redis"));
    sub.on("error", (e) => deps.log.error({ err: e.message }, "redis"));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    redis = pub;
    closeRedis = async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    };
    deps.log.info("socket.io shares rooms through Redis");
  }

  io.use(async (socket, next) => {
    try {
      socket.data.actor = (await resolveActor(deps.db, socket.request.headers.cookie, new Date(), deps.settings)).actor;
      next();
    } catch (e) {
      deps.log.warn({ err: (e as Error).message }, "socket auth failed");
      next(new Error("unauthorized"));
    }
  });

  // every event spends a point before it reads anything (server/realtime/limits.ts)
  const limits = socketLimits({ log: deps.log, redis, limits: deps.limits });

  io.on("connection", (socket: Socket) => {
    // before any listener, for every event (unknown ones too): one point for the socket and its user
    socket.use(limits.guard(socket));
    const actor = (socket.data as SocketData).actor;
    if (actor) void socket.join(`user:${actor.id}`);
    // Private rooms are joined only by the server, after a permission check; a client asking
    // for one by name gets a refusal.
    // live turnout of a vote (a count, never a choice), for whoever may read the matter
    socket.on("vote:watch", (voteId: unknown, ack: unknown) =>
      answer(ack, async () => {
        const id = socketId(voteId);
        if (!(await canWatchVote(deps.db, actor, id))) throw new DomainError("not_found", "errors.notFound");
        await socket.join(`vote:${id}`);
        return { turnout: await getTurnout(deps.db, id) };
      }),
    );
    socket.on("selection:watch", (matterId: unknown, ack: unknown) =>
      answer(ack, async () => {
        const id = socketId(matterId);
        if (!(await canWatchSelection(deps.db, actor, id))) throw new DomainError("not_found", "errors.notFound");
        await socket.join(`selection:${id}`);
        return { ok: true };
      }),
    );
    onCommentSocket(socket, deps);
    socket.on("join", (_room: unknown, ack: unknown) =>
      answer(ack, async () => {
        throw new DomainError(actor ? "forbidden" : "unauthenticated", actor ? "errors.forbidden" : "errors.unauthenticated");
      }),
    );
  });

  // bursts of ballots become at most one turnout update per vote per second
  const pending = new Map<number, NodeJS.Timeout>();
  const pushTurnout = (voteId: number, closed = false) => {
    if (pending.has(voteId) && !closed) return;
    const send = () => {
      pending.delete(voteId);
      void getTurnout(deps.db, voteId)
        .then((turnout) => io.to(`vote:${voteId}`).emit("vote:turnout", { voteId, turnout, closed }))
        .catch((err: Error) => deps.log.warn({ err: err.message }, "turnout push failed"));
    };
    if (closed) {
      clearTimeout(pending.get(voteId));
      send();
    } else pending.set(voteId, setTimeout(send, 1000));
  };

  const off = deps.events.subscribe((e) => {
    if (e.type === "vote.cast") return pushTurnout(e.voteId);
    if (e.type === "vote.closed") return pushTurnout(e.voteId, true);
    if (e.type === "selection.changed") {
      io.to(`selection:${e.matterId}`).emit("selection:changed", { matterId: e.matterId });
    } else if (e.type === "selection.progress") {
      io.to(`selection:${e.matterId}`).emit("selection:progress", { matterId: e.matterId, iteration: e.iteration, min: e.min, dualBound: e.dualBound, ms: e.ms, leximinRound: e.leximinRound });
    } else if (e.type === "notification.created") {
      io.to(`user:${e.userId}`).emit("notification", { id: e.notificationId, unread: e.unread, kind: e.kind, params: e.params, link: e.link });
    } else if (e.type === "notification.read") {
      io.to(`user:${e.userId}`).emit("notifications:read", { unread: e.unread });
    }
  });

  const offRoom = attachRoom(io, deps);
  const offComments = attachComments(io, deps.events);

  return {
    io,
    close: async () => {
      off();
      offRoom();
      offComments();
      for (const t of pending.values()) clearTimeout(t);
      await new Promise<void>((r) => io.close(() => r()));
      await closeRedis();
    },
  };
}
