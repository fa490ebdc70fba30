import * as z from "zod";
import { STATES } from "../matters/states";
import { stripControl } from "../shared/validation";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(new Date(`${d}T00:00:00+08:00`).getTime()))
  .optional()
  .catch(undefined);

export const SEARCH_KINDS = ["matter", "comment", "outcome", "activity"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** A search as its query string asks: anything odd in a filter is ignored rather than refused. */
export const SearchSchema = z.object({
  q: z
    .string()
    .optional()
    .catch(undefined)
    .transform((s) => stripControl(s ?? "").normalize("NFC").replace(/\s+/g, " ").trim().slice(0, 50)),
  kind: z.enum(SEARCH_KINDS).optional().catch(undefined),
  community: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined),
  state: z.enum(STATES).optional().catch(undefined),
  /** Beijing calendar days, inclusive */
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(50).catch(1).default(1),
});
export type SearchQuery = z.output<typeof SearchSchema>;
