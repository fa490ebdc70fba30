/**
 * Beijing-time arithmetic, in one place. China keeps UTC+8 all year (no daylight saving), so a
 * fixed offset is exact. Instants are stored and compared as Date; these helpers only turn an
 * instant into the Beijing calendar day or wall-clock minute people type and read, and back.
 * What people are shown goes through the i18n formatter (app/i18n, TIME_ZONE), not through here.
 */

export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The instant shifted so that its UTC fields read as Beijing wall-clock time. */
function shifted(d: Date) {
  return new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString();
}

/** "YYYY-MM-DD": the Beijing calendar day of an instant (due dates, service dates, "today"). */
export function beijingDay(d: Date) {
  return shifted(d).slice(0, 10);
}

/** "YYYY-MM-DD HH:mm": the Beijing wall-clock minute of an instant, as times are typed into forms. */
export function beijingMinute(d: Date) {
  return shifted(d).slice(0, 16).replace("T", " ");
}

/** "YYYY-MM-DDTHH:mm": the same, in the form an <input type="datetime-local"> takes. */
export function beijingLocalInput(d: Date) {
  return shifted(d).slice(0, 16);
}

/** The instant of a Beijing calendar day ("YYYY-MM-DD") at a wall-clock time ("HH:mm"); an Invalid Date when they are not one. */
export function fromBeijing(day: string, hhmm: string) {
  return new Date(`${day}T${hhmm}:00+08:00`);
}
