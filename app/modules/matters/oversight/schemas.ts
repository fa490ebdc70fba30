import { z } from "zod";
import { msg, text } from "../../shared/validation";

/** A supervision committee's objection (质询): on the matter itself, one of its votes or one of its commitments. */
export const FileObjectionSchema = z
  .object({
    intent: z.literal("object"),
    target: z.enum(["matter", "vote", "commitment"], { error: msg("errors.required") }),
    targetId: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ error: msg("oversight.errors.target") }).int().positive({ error: msg("oversight.errors.target") }).optional()),
    body: text(2000),
  })
  .superRefine((v, ctx) => {
    if (v.target !== "matter" && !v.targetId) ctx.addIssue({ code: "custom", path: ["targetId"], message: msg("oversight.errors.target") });
  });

/** The committee's public answer to one objection. */
export const AnswerObjectionSchema = z.object({
  intent: z.literal("answer"),
  objectionId: z.coerce.number({ error: msg("errors.invalid") }).int().positive({ error: msg("errors.invalid") }),
  answer: text(2000),
});
