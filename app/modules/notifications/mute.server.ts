import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { follows, matters } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { MuteSchema } from "./schemas";

/**
 * A follower mutes (or unmutes) one matter they follow: its notices stay in the app, but no
 * e-mail or SMS goes out about it. Only one's own follow can be muted. Ledgered on their stream.
 */
export async function setMatterMuted(ctx: CommandContext, input: unknown) {
  const v = MuteSchema.parse(input);
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(actor, "account.update", { type: "user", id: actor.id })) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(follows)
      .set({ muted: v.muted })
      .where(and(eq(follows.matterId, v.matterId), eq(follows.userId, actor.id)))
      .returning({ matterId: follows.matterId });
    if (!row) throw new DomainError("not_found", "notifications.errors.notFollowing");
    const [m] = await tx.select({ title: matters.title }).from(matters).where(eq(matters.id, v.matterId));
    await appendLedger(tx as unknown as Db, {
      stream: `user:${actor.id}`,
      actorId: actor.id,
      action: v.muted ? "notification.matterMuted" : "notification.matterUnmuted",
      entityType: "matter",
      entityId: v.matterId,
      summary: {},
      at: now,
    });
    return { matterId: v.matterId, title: m?.title ?? "", muted: v.muted };
  });
}
