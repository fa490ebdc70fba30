import { z } from "zod";
import type { PlanAttribute, PlanQuota } from "../../../../db/schema/selection";
import { msg, text } from "../../shared/validation";
import { beijingDateTime } from "../schemas";
import { parseQuotasCsv, SelectionInputError } from "./engine";

/**
 * The quotas as the committee types or pastes them: one line per value, `category,value,min,max`
 * (a header line is optional). The categories are the questions registrants answer; the values
 * listed are the answers they may choose.
 */
const quotasText = z
  .string({ error: msg("errors.required") })
  .max(20_000, { error: msg("errors.tooLong", { max: 20_000 }) })
  .transform((s, ctx) => {
    const body = s.trim();
    if (!body) {
      ctx.addIssue({ code: "custom", message: msg("errors.required") });
      return z.NEVER;
    }
    const withHeader = /^\s*category\s*,/i.test(body) ? body : `category,value,min,max\n${body}`;
    try {
      const quotas = parseQuotasCsv(withHeader);
      const bad = quotas.find((q) => q.category.length > 40 || q.value.length > 40 || /<[A-Za-z!/?]/.test(q.category + q.value));
      if (bad) throw new SelectionInputError("empty_value", "invalid", { row: quotas.indexOf(bad) + 2 });
      if (quotas.length > 200) {
        ctx.addIssue({ code: "custom", message: msg("errors.tooLong", { max: 200 }) });
        return z.NEVER;
      }
      return quotas;
    } catch (e) {
      if (e instanceof SelectionInputError) {
        // the header we add shifts rows by one when the committee left it out
        const row = e.row && !/^\s*category\s*,/i.test(body) ? e.row - 1 : e.row;
        ctx.addIssue({ code: "custom", message: msg("selection.errors.quotaLine", { row: row ?? 0 }) });
        return z.NEVER;
      }
      throw e;
    }
  });

export const PlanSchema = z
  .object({
    panelSize: z.coerce
      .number({ error: msg("errors.numberInvalid") })
      .int({ error: msg("errors.numberInvalid") })
      .min(2, { error: msg("selection.errors.panelSize") })
      .max(200, { error: msg("selection.errors.panelSize") }),
    onePerHousehold: z.preprocess((v) => v === "on" || v === "yes" || v === true, z.boolean()),
    registrationDeadline: beijingDateTime,
    responseDays: z.coerce
      .number({ error: msg("errors.numberInvalid") })
      .int({ error: msg("errors.numberInvalid") })
      .min(1, { error: msg("selection.errors.responseDays") })
      .max(14, { error: msg("selection.errors.responseDays") }),
    quotas: quotasText,
  })
  .transform((v) => ({ ...v, attributes: attributesOf(v.quotas) }));
export type PlanInput = z.output<typeof PlanSchema>;

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

export const FIXED_SEAT_REASONS = ["proposer", "affected", "owners_committee", "property_company", "deputy", "expert", "other"] as const;

export const FixedSeatSchema = z.object({
  name: text(40),
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

export const EntropySchema = z.object({
  entropy: text(200),
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
