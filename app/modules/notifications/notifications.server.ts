import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { notificationDeliveries, notifications, notificationSettings } from "../../../db/schema";
import type { MessageKey } from "~/i18n";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { DomainEvent } from "../shared/events";
import { foldBursts, matterOfLink, mutedFollowers } from "./bundles.server";
import { CHANNELS, sendsAtOnce } from "./levels";

/**
 * Writes notifications inside the caller's transaction, and with them the outbox: one delivery row
 * per notification and outside channel the person wants it on (written in the same transaction,
 * so a notice that commits is never lost for e-mail or SMS). The live push goes out after commit.
 */
export async function notify(
  tx: Db,
  emit: (e: DomainEvent) => void,
  userIds: number[],
  n: { kind: MessageKey; params: Record<string, string | number>; link?: string; matterId?: number; at: Date },
) {
  const all = [...new Set(userIds)];
  // a notice about a matter links to it: the link names the matter unless the caller does
  const matterId = n.matterId ?? matterOfLink(n.link);
  // a vote opening for a whole town's electorate: statements stay below PostgreSQL's 65,535 parameters
  for (let i = 0; i < all.length; i += NOTIFY_CHUNK) {
    const unique = all.slice(i, i + NOTIFY_CHUNK);
    const rows = await tx
      .insert(notifications)
      .values(unique.map((userId) => ({ userId, kind: n.kind, params: n.params, link: n.link ?? null, matterId, createdAt: n.at })))
      .returning({ id: notifications.id, userId: notifications.userId });
    await writeOutbox(tx, rows, n.kind, matterId, n.at);
    const unread = await unreadCounts(tx, unique);
    for (const r of rows)
      emit({
        type: "notification.created",
        userId: r.userId,
        notificationId: r.id,
        unread: unread.get(r.userId) ?? 1,
        kind: n.kind,
        params: n.params,
        link: n.link ?? null,
      });
  }
}

/** People per notice statement: 6 parameters each stays below PostgreSQL's 65,535. */
const NOTIFY_CHUNK = 5_000;

/** Rows per statement: 4 parameters each stays far below PostgreSQL's 65,535. */
const OUTBOX_CHUNK = 5_000;

async function writeOutbox(tx: Db, rows: { id: number; userId: number }[], kind: string, matterId: number | null, at: Date) {
  const settings = await tx
    .select()
    .from(notificationSettings)
    .where(inArray(notificationSettings.userId, rows.map((r) => r.userId)));
  if (settings.length === 0) return;
  const byUser = new Map(settings.map((s) => [s.userId, s]));
  // a follower who muted the matter hears of it in the app only
  const muted = matterId ? await mutedFollowers(tx, matterId, settings.map((s) => s.userId)) : new Set<number>();
  let deliveries: (typeof notificationDeliveries.$inferInsert)[] = [];
  for (const r of rows) {
    const s = byUser.get(r.userId);
    if (!s || muted.has(r.userId)) continue;
    for (const channel of CHANNELS) {
      const level = channel === "email" ? (s.email ? s.emailLevel : "none") : s.smsLevel;
      // a daily-digest reader's notices wait as "digest" for the daily job to gather them
      const status = sendsAtOnce(level, kind) ? "pending" : level === "digest" ? "digest" : null;
      if (status) deliveries.push({ notificationId: r.id, userId: r.userId, channel, key: `${r.id}:${channel}`, status, createdAt: at });
    }
  }
  if (matterId) deliveries = await foldBursts(tx, matterId, at, deliveries);
  for (let i = 0; i < deliveries.length; i += OUTBOX_CHUNK) {
    await tx.insert(notificationDeliveries).values(deliveries.slice(i, i + OUTBOX_CHUNK)).onConflictDoNothing();
  }
}

async function unreadCounts(db: Db, userIds: number[]) {
  const rows = await db
    .select({ userId: notifications.userId, n: count() })
    .from(notifications)
    .where(and(inArray(notifications.userId, userIds), isNull(notifications.readAt)))
    .groupBy(notifications.userId);
  return new Map(rows.map((r) => [r.userId, Number(r.n)]));
}

export async function getUnreadCount(ctx: CommandContext) {
  if (!ctx.actor) return 0;
  return (await unreadCounts(ctx.db, [ctx.actor.id])).get(ctx.actor.id) ?? 0;
}

/** The actor's own notifications, newest first. */
export async function listNotifications(ctx: CommandContext, opts: { limit?: number; before?: number } = {}) {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return ctx.db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, ctx.actor.id))
    .orderBy(desc(notifications.id))
    .limit(Math.min(opts.limit ?? 50, 100));
}

export async function markAllRead(ctx: CommandContext) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock.now() })
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)));
  ctx.events.publish({ type: "notification.read", userId: actor.id, unread: 0 });
}
