/**
 * The deliberation room over socket.io. Each event is parsed with zod and runs the same command
 * as the plain form, which authorises it against the database every time (panel seat, mute,
 * moderator) with the actor re-read from the session cookie. Broadcasts come from the domain
 * events published after commit, so a form post reaches live clients too; each socket gets the
 * view it may see (the moderator's room, everyone else's room). Presence is counted across
 * instances with fetchSockets, which goes through the Redis adapter when there is one.
 */
import type { Server, Socket } from "socket.io";
import type { Logger } from "pino";
import type { Db } from "../../db/client";
import type { Settings } from "../../app/modules/shared/settings";
import { resolveActor } from "../../app/web/actor.server";
import { systemClock, type Clock } from "../../app/modules/shared/clock";
import { DomainError } from "../../app/modules/shared/errors";
import type { EventBus } from "../../app/modules/shared/events";
import { act } from "../../app/modules/matters/room/act.server";
import { requireRoom, roleOf, type RoomRole } from "../../app/modules/matters/room/access.server";
import { joinRoom, viewEvent } from "../../app/modules/matters/room/view.server";
import { JoinSchema, SocketActionSchema } from "../../app/modules/matters/room/schemas";
import { answer } from "../../app/web/errors.server";

interface Seat {
  role: RoomRole;
  staff: boolean;
  userId: number;
  name: string;
}
type RoomsData = Record<number, Seat>;

export const roomChannel = (sessionId: number, staff: boolean) => `room:${sessionId}:${staff ? "staff" : "all"}`;

function parse<T>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } }, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new DomainError("validation", "errors.invalid");
  return r.data;
}

export function attachRoom(io: Server, deps: { db: Db; events: EventBus; log: Logger; clock?: Clock; settings?: Settings }) {
  const clock = deps.clock ?? systemClock;
  const rooms = (socket: Socket) => ((socket.data as { rooms?: RoomsData }).rooms ??= {});

  /** The actor as the session cookie says now (a revoked session or a lost role counts at once). */
  const currentActor = async (socket: Socket) => {
    const { actor } = await resolveActor(deps.db, socket.request.headers.cookie, clock.now(), deps.settings);
    socket.data.actor = actor;
    return actor;
  };
  const ctxOf = async (socket: Socket) => ({ db: deps.db, actor: await currentActor(socket), events: deps.events, clock });

  // presence: at most one recount per room per 300 ms, from the sockets of every instance
  const pending = new Map<number, NodeJS.Timeout>();
  const presence = (sessionId: number) => {
    if (pending.has(sessionId)) return;
    pending.set(
      sessionId,
      setTimeout(() => {
        pending.delete(sessionId);
        void Promise.all([io.in(roomChannel(sessionId, false)).fetchSockets(), io.in(roomChannel(sessionId, true)).fetchSockets()])
          .then(([all, staff]) => {
            const panel = new Map<number, string>();
            const moderators = new Map<number, string>();
            const observers = new Set<number>();
            for (const s of [...all, ...staff]) {
              const seat = (s.data as { rooms?: RoomsData }).rooms?.[sessionId];
              if (!seat) continue;
              if (seat.role === "panel") panel.set(seat.userId, seat.name);
              else if (seat.role === "moderator") moderators.set(seat.userId, seat.name);
              else observers.add(seat.userId);
            }
            const msg = { sessionId, panel: [...panel.values()], moderators: [...moderators.values()], observers: observers.size };
            io.to(roomChannel(sessionId, false)).to(roomChannel(sessionId, true)).emit("room:presence", msg);
          })
          .catch((err: Error) => deps.log.warn({ err: err.message }, "room presence failed"));
      }, 300),
    );
  };

  io.on("connection", (socket: Socket) => {
    socket.on("room:join", (raw: unknown, ack: unknown) =>
      answer(ack, async () => {
        const { sessionId, since } = parse(JoinSchema, raw);
        const ctx = await ctxOf(socket);
        const joined = await joinRoom(ctx, sessionId, since, async ({ role, staff }) => {
          const before = rooms(socket)[sessionId];
          if (before && before.staff !== staff) await socket.leave(roomChannel(sessionId, before.staff));
          rooms(socket)[sessionId] = { role, staff, userId: ctx.actor!.id, name: ctx.actor!.displayName };
          await socket.join(roomChannel(sessionId, staff));
        });
        presence(sessionId);
        return joined;
      }),
    );
    socket.on("room:act", (raw: unknown, ack: unknown) =>
      answer(ack, async () => {
        const { sessionId, action } = parse(SocketActionSchema, raw);
        // no join needed (a retry sent right after a reconnect may arrive before the re-join):
        // the command authorises the actor against the room from the database every time
        const ctx = await ctxOf(socket);
        if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
        return act(ctx, sessionId, action);
      }),
    );
    socket.on("room:leave", (raw: unknown, ack: unknown) =>
      answer(ack, async () => {
        const { sessionId } = parse(JoinSchema, raw);
        const seat = rooms(socket)[sessionId];
        if (seat) {
          delete rooms(socket)[sessionId];
          await socket.leave(roomChannel(sessionId, seat.staff));
          presence(sessionId);
        }
        return { left: !!seat };
      }),
    );
    socket.on("disconnect", () => {
      for (const id of Object.keys(rooms(socket))) presence(Number(id));
    });
  });

  const off = deps.events.subscribe((e) => {
    if (e.type !== "room.event") return;
    const staff = viewEvent(e.event, { userId: null, staff: true });
    const all = viewEvent(e.event, { userId: null, staff: false });
    io.to(roomChannel(e.sessionId, true)).emit("room:event", { sessionId: e.sessionId, ...staff });
    io.to(roomChannel(e.sessionId, false)).emit("room:event", { sessionId: e.sessionId, ...all });
  });

  // Broadcasts go to channels joined once; a seat lost since (a revoked role, a signed-out
  // session, a withdrawn membership) is found here and the socket leaves the room's channels.
  const recheck = async () => {
    for (const socket of io.of("/").sockets.values()) {
      const seats = rooms(socket);
      const ids = Object.keys(seats).map(Number);
      if (!ids.length) continue;
      const actor = await currentActor(socket).catch(() => null);
      for (const sessionId of ids) {
        const seat = seats[sessionId];
        let role: RoomRole | null = null;
        let staff = false;
        if (actor) {
          try {
            const r = await requireRoom(deps.db, actor, sessionId, clock.now());
            role = roleOf(r.access);
            staff = r.access.moderator;
          } catch {
            role = null;
          }
        }
        if (role && staff === seat.staff) continue;
        await socket.leave(roomChannel(sessionId, seat.staff));
        delete seats[sessionId];
        socket.emit("room:left", { sessionId });
        presence(sessionId);
      }
    }
  };
  const recheckTimer = setInterval(() => {
    recheck().catch((err: Error) => deps.log.warn({ err: err.message }, "room seat re-check failed"));
  }, Number(process.env.ROOM_RECHECK_MS ?? 15_000));
  recheckTimer.unref();

  return () => {
    off();
    clearInterval(recheckTimer);
    for (const t of pending.values()) clearTimeout(t);
  };
}
