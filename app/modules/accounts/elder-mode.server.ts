import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { users } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { can } from "./permissions";

/** The cookie that remembers 长辈模式 per browser: "1" on, "0" off (also: the phone offer was answered). */
export const ELDER_COOKIE = "elder";

/** What the browser's cookie says: true, false, or null when it was never chosen here. */
export function elderCookieValue(cookieHeader: string | null | undefined): boolean | null {
  const m = /(?:^|;\s*)elder=([^;]*)/.exec(cookieHeader ?? "");
  if (!m) return null;
  return m[1] === "1" ? true : m[1] === "0" ? false : null;
}

/** A phone's browser, by its User-Agent (only to offer 长辈模式 once; nothing depends on it being right). */
export function isPhoneBrowser(userAgent: string | null | undefined) {
  return /Mobi|Android|iPhone|HarmonyOS/i.test(userAgent ?? "");
}

/**
 * Whether a page is shown in 长辈模式, and whether to offer it: the account's own choice wins when
 * signed in, then the browser's cookie; a phone that has never answered is offered it once.
 */
export function elderModeOf(actor: { elderMode?: boolean | null } | null, cookieHeader: string | null | undefined, userAgent: string | null | undefined) {
  const cookie = elderCookieValue(cookieHeader);
  const chosen = actor?.elderMode ?? cookie;
  return { on: chosen === true, offer: chosen === null && isPhoneBrowser(userAgent) };
}

/** A signed-in person keeps 长辈模式 on their account (it follows them to any browser). Ledgered on their stream. */
export async function setElderMode(ctx: CommandContext, input: { on: boolean }) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(actor, "account.update", { type: "user", id: actor.id })) throw new DomainError("forbidden", "errors.forbidden");
  const on = input.on === true;
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ elderMode: on }).where(eq(users.id, actor.id));
    await appendLedger(tx as unknown as Db, {
      stream: `user:${actor.id}`,
      actorId: actor.id,
      action: "account.elderModeChanged",
      entityType: "user",
      entityId: actor.id,
      summary: { after: { elderMode: on } },
      at: now,
    });
  });
  return { on };
}
