import { createHmac, timingSafeEqual } from "node:crypto";

/** Seconds one code stays on the screen; the previous step is still accepted, so a code works 90–180 s. */
export const CODE_STEP_SECONDS = 90;

function codeAt(secret: string, activityId: number, step: number) {
  const mac = createHmac("sha256", secret).update(`${activityId}:${step}`).digest();
  // dynamic truncation as in HOTP (RFC 4226)
  const offset = mac[mac.length - 1] & 0x0f;
  const n = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

export function stepOf(now: Date) {
  return Math.floor(now.getTime() / 1000 / CODE_STEP_SECONDS);
}

/** The code to show now and when it changes. */
export function currentCode(secret: string, activityId: number, now: Date) {
  const step = stepOf(now);
  return { code: codeAt(secret, activityId, step), changesAt: new Date((step + 1) * CODE_STEP_SECONDS * 1000) };
}

/** The current or the previous step's code of this activity; any other six digits are refused. */
export function codeMatches(secret: string, activityId: number, code: string, now: Date) {
  if (!/^\d{6}$/.test(code)) return false;
  const step = stepOf(now);
  return [step, step - 1].some((s) => timingSafeEqual(Buffer.from(codeAt(secret, activityId, s)), Buffer.from(code)));
}
