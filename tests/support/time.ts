/** Time helpers for tests: forms take Beijing wall time, and a test fills them from its own clock. */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** `at` as Beijing wall time, "YYYY-MM-DD HH:mm" (with separator "T", what a datetime-local input takes). */
export function beijingWallTime(at: Date, separator: " " | "T" = " ") {
  return new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace("T", separator);
}
