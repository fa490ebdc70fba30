import { createHash, randomBytes } from "node:crypto";

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** A fresh idempotency key for a ballot form (128 bits). */
export function newBallotKey() {
  return randomBytes(16).toString("base64url");
}

/**
 * The receipt follows from the vote and the form's idempotency key, so a retried post gets the
 * same receipt and the same ballot. The server stores only the receipt's hash.
 */
export function receiptFor(voteId: number, idem: string) {
  const h = createHash("sha256").update(`yishi-receipt:${voteId}:${idem}`).digest();
  // 15 characters from an alphabet without look-alikes (0/O, 1/I), grouped for reading aloud
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let out = "";
  for (let i = 0; i < 15; i++) out += alphabet[h[i] % alphabet.length];
  return out;
}
export const formatReceipt = (r: string) => r.replace(/(.{5})(?=.)/g, "$1-");

/** The hash a typed-in receipt is looked up by (dashes, spaces and case ignored). */
export const receiptHashOf = (typed: string) => sha256(typed.replace(/[\s-]/g, "").toUpperCase());
