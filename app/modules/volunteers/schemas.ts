import * as z from "zod";
import { optionalPhoto } from "../shared/photos";
import { ConfirmField } from "../shared/confirm";
import { beijingDateTime, idParam, isoDate as isoDateOf, longText, msg, name, text } from "../shared/validation";
import { normaliseIdNumber, validateIdNumber } from "./id-number";

export const SERVICE_TYPES = ["elderly", "children", "environment", "safety", "culture", "health", "disability", "emergency", "other"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

const isoDate = isoDateOf("volunteers.errors.dateInvalid");

const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "yes");

/** "烹饪, 电脑、急救" → ["烹饪", "电脑", "急救"] */
const list = (max: number) =>
  text(max)
    .optional()
    .transform((s) =>
      (s ?? "")
        .split(/[,，、;；\n]+/)
        .map((x) => x.trim())
        .filter(Boolean)
        .slice(0, 20),
    );

/**
 * Volunteer registration. The ID number is checked here (shape, check character, birth date as
 * entered) and never echoed back: the form layer hides the field in every reply.
 */
export const RegisterVolunteerSchema = z
  .object({
    realName: name(40),
    sex: z.enum(["male", "female"], { error: msg("volunteers.errors.sex") }),
    birthDate: isoDate,
    idNumber: z
      .string({ error: msg("errors.required") })
      .max(40, { error: msg("volunteers.errors.idFormat") })
      .transform(normaliseIdNumber)
      .pipe(z.string().min(1, { error: msg("errors.required") })),
    communityId: z.coerce.number({ error: msg("volunteers.errors.community") }).int({ error: msg("volunteers.errors.community") }).positive({ error: msg("volunteers.errors.community") }).max(2_147_483_647, { error: msg("volunteers.errors.community") }),
    contact: z
      .string({ error: msg("errors.required") })
      .max(40, { error: msg("volunteers.errors.contact") })
      .transform((s) => s.replace(/[\s-]/g, ""))
      .pipe(z.string().regex(/^(1[3-9]\d{9}|0\d{9,11})$/, { error: msg("volunteers.errors.contact") })),
    skills: list(200),
    serviceTypes: z
      .union([z.enum(SERVICE_TYPES, { error: msg("errors.invalid") }), z.array(z.enum(SERVICE_TYPES, { error: msg("errors.invalid") })).max(SERVICE_TYPES.length)], { error: msg("volunteers.errors.serviceTypes") })
      .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
      .refine((v) => v.length > 0, { error: msg("volunteers.errors.serviceTypes") }),
    availability: text(200).optional(),
    partyMember: checkbox,
    honourOptIn: checkbox,
    consent: z.literal("on", { error: msg("volunteers.errors.consent") }),
  })
  .superRefine((v, ctx) => {
    const check = validateIdNumber(v.idNumber, { birthDate: v.birthDate });
    if (!check.ok) {
      const key = check.problem === "format" ? "volunteers.errors.idFormat" : check.problem === "checksum" ? "volunteers.errors.idChecksum" : "volunteers.errors.idBirthDate";
      ctx.addIssue({ code: "custom", path: ["idNumber"], message: msg(key) });
    }
  });
export type RegisterVolunteerInput = z.output<typeof RegisterVolunteerSchema>;

export const CreateTeamSchema = z.object({ areaId: idParam, name: name(60), description: text(500).optional() });
export const AppointOrganizerSchema = z.object({
  identifier: z.string({ error: msg("errors.required") }).trim().min(1, { error: msg("errors.required") }).max(64, { error: msg("errors.userNotFound") }),
});

export const PublishActivitySchema = z
  .object({
    title: name(80),
    content: longText(2000),
    place: text(100),
    startsAt: beijingDateTime,
    endsAt: beijingDateTime,
    capacity: z.coerce.number({ error: msg("volunteers.errors.capacity") }).int({ error: msg("volunteers.errors.capacity") }).min(1, { error: msg("volunteers.errors.capacity") }).max(10_000, { error: msg("volunteers.errors.capacity") }),
    skillsWanted: text(200).optional(),
    personInCharge: name(40),
  })
  .superRefine((v, ctx) => {
    if (v.endsAt <= v.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: msg("volunteers.errors.endBeforeStart") });
    else if (v.endsAt.getTime() - v.startsAt.getTime() > 24 * 3_600_000) ctx.addIssue({ code: "custom", path: ["endsAt"], message: msg("volunteers.errors.tooLong") });
  });

/** The check-in code a QR code puts in the address; anything but six digits is dropped. */
export const CheckinQuerySchema = z.object({ code: z.string().regex(/^\d{6}$/).optional().catch(undefined) });

export const CheckCodeSchema = z.object({
  code: z
    .string({ error: msg("errors.required") })
    .max(20, { error: msg("volunteers.errors.codeFormat") })
    .transform((s) => s.replace(/\s+/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, { error: msg("volunteers.errors.codeFormat") })),
  direction: z.enum(["in", "out"], { error: msg("errors.invalid") }),
});

export const MarkAttendanceSchema = z.object({
  volunteerId: idParam,
  checkInAt: beijingDateTime,
  checkOutAt: beijingDateTime.optional(),
});

const hoursField = z.coerce
  .number({ error: msg("volunteers.errors.hours") })
  .min(0, { error: msg("volunteers.errors.hours") })
  .max(24, { error: msg("volunteers.errors.hours") })
  .refine((h) => Number.isInteger(h * 4), { error: msg("volunteers.errors.hours") });

export const CancelActivitySchema = z.object({ reason: text(200), confirm: ConfirmField });
export const ConfirmRecordSchema = z.object({ recordId: idParam, hours: hoursField.optional(), evaluation: text(300).optional() });
export const ReportErrorSchema = z.object({ recordId: idParam, reason: text(500) });
export const CorrectRecordSchema = z.object({ recordId: idParam, reportId: idParam.optional(), hours: hoursField, reason: text(500) });
export const AnswerReportSchema = z.object({ reportId: idParam, answer: text(500) });

export const IssueCertificateSchema = z
  .object({
    scope: z.enum(["all", "period"], { error: msg("errors.required") }),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.scope !== "period") return;
    if (!v.from) ctx.addIssue({ code: "custom", path: ["from"], message: msg("volunteers.errors.periodFrom") });
    if (!v.to) ctx.addIssue({ code: "custom", path: ["to"], message: msg("volunteers.errors.periodTo") });
    if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: "custom", path: ["to"], message: msg("volunteers.errors.periodOrder") });
  });

export const VerifyQuerySchema = z.object({ number: z.string().max(60).optional().catch(undefined) });

// ---------- rules and calendar (county admins) ----------

/** An optional whole number field of a form: blank means "inherit from the area above". */
const optionalInt = (min: number, max: number, key: Parameters<typeof msg>[0]) =>
  z
    .string()
    .max(20, { error: msg(key) })
    .optional()
    .transform((s, ctx) => {
      const v = (s ?? "").trim();
      if (!v) return null;
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: msg(key) });
        return z.NEVER;
      }
      return n;
    });

/** Step, stars and margin of an area; each blank field is inherited. */
export const VolunteerRulesSchema = z.object({
  stepMinutes: optionalInt(1, 240, "volunteers.errors.stepMinutes"),
  capMarginMinutes: optionalInt(0, 240, "volunteers.errors.capMargin"),
  starHours: z
    .string()
    .max(100, { error: msg("volunteers.errors.starHours") })
    .optional()
    .transform((s, ctx) => {
      const parts = (s ?? "").split(/[\s,，、/]+/).filter(Boolean);
      if (!parts.length) return null;
      const nums = parts.map(Number);
      const ok = nums.length === 5 && nums.every((n, i) => Number.isInteger(n) && n > 0 && n <= 100_000 && (i === 0 || n > nums[i - 1]));
      if (!ok) {
        ctx.addIssue({ code: "custom", message: msg("volunteers.errors.starHours") });
        return z.NEVER;
      }
      return nums;
    }),
});

/** "2026-10-01 2026-10-02 …" or one a line → sorted distinct dates, each checked. */
const dateList = z
  .string()
  .max(4000, { error: msg("volunteers.errors.calendarDates") })
  .optional()
  .transform((s, ctx) => {
    const parts = (s ?? "").split(/[\s,，、;；]+/).filter(Boolean);
    const bad = parts.find((p) => !isoDate.safeParse(p).success);
    if (bad) {
      ctx.addIssue({ code: "custom", message: msg("volunteers.errors.calendarDate", { date: bad.slice(0, 20) }) });
      return z.NEVER;
    }
    return [...new Set(parts)].sort();
  });

/** One year of an area's calendar: days off and make-up workdays; both blank → inherit the year. */
export const CalendarYearSchema = z
  .object({
    year: z.coerce.number({ error: msg("volunteers.errors.calendarYear") }).int({ error: msg("volunteers.errors.calendarYear") }).min(2000, { error: msg("volunteers.errors.calendarYear") }).max(2100, { error: msg("volunteers.errors.calendarYear") }),
    holidays: dateList,
    workdays: dateList,
  })
  .superRefine((v, ctx) => {
    for (const [field, list] of [["holidays", v.holidays], ["workdays", v.workdays]] as const) {
      const other = list.find((d) => Number(d.slice(0, 4)) !== v.year);
      if (other) ctx.addIssue({ code: "custom", path: [field], message: msg("volunteers.errors.calendarOtherYear", { date: other, year: v.year }) });
    }
    const weekday = v.workdays.find((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
    if (weekday) ctx.addIssue({ code: "custom", path: ["workdays"], message: msg("volunteers.errors.workdayWeekday", { date: weekday }) });
    const both = v.workdays.find((d) => v.holidays.includes(d));
    if (both) ctx.addIssue({ code: "custom", path: ["workdays"], message: msg("volunteers.errors.calendarBoth", { date: both }) });
  });

// ---------- group entry (集体录入) ----------

const ids = z
  .union([idParam, z.array(idParam).max(10_000)], { error: msg("errors.invalid") })
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** "ZY2026000012, 13912345678\n…" → distinct tokens (numbers upper-cased, phones without spaces). */
const walkInList = z
  .string()
  .max(20_000, { error: msg("volunteers.errors.walkInList") })
  .optional()
  .transform((s) => [...new Set((s ?? "").split(/[\s,，、;；]+/).map((x) => x.replace(/-/g, "").toUpperCase()).filter(Boolean))])
  .refine((l) => l.length <= 2000, { error: msg("volunteers.errors.walkInList") })
  .refine((l) => l.every((x) => x.length <= 30), { error: msg("volunteers.errors.walkInList") });

const optionalTime = z
  .string()
  .max(40)
  .optional()
  .transform((s, ctx) => {
    const v = (s ?? "").trim();
    if (!v) return undefined;
    const r = beijingDateTime.safeParse(v);
    if (!r.success) {
      ctx.addIssue({ code: "custom", message: msg("matters.errors.timeInvalid") });
      return z.NEVER;
    }
    return r.data;
  });

/**
 * Group entry: the ticked attendees (`attendee`, one value per box), walk-ins, one check-in and
 * optional check-out time for all, and per-person times in `in-<volunteerId>` / `out-<volunteerId>`.
 */
export const GroupEntrySchema = z
  .object({
    attendee: ids,
    walkIns: walkInList,
    checkInAt: beijingDateTime,
    checkOutAt: optionalTime,
  })
  .catchall(z.unknown())
  .superRefine((v, ctx) => {
    if (v.checkOutAt && v.checkOutAt < v.checkInAt) ctx.addIssue({ code: "custom", path: ["checkOutAt"], message: msg("volunteers.errors.outBeforeIn") });
    for (const [k, raw] of Object.entries(v)) {
      if (!/^(in|out)-\d{1,9}$/.test(k)) continue;
      const r = optionalTime.safeParse(typeof raw === "string" ? raw : "");
      if (!r.success) ctx.addIssue({ code: "custom", path: [k], message: msg("matters.errors.timeInvalid") });
    }
  })
  .transform((v) => {
    const adjust: Record<number, { in?: Date; out?: Date }> = {};
    for (const [k, raw] of Object.entries(v)) {
      const m = /^(in|out)-(\d{1,9})$/.exec(k);
      if (!m || typeof raw !== "string") continue;
      const at = optionalTime.parse(raw);
      if (!at) continue;
      (adjust[Number(m[2])] ??= {})[m[1] as "in" | "out"] = at;
    }
    return { attendees: v.attendee, walkIns: v.walkIns, checkInAt: v.checkInAt, checkOutAt: v.checkOutAt, adjust };
  });

// ---------- self-declaration (自主申报) ----------

export const DeclareHoursSchema = z.object({
  hours: hoursField.refine((h) => h > 0, { error: msg("volunteers.errors.hours") }),
  note: text(500),
  /** a photo of the work (optional; its bytes are checked by the command) */
  photo: optionalPhoto(),
});
export const DeclineRecordSchema = z.object({ recordId: idParam, reason: text(300) });

/** What the organizer's scanner (or keyboard) sends: an e-card token, a volunteer number or a phone. */
export const ScanEcardSchema = z.object({
  code: z
    .string({ error: msg("errors.required") })
    .max(120, { error: msg("volunteers.errors.ecardUnreadable") })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, { error: msg("errors.required") })),
  direction: z.enum(["in", "out"], { error: msg("errors.invalid") }),
});
