/**
 * Venue codes (场地码) for a sign-up morning: the committee issues a short code that lives a few
 * hours; residents who enter it when signing up are not held by the per-address sign-up ceiling
 * (a room of neighbours on the community centre's one Wi-Fi). Each sign-up is still limited per
 * login name, and a code takes at most `maxUses` sign-ups.
 */
import { randomInt } from "node:crypto";
import { and, desc, eq, gt, lt, sql } from "drizzle-orm";
import { areas, venueCodes } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { areaResource } from "./communities.server";

/** Letters and digits that cannot be mistaken for one another when read aloud or off a screen. */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const VENUE_CODE_HOURS = 4;
export const VENUE_CODE_MAX_USES = 300;

const newCode = () => Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
/** What a person types, as stored: upper case, spaces and dashes dropped. */
export const normaliseVenueCode = (s: string) => s.toUpperCase().replace(/[\s-]/g, "").slice(0, 12);

/** The committee (or town staff) of a community issues a venue code; an earlier live one ends now. */
export async function issueVenueCode(ctx: CommandContext, communityId: number) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, communityId));
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.notFound");
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(actor, "area.manageMembers", areaResource(area))) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + VENUE_CODE_HOURS * 3_600_000);
  return inTransaction(ctx, async (tx) => {
    await tx.update(venueCodes).set({ expiresAt: now }).where(and(eq(venueCodes.communityId, communityId), gt(venueCodes.expiresAt, now)));
    const code = newCode();
    await tx.insert(venueCodes).values({ communityId, code, issuedBy: actor.id, createdAt: now, expiresAt, maxUses: VENUE_CODE_MAX_USES });
    await appendLedger(tx, { stream: `area:${communityId}`, actorId: actor.id, action: "venue_code.issued", entityType: "area", entityId: communityId, summary: { expiresAt: expiresAt.toISOString() }, at: now });
    return { code, expiresAt };
  });
}

/** The community's live venue code, for its committee's page (null when none, or not theirs to see). */
export async function getLiveVenueCode(ctx: CommandContext, communityId: number) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, communityId));
  if (!area || !can(ctx.actor, "area.manageMembers", areaResource(area))) return null;
  const [row] = await ctx.db
    .select({ code: venueCodes.code, expiresAt: venueCodes.expiresAt, uses: venueCodes.uses, maxUses: venueCodes.maxUses })
    .from(venueCodes)
    .where(and(eq(venueCodes.communityId, communityId), gt(venueCodes.expiresAt, ctx.clock.now()), lt(venueCodes.uses, venueCodes.maxUses)))
    .orderBy(desc(venueCodes.createdAt))
    .limit(1);
  return row ? { code: row.code, expiresAt: row.expiresAt.toISOString(), uses: row.uses, maxUses: row.maxUses } : null;
}

/** Spends one use of a live code; false when the code is unknown, expired or used up. */
export async function spendVenueCode(ctx: CommandContext, typed: string | undefined) {
  if (!typed) return false;
  const now = ctx.clock.now();
  const spent = await ctx.db
    .update(venueCodes)
    .set({ uses: sql`${venueCodes.uses} + 1` })
    .where(and(eq(venueCodes.code, normaliseVenueCode(typed)), gt(venueCodes.expiresAt, now), lt(venueCodes.uses, venueCodes.maxUses)))
    .returning({ id: venueCodes.id });
  return spent.length > 0;
}
