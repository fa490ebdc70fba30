/**
 * Fewer, fuller messages. A muted followed matter sends nothing outside the app; several updates
 * to one matter within an hour go out as one message when the hour is up ("3 updates on 路灯维修");
 * and a day's digest-level notices go out as one daily digest. Bundled rows share a `bundle_key`:
 * the delivery that claims one claims them all and sends one message (outbox.server.ts).
 */
import { and, desc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { follows, notificationDeliveries, notifications } from "../../../db/schema";
import { BEIJING_OFFSET_MS } from "../shared/beijing-time";

/** Updates to one matter closer together than this are sent together. */
export const BURST_WINDOW_MS = 60 * 60_000;

/** How far back an unsent message (held for the night) can still take in a new update. */
const HOLD_LOOKBACK_MS = 24 * 3_600_000;

/** The matter a notice is about, read from its link (`/matters/<id>…`) when the caller names none. */
export function matterOfLink(link: string | null | undefined) {
  const m = /^\/matters\/(\d{1,9})(?:[/?#]|$)/.exec(link ?? "");
  return m ? Number(m[1]) : null;
}

/** Of `userIds`, those who muted `matterId`: they hear of it in the app only. */
export async function mutedFollowers(tx: Db, matterId: number, userIds: number[]) {
  if (userIds.length === 0) return new Set<number>();
  const rows = await tx
    .select({ userId: follows.userId })
    .from(follows)
    .where(and(eq(follows.matterId, matterId), eq(follows.muted, true), inArray(follows.userId, userIds)));
  return new Set(rows.map((r) => r.userId));
}

type NewDelivery = typeof notificationDeliveries.$inferInsert;

/**
 * Folds deliveries about `matterId` into bursts: a person's first update within the window goes
 * at once; a later one joins a message still waiting (a burst, or a single text held for quiet
 * hours), or starts a burst that goes out an hour after the last message on that channel.
 * Mutates and returns `rows`.
 */
export async function foldBursts(tx: Db, matterId: number, at: Date, rows: NewDelivery[]) {
  const pending = rows.filter((r) => r.status === "pending");
  if (pending.length === 0) return rows;
  const recent = await tx
    .select({
      id: notificationDeliveries.id,
      userId: notificationDeliveries.userId,
      channel: notificationDeliveries.channel,
      status: notificationDeliveries.status,
      bundleKey: notificationDeliveries.bundleKey,
      notBefore: notificationDeliveries.notBefore,
      createdAt: notificationDeliveries.createdAt,
    })
    .from(notifications)
    .innerJoin(notificationDeliveries, eq(notificationDeliveries.notificationId, notifications.id))
    .where(
      and(
        eq(notifications.matterId, matterId),
        // a day back: a text held overnight is still waiting to be joined
        gt(notifications.createdAt, new Date(at.getTime() - HOLD_LOOKBACK_MS)),
        lte(notifications.createdAt, at),
        inArray(notificationDeliveries.status, ["pending", "sending", "sent"]),
        inArray(notificationDeliveries.userId, [...new Set(pending.map((r) => r.userId))]),
      ),
    )
    .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id));
  const latest = new Map<string, (typeof recent)[number]>();
  for (const r of recent) if (!latest.has(`${r.userId}:${r.channel}`)) latest.set(`${r.userId}:${r.channel}`, r);
  // a message not sent yet (held for quiet hours, or still in the queue) becomes a burst the new
  // update joins; the update can only claim a row still pending, and if it is gone, waits
  const unsent = [...latest.values()].filter((p) => p.status === "pending" && !p.bundleKey).map((p) => p.id);
  const waiting = (p: (typeof recent)[number]) => p.status === "pending" && p.bundleKey?.startsWith("burst:");
  if (unsent.length > 0) {
    const opened = await tx
      .update(notificationDeliveries)
      .set({ bundleKey: sql`'burst:' || ${notificationDeliveries.userId} || ':' || ${notificationDeliveries.channel} || ':' || ${matterId}::text || ':' || ${notificationDeliveries.id}` })
      .where(and(inArray(notificationDeliveries.id, unsent), eq(notificationDeliveries.status, "pending"), isNull(notificationDeliveries.bundleKey)))
      .returning({ id: notificationDeliveries.id, bundleKey: notificationDeliveries.bundleKey });
    const keyOf = new Map(opened.map((o) => [o.id, o.bundleKey]));
    for (const p of latest.values()) if (keyOf.has(p.id)) p.bundleKey = keyOf.get(p.id)!;
  }
  for (const row of pending) {
    const prev = latest.get(`${row.userId}:${row.channel}`);
    if (!prev) continue;
    if (waiting(prev)) {
      row.bundleKey = prev.bundleKey;
      row.notBefore = prev.notBefore;
      continue;
    }
    const anchor = Math.max(prev.createdAt.getTime(), prev.notBefore?.getTime() ?? 0);
    if (anchor <= at.getTime() - BURST_WINDOW_MS) continue;
    row.notBefore = new Date(Math.max(anchor + BURST_WINDOW_MS, at.getTime()));
    row.bundleKey = `burst:${row.userId}:${row.channel}:${matterId}:${row.notBefore.getTime()}`;
  }
  return rows;
}

/** The Beijing calendar day of `now`, as YYYY-MM-DD. */
function beijingDay(now: Date) {
  return new Date(now.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The daily digest: every digest-level notice written up to `now` becomes one bundle per person
 * and channel, handed to the relay. Run twice on one day, the second run finds nothing left.
 */
export async function gatherDigests(db: Db, now: Date) {
  const day = beijingDay(now);
  const rows = await db
    .update(notificationDeliveries)
    .set({
      status: "pending",
      notBefore: null,
      bundleKey: sql`'digest:' || ${notificationDeliveries.userId} || ':' || ${notificationDeliveries.channel} || ':' || ${day}::text`,
    })
    .where(and(eq(notificationDeliveries.status, "digest"), lte(notificationDeliveries.createdAt, now)))
    .returning({ id: notificationDeliveries.id });
  return rows.length;
}
