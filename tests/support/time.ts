/** Time helpers for tests: forms take Beijing wall time, and a test fills them from its own clock. */
import { beijingLocalInput, beijingMinute } from "../../app/modules/shared/beijing-time";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** `at` as Beijing wall time, "YYYY-MM-DD HH:mm" (with separator "T", what a datetime-local input takes). */
export function beijingWallTime(at: Date, separator: " " | "T" = " ") {
  return separator === "T" ? beijingLocalInput(at) : beijingMinute(at);
}
