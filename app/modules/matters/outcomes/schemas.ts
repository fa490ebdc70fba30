import * as z from "zod";
import { parseLogin } from "../../accounts/schemas";
import { optionalPhoto } from "../../shared/photos";
import { isoDate as isoDateOf, msg, name, text } from "../../shared/validation";

const isoDate = isoDateOf("matters.errors.dateInvalid");

export const CommitmentSchema = z.object({
  title: name(200),
  responsibleUnit: name(100),
  dueDate: isoDate,
});

/** The decision and its first commitments (empty rows are ignored; at least one is needed). */
export const RecordOutcomeSchema = z.object({
  decision: text(2000),
  commitments: z
    .array(z.object({ title: z.string().max(800).optional(), responsibleUnit: z.string().max(400).optional(), dueDate: z.string().max(20).optional() }))
    .max(10)
    .default([])
    .transform((rows, ctx) => {
      const out: z.output<typeof CommitmentSchema>[] = [];
      let filled = 0;
      rows.forEach((r, i) => {
        if (!(r.title?.trim() || r.responsibleUnit?.trim() || r.dueDate?.trim())) return;
        filled++;
        const p = CommitmentSchema.safeParse(r);
        if (!p.success) for (const issue of p.error.issues) ctx.addIssue({ code: "custom", path: [i, ...issue.path], message: issue.message });
        else out.push(p.data);
      });
      if (filled === 0) ctx.addIssue({ code: "custom", path: [0, "title"], message: msg("outcomes.errors.noCommitment") });
      return out;
    }),
});

export { MAX_PHOTO_BYTES } from "../../shared/photos";

export const UpdateCommitmentSchema = z
  .object({
    commitmentId: z.coerce.number().int().positive().max(2_147_483_647),
    body: text(1000),
    progress: z.coerce
      .number({ error: msg("outcomes.errors.progress") })
      .int({ error: msg("outcomes.errors.progress") })
      .min(0, { error: msg("outcomes.errors.progress") })
      .max(100, { error: msg("outcomes.errors.progress") }),
    status: z.enum(["planned", "in_progress", "done", "blocked", "cancelled"], { error: msg("errors.required") }),
    cancelReason: text(300).optional(),
    photo: optionalPhoto(),
  })
  .superRefine((v, ctx) => {
    if (v.status === "cancelled" && !v.cancelReason) ctx.addIssue({ code: "custom", path: ["cancelReason"], message: msg("outcomes.errors.cancelReason") });
  });

export const RateSchema = z.object({
  score: z.coerce
    .number({ error: msg("outcomes.errors.score") })
    .int({ error: msg("outcomes.errors.score") })
    .min(1, { error: msg("outcomes.errors.score") })
    .max(5, { error: msg("outcomes.errors.score") }),
  comment: text(500).optional(),
});

export const RespondSchema = z.object({ response: text(2000) });
export const ReopenSchema = z.object({ reason: text(500) });

/** The committee adds a commitment while the matter is being carried out. */
export const AddCommitmentSchema = CommitmentSchema;

/** The owner's phone or username; empty clears the owner. */
export const AssignOwnerSchema = z.object({
  commitmentId: z.coerce.number().int().positive().max(2_147_483_647),
  owner: z
    .string()
    .max(64, { error: msg("outcomes.errors.ownerUnknown") })
    .optional()
    .transform((s, ctx) => {
      if (!s?.trim()) return null;
      const login = parseLogin(s);
      if (!login) {
        ctx.addIssue({ code: "custom", message: msg("outcomes.errors.ownerUnknown") });
        return z.NEVER;
      }
      return login;
    }),
});
