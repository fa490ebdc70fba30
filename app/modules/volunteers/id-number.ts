/**
 * Mainland resident ID numbers (GB 11643-1999): 17 digits and a check character (0–9 or X),
 * the 7th–14th digits the date of birth, the 17th odd for men and even for women.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

export type IdProblem = "format" | "checksum" | "birthDate";

/** Upper-cases a trailing x and drops spaces, so "110101 19900307 123x" compares as typed on paper. */
export function normaliseIdNumber(raw: string) {
  return raw.replace(/\s+/g, "").toUpperCase();
}

export function checkCharacter(first17: string) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** The date of birth written in the number ("YYYY-MM-DD"), or null when it is not a real date. */
export function birthDateOf(id: string): string | null {
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1800 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

export function sexOf(id: string): "male" | "female" {
  return Number(id[16]) % 2 === 1 ? "male" : "female";
}

/**
 * Checks an 18-character ID number: shape, check character, a real date of birth not in the
 * future (`today` "YYYY-MM-DD"), and when given, the date of birth the person entered.
 */
export function validateIdNumber(raw: string, opts: { today?: string; birthDate?: string } = {}): { ok: true; id: string } | { ok: false; problem: IdProblem } {
  const id = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: "format" };
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, problem: "checksum" };
  const born = birthDateOf(id);
  if (!born || (opts.today && born > opts.today)) return { ok: false, problem: "birthDate" };
  if (opts.birthDate && opts.birthDate !== born) return { ok: false, problem: "birthDate" };
  return { ok: true, id };
}

/** What pages show: the first four and last four characters, the ten between hidden. */
export function maskIdNumber(id: string) {
  return `${id.slice(0, 4)}${"*".repeat(id.length - 8)}${id.slice(-4)}`;
}
