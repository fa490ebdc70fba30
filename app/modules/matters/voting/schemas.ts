import * as z from "zod";
import { msg, name } from "../../shared/validation";
import { beijingDateTime } from "../schemas";
import { PRESETS } from "./rules";

const fractionPart = z.coerce.number({ error: msg("voting.errors.fraction") }).int({ error: msg("voting.errors.fraction") }).min(1, { error: msg("voting.errors.fraction") }).max(100, { error: msg("voting.errors.fraction") });

/** Setting up a vote. Options are one per line for "one of several" and "approve up to N". */
export const CreateVoteSchema = z
  .object({
    question: name(200),
    method: z.enum(["yes_no", "single", "approval"], { error: msg("errors.required") }),
    optionsText: z.string().max(4000, { error: msg("errors.tooLong", { max: 4000 }) }).optional(),
    maxChoices: z.coerce.number().int().min(1).max(20).optional(),
    electorate: z.enum(["residents", "households", "panel", "representatives"], { error: msg("errors.required") }),
    preset: z.enum([...(Object.keys(PRESETS) as [keyof typeof PRESETS, ...(keyof typeof PRESETS)[]]), "custom"], { error: msg("errors.required") }),
    quorumNum: fractionPart.optional(),
    quorumDen: fractionPart.optional(),
    passNum: fractionPart.optional(),
    passDen: fractionPart.optional(),
    secret: z.enum(["yes", "no"], { error: msg("errors.required") }),
    opensAt: beijingDateTime.optional(),
    closesAt: beijingDateTime.optional(),
  })
  .transform((v, ctx) => {
    const options =
      v.method === "yes_no"
        ? []
        : (v.optionsText ?? "")
            .split("\n")
            .map((s) => s.trim())
            .filter(Boolean);
    if (v.method !== "yes_no" && (options.length < 2 || options.length > 20 || options.some((o) => o.length > 100 || /<[A-Za-z!/?]/.test(o)))) {
      ctx.addIssue({ code: "custom", path: ["optionsText"], message: msg("voting.errors.options") });
    }
    if (v.preset === "custom" && (!v.quorumNum || !v.quorumDen || !v.passNum || !v.passDen || v.quorumNum > v.quorumDen || v.passNum > v.passDen)) {
      ctx.addIssue({ code: "custom", path: ["quorumNum"], message: msg("voting.errors.fraction") });
    }
    if (v.preset !== "custom" && !(PRESETS[v.preset].electorates as readonly string[]).includes(v.electorate)) {
      ctx.addIssue({ code: "custom", path: ["preset"], message: msg("voting.errors.presetElectorate") });
    }
    return { ...v, options, maxChoices: v.method === "approval" ? Math.min(v.maxChoices ?? options.length, options.length) : 1 };
  });
export type CreateVoteInput = z.output<typeof CreateVoteSchema>;

/** A ballot as the form posts it: chosen option ids, the page's idempotency key, and for a secret change the receipt. */
export const CastBallotSchema = z.object({
  choices: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(40)).max(20)),
  idem: z.string({ error: msg("voting.errors.staleForm") }).regex(/^[A-Za-z0-9_-]{16,64}$/, { error: msg("voting.errors.staleForm") }),
  receipt: z
    .string()
    .max(64)
    .transform((s) => s.replace(/[\s-]/g, "").toUpperCase())
    .optional(),
});

export const PaperBallotSchema = z.object({
  voterKey: z.string({ error: msg("errors.required") }).max(100),
  /** the printed sheet's number (issue 22); empty for a sheet not printed here */
  ballotNumber: z.preprocess((v) => (typeof v === "string" && v.trim() ? v.trim() : undefined), z.string().max(20).optional()),
  choices: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(40)).max(20)),
});

export const FindReceiptSchema = z.object({ receipt: z.string().max(64).optional() });

export const PrintPaperBallotsSchema = z.object({
  count: z.coerce.number({ error: msg("paperBallots.errors.count") }).int({ error: msg("paperBallots.errors.count") }),
});
