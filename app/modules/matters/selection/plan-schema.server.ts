import * as z from "zod";
import { msg } from "../../shared/validation";
import { beijingDateTime } from "../schemas";
import { parseQuotasCsv, SelectionInputError } from "./engine";
import { attributesOf } from "./schemas";

/**
 * The quotas as the committee enters them: a row per value in the form (类别, 选项, 最少, 最多),
 * or pasted from a spreadsheet into `quotas` (a header line is optional; tabs or commas; the
 * paste wins when both are given). The categories are the questions registrants answer; the
 * values listed are the answers they may choose.
 */
const QuotaRowSchema = z.object({
  category: z.string().max(100).optional(),
  value: z.string().max(100).optional(),
  min: z.string().max(10).optional(),
  max: z.string().max(10).optional(),
});

const HEADER = /^\s*(category|类别)\s*[,\t]/i;
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A paste from a spreadsheet (tab-separated) or typed lines (commas), with the Chinese header or none, as CSV. */
function pastedToCsv(text: string) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").filter((l) => l.trim());
  const body = HEADER.test(lines[0] ?? "") ? lines.slice(1) : lines;
  return body.map((l) => (l.includes("\t") ? l.split("\t").map((c) => csvCell(c.trim())).join(",") : l)).join("\n");
}

/** The form's rows as CSV lines; a row left wholly blank is skipped. */
function rowsToCsv(rows: z.output<typeof QuotaRowSchema>[]) {
  return rows
    .map((r) => [r.category, r.value, r.min, r.max].map((c) => (c ?? "").trim()))
    .filter((cells) => cells.some(Boolean))
    .map((cells) => cells.map(csvCell).join(","))
    .join("\n");
}

/** Parses the quota lines (CSV without header); a bad line is reported on `quotas` by its number. */
function parseQuotaLines(body: string, ctx: z.RefinementCtx) {
  if (!body.trim()) {
    ctx.addIssue({ code: "custom", path: ["quotas"], message: msg("errors.required") });
    return null;
  }
  if (body.length > 20_000) {
    ctx.addIssue({ code: "custom", path: ["quotas"], message: msg("errors.tooLong", { max: 20_000 }) });
    return null;
  }
  try {
    const quotas = parseQuotasCsv(`category,value,min,max\n${body}`);
    const bad = quotas.find((q) => q.category.length > 40 || q.value.length > 40 || /<[A-Za-z!/?]/.test(q.category + q.value));
    if (bad) throw new SelectionInputError("empty_value", "invalid", { row: quotas.indexOf(bad) + 2 });
    if (quotas.length > 200) {
      ctx.addIssue({ code: "custom", path: ["quotas"], message: msg("errors.tooLong", { max: 200 }) });
      return null;
    }
    return quotas;
  } catch (e) {
    if (e instanceof SelectionInputError) {
      // the header added above shifts rows by one
      ctx.addIssue({ code: "custom", path: ["quotas"], message: msg("selection.errors.quotaLine", { row: e.row ? e.row - 1 : 0 }) });
      return null;
    }
    throw e;
  }
}

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
    quotas: z.string().max(20_000, { error: msg("errors.tooLong", { max: 20_000 }) }).optional(),
    quotaRows: z.array(QuotaRowSchema).max(200).optional(),
  })
  .transform(({ quotas: pasted, quotaRows, ...v }, ctx) => {
    const quotas = parseQuotaLines(pasted?.trim() ? pastedToCsv(pasted) : rowsToCsv(quotaRows ?? []), ctx);
    if (!quotas) return z.NEVER;
    return { ...v, quotas, attributes: attributesOf(quotas) };
  });
export type PlanInput = z.output<typeof PlanSchema>;

