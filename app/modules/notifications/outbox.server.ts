/**
 * The outbox's way out: the relay hands pending deliveries to the job queue, a delivery job claims
 * its row, sends it through its channel and marks it sent, or dead after its last try. The row is
 * the idempotency record: a delivery already sent (or being sent by a live worker) is not sent
 * again, whatever the number of jobs that point at it.
 */
import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import * as z from "zod";
import type { Db } from "../../../db/client";
import { notificationDeliveries, notifications, notificationSettings, users } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { Channel } from "./levels";

/** Everything a channel needs to compose one message, in the recipient's language. */
export interface Delivery {
  id: number;
  key: string;
  channel: Channel;
  userId: number;
  attempts: number;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  createdAt: Date;
  locale: "zh-CN" | "en";
  email: string | null;
  phone: string | null;
  displayName: string;
  /** kinds whose SMS the person lets through quiet hours */
  urgentKinds: string[];
  /** several notices sent as one message: a burst on one matter, or the daily digest (oldest first) */
  bundle: { type: "burst" | "digest"; items: BundleItem[] } | null;
}

export interface BundleItem {
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  createdAt: Date;
}

/** One outside channel: sends one message or throws (the job retries). */
export interface ChannelSender {
  send(d: Delivery): Promise<void>;
  /** A time before which this message must not go out (SMS quiet hours), or null to send now. */
  holdUntil?(d: Delivery, now: Date): Date | null;
}
export type Channels = Partial<Record<Channel, ChannelSender>>;

/** A claim older than this is taken to belong to a worker that died mid-send. */
export const CLAIM_LEASE_MS = 2 * 60_000;

/**
 * Hands pending, not yet queued deliveries to `enqueue` (one job each) in batches and marks them
 * queued. A crash between the two only queues a delivery twice, which its row makes harmless.
 */
export async function relayOutbox(db: Db, now: Date, enqueue: (items: { id: number; key: string }[]) => Promise<void>, batch = 2_000) {
  let total = 0;
  for (;;) {
    const items = await db
      .select({ id: notificationDeliveries.id, key: notificationDeliveries.key })
      .from(notificationDeliveries)
      .where(
        and(
          eq(notificationDeliveries.status, "pending"),
          isNull(notificationDeliveries.queuedAt),
          or(isNull(notificationDeliveries.notBefore), lte(notificationDeliveries.notBefore, now)),
        ),
      )
      .orderBy(asc(notificationDeliveries.id))
      .limit(batch);
    if (items.length === 0) return total;
    await enqueue(items);
    await db
      .update(notificationDeliveries)
      .set({ queuedAt: now })
      .where(and(inArray(notificationDeliveries.id, items.map((i) => i.id)), isNull(notificationDeliveries.queuedAt)));
    total += items.length;
    if (items.length < batch) return total;
  }
}

export type DeliveryOutcome = "sent" | "already" | "skipped" | "held";

/**
 * Sends one delivery at most once: claims the row (pending, or a claim whose lease ran out),
 * sends outside any transaction, then marks it sent. On failure the row goes back to pending with
 * the error, or to dead when `final` (the job's last try), and the error is rethrown for the queue.
 */
export async function deliverOne(db: Db, deliveryId: number, channels: Channels, opts: { now: Date; final: boolean }): Promise<DeliveryOutcome> {
  const stale = new Date(opts.now.getTime() - CLAIM_LEASE_MS);
  const [claimed] = await db
    .update(notificationDeliveries)
    .set({ status: "sending", claimedAt: opts.now, attempts: sql`${notificationDeliveries.attempts} + 1` })
    .where(
      and(
        eq(notificationDeliveries.id, deliveryId),
        or(eq(notificationDeliveries.status, "pending"), and(eq(notificationDeliveries.status, "sending"), lt(notificationDeliveries.claimedAt, stale))),
      ),
    )
    .returning({ id: notificationDeliveries.id, bundleKey: notificationDeliveries.bundleKey });
  if (!claimed) return "already";
  // a bundle goes out as one message: whoever claims one of its rows claims all that are waiting
  const ids = [claimed.id];
  if (claimed.bundleKey) {
    const rest = await db
      .update(notificationDeliveries)
      .set({ status: "sending", claimedAt: opts.now, attempts: sql`${notificationDeliveries.attempts} + 1` })
      .where(
        and(
          eq(notificationDeliveries.bundleKey, claimed.bundleKey),
          eq(notificationDeliveries.status, "pending"),
          or(isNull(notificationDeliveries.notBefore), lte(notificationDeliveries.notBefore, opts.now)),
        ),
      )
      .returning({ id: notificationDeliveries.id });
    ids.push(...rest.map((r) => r.id));
  }
  const mine = inArray(notificationDeliveries.id, ids);
  const d = await loadDelivery(db, ids, claimed.bundleKey);
  const sender = d ? channels[d.channel] : undefined;
  if (!d || !sender) {
    await db
      .update(notificationDeliveries)
      .set({ status: "skipped", lastError: d ? "channel not configured" : "notification gone" })
      .where(mine);
    return "skipped";
  }
  const until = sender.holdUntil?.(d, opts.now);
  if (until) {
    // back to the outbox, unqueued: the relay hands it over again once `until` has passed
    await db
      .update(notificationDeliveries)
      .set({ status: "pending", queuedAt: null, claimedAt: null, notBefore: until, attempts: sql`${notificationDeliveries.attempts} - 1` })
      .where(mine);
    return "held";
  }
  try {
    await sender.send(d);
  } catch (e) {
    const message = (e as Error).message.slice(0, 500);
    await db
      .update(notificationDeliveries)
      .set(opts.final ? { status: "dead", deadAt: opts.now, lastError: message } : { status: "pending", lastError: message })
      .where(mine);
    throw e;
  }
  await db.update(notificationDeliveries).set({ status: "sent", sentAt: opts.now, lastError: null }).where(mine);
  return "sent";
}

/** The claimed rows as one delivery: the first row's recipient and channel, every row's notice when bundled. */
async function loadDelivery(db: Db, ids: number[], bundleKey: string | null): Promise<Delivery | null> {
  const rows = await db
    .select({
      id: notificationDeliveries.id,
      key: notificationDeliveries.key,
      channel: notificationDeliveries.channel,
      userId: notificationDeliveries.userId,
      attempts: notificationDeliveries.attempts,
      kind: notifications.kind,
      params: notifications.params,
      link: notifications.link,
      createdAt: notifications.createdAt,
      locale: notificationSettings.locale,
      email: notificationSettings.email,
      urgentKinds: notificationSettings.smsUrgentKinds,
      phone: users.phone,
      displayName: users.displayName,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .innerJoin(users, eq(users.id, notificationDeliveries.userId))
    .leftJoin(notificationSettings, eq(notificationSettings.userId, notificationDeliveries.userId))
    .where(inArray(notificationDeliveries.id, ids))
    .orderBy(asc(notifications.createdAt), asc(notificationDeliveries.id));
  const r = rows.find((x) => x.id === ids[0]);
  if (!r) return null;
  const type = bundleKey?.startsWith("digest:") ? "digest" : bundleKey ? "burst" : null;
  return {
    ...r,
    channel: r.channel as Channel,
    locale: r.locale === "en" ? "en" : "zh-CN",
    urgentKinds: r.urgentKinds ?? [],
    bundle: type === "digest" || (type && rows.length > 1) ? { type, items: rows.map((x) => ({ kind: x.kind, params: x.params, link: x.link, createdAt: x.createdAt })) } : null,
  };
}

/** Deliveries that used up their tries, newest first: what an admin sees on the dead-letter list. */
export async function listDeadDeliveries(ctx: CommandContext, opts: { limit?: number } = {}) {
  if (!can(ctx.actor, "notification.manageDeliveries", { type: "site" })) throw new DomainError("forbidden", "errors.forbidden");
  return ctx.db
    .select({
      id: notificationDeliveries.id,
      key: notificationDeliveries.key,
      channel: notificationDeliveries.channel,
      attempts: notificationDeliveries.attempts,
      lastError: notificationDeliveries.lastError,
      deadAt: notificationDeliveries.deadAt,
      kind: notifications.kind,
      displayName: users.displayName,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .innerJoin(users, eq(users.id, notificationDeliveries.userId))
    .where(eq(notificationDeliveries.status, "dead"))
    .orderBy(desc(notificationDeliveries.deadAt), desc(notificationDeliveries.id))
    .limit(Math.min(opts.limit ?? 100, 500));
}

export const RetryDeliverySchema = z.object({ deliveryId: z.coerce.number().int().positive() });

/** An admin puts a dead delivery back in the outbox: the relay queues it again with fresh tries. Ledgered on the recipient's stream. */
export async function retryDeadDelivery(ctx: CommandContext, input: unknown) {
  const { deliveryId } = RetryDeliverySchema.parse(input);
  if (!can(ctx.actor, "notification.manageDeliveries", { type: "site" })) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(notificationDeliveries)
      .set({ status: "pending", queuedAt: null, claimedAt: null, deadAt: null, attempts: 0 })
      .where(and(eq(notificationDeliveries.id, deliveryId), eq(notificationDeliveries.status, "dead")))
      .returning({ id: notificationDeliveries.id, userId: notificationDeliveries.userId, channel: notificationDeliveries.channel, key: notificationDeliveries.key });
    if (!row) throw new DomainError("invalid_state", "notifications.errors.notDead");
    await appendLedger(tx as unknown as Db, {
      stream: `user:${row.userId}`,
      actorId: ctx.actor!.id,
      action: "notification.delivery.retried",
      entityType: "notification_delivery",
      entityId: row.id,
      summary: { channel: row.channel, key: row.key },
      at: now,
    });
    return row;
  });
  ctx.events.publish({ type: "notification.requeued", deliveryId: row.id });
  return row;
}
