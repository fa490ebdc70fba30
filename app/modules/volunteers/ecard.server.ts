import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import QRCode from "qrcode";
import type { Db } from "../../../db/client";
import { volunteers } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { sameHex, volunteerKeys, type Keys } from "./keys.server";
import { requireOwnVolunteer } from "./volunteers.server";

/** A screen card lives this long (the profile page shows a fresh one each time it refreshes). */
export const SCREEN_CARD_SECONDS = 120;
/** A printed card lives this long unless the volunteer revokes every printed card before it. */
export const PRINTED_CARD_DAYS = 365;

/**
 * An e-card token: `E1.<volunteer id>.<s|p>.<expiry, unix seconds>.<generation>.<mac>`, all
 * base-36 but the MAC (HMAC-SHA256 under the e-card key, first 16 bytes, hex). Screen cards (`s`)
 * expire in minutes; printed ones (`p`) in a year and only while their generation is current.
 */
export function signEcard(keys: Keys, volunteerId: number, kind: "s" | "p", expiresAt: Date, generation: number) {
  const body = ["E1", volunteerId.toString(36), kind, Math.floor(expiresAt.getTime() / 1000).toString(36), generation.toString(36)].join(".");
  return `${body}.${mac(keys, body)}`;
}

function mac(keys: Keys, body: string) {
  return createHmac("sha256", keys.ecard).update(body).digest("hex").slice(0, 32);
}

export type EcardProblem = "format" | "signature" | "expired" | "revoked";

/** Reads a token: well-formed, signed by this installation, not expired, and (printed) not revoked. */
export async function readEcard(keys: Keys, db: Db, token: string, now: Date): Promise<{ ok: true; volunteerId: number; kind: "s" | "p" } | { ok: false; problem: EcardProblem }> {
  const m = /^E1\.([0-9a-z]{1,8})\.([sp])\.([0-9a-z]{1,10})\.([0-9a-z]{1,6})\.([0-9a-f]{32})$/.exec(token.trim());
  if (!m) return { ok: false, problem: "format" };
  const body = token.trim().slice(0, token.trim().lastIndexOf("."));
  if (!sameHex(mac(keys, body), m[5])) return { ok: false, problem: "signature" };
  const volunteerId = parseInt(m[1], 36);
  if (parseInt(m[3], 36) * 1000 < now.getTime()) return { ok: false, problem: "expired" };
  const kind = m[2] as "s" | "p";
  if (kind === "p") {
    const [v] = await db.select({ gen: volunteers.ecardGeneration }).from(volunteers).where(eq(volunteers.id, volunteerId));
    if (!v || v.gen !== parseInt(m[4], 36)) return { ok: false, problem: "revoked" };
  }
  return { ok: true, volunteerId, kind };
}

/** The volunteer's own e-card for the screen (short-lived) or for printing (a year, revocable), with its QR code. */
export async function getMyEcard(ctx: CommandContext, kind: "s" | "p" = "s") {
  const v = await requireOwnVolunteer(ctx);
  const now = ctx.clock.now();
  const [{ gen }] = await ctx.db.select({ gen: volunteers.ecardGeneration }).from(volunteers).where(eq(volunteers.id, v.id));
  const expiresAt = new Date(now.getTime() + (kind === "s" ? SCREEN_CARD_SECONDS * 1000 : PRINTED_CARD_DAYS * 86_400_000));
  const token = signEcard(volunteerKeys(ctx.settings), v.id, kind, expiresAt, gen);
  const svg = await QRCode.toString(token, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { token, expiresAt, svg, volunteerNumber: v.volunteerNumber, realName: v.realName };
}

/** The volunteer revokes every printed card they have made: a lost card stops working at once. */
export async function revokePrintedCards(ctx: CommandContext) {
  const v = await requireOwnVolunteer(ctx);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [r] = await tx.update(volunteers).set({ ecardGeneration: sql`${volunteers.ecardGeneration} + 1` }).where(eq(volunteers.id, v.id)).returning({ gen: volunteers.ecardGeneration });
    await appendLedger(tx, { stream: `area:${v.communityId}`, actorId: v.userId, action: "volunteer.ecardsRevoked", entityType: "volunteer", entityId: v.id, summary: { after: { generation: r.gen } }, at: now });
    return { generation: r.gen };
  });
}
