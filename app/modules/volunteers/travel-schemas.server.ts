import * as z from "zod";
import { idParam, isoDate, msg, text } from "../shared/validation";
import { SERVICE_TYPES } from "./schemas";

const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "yes");

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

/** What a volunteer may change about themselves: never the verified ID number, nor the name, sex and birth date it vouches for. */
export const UpdateProfileSchema = z.object({
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
});
export type UpdateProfileInput = z.output<typeof UpdateProfileSchema>;

export const RequestMoveSchema = z.object({
  communityId: z.coerce.number({ error: msg("volunteers.errors.community") }).int({ error: msg("volunteers.errors.community") }).positive({ error: msg("volunteers.errors.community") }).max(2_147_483_647, { error: msg("volunteers.errors.community") }),
  reason: text(300).optional(),
});

export const DecideMoveSchema = z
  .object({ moveId: idParam, decision: z.enum(["accept", "decline"], { error: msg("errors.invalid") }), declineReason: text(300).optional() })
  .superRefine((v, ctx) => {
    if (v.decision === "decline" && !v.declineReason) ctx.addIssue({ code: "custom", path: ["declineReason"], message: msg("volunteers.errors.declineReasonRequired") });
  });

/** An uploaded record: the file as posted (multipart), the issuer's public key as pasted, and the local volunteer. */
export const ImportRecordSchema = z.object({
  volunteer: z.string({ error: msg("errors.required") }).trim().min(1, { error: msg("errors.required") }).max(40, { error: msg("volunteers.errors.walkInUnknown") }),
  publicKey: z.string({ error: msg("errors.required") }).trim().min(1, { error: msg("errors.required") }).max(2000, { error: msg("volunteers.errors.importKey") }),
  file: z.instanceof(File, { error: msg("volunteers.errors.importFile") }).refine((f) => f.size > 0 && f.size <= 1_000_000, { error: msg("volunteers.errors.importFile") }),
});

const minutesOfHours = z.coerce
  .number({ error: msg("volunteers.errors.hours") })
  .refine((h) => h > 0 && h <= 24 && Number.isInteger(h * 4), { error: msg("volunteers.errors.hours") })
  .transform((h) => Math.round(h * 60));

const names = text(2000).transform((s) =>
  [
    ...new Set(
      s
        .split(/[\s,，、;；]+/)
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ].slice(0, 500),
);

export const RecordTrainingSchema = z.object({ title: text(100), heldOn: isoDate("volunteers.errors.dateInvalid"), hours: minutesOfHours, attendees: names });
export const GiveHonourSchema = z.object({ volunteer: text(40), title: text(100), citation: text(500).optional().transform((s) => s ?? ""), givenOn: isoDate("volunteers.errors.dateInvalid") });
export const EmptySchema = z.object({});
