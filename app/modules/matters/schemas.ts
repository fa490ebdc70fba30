import * as z from "zod";
import { beijingDateTime, idParam, isoDate as isoDateOf, longText, msg, name, stripControl, text } from "../shared/validation";
import { ConfirmField } from "../shared/confirm";
import { CONSULTATION_FORMS } from "./states";

export const MatterDraftSchema = z.object({
  title: name(80, 4),
  description: longText(4000),
  categoryId: z.coerce.number({ error: msg("matters.errors.categoryUnknown") }).int({ error: msg("matters.errors.categoryUnknown") }).positive({ error: msg("matters.errors.categoryUnknown") }).max(2_147_483_647, { error: msg("matters.errors.categoryUnknown") }),
  affectedArea: text(100),
  desiredOutcome: longText(1000),
});

const isoDate = isoDateOf("matters.errors.dateInvalid");

// voting and selection read it from here while they are restructured (issue 16); its home is shared/validation
export { beijingDateTime };

const reason = text(500);

/** One schema per committee or proposer command; the `command` field picks it. */
export const MatterCommandSchema = z.discriminatedUnion(
  "command",
  [
    z.object({ command: z.literal("submit") }),
    z.object({ command: z.literal("withdraw"), confirm: ConfirmField }),
    z.object({ command: z.literal("accept"), form: z.enum(CONSULTATION_FORMS, { error: msg("errors.required") }), targetDate: isoDate.optional() }),
    z.object({ command: z.literal("reject"), reason, confirm: ConfirmField }),
    z.object({ command: z.literal("merge"), targetId: idParam, confirm: ConfirmField }),
    z.object({ command: z.literal("openSelection") }),
    z.object({ command: z.literal("schedule"), scheduledFor: beijingDateTime }),
    z.object({ command: z.literal("openDeliberation") }),
    z.object({ command: z.literal("annul"), reason, confirm: ConfirmField }),
  ],
  { error: msg("errors.invalid") },
);
export type MatterCommandInput = z.output<typeof MatterCommandSchema>;

export const MaterialSchema = z.object({
  title: name(100),
  body: longText(5000),
  url: z
    .string()
    .max(500, { error: msg("errors.tooLong", { max: 500 }) })
    .regex(/^https?:\/\/[^\s<>"]+$/i, { error: msg("matters.errors.urlInvalid") })
    .optional(),
});

export const CategorySchema = z.object({ name: name(30), nameEn: name(60).optional() });

/** The list's filters from the address: a value it cannot use is dropped (the list shows everything), never a 500. */
export const MatterListQuerySchema = z.object({
  state: z.string().max(20).optional().catch(undefined),
  category: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
  // PostgreSQL text cannot hold NUL; the other control characters are never typed either
  q: z.string().max(100).transform(stripControl).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
