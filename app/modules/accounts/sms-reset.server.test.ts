import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, phoneCodes } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { context, makeUser, outcomeOf, PASSWORD } from "../../../tests/support/factories";
import { logIn } from "./auth.server";
import { SmsCodeRequestSchema, SmsResetSchema } from "./schemas";
import { createSession, getSessionActor } from "./sessions.server";
import { throttlePolicy } from "./throttle.server";
import type { CommandContext } from "../shared/context";
import { requestSmsResetCode, resetPasswordBySms, SMS_CODE_TTL_MS, SMS_RESEND_MS } from "./sms-reset.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/** One clock; texts land in `inbox` instead of a provider. */
function world(ip = "10.0.0.1") {
  const inbox: { to: string; text: string }[] = [];
  const { ctx, clock } = context(database.db, null);
  const sms = { ...ctx, ip, textMessage: async (to: string, text: string) => void inbox.push({ to, text }) };
  const codeIn = (i = -1) => /\d{6}/.exec(inbox.at(i)!.text)![0];
  return { ctx: sms, clock, inbox, codeIn };
}
const ask = (phone: string) => SmsCodeRequestSchema.parse({ phone });
const reset = (phone: string, code: string, password = "a brand new passphrase") => SmsResetSchema.parse({ phone, code, password, confirm: password });

describe("a forgotten password, reset by SMS", () => {
  it("texts a code to the account's number, and the code sets a new password once and ends every session", async () => {
    const w = world();
    const u = await makeUser(database.db, { phone: "13700001234" });
    const { token } = await createSession(database.db, u.id, w.clock.now());
    await requestSmsResetCode(w.ctx, ask("+86 137-0000-1234"));
    expect(w.inbox).toHaveLength(1);
    expect(w.inbox[0].to).toBe("13700001234");
    expect(w.inbox[0].text).toMatch(/议事验证码 \d{6}/);
    // a wrong code: one answer, and the code survives
    expect(await outcomeOf(resetPasswordBySms(w.ctx, reset("13700001234", w.codeIn() === "000000" ? "111111" : "000000")))).toBe("auth.sms.badCode");
    await expect(resetPasswordBySms(w.ctx, reset("13700001234", w.codeIn()))).resolves.toEqual({ userId: u.id });
    expect(await getSessionActor(database.db, token, w.clock.now())).toBeNull();
    expect(await outcomeOf(logIn(w.ctx, { identifier: "13700001234", password: PASSWORD }))).toBe("errors.badCredentials");
    await expect(logIn(w.ctx, { identifier: "13700001234", password: "a brand new passphrase" })).resolves.toMatchObject({ userId: u.id });
    // spent
    expect(await outcomeOf(resetPasswordBySms(w.ctx, reset("13700001234", w.codeIn(), "another passphrase")))).toBe("auth.sms.badCode");
    const entries = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.stream, `user:${u.id}`));
    expect(entries.map((e) => e.action)).toContain("account.reset_by_sms");
  });

  it("answers an unknown number the same way and sends nothing; a code expires after 10 minutes and dies after 5 wrong tries", async () => {
    const w = world("10.0.0.2");
    await expect(requestSmsResetCode(w.ctx, ask("13700009999"))).resolves.toEqual({ sent: true });
    expect(w.inbox).toEqual([]);

    const u = await makeUser(database.db, { phone: "13700005678" });
    await requestSmsResetCode(w.ctx, ask("13700005678"));
    const code = w.codeIn();
    w.clock.advance(SMS_CODE_TTL_MS + 1);
    expect(await outcomeOf(resetPasswordBySms(w.ctx, reset("13700005678", code)))).toBe("auth.sms.badCode");

    await requestSmsResetCode(w.ctx, ask("13700005678"));
    const fresh = w.codeIn();
    const wrong = fresh === "123456" ? "654321" : "123456";
    // the sign-in throttle off, to see the code's own limit
    const lenient = { ...w.ctx, settings: { throttle: throttlePolicy({ LOGIN_FREE_FAILURES: "100" }) } as CommandContext["settings"] };
    for (let i = 0; i < 5; i++) expect(await outcomeOf(resetPasswordBySms(lenient, reset("13700005678", wrong)))).toBe("auth.sms.badCode");
    // the right code, after five wrong ones: refused, and the password unchanged
    expect(await outcomeOf(resetPasswordBySms(lenient, reset("13700005678", fresh)))).toBe("auth.sms.badCode");
    const [row] = await database.db.select().from(phoneCodes).where(eq(phoneCodes.userId, u.id)).orderBy(phoneCodes.id).limit(1).offset(1);
    expect(row.tries).toBe(6);
    expect(row.usedAt).toBeNull();
    await expect(logIn(lenient, { identifier: "13700005678", password: PASSWORD })).resolves.toMatchObject({ userId: u.id });
  });

  it("sends one code a minute and five an hour to a number, twenty an hour from one address", async () => {
    const w = world("10.0.0.3");
    await makeUser(database.db, { phone: "13700002468" });
    await requestSmsResetCode(w.ctx, ask("13700002468"));
    expect(await outcomeOf(requestSmsResetCode(w.ctx, ask("13700002468")))).toBe("auth.sms.wait");
    for (let i = 0; i < 4; i++) {
      w.clock.advance(SMS_RESEND_MS);
      await requestSmsResetCode(w.ctx, ask("13700002468"));
    }
    w.clock.advance(SMS_RESEND_MS);
    expect(await outcomeOf(requestSmsResetCode(w.ctx, ask("13700002468")))).toBe("auth.sms.tooMany");
    expect(w.inbox).toHaveLength(5);

    const room = world("10.0.0.4");
    for (let i = 0; i < 20; i++) await requestSmsResetCode(room.ctx, ask(`1360000${String(1000 + i)}`));
    expect(await outcomeOf(requestSmsResetCode(room.ctx, ask("13600009999")))).toBe("auth.sms.tooMany");
  });

  it("is refused with the committee path when the server has no SMS provider", async () => {
    const { ctx } = context(database.db, null);
    expect(await outcomeOf(requestSmsResetCode(ctx, ask("13700001234")))).toBe("auth.sms.unavailable");
  });
});
