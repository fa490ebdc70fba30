/**
 * Optional photos sent with a form (a commitment's progress, a volunteer's declaration): JPEG, PNG
 * or WebP, checked by their first bytes (never by the name or the type the browser claimed), at
 * most 2 MB, small enough to live in PostgreSQL beside the row they belong to.
 */
import * as z from "zod";
import { msg } from "./validation";

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

/** The image type by its first bytes; null for anything else. */
export function imageType(b: Uint8Array): "image/jpeg" | "image/png" | "image/webp" | null {
  const at = (i: number, bytes: number[]) => bytes.every((x, k) => b[i + k] === x);
  if (b.length >= 3 && at(0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (b.length >= 8 && at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (b.length >= 12 && at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return "image/webp";
  return null;
}

/** An optional uploaded file (an empty file input counts as none); its bytes are checked by the command. */
export const optionalPhoto = () =>
  z
    .custom<File>((v) => v === undefined || v === "" || (typeof File !== "undefined" && v instanceof File), { error: msg("outcomes.errors.photoType") })
    .optional()
    .transform((f) => (f instanceof File && f.size > 0 ? f : undefined))
    .refine((f) => !f || f.size <= MAX_PHOTO_BYTES, { error: msg("outcomes.errors.photoSize") });
