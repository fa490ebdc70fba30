import * as z from "zod";
import type { MessageKey } from "~/i18n";
import { fromBeijing } from "./beijing-time";
import { msg } from "./messages";

export { msg, parseMsg } from "./messages";

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Something that looks like an HTML tag ("<script", "</b", "<!--"); "面积<30" is fine. */
const TAG = /<[A-Za-z!/?]/;

/** Drops characters PostgreSQL text cannot hold or that only ever arrive from scripts. */
export function stripControl(s: string) {
  return s.replace(new RegExp(CONTROL.source, "g"), "");
}

/** Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what a reader sees. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
/** Unicode format characters (general category Cf): zero-width spaces and joiners, bidi controls, soft hyphens. */
const FORMAT = /\p{Cf}/u;

/**
 * Required short text (addresses, reasons, bodies): trimmed, normalised to NFC, bounded, no
 * control characters, no bidi overrides and nothing tag-like. Output is always escaped anyway;
 * refusing tags tells the sender plainly.
 */
export function text(max: number, min = 1) {
  return z
    .string({ error: msg("errors.required") })
    .max(max * 4, { error: msg("errors.tooLong", { max }) })
    .transform((s) => s.trim().normalize("NFC"))
    .pipe(
      z
        .string()
        .min(min, { error: min > 1 ? msg("errors.tooShort", { min }) : msg("errors.required") })
        .max(max, { error: msg("errors.tooLong", { max }) })
        .refine((s) => !CONTROL.test(s), { error: msg("errors.invalid") })
        .refine((s) => !BIDI.test(s), { error: msg("errors.formatCharacters") })
        .refine((s) => !TAG.test(s), { error: msg("errors.markup") }),
    );
}

/**
 * A name or a title (display names, team and area names, matter and activity titles): text() that
 * also refuses every format character, so "王阿姨" and "王\u200B阿姨" cannot both exist looking alike.
 */
export function name(max: number, min = 1) {
  return text(max, min).refine((s) => !FORMAT.test(s), { error: msg("errors.formatCharacters") });
}

/**
 * What two names are compared as when one must not pass for the other: compatibility forms folded
 * (full-width letters, ligatures), accents, format characters and white space dropped, case folded.
 * "王 阿姨", "Ｗang" and "wang" all meet their plain forms here.
 */
export function nameKey(s: string) {
  return s
    .normalize("NFKD")
    .replace(/[\p{M}\p{Cf}\p{Z}\s]/gu, "")
    .normalize("NFKC")
    .toLowerCase();
}

export const idParam = z.coerce.number({ error: msg("errors.invalid") }).int().positive().max(2_147_483_647);

export const count = z.coerce
  .number({ error: msg("errors.numberInvalid") })
  .int({ error: msg("errors.numberInvalid") })
  .min(0, { error: msg("errors.numberInvalid") })
  .max(1_000_000, { error: msg("errors.numberInvalid") });

/**
 * A calendar date "YYYY-MM-DD" that exists (no 2月30日) and lies between 1900 and 2200: the
 * database refuses year 0, and anything further out is a typing slip.
 */
export function isoDate(message: MessageKey) {
  return z
    .string({ error: msg("errors.required") })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: msg(message) })
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: msg(message) })
    .refine((s) => Number(s.slice(0, 4)) >= 1900 && Number(s.slice(0, 4)) <= 2200, { error: msg(message) });
}

/**
 * Longer free text (descriptions, bodies, activity content): line breaks kept (CRLF → LF),
 * control characters dropped, trimmed, bounded. Tags are fine here because output is escaped.
 */
export function longText(max: number) {
  return z
    .string({ error: msg("errors.required") })
    .max(max * 4, { error: msg("errors.tooLong", { max }) })
    .transform((s) => stripControl(s.replace(/\r\n/g, "\n")).trim())
    .pipe(z.string().min(1, { error: msg("errors.required") }).max(max, { error: msg("errors.tooLong", { max }) }));
}

/** "2026-12-05 19:30" or "2026-12-05T19:30", read as Beijing time. */
export const beijingDateTime = z
  .string({ error: msg("errors.required") })
  .max(40, { error: msg("matters.errors.timeInvalid") })
  .transform((s, ctx) => {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(s.trim());
    const d = m ? fromBeijing(m[1], m[2]) : null;
    // the database takes years 1 to 294276; anything outside this century and the next is a typing slip
    if (!d || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1900 || d.getUTCFullYear() > 2200) {
      ctx.addIssue({ code: "custom", message: msg("matters.errors.timeInvalid") });
      return z.NEVER;
    }
    return d;
  });
