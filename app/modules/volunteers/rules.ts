/** Pure volunteer rules: service hours, the 10-working-day deadline, stars. No database, no clock of their own. */
import { beijingDay } from "../shared/beijing-time";

export const DEFAULT_STEP_MINUTES = 30;
export const DEFAULT_STAR_HOURS = [100, 300, 600, 1000, 1500];
export const RECORD_WORKING_DAYS = 10;
/** Minutes a record may exceed the activity's own span (setting up, clearing away), unless an area states another. */
export const DEFAULT_CAP_MARGIN_MINUTES = 30;
/** Registered volunteers a community should reach, as a share of its residents. */
export const VOLUNTEER_TARGET_SHARE = 0.15;

export type HoursProblem = "noCheckIn" | "noCheckOut" | "outBeforeIn";

/**
 * Proposed service time: check-out minus check-in (travel is outside both), rounded to the
 * nearest `stepMinutes` (half up), never more than the activity's own span plus `marginMinutes`.
 * Across midnight is just a longer interval of instants.
 */
export function proposedMinutes(
  a: { checkInAt: Date | null; checkOutAt: Date | null },
  activity: { startsAt: Date; endsAt: Date },
  stepMinutes = DEFAULT_STEP_MINUTES,
  marginMinutes = 0,
): { ok: true; minutes: number } | { ok: false; problem: HoursProblem } {
  if (!a.checkInAt) return { ok: false, problem: "noCheckIn" };
  if (!a.checkOutAt) return { ok: false, problem: "noCheckOut" };
  const raw = (a.checkOutAt.getTime() - a.checkInAt.getTime()) / 60_000;
  if (raw < 0) return { ok: false, problem: "outBeforeIn" };
  const step = Math.max(1, stepMinutes);
  const rounded = Math.floor(raw / step + 0.5) * step;
  return { ok: true, minutes: Math.min(rounded, capMinutes(activity, marginMinutes)) };
}

/** The most minutes any record of an activity may hold: its span plus the stated margin (never over a day). */
export function capMinutes(activity: { startsAt: Date; endsAt: Date }, marginMinutes = 0) {
  const span = Math.floor((activity.endsAt.getTime() - activity.startsAt.getTime()) / 60_000);
  return Math.min(1440, span + Math.max(0, marginMinutes));
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

/** Calendar days (Beijing) between the deadline day and the day of confirmation; 0 when on time. */
export function daysLate(endsAt: Date, confirmedAt: Date, cal: WorkingCalendar = {}) {
  const deadline = recordDeadline(endsAt, cal);
  const day = beijingDay(confirmedAt);
  if (day <= deadline) return 0;
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${deadline}T00:00:00Z`)) / 86_400_000);
}

/** One area's own calendar entries: days off (休) and worked weekend days (班). */
export interface CalendarLayer {
  holidays?: readonly string[] | null;
  extraWorkdays?: readonly string[] | null;
}

const yearOf = (day: string) => day.slice(0, 4);
const yearsIn = (l: CalendarLayer) => new Set([...(l.holidays ?? []), ...(l.extraWorkdays ?? [])].map(yearOf));

/**
 * The calendar in force: each year comes whole from the nearest layer (deepest first) that
 * states anything for that year, else from the national schedule. A county that adds 2027 keeps
 * the national 2026; a community that restates 2026 replaces 2026 for itself and those below.
 */
export function resolveCalendar(deepestFirst: readonly CalendarLayer[], national: CalendarLayer = NATIONAL_CALENDAR): Required<WorkingCalendar> & { years: Record<string, number> } {
  const holidays: string[] = [];
  const extraWorkdays: string[] = [];
  const years: Record<string, number> = {};
  const layers = [...deepestFirst, national];
  layers.forEach((layer, i) => {
    for (const y of yearsIn(layer)) {
      if (y in years) continue;
      years[y] = i === layers.length - 1 ? -1 : i;
      holidays.push(...(layer.holidays ?? []).filter((d) => yearOf(d) === y));
      extraWorkdays.push(...(layer.extraWorkdays ?? []).filter((d) => yearOf(d) === y));
    }
  });
  return { holidays: holidays.sort(), extraWorkdays: extraWorkdays.sort(), years };
}

/**
 * China's official schedule (《国务院办公厅关于2026年部分节假日安排的通知》, dated and
 * published by Xinhua on 2025-11-04): every day off, weekend days included, and the make-up workdays.
 */
export const NATIONAL_CALENDAR: { holidays: readonly string[]; extraWorkdays: readonly string[] } = {
  holidays: [
    "2026-01-01", "2026-01-02", "2026-01-03", // 元旦
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", // 春节
    "2026-04-04", "2026-04-05", "2026-04-06", // 清明节
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", // 劳动节
    "2026-06-19", "2026-06-20", "2026-06-21", // 端午节
    "2026-09-25", "2026-09-26", "2026-09-27", // 中秋节
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07", // 国庆节
  ],
  extraWorkdays: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
};

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
