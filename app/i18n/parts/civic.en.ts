import type { civicZhCN } from "./civic.zh-CN";

/** Lawful and open (issue 19): who speaks by consultation form, the register, open village affairs, supervision. */
export const civicEn: Record<keyof typeof civicZhCN, string> = {
  "matters.form.representatives": "Representatives' meeting (residents' or villagers' representatives)",
  "room.errors.residentsOnly":
    "At a residents' or villagers' meeting only verified residents of the community aged 18 or over (birth year on record) may speak. Ask the committee to record your birth year.",
  "room.errors.representativesOnly": "At a representatives' meeting only representatives whose term is running may speak.",
  "room.role.speaker": "Resident (may speak)",
  "register.errors.birthYear": "Enter a four-digit year of birth (from 1900 to this year).",
  "register.errors.date": "Enter the date as year-month-day, for example 2026-01-01.",
  "register.errors.termOrder": "The last day of a term cannot be before its first day.",
  "register.errors.notResident": "Only verified residents of this community can be listed as representatives.",
  "register.title": "{community}: register and representatives",
  "register.link": "Register and representatives",
  "register.roster": "Representatives roster",
  "register.rosterEmpty": "Nobody is on the roster yet.",
  "register.termFrom": "term from {start}",
  "register.termTo": "to {end}",
  "register.addRepresentative": "Add to the roster",
  "register.resident": "Resident",
  "register.termStart": "First day of the term",
  "register.termEnd": "Last day of the term",
  "register.termEndHint": "Optional: leave empty if the term has no end date yet.",
  "register.endTerm": "End the term",
  "register.birthYears": "Residents' years of birth (to check 18 or over)",
  "register.birthYear": "Year of birth",
  "register.birthYearUnknown": "not recorded",
  "register.recordBirthYear": "Record the year of birth",
  "register.saved": "Saved, and written to the audit ledger.",
  "join.birthYear": "Year of birth",
  "join.birthYearHint": "Optional. At residents' and villagers' meetings only people aged 18 or over speak and vote; the committee can also record it when verifying you.",
};
