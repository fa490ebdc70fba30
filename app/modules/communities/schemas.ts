import * as z from "zod";
import { count, idParam, isoDate, msg, name, text } from "../shared/validation";

export const JoinSchema = z.object({
  address: text(100),
  /** issue 19: the year of birth, so that 18+ can be checked for resident meetings; optional here, the committee may record it */
  birthYear: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number({ error: msg("register.errors.birthYear") }).int({ error: msg("register.errors.birthYear") }).min(1900, { error: msg("register.errors.birthYear") }).max(2100, { error: msg("register.errors.birthYear") }).optional()),
});

export const DecideMembershipSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("verify"), membershipId: idParam }),
  z.object({ decision: z.literal("decline"), membershipId: idParam, reason: text(200) }),
], { error: msg("errors.invalid") });

export const CreateAreaSchema = z.object({
  parentId: idParam,
  name: name(60),
  communityType: z.enum(["urban", "rural"], { error: msg("errors.invalid") }).optional(),
  residents: count.default(0),
  households: count.default(0),
});

export const GrantRoleSchema = z.object({
  identifier: z.string({ error: msg("errors.required") }).max(64, { error: msg("errors.userNotFound") }),
  role: z.enum(["committee", "organizer", "town_admin", "county_admin", "supervisor"], { error: msg("errors.invalid") }),
  areaId: idParam,
});

/** A community's own rules: co-sign threshold (a number or a share of households), notice days, public names. */
export const CommunitySettingsSchema = z
  .object({
    thresholdKind: z.enum(["count", "share"], { error: msg("errors.required") }),
    cosignThreshold: z.coerce.number({ error: msg("settings.errors.threshold") }).int({ error: msg("settings.errors.threshold") }).min(1, { error: msg("settings.errors.threshold") }).max(100_000, { error: msg("settings.errors.threshold") }).optional(),
    sharePercent: z.coerce.number({ error: msg("settings.errors.share") }).min(0.1, { error: msg("settings.errors.share") }).max(100, { error: msg("settings.errors.share") }).optional(),
    noticeDays: z.coerce.number({ error: msg("settings.errors.notice") }).int({ error: msg("settings.errors.notice") }).min(0, { error: msg("settings.errors.notice") }).max(60, { error: msg("settings.errors.notice") }),
    publicNames: z.enum(["real", "masked"], { error: msg("errors.required") }),
    // issue 19: days the committee has to answer the supervision committee's objection (kept when absent)
    objectionAnswerDays: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce.number({ error: msg("settings.errors.objectionDays") }).int({ error: msg("settings.errors.objectionDays") }).min(1, { error: msg("settings.errors.objectionDays") }).max(90, { error: msg("settings.errors.objectionDays") }).optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.thresholdKind === "count" && v.cosignThreshold === undefined) ctx.addIssue({ code: "custom", path: ["cosignThreshold"], message: msg("settings.errors.threshold") });
    if (v.thresholdKind === "share" && v.sharePercent === undefined) ctx.addIssue({ code: "custom", path: ["sharePercent"], message: msg("settings.errors.share") });
  });

// lawful and open (issue 19): the register, the representatives roster, birth years
const optional = (v: unknown) => (v === "" || v === null ? undefined : v);

/** A year of birth: a four-digit year; whether it is in the past is the command's (it has the clock). */
export const birthYear = z.coerce
  .number({ error: msg("register.errors.birthYear") })
  .int({ error: msg("register.errors.birthYear") })
  .min(1900, { error: msg("register.errors.birthYear") })
  .max(2100, { error: msg("register.errors.birthYear") });

export const RecordBirthYearSchema = z.object({ membershipId: idParam, birthYear });

export const AddRepresentativeSchema = z.object({
  userId: idParam,
  termStart: isoDate("register.errors.date"),
  termEnd: z.preprocess(optional, isoDate("register.errors.date").optional()),
});

export const EndRepresentativeSchema = z.object({ representativeId: idParam, termEnd: isoDate("register.errors.date") });

export const RecordRegisterSchema = z
  .object({
    residents: count,
    adults: count,
    households: count,
    asOf: isoDate("register.errors.date"),
    source: z.enum(["census", "household_register", "other"], { error: msg("errors.required") }),
    note: z.preprocess(optional, text(200).optional()),
  })
  .refine((v) => v.adults <= v.residents, { path: ["adults"], error: msg("register.errors.adults") });
