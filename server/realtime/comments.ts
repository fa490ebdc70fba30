/**
 * The live side of a matter's discussion: a reader watches a matter's comments (after the same
 * visibility check as its page) and hears `comments:new` when one is posted, by form or socket;
 * `comments:post` runs the very command the form runs. Both spend the socket's points first
 * (limits.ts: `comments:post` counts as a post, like a room statement).
 */
import type { Server, Socket } from "socket.io";
import type { Db } from "../../db/client";
import type { Actor } from "../../app/modules/accounts/actor";
import { systemClock } from "../../app/modules/shared/clock";
import { DomainError } from "../../app/modules/shared/errors";
import type { EventBus } from "../../app/modules/shared/events";
import type { Settings } from "../../app/modules/shared/settings";
import { postComment } from "../../app/modules/matters/comments/post.server";
import { canWatchComments } from "../../app/modules/matters/comments/watch.server";
import { answer } from "../../app/web/errors.server";
import { PostCommentSchema } from "../../app/modules/matters/comments/schemas";

/** A matter id from the socket: anything that is not one is simply not found. */
function matterIdOf(raw: unknown): number {
  const n = typeof raw === "string" && /^\d{1,10}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw new DomainError("not_found", "errors.notFound");
  return n;
}

export function onCommentSocket(socket: Socket, deps: { db: Db; events: EventBus; settings?: Settings }) {
  const actor = (socket.data as { actor: Actor | null }).actor;
  socket.on("comments:watch", (matterId: unknown, ack: unknown) =>
    answer(ack, async () => {
      const id = matterIdOf(matterId);
      if (!(await canWatchComments(deps.db, actor, id))) throw new DomainError("not_found", "errors.notFound");
      await socket.join(`comments:${id}`);
      return { ok: true };
    }),
  );
  socket.on("comments:post", (payload: unknown, ack: unknown) =>
    answer(ack, async () => {
      const { matterId, ...input } = (payload ?? {}) as { matterId?: unknown };
      const id = matterIdOf(matterId);
      const parsed = PostCommentSchema.safeParse(input);
      if (!parsed.success) throw new DomainError("validation", "errors.invalid");
      return postComment({ db: deps.db, actor, events: deps.events, clock: systemClock, settings: deps.settings }, id, parsed.data);
    }),
  );
}

/** Tells a matter's watchers that a comment arrived (the id only: each reader fetches what they may see). */
export function attachComments(io: Server, events: EventBus) {
  return events.subscribe((e) => {
    if (e.type === "comment.posted") io.to(`comments:${e.matterId}`).emit("comments:new", { matterId: e.matterId, commentId: e.commentId, threadId: e.threadId });
  });
}
