/** Pure volunteer rules: service hours, the 10-working-day deadline, stars. No database, no clock of their own. */
import { beijingDay } from "../shared/beijing-time";

export const DEFAULT_STEP_MINUTES = 30;
export const DEFAULT_STAR_HOURS = [100, 300, 600, 1000, 1500];
export const RECORD_WORKING_DAYS = 10;
/** Registered volunteers a community should reach, as a share of its residents. */
export const VOLUNTEER_TARGET_SHARE = 0.15;

export type HoursProblem = "noCheckIn" | "noCheckOut" | "outBeforeIn";

/**
 * Proposed service time: check-out minus check-in (travel is outside both), rounded to the
 * nearest `stepMinutes` (half up), never more than the activity's own span. Across midnight is
 * just a longer interval of instants.
 */
export function proposedMinutes(
  a: { checkInAt: Date | null; checkOutAt: Date | null },
  activity: { startsAt: Date; endsAt: Date },
  stepMinutes = DEFAULT_STEP_MINUTES,
): { ok: true; minutes: number } | { ok: false; problem: HoursProblem } {
  if (!a.checkInAt) return { ok: false, problem: "noCheckIn" };
  if (!a.checkOutAt) return { ok: false, problem: "noCheckOut" };
  const raw = (a.checkOutAt.getTime() - a.checkInAt.getTime()) / 60_000;
  if (raw < 0) return { ok: false, problem: "outBeforeIn" };
  const step = Math.max(1, stepMinutes);
  const rounded = Math.floor(raw / step + 0.5) * step;
  const span = Math.floor((activity.endsAt.getTime() - activity.startsAt.getTime()) / 60_000);
  return { ok: true, minutes: Math.min(rounded, span) };
}


function addDays(day: string, n: number) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export interface WorkingCalendar {
  /** Public holidays that fall on weekdays. */
  holidays?: readonly string[];
  /** Weekend days that are worked (调休). */
  extraWorkdays?: readonly string[];
}

export function isWorkingDay(day: string, cal: WorkingCalendar = {}) {
  if (cal.extraWorkdays?.includes(day)) return true;
  if (cal.holidays?.includes(day)) return false;
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

/** The `n`-th working day after `day` (the day itself does not count). */
export function addWorkingDays(day: string, n: number, cal: WorkingCalendar = {}) {
  let d = day;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/** The last day a record of an activity ending at `endsAt` may be confirmed without being late. */
export function recordDeadline(endsAt: Date, cal: WorkingCalendar = {}, days = RECORD_WORKING_DAYS) {
  return addWorkingDays(beijingDay(endsAt), days, cal);
}

/** Confirmed after the end of the deadline day (Beijing) → late. */
export function isLate(endsAt: Date, confirmedAt: Date, cal: WorkingCalendar = {}) {
  return beijingDay(confirmedAt) > recordDeadline(endsAt, cal);
}

/** Stars (0–5) for cumulative confirmed hours on a ladder of five thresholds. */
export function starsFor(hours: number, ladder: readonly number[] = DEFAULT_STAR_HOURS) {
  let stars = 0;
  for (const threshold of ladder) if (hours >= threshold) stars++;
  return stars;
}

/** The next threshold and how many hours are still missing, or null at five stars. */
export function nextStar(hours: number, ladder: readonly number[] = DEFAULT_STAR_HOURS) {
  const next = ladder.find((t) => hours < t);
  return next === undefined ? null : { hours: next, missing: Math.round((next - hours) * 100) / 100 };
}

/** Minutes as hours with at most two decimals (0.5, 1.25). */
export function hoursOf(minutes: number) {
  return Math.round((minutes / 60) * 100) / 100;
}

/** Share of residents registered as volunteers, and whether it meets the 15% target. */
export function volunteerShare(volunteers: number, residents: number) {
  const share = residents > 0 ? volunteers / residents : 0;
  return { share, percent: Math.round(share * 1000) / 10, meetsTarget: residents > 0 && share >= VOLUNTEER_TARGET_SHARE };
}
