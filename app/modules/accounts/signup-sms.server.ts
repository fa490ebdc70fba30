/**
 * Signing up with a phone number proves the number by a 6-digit SMS code, when the server has an
 * SMS provider (without one, sign-up is one step and the committee's verification of residents is
 * the check, as before). Step one checks the form, keeps the name and the password's hash with the
 * code, and texts the code; nothing is created yet. Step two, with the code, creates the account
 * with the number marked verified and signs it in. A code is good for 10 minutes and 5 tries;
 * "send again" issues a new one for the same pending sign-up, within the per-number limits.
 */
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { users } from "../../../db/schema";
import { translate } from "~/i18n";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { sqlState } from "../../../db/client";
import { insertAccount } from "./accounts.server";
import { findUserByLogin } from "./lookup.server";
import { hashPassword } from "./passwords.server";
import { issuePhoneCode, livePhoneCode, SMS_SIGNUP_PER_IP_HOUR, takePhoneCode } from "./phone-codes.server";
import type { SignUpCodeSchema, SignUpSchema, SmsCodeRequestSchema } from "./schemas";
import { createSession } from "./sessions.server";

const PURPOSE = "signup";

type Pending = { displayName: string; passwordHash: string };

/** Whether a sign-up with this identifier goes through an SMS code on this server. */
export function signUpNeedsCode(ctx: CommandContext, input: Pick<z.output<typeof SignUpSchema>, "identifier">) {
  return !!ctx.textMessage && input.identifier.kind === "phone";
}

async function text(ctx: CommandContext, phone: string, code: string) {
  await ctx.textMessage!(phone, translate("zh-CN", "auth.signupSms.text", { code }));
}

/**
 * Step one: a number already signed up is refused at once; otherwise the code is texted.
 * `vouched`: the committee's live venue code was spent for this sign-up, so the address limit does not apply.
 */
export async function startPhoneSignUp(ctx: CommandContext, input: z.output<typeof SignUpSchema>, opts: { vouched?: boolean } = {}) {
  if (!signUpNeedsCode(ctx, input) || input.identifier.kind !== "phone") throw new DomainError("invalid_state", "auth.sms.unavailable");
  const phone = input.identifier.value;
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(input.password);
  const code = await inTransaction(ctx, async (tx) => {
    if (await findUserByLogin(tx, { kind: "phone", value: phone })) throw new DomainError("conflict", "errors.loginTaken", {}, "identifier");
    const payload: Pending = { displayName: input.displayName, passwordHash };
    return issuePhoneCode(tx, { purpose: PURPOSE, phone, payload, ip: ctx.ip ?? null, perIpHour: opts.vouched ? Infinity : SMS_SIGNUP_PER_IP_HOUR, now });
  });
  await text(ctx, phone, code);
  return { phone };
}

/** "Send again": a new code for the number's pending sign-up (the one whose code has not been used). */
export async function resendSignUpCode(ctx: CommandContext, input: z.output<typeof SmsCodeRequestSchema>) {
  if (!ctx.textMessage) throw new DomainError("invalid_state", "auth.sms.unavailable");
  const now = ctx.clock.now();
  // a pending sign-up lives as long as its last code could have; after that the form starts again
  const code = await inTransaction(ctx, async (tx) => {
    const pending = await livePhoneCode(tx, PURPOSE, input.phone, now);
    if (!pending?.payload) throw new DomainError("validation", "auth.signupSms.expired", {}, "code");
    return issuePhoneCode(tx, { purpose: PURPOSE, phone: input.phone, payload: pending.payload as Pending, ip: ctx.ip ?? null, perIpHour: SMS_SIGNUP_PER_IP_HOUR, now });
  }).catch((e: unknown) => {
    // step two shows one field, the code: a limit's message goes beside it
    if (e instanceof DomainError && e.field === "phone") throw new DomainError(e.code, e.messageKey, e.params, "code");
    throw e;
  });
  await text(ctx, input.phone, code);
  return { phone: input.phone };
}

/** Step two: the right code creates the account (the number verified) and opens its first session. */
export async function finishPhoneSignUp(ctx: CommandContext, input: z.output<typeof SignUpCodeSchema>, userAgent?: string | null) {
  const code = input.code;
  const now = ctx.clock.now();
  try {
    const created = await inTransaction(ctx, async (tx) => {
      const taken = await takePhoneCode(tx, { purpose: PURPOSE, phone: input.phone, code, now });
      const pending = taken?.payload as Pending | null | undefined;
      if (!taken || !pending) return null;
      const u = await insertAccount(tx, { identifier: { kind: "phone", value: input.phone }, displayName: pending.displayName }, pending.passwordHash, now);
      await tx.update(users).set({ phoneVerifiedAt: now }).where(eq(users.id, u.id));
      await appendLedger(tx, {
        stream: `user:${u.id}`,
        actorId: u.id,
        action: "account.created",
        entityType: "user",
        entityId: u.id,
        summary: { after: { displayName: pending.displayName, login: "phone", phoneVerified: true } },
        at: now,
      });
      return u;
    });
    // a wrong code is written down (its try spent) before it is refused
    if (!created) throw new DomainError("validation", "auth.sms.badCode", {}, "code");
    const session = await createSession(ctx.db, created.id, now, userAgent, ctx.settings?.sessions);
    return { userId: created.id, ...session };
  } catch (e) {
    // someone signed the number up between the two steps
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "errors.loginTaken", {}, "code");
    throw e;
  }
}
