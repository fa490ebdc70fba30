import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, phoneCodes, users } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { context, makeUser, outcomeOf } from "../../../tests/support/factories";
import { logIn, signUp } from "./auth.server";
import { SMS_CODE_TTL_MS, SMS_RESEND_MS, SMS_SIGNUP_PER_IP_HOUR } from "./phone-codes.server";
import { SignUpCodeSchema, SignUpSchema, SmsCodeRequestSchema } from "./schemas";
import { getSessionActor } from "./sessions.server";
import { finishPhoneSignUp, resendSignUpCode, signUpNeedsCode, startPhoneSignUp } from "./signup-sms.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/** One clock; texts land in `inbox` instead of a provider. */
function world(ip = "10.2.0.1") {
  const inbox: { to: string; text: string }[] = [];
  const { ctx, clock } = context(database.db, null);
  const sms = { ...ctx, ip, textMessage: async (to: string, text: string) => void inbox.push({ to, text }) };
  const codeIn = (i = -1) => /\d{6}/.exec(inbox.at(i)!.text)![0];
  return { ctx: sms, plain: { ...ctx, ip }, clock, inbox, codeIn };
}
const form = (identifier: string, displayName = "新邻居", password = "a long enough passphrase") =>
  SignUpSchema.parse({ identifier, displayName, password, confirm: password });
const code = (phone: string, c: string) => SignUpCodeSchema.parse({ phone, code: c });
const wrong = (right: string) => (right === "000000" ? "111111" : "000000");

describe("signing up with a phone number proves it by SMS code", () => {
  it("creates nothing until the code comes back; the right code creates the account with the number verified and signs it in", async () => {
    const w = world();
    expect(signUpNeedsCode(w.ctx, form("13600001111"))).toBe(true);
    await expect(startPhoneSignUp(w.ctx, form("+86 136-0000-1111"))).resolves.toEqual({ phone: "13600001111" });
    expect(w.inbox).toHaveLength(1);
    expect(w.inbox[0]).toMatchObject({ to: "13600001111" });
    expect(w.inbox[0].text).toMatch(/议事验证码 \d{6}，用于注册账户/);
    expect(await database.db.select().from(users).where(eq(users.phone, "13600001111"))).toEqual([]);

    expect(await outcomeOf(finishPhoneSignUp(w.ctx, code("13600001111", wrong(w.codeIn()))))).toBe("auth.sms.badCode");
    const done = await finishPhoneSignUp(w.ctx, code("13600001111", w.codeIn()));
    const [u] = await database.db.select().from(users).where(eq(users.phone, "13600001111"));
    expect(u).toMatchObject({ id: done.userId, displayName: "新邻居" });
    expect(u.phoneVerifiedAt?.toISOString()).toBe(w.clock.now().toISOString());
    expect(await getSessionActor(database.db, done.token, w.clock.now())).toMatchObject({ id: done.userId });
    await expect(logIn(w.ctx, { identifier: "13600001111", password: "a long enough passphrase" })).resolves.toMatchObject({ userId: done.userId });
    // the code is spent
    expect(await outcomeOf(finishPhoneSignUp(w.ctx, code("13600001111", w.codeIn())))).toBe("auth.sms.badCode");
    const [entry] = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.stream, `user:${done.userId}`));
    expect(entry).toMatchObject({ action: "account.created" });
    expect(JSON.stringify(entry.summary)).toContain('"phoneVerified":true');
  });

  it("refuses a number already signed up at step one, and sends it nothing", async () => {
    const w = world("10.2.0.2");
    await makeUser(database.db, { phone: "13600002222" });
    expect(await outcomeOf(startPhoneSignUp(w.ctx, form("13600002222")))).toBe("errors.loginTaken");
    expect(w.inbox).toEqual([]);
  });

  it("a code dies after 10 minutes and after 5 wrong tries; send-again waits a minute and replaces the code", async () => {
    const w = world("10.2.0.3");
    await startPhoneSignUp(w.ctx, form("13600003333"));
    const first = w.codeIn();
    expect(await outcomeOf(resendSignUpCode(w.ctx, SmsCodeRequestSchema.parse({ phone: "13600003333" })))).toBe("auth.sms.wait");
    w.clock.advance(SMS_RESEND_MS);
    await resendSignUpCode(w.ctx, SmsCodeRequestSchema.parse({ phone: "13600003333" }));
    expect(w.inbox).toHaveLength(2);
    const second = w.codeIn();
    if (first !== second) expect(await outcomeOf(finishPhoneSignUp(w.ctx, code("13600003333", first)))).toBe("auth.sms.badCode");
    for (let i = 0; i < 5; i++) expect(await outcomeOf(finishPhoneSignUp(w.ctx, code("13600003333", wrong(second))))).toBe("auth.sms.badCode");
    // five wrong tries: even the right code is refused now
    expect(await outcomeOf(finishPhoneSignUp(w.ctx, code("13600003333", second)))).toBe("auth.sms.badCode");

    // a fresh sign-up whose code is not typed within 10 minutes
    w.clock.advance(SMS_RESEND_MS);
    await startPhoneSignUp(w.ctx, form("13600004444"));
    w.clock.advance(SMS_CODE_TTL_MS + 1);
    expect(await outcomeOf(finishPhoneSignUp(w.ctx, code("13600004444", w.codeIn())))).toBe("auth.sms.badCode");
    // and send-again then says the sign-up has expired rather than texting a code for nothing
    expect(await outcomeOf(resendSignUpCode(w.ctx, SmsCodeRequestSchema.parse({ phone: "13600004444" })))).toBe("auth.signupSms.expired");
    expect(await database.db.select().from(users).where(eq(users.phone, "13600004444"))).toEqual([]);
  });

  it("when someone else signs the number up between the two steps, step two says the number is taken", async () => {
    const w = world("10.2.0.4");
    await startPhoneSignUp(w.ctx, form("13600005555"));
    await signUp(w.plain, form("13600005555", "抢先的人"));
    expect(await outcomeOf(finishPhoneSignUp(w.ctx, code("13600005555", w.codeIn())))).toBe("errors.loginTaken");
  });

  it("one address may ask for more sign-up codes than reset codes, and a venue code lifts the address limit", async () => {
    const w = world("10.2.0.5");
    // a busy sign-up morning so far: codes this address asked for within the hour (reset codes stop at 20)
    const at = new Date(w.clock.now().getTime() - 30 * 60_000);
    await database.db.insert(phoneCodes).values(
      Array.from({ length: SMS_SIGNUP_PER_IP_HOUR - 1 }, (_, i) => ({ purpose: "signup", phone: `1350${String(i).padStart(7, "0")}`, codeHash: "x", ip: "10.2.0.5", createdAt: at, expiresAt: at })),
    );
    await expect(startPhoneSignUp(w.ctx, form("13599999998"))).resolves.toEqual({ phone: "13599999998" });
    expect(w.inbox).toHaveLength(1);
    expect(await outcomeOf(startPhoneSignUp(w.ctx, form("13599999999")))).toBe("auth.sms.tooMany");
    await expect(startPhoneSignUp(w.ctx, form("13599999999"), { vouched: true })).resolves.toEqual({ phone: "13599999999" });
  });

  it("without an SMS provider, or with a username, sign-up needs no code", async () => {
    const w = world("10.2.0.6");
    expect(signUpNeedsCode(w.plain, form("13600006666"))).toBe(false);
    expect(signUpNeedsCode(w.ctx, form("lane_six"))).toBe(false);
    expect(await outcomeOf(startPhoneSignUp(w.plain, form("13600006666")))).toBe("auth.sms.unavailable");
  });
});
