import { z } from "zod";
import { msg } from "../../shared/validation";
import { beijingDateTime } from "../schemas";
import { parseQuotasCsv, SelectionInputError } from "./engine";
import { attributesOf } from "./schemas";

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

