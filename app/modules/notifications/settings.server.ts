import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { follows, matters, notificationSettings, users } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { NotificationSettingsSchema } from "./schemas";

/** The actor's own settings, or the defaults (everything outside the app off). */
export async function getNotificationSettings(ctx: CommandContext) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const [s] = await ctx.db.select().from(notificationSettings).where(eq(notificationSettings.userId, actor.id));
  const [u] = await ctx.db.select({ phone: users.phone }).from(users).where(eq(users.id, actor.id));
  const followed = await ctx.db
    .select({ matterId: follows.matterId, title: matters.title, muted: follows.muted })
    .from(follows)
    .innerJoin(matters, eq(matters.id, follows.matterId))
    .where(eq(follows.userId, actor.id))
    .orderBy(asc(matters.title), asc(follows.matterId))
    .limit(200);
  return {
    smsUrgent: s?.smsUrgentKinds ?? [],
    followed,
    email: s?.email ?? "",
    emailLevel: s?.emailLevel ?? "none",
    smsLevel: s?.smsLevel ?? "none",
    locale: s?.locale ?? "zh-CN",
    phone: u?.phone ?? null,
  };
}

/**
 * A person sets, per channel, how much they hear outside the app, and where. SMS goes to the
 * account's phone, so a level other than "none" needs one. Ledgered on their stream (levels, and
 * whether an address is set; never the address).
 */
export async function updateNotificationSettings(ctx: CommandContext, input: unknown) {
  const v = NotificationSettingsSchema.parse(input);
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(actor, "account.update", { type: "user", id: actor.id })) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [u] = await tx.select({ phone: users.phone }).from(users).where(eq(users.id, actor.id));
    if (v.smsLevel !== "none" && !u?.phone) throw new DomainError("validation", "notifications.errors.phoneNeeded", {}, "smsLevel");
    const row = { email: v.email || null, emailLevel: v.emailLevel, smsLevel: v.smsLevel, locale: v.locale, smsUrgentKinds: v.smsUrgent, updatedAt: now };
    await tx.insert(notificationSettings).values({ userId: actor.id, ...row }).onConflictDoUpdate({ target: notificationSettings.userId, set: row });
    await appendLedger(tx as unknown as Db, {
      stream: `user:${actor.id}`,
      actorId: actor.id,
      action: "notification.settingsChanged",
      entityType: "user",
      entityId: actor.id,
      summary: { after: { emailLevel: v.emailLevel, smsLevel: v.smsLevel, locale: v.locale, email: v.email ? "set" : "none", smsUrgent: v.smsUrgent } },
      at: now,
    });
  });
}
