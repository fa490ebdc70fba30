import * as z from "zod";
import { verifyDraw, type PublishedDraw, type VerifyResult } from "./draw";

const person = z.object({ id: z.string().max(64), household: z.string().max(64).nullable(), attributes: z.record(z.string().max(64), z.string().max(64)) });
const quota = z.object({ category: z.string().max(64), value: z.string().max(64), min: z.number().int().min(0), max: z.number().int().min(0) });
const hex = z.string().regex(/^[0-9a-f]{64}$/);

/** The shape of a published record; anything else is refused before any check runs. */
export const PublishedDrawSchema = z.object({
  version: z.string().max(40),
  matterId: z.number().int(),
  algorithm: z.string().max(80),
  seats: z.number().int().min(1).max(500),
  onePerHousehold: z.boolean(),
  quotas: z.array(quota).max(500),
  pool: z.array(person).max(20_000),
  poolDigest: hex,
  distribution: z.object({ panels: z.array(z.array(z.string().max(64)).max(500)).max(5_000), probabilities: z.array(z.number().min(0).max(1)).max(5_000) }),
  distributionDigest: hex,
  commitment: hex,
  entropy: z.string().max(400).nullish(),
  secret: z.string().max(200).nullish(),
  seed: z.string().max(200).nullish(),
  panel: z.array(z.string().max(64)).max(500).nullish(),
});

/** Parses a pasted or downloaded record and re-runs the draw; a malformed record says so. */
export function verifyPublishedJson(text: string): VerifyResult & { error?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, drawn: false, checks: [], panel: null, error: "selection.errors.recordNotJson" };
  }
  const parsed = PublishedDrawSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, drawn: false, checks: [], panel: null, error: "selection.errors.recordShape" };
  return verifyDraw(parsed.data as PublishedDraw);
}
