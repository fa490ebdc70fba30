/**
 * A forgotten password, reset by a code sent by SMS (when the server has an SMS provider; without
 * one the committee's in-person reset code in reset.server.ts is the way). The answer to a request
 * is the same whether or not the number has an account, so the form tells nobody who is signed up.
 */
import { createHash, randomInt } from "node:crypto";
import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { phoneCodes, sessions, users } from "../../../db/schema";
import { translate } from "~/i18n";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { findUserByLogin } from "./lookup.server";
import { hashPassword } from "./passwords.server";
import type { SmsCodeRequestSchema, SmsResetSchema } from "./schemas";
import { lockAttempts, recordAttempt, throttleState, waitMinutes } from "./throttle.server";

export const SMS_CODE_TTL_MS = 10 * 60_000;
export const SMS_CODE_TRIES = 5;
export const SMS_RESEND_MS = 60_000;
/** Codes one number may be sent, and one address may ask for, per hour. */
export const SMS_PER_NUMBER_HOUR = 5;
export const SMS_PER_IP_HOUR = 20;

const PURPOSE = "reset";
const hashOf = (phone: string, code: string) => createHash("sha256").update(`sms:${PURPOSE}:${phone}:${code}`).digest("hex");

/** Sends a 6-digit code to `phone` if it has an account; limited per number (one a minute, five an hour) and per address. */
export async function requestSmsResetCode(ctx: CommandContext, input: z.output<typeof SmsCodeRequestSchema>) {
  const send = ctx.textMessage;
  if (!send) throw new DomainError("invalid_state", "auth.sms.unavailable");
  const now = ctx.clock.now();
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const userId = await inTransaction(ctx, async (tx) => {
    await lockAttempts(tx, `sms:${input.phone}`);
    const [last] = await tx
      .select({ at: phoneCodes.createdAt })
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phone, input.phone), eq(phoneCodes.purpose, PURPOSE)))
      .orderBy(desc(phoneCodes.createdAt))
      .limit(1);
    const since = last ? now.getTime() - last.at.getTime() : Infinity;
    if (since < SMS_RESEND_MS) throw new DomainError("rate_limited", "auth.sms.wait", { seconds: Math.ceil((SMS_RESEND_MS - since) / 1000) }, "phone");
    const [byNumber] = await tx.select({ n: count() }).from(phoneCodes).where(and(eq(phoneCodes.phone, input.phone), gt(phoneCodes.createdAt, hourAgo)));
    const [byIp] = ctx.ip ? await tx.select({ n: count() }).from(phoneCodes).where(and(eq(phoneCodes.ip, ctx.ip), gt(phoneCodes.createdAt, hourAgo))) : [{ n: 0 }];
    if (Number(byNumber.n) >= SMS_PER_NUMBER_HOUR || Number(byIp.n) >= SMS_PER_IP_HOUR) throw new DomainError("rate_limited", "auth.sms.tooMany", {}, "phone");
    const user = await findUserByLogin(tx, { kind: "phone", value: input.phone });
    // a newer code supersedes the older ones
    await tx
      .update(phoneCodes)
      .set({ usedAt: now })
      .where(and(eq(phoneCodes.phone, input.phone), eq(phoneCodes.purpose, PURPOSE), isNull(phoneCodes.usedAt)));
    await tx.insert(phoneCodes).values({
      purpose: PURPOSE,
      phone: input.phone,
      userId: user?.id ?? null,
      codeHash: hashOf(input.phone, code),
      ip: ctx.ip ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS),
    });
    return user?.id ?? null;
  });
  // an unknown number is recorded (it spends the limits) but sent nothing
  if (userId) await send(input.phone, translate("zh-CN", "auth.sms.text", { code }));
  return { sent: true };
}

/**
 * Sets a new password with the code. A wrong code spends one of the code's five tries; a wrong,
 * spent or expired code gets one answer; tries are also throttled per number like sign-in. On
 * success every session of the account ends and the ledger records it.
 */
export async function resetPasswordBySms(ctx: CommandContext, input: z.output<typeof SmsResetSchema>) {
  const now = ctx.clock.now();
  const key = input.phone;
  const passwordHash = await hashPassword(input.password);
  const outcome = await inTransaction(ctx, async (tx) => {
    await lockAttempts(tx, key);
    const { wait } = await throttleState(tx, key, ctx.ip, now, ctx.settings?.throttle);
    if (wait > 0) {
      await recordAttempt(tx, { userId: null, key, ip: ctx.ip, success: false, reason: "throttled", at: now });
      return { kind: "throttled" as const, wait };
    }
    const [live] = await tx
      .select()
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phone, input.phone), eq(phoneCodes.purpose, PURPOSE), isNull(phoneCodes.usedAt), gt(phoneCodes.expiresAt, now)))
      .orderBy(desc(phoneCodes.createdAt))
      .limit(1);
    if (!live || live.tries >= SMS_CODE_TRIES || live.codeHash !== hashOf(input.phone, input.code) || !live.userId) {
      if (live) await tx.update(phoneCodes).set({ tries: sql`${phoneCodes.tries} + 1` }).where(eq(phoneCodes.id, live.id));
      await recordAttempt(tx, { userId: live?.userId ?? null, key, ip: ctx.ip, success: false, reason: "reset", at: now });
      return { kind: "bad" as const };
    }
    await tx.update(phoneCodes).set({ usedAt: now }).where(eq(phoneCodes.id, live.id));
    await tx.update(users).set({ passwordHash }).where(eq(users.id, live.userId));
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, live.userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    await recordAttempt(tx, { userId: live.userId, key, ip: ctx.ip, success: true, reason: null, at: now });
    await appendLedger(tx, {
      stream: `user:${live.userId}`,
      actorId: live.userId,
      action: "account.reset_by_sms",
      entityType: "user",
      entityId: live.userId,
      summary: { codeId: live.id, sessionsEnded: ended.length },
      at: now,
    });
    return { kind: "ok" as const, userId: live.userId };
  });
  if (outcome.kind === "throttled") throw new DomainError("rate_limited", "errors.tooManyAttempts", { minutes: waitMinutes(outcome.wait) });
  if (outcome.kind === "bad") throw new DomainError("validation", "auth.sms.badCode", {}, "code");
  return { userId: outcome.userId };
}
