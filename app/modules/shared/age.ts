import { beijingDay } from "./beijing-time";

/** Years of age that make a resident an adult for 居民会议 / 村民会议 (年满十八周岁). */
export const ADULT_AGE = 18;

/**
 * Whether a person born in `birthYear` counts as 18+ on the Beijing day of `at`. Only the year is
 * recorded, so a person counts from 1 January of the year they turn 18 (decision
 * 2026-12-03-adults-by-birth-year); an unknown year is not an adult: the law's test cannot be shown.
 */
export function isAdult(birthYear: number | null | undefined, at: Date) {
  if (birthYear == null) return false;
  return Number(beijingDay(at).slice(0, 4)) - birthYear >= ADULT_AGE;
}

/** The latest birth year that counts as 18+ on the Beijing day of `at`. */
export function latestAdultBirthYear(at: Date) {
  return Number(beijingDay(at).slice(0, 4)) - ADULT_AGE;
}
