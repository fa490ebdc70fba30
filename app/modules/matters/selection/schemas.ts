import * as z from "zod";
import type { PlanAttribute, PlanQuota } from "../../../../db/schema/selection";
import { ConfirmField } from "../../shared/confirm";
import { msg, name, text } from "../../shared/validation";
import { FIXED_SEAT_REASONS } from "./choices";

export { FIXED_SEAT_REASONS } from "./choices";

/** The questions follow from the quotas: one per category, its values in the order given. */
export function attributesOf(quotas: PlanQuota[]): PlanAttribute[] {
  const byKey = new Map<string, PlanAttribute>();
  for (const q of quotas) {
    const a = byKey.get(q.category) ?? { key: q.category, label: q.category, values: [] };
    if (!a.values.includes(q.value)) a.values.push(q.value);
    byKey.set(q.category, a);
  }
  return [...byKey.values()];
}

/** Quotas written back into the textarea the committee edits. */
export function quotasToText(quotas: PlanQuota[]) {
  return ["category,value,min,max", ...quotas.map((q) => [q.category, q.value, q.min, q.max].join(","))].join("\n");
}


export const FixedSeatSchema = z.object({
  name: name(40),
  reason: z.enum(FIXED_SEAT_REASONS, { error: msg("errors.required") }),
  login: z
    .string()
    .max(64, { error: msg("errors.tooLong", { max: 64 }) })
    .transform((s) => s.trim())
    .optional(),
  note: z
    .string()
    .max(400, { error: msg("errors.tooLong", { max: 100 }) })
    .transform((s) => s.trim())
    .pipe(z.string().max(100, { error: msg("errors.tooLong", { max: 100 }) }))
    .optional(),
});

export const PaperPoolSchema = z.object({
  pool: z.string({ error: msg("errors.required") }).min(1, { error: msg("errors.required") }).max(1_000_000, { error: msg("errors.tooLong", { max: 1_000_000 }) }),
});

export const EntropySchema = z.object({
  entropy: text(200),
  confirm: ConfirmField,
});

export const MemberAnswerSchema = z.object({
  memberId: z.coerce.number({ error: msg("errors.invalid") }).int().positive().max(2_147_483_647),
  answer: z.enum(["accept", "decline"], { error: msg("errors.required") }),
});

export const VerifySchema = z.object({
  record: z.string({ error: msg("errors.required") }).min(2, { error: msg("errors.required") }).max(3_000_000, { error: msg("errors.tooLong", { max: 3_000_000 }) }),
});

/** The registration form: one answer per attribute, named a0, a1, … in the plan's order. */
export function registrationSchema(attributes: PlanAttribute[]) {
  const shape: Record<string, z.ZodType<string>> = {};
  attributes.forEach((a, i) => {
    shape[`a${i}`] = z.string({ error: msg("selection.errors.chooseAnswer") }).refine((v) => a.values.includes(v), { error: msg("selection.errors.chooseAnswer") });
  });
  return z.object(shape).transform((v) => Object.fromEntries(attributes.map((a, i) => [a.key, v[`a${i}`]])) as Record<string, string>);
}

/** The committee asks for the distribution with a time budget for this draw (blank: the installation's default). */
export const ComputeSchema = z.object({
  budgetSeconds: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z.coerce
      .number({ error: msg("selection.errors.budget", { min: 5, max: 600 }) })
      .int({ error: msg("selection.errors.budget", { min: 5, max: 600 }) })
      .min(5, { error: msg("selection.errors.budget", { min: 5, max: 600 }) })
      .max(600, { error: msg("selection.errors.budget", { min: 5, max: 600 }) })
      .optional(),
  ),
});
