import * as z from "zod";
import { idParam, msg, name } from "../shared/validation";

const PHONE = /^1[3-9]\d{9}$/;
const USERNAME = /^[A-Za-z][A-Za-z0-9_]{2,31}$/;

export type Login = { kind: "phone"; value: string } | { kind: "username"; value: string };

/** Phone (mainland, 11 digits, optional +86 and separators) or username; usernames compare lower-cased. */
export function parseLogin(raw: string): Login | null {
  const s = raw.trim();
  const digits = s.replace(/[\s-]/g, "").replace(/^(\+?86)(?=1\d{10}$)/, "");
  if (/^\+?\d+$/.test(digits)) return PHONE.test(digits) ? { kind: "phone", value: digits } : null;
  return USERNAME.test(s) ? { kind: "username", value: s.toLowerCase() } : null;
}

const identifier = z
  .string({ error: msg("errors.required") })
  .max(64, { error: msg("errors.identifierInvalid") })
  .transform((s, ctx) => {
    const login = parseLogin(s);
    if (!login) {
      const looksPhone = /^[\s+\d-]+$/.test(s.trim());
      ctx.addIssue({ code: "custom", message: looksPhone ? msg("errors.phoneInvalid") : msg("errors.identifierInvalid") });
      return z.NEVER;
    }
    return login;
  });

const password = z
  .string({ error: msg("errors.required") })
  .min(8, { error: msg("errors.passwordShort") })
  .max(256, { error: msg("errors.passwordLong") });

export const SignUpSchema = z
  .object({
    identifier,
    displayName: name(40),
    password,
    confirm: z.string({ error: msg("errors.required") }).max(256, { error: msg("errors.passwordLong") }),
    /** The committee's venue code (场地码) on a sign-up morning, if any. */
    venue: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().max(20, { error: msg("errors.invalid") }).optional()),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: msg("errors.passwordMismatch") });

/** Where to go after logging in, from the address (safeNext decides whether it may be used). */
export const NextQuerySchema = z.object({ next: z.string().optional().catch(undefined) });

export const LogInSchema = z.object({
  identifier: z.string({ error: msg("errors.required") }).max(64, { error: msg("errors.badCredentials") }),
  password: z.string({ error: msg("errors.required") }).max(256, { error: msg("errors.badCredentials") }),
});

export const ChangePasswordSchema = z
  .object({
    current: z.string({ error: msg("errors.required") }).max(256, { error: msg("errors.wrongPassword") }),
    password,
    confirm: z.string({ error: msg("errors.required") }).max(256, { error: msg("errors.passwordLong") }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: msg("errors.passwordMismatch") });

/** `npm run admin:create`: the first (or another) county administrator, with the county it runs. */
export const CreateAdministratorSchema = z.object({
  identifier,
  displayName: name(40),
  password,
  county: name(40),
});

/** A committee member asks for a reset code for one resident (after the confirm step). */
export const IssueResetSchema = z.object({ userId: idParam });

/** Twelve digits, however they were spaced or dashed ("1234 5678 9012", "1234-5678-9012"). */
const resetCode = z
  .string({ error: msg("errors.required") })
  .max(40, { error: msg("errors.resetCodeFormat") })
  .transform((s) => s.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{12}$/, { error: msg("errors.resetCodeFormat") }));

/** A resident sets a new password with the code a committee member gave them. */
export const RedeemResetSchema = z
  .object({
    identifier: z.string({ error: msg("errors.required") }).max(64, { error: msg("errors.resetInvalid") }),
    code: resetCode,
    password,
    confirm: z.string({ error: msg("errors.required") }).max(256, { error: msg("errors.passwordLong") }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: msg("errors.passwordMismatch") });

/** A mainland mobile number, with or without +86 and separators, as the SMS forms take it. */
const mobile = z
  .string({ error: msg("errors.required") })
  .max(32, { error: msg("errors.phoneInvalid") })
  .transform((s, ctx) => {
    const login = parseLogin(s);
    if (login?.kind !== "phone") {
      ctx.addIssue({ code: "custom", message: msg("errors.phoneInvalid") });
      return z.NEVER;
    }
    return login.value;
  });

/** Step one of a reset by SMS: the number to send a code to. */
export const SmsCodeRequestSchema = z.object({ phone: mobile });

/** A 6-digit SMS code as typed (spaces dropped). */
const smsCode = z
  .string({ error: msg("errors.required") })
  .max(20, { error: msg("auth.sms.badCode") })
  .transform((s) => s.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, { error: msg("auth.sms.badCode") }));

/** Step two of signing up with a phone number: the number and the code texted to it. */
export const SignUpCodeSchema = z.object({ phone: mobile, code: smsCode });

/** Step two: the code that arrived, and the new password twice. */
export const SmsResetSchema = z
  .object({
    phone: mobile,
    code: smsCode,
    password,
    confirm: z.string({ error: msg("errors.required") }).max(256, { error: msg("errors.passwordLong") }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: msg("errors.passwordMismatch") });
