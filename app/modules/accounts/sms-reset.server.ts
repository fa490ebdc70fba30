/**
 * A forgotten password, reset by a code sent by SMS (when the server has an SMS provider; without
 * one the committee's in-person reset code in reset.server.ts is the way). The answer to a request
 * is the same whether or not the number has an account, so the form tells nobody who is signed up.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { sessions, users } from "../../../db/schema";
import { translate } from "~/i18n";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { findUserByLogin } from "./lookup.server";
import { hashPassword } from "./passwords.server";
import { issuePhoneCode, takePhoneCode } from "./phone-codes.server";
import type { SmsCodeRequestSchema, SmsResetSchema } from "./schemas";
import { lockAttempts, recordAttempt, throttleState, waitMinutes } from "./throttle.server";

export { SMS_CODE_TRIES, SMS_CODE_TTL_MS, SMS_PER_IP_HOUR, SMS_PER_NUMBER_HOUR, SMS_RESEND_MS } from "./phone-codes.server";

const PURPOSE = "reset";

/** Sends a 6-digit code to `phone` if it has an account; limited per number (one a minute, five an hour) and per address. */
export async function requestSmsResetCode(ctx: CommandContext, input: z.output<typeof SmsCodeRequestSchema>) {
  const send = ctx.textMessage;
  if (!send) throw new DomainError("invalid_state", "auth.sms.unavailable");
  const now = ctx.clock.now();
  const sent = await inTransaction(ctx, async (tx) => {
    const user = await findUserByLogin(tx, { kind: "phone", value: input.phone });
    const code = await issuePhoneCode(tx, { purpose: PURPOSE, phone: input.phone, userId: user?.id ?? null, ip: ctx.ip ?? null, now });
    return user ? code : null;
  });
  // an unknown number is recorded (it spends the limits) but sent nothing
  if (sent) await send(input.phone, translate("zh-CN", "auth.sms.text", { code: sent }));
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
    const live = await takePhoneCode(tx, { purpose: PURPOSE, phone: input.phone, code: input.code, now });
    if (!live?.userId) {
      await recordAttempt(tx, { userId: live?.userId ?? null, key, ip: ctx.ip, success: false, reason: "reset", at: now });
      return { kind: "bad" as const };
    }
    // the code arrived on the account's number: the number is proven too
    await tx.update(users).set({ passwordHash, phoneVerifiedAt: now }).where(eq(users.id, live.userId));
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
