import { eq } from "drizzle-orm";
import * as z from "zod";
import type { Db } from "../../../db/client";
import { notificationSettings } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { readUnsubscribeToken } from "./email.server";

export const UnsubscribeSchema = z.object({ token: z.string().min(1).max(200) });

/** Whom a link's token names, or a translated refusal: no key configured, or not signed with it. */
export function checkUnsubscribeToken(ctx: CommandContext, token: string) {
  const key = ctx.settings?.notifications?.unsubscribeKey;
  const who = key ? readUnsubscribeToken(key, token) : null;
  if (!who) throw new DomainError("validation", "notifications.errors.badToken");
  return who;
}

/**
 * One-click unsubscribe (RFC 8058): the signed token is the permission, no sign-in needed; it
 * turns that one channel off for that one person. Idempotent; ledgered on the person's stream.
 */
export async function unsubscribe(ctx: CommandContext, input: unknown) {
  const { token } = UnsubscribeSchema.parse(input);
  const { userId, channel } = checkUnsubscribeToken(ctx, token);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const set = channel === "email" ? { emailLevel: "none", updatedAt: now } : { smsLevel: "none", updatedAt: now };
    const [changed] = await tx.update(notificationSettings).set(set).where(eq(notificationSettings.userId, userId)).returning({ userId: notificationSettings.userId });
    if (!changed) return;
    await appendLedger(tx as unknown as Db, {
      stream: `user:${userId}`,
      actorId: null,
      action: "notification.unsubscribed",
      entityType: "user",
      entityId: userId,
      summary: { channel, by: "link" },
      at: now,
    });
  });
  return { channel };
}
