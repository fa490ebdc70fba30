/**
 * Six-digit codes sent by SMS, shared by the two things a code proves: that a person holds a
 * number they sign up with ("signup") and that they hold the number of an account whose password
 * they forgot ("reset"). Only a hash is kept. A code is good for 10 minutes and 5 tries; a newer
 * code for the same number and purpose supersedes the older ones. One number may be sent one code
 * a minute and five an hour, and one address may ask for twenty an hour.
 */
import { createHash, randomInt } from "node:crypto";
import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { phoneCodes } from "../../../db/schema";
import { DomainError } from "../shared/errors";
import { lockAttempts } from "./throttle.server";

export const SMS_CODE_TTL_MS = 10 * 60_000;
export const SMS_CODE_TRIES = 5;
export const SMS_RESEND_MS = 60_000;
/** Codes one number may be sent, and one address may ask for, per hour. */
export const SMS_PER_NUMBER_HOUR = 5;
export const SMS_PER_IP_HOUR = 20;
/**
 * Sign-up codes an address may ask for per hour: higher, because a sign-up morning puts a room of
 * residents on one network; a live venue code (场地码) lifts the address limit altogether.
 */
export const SMS_SIGNUP_PER_IP_HOUR = 100;

export type CodePurpose = "reset" | "signup";

const hashOf = (purpose: CodePurpose, phone: string, code: string) => createHash("sha256").update(`sms:${purpose}:${phone}:${code}`).digest("hex");

/**
 * Inside the caller's transaction: checks the number's and the address's limits, supersedes the
 * number's live codes for `purpose`, and records a fresh one. Returns the code to send (the caller
 * sends it after commit, or not at all when the number must not learn anything).
 */
export async function issuePhoneCode(
  tx: Db,
  input: {
    purpose: CodePurpose;
    phone: string;
    userId?: number | null;
    payload?: Record<string, unknown> | null;
    ip?: string | null;
    /** codes the address may ask for per hour (default SMS_PER_IP_HOUR) */
    perIpHour?: number;
    now: Date;
  },
): Promise<string> {
  const { purpose, phone, now } = input;
  const hourAgo = new Date(now.getTime() - 3_600_000);
  await lockAttempts(tx, `sms:${phone}`);
  const [last] = await tx
    .select({ at: phoneCodes.createdAt })
    .from(phoneCodes)
    .where(and(eq(phoneCodes.phone, phone), eq(phoneCodes.purpose, purpose)))
    .orderBy(desc(phoneCodes.createdAt))
    .limit(1);
  const since = last ? now.getTime() - last.at.getTime() : Infinity;
  if (since < SMS_RESEND_MS) throw new DomainError("rate_limited", "auth.sms.wait", { seconds: Math.ceil((SMS_RESEND_MS - since) / 1000) }, "phone");
  const [byNumber] = await tx.select({ n: count() }).from(phoneCodes).where(and(eq(phoneCodes.phone, phone), gt(phoneCodes.createdAt, hourAgo)));
  const [byIp] = input.ip ? await tx.select({ n: count() }).from(phoneCodes).where(and(eq(phoneCodes.ip, input.ip), gt(phoneCodes.createdAt, hourAgo))) : [{ n: 0 }];
  if (Number(byNumber.n) >= SMS_PER_NUMBER_HOUR || Number(byIp.n) >= (input.perIpHour ?? SMS_PER_IP_HOUR)) throw new DomainError("rate_limited", "auth.sms.tooMany", {}, "phone");
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await tx
    .update(phoneCodes)
    .set({ usedAt: now })
    .where(and(eq(phoneCodes.phone, phone), eq(phoneCodes.purpose, purpose), isNull(phoneCodes.usedAt)));
  await tx.insert(phoneCodes).values({
    purpose,
    phone,
    userId: input.userId ?? null,
    payload: input.payload ?? null,
    codeHash: hashOf(purpose, phone, code),
    ip: input.ip ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS),
  });
  return code;
}

/** The number's live code for `purpose` (not spent, superseded or expired), if any. */
export async function livePhoneCode(tx: Db, purpose: CodePurpose, phone: string, now: Date) {
  const [live] = await tx
    .select()
    .from(phoneCodes)
    .where(and(eq(phoneCodes.phone, phone), eq(phoneCodes.purpose, purpose), isNull(phoneCodes.usedAt), gt(phoneCodes.expiresAt, now)))
    .orderBy(desc(phoneCodes.createdAt))
    .limit(1);
  return live ?? null;
}

/**
 * Spends the live code when `code` matches it (and it has tries left); a wrong code spends one of
 * its tries. Returns the spent row, or null for a wrong, spent, superseded or expired code — one
 * answer for all, so a guesser learns nothing.
 */
export async function takePhoneCode(tx: Db, input: { purpose: CodePurpose; phone: string; code: string; now: Date }) {
  const live = await livePhoneCode(tx, input.purpose, input.phone, input.now);
  if (!live) return null;
  if (live.tries >= SMS_CODE_TRIES || live.codeHash !== hashOf(input.purpose, input.phone, input.code)) {
    await tx.update(phoneCodes).set({ tries: sql`${phoneCodes.tries} + 1` }).where(eq(phoneCodes.id, live.id));
    return null;
  }
  await tx.update(phoneCodes).set({ usedAt: input.now }).where(eq(phoneCodes.id, live.id));
  return live;
}
