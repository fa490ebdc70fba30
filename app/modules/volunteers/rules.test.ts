import { describe, expect, it } from "vitest";
import { addWorkingDays, capMinutes, daysLate, isLate, isWorkingDay, NATIONAL_CALENDAR, nextStar, proposedMinutes, recordDeadline, resolveCalendar, starsFor, volunteerShare } from "./rules";
import { codeMatches, currentCode, CODE_STEP_SECONDS } from "./checkin-code.server";

const at = (s: string) => new Date(`${s}+08:00`);
const activity = { startsAt: at("2026-11-28T09:00:00"), endsAt: at("2026-11-28T12:00:00") };

describe("service hours", () => {
  it("are check-out minus check-in, rounded to the nearest half hour", () => {
    expect(proposedMinutes({ checkInAt: at("2026-11-28T09:02:00"), checkOutAt: at("2026-11-28T11:10:00") }, activity)).toEqual({ ok: true, minutes: 120 });
    expect(proposedMinutes({ checkInAt: at("2026-11-28T09:00:00"), checkOutAt: at("2026-11-28T11:15:00") }, activity)).toEqual({ ok: true, minutes: 150 });
    expect(proposedMinutes({ checkInAt: at("2026-11-28T09:00:00"), checkOutAt: at("2026-11-28T09:10:00") }, activity)).toEqual({ ok: true, minutes: 0 });
  });

  it("follow the community's step", () => {
    expect(proposedMinutes({ checkInAt: at("2026-11-28T09:00:00"), checkOutAt: at("2026-11-28T10:20:00") }, activity, 15)).toEqual({ ok: true, minutes: 75 });
    expect(proposedMinutes({ checkInAt: at("2026-11-28T09:00:00"), checkOutAt: at("2026-11-28T10:20:00") }, activity, 60)).toEqual({ ok: true, minutes: 60 });
  });

  it("never exceed the activity's span, however early the check-in or late the check-out", () => {
    expect(proposedMinutes({ checkInAt: at("2026-11-28T08:00:00"), checkOutAt: at("2026-11-28T14:00:00") }, activity)).toEqual({ ok: true, minutes: 180 });
  });

  it("may exceed the span by the stated margin and not a minute more", () => {
    const early = { checkInAt: at("2026-11-28T08:00:00"), checkOutAt: at("2026-11-28T14:00:00") };
    expect(proposedMinutes(early, activity, 30, 30)).toEqual({ ok: true, minutes: 210 });
    expect(proposedMinutes({ checkInAt: at("2026-11-28T08:40:00"), checkOutAt: at("2026-11-28T12:00:00") }, activity, 1, 15)).toEqual({ ok: true, minutes: 195 });
    expect(proposedMinutes({ checkInAt: at("2026-11-28T08:46:00"), checkOutAt: at("2026-11-28T12:00:00") }, activity, 1, 15)).toEqual({ ok: true, minutes: 194 });
    expect(capMinutes(activity, 30)).toBe(210);
    expect(capMinutes(activity, -5)).toBe(180);
    expect(capMinutes({ startsAt: at("2026-11-28T00:00:00"), endsAt: at("2026-11-28T23:59:00") }, 120)).toBe(1440);
  });

  it("count across midnight", () => {
    const night = { startsAt: at("2026-11-28T22:00:00"), endsAt: at("2026-11-29T02:00:00") };
    expect(proposedMinutes({ checkInAt: at("2026-11-28T22:05:00"), checkOutAt: at("2026-11-29T01:50:00") }, night)).toEqual({ ok: true, minutes: 240 });
    expect(proposedMinutes({ checkInAt: at("2026-11-28T22:00:00"), checkOutAt: at("2026-11-29T01:30:00") }, night)).toEqual({ ok: true, minutes: 210 });
  });

  it("give a clear problem without a check-in, without a check-out, or with a check-out before the check-in", () => {
    expect(proposedMinutes({ checkInAt: null, checkOutAt: null }, activity)).toEqual({ ok: false, problem: "noCheckIn" });
    expect(proposedMinutes({ checkInAt: at("2026-11-28T09:00:00"), checkOutAt: null }, activity)).toEqual({ ok: false, problem: "noCheckOut" });
    expect(proposedMinutes({ checkInAt: at("2026-11-28T11:00:00"), checkOutAt: at("2026-11-28T10:00:00") }, activity)).toEqual({ ok: false, problem: "outBeforeIn" });
  });
});

describe("10 working days", () => {
  it("skip weekends", () => {
    // Saturday 2026-11-28 → ten working days later is Friday 2026-12-11
    expect(addWorkingDays("2026-11-28", 10)).toBe("2026-12-11");
    // Monday 2026-11-30 → Monday 2026-12-14
    expect(addWorkingDays("2026-11-30", 10)).toBe("2026-12-14");
    expect(isWorkingDay("2026-11-29")).toBe(false);
  });

  it("skip configured holidays and count worked weekend days (调休)", () => {
    const cal = { holidays: ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"], extraWorkdays: ["2026-10-10"] };
    // an activity on 30 Sep: 1–8 Oct off except 8 Oct (Thu) and Fri 9, Sat 10 worked
    expect(addWorkingDays("2026-09-30", 10, cal)).toBe("2026-10-20");
    expect(addWorkingDays("2026-09-30", 10)).toBe("2026-10-14");
  });

  it("flag a record confirmed after the deadline day (Beijing time) as late", () => {
    const ended = at("2026-11-28T12:00:00");
    expect(recordDeadline(ended)).toBe("2026-12-11");
    expect(isLate(ended, at("2026-12-11T23:59:00"))).toBe(false);
    expect(isLate(ended, at("2026-12-12T00:01:00"))).toBe(true);
    expect(isLate(ended, at("2026-12-12T00:01:00"), { extraWorkdays: [] , holidays: ["2026-12-01"] })).toBe(false);
  });
});

describe("the national 2026 schedule", () => {
  const cal = resolveCalendar([]);
  it("skips the National Day week and counts its make-up Saturday", () => {
    // ends Tuesday 29 Sep: 30 Sep, (1–7 Oct off), 8, 9, Sat 10 (worked), 12–16, 19 Oct
    expect(recordDeadline(at("2026-09-29T12:00:00"), cal)).toBe("2026-10-19");
    expect(recordDeadline(at("2026-09-29T12:00:00"))).toBe("2026-10-13");
    expect(isWorkingDay("2026-10-10", cal)).toBe(true);
    expect(isWorkingDay("2026-10-05", cal)).toBe(false);
  });

  it("counts the Sunday worked before Mid-Autumn and skips the Mid-Autumn Friday", () => {
    // ends Friday 18 Sep: Sun 20 (worked), 21–24, (25–27 off), 28–30, (1–7 Oct off), 8, 9 Oct
    expect(recordDeadline(at("2026-09-18T12:00:00"), cal)).toBe("2026-10-09");
    expect(isWorkingDay("2026-09-20", cal)).toBe(true);
    expect(isWorkingDay("2026-09-25", cal)).toBe(false);
  });

  it("has every make-up workday on a weekend and every holiday in 2026, as the State Council published", () => {
    for (const d of NATIONAL_CALENDAR.extraWorkdays) expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    expect(NATIONAL_CALENDAR.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(NATIONAL_CALENDAR.extraWorkdays).toEqual(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]);
  });

  it("late by the calendar days past the deadline day", () => {
    const ended = at("2026-09-29T12:00:00");
    expect(daysLate(ended, at("2026-10-19T23:59:00"), cal)).toBe(0);
    expect(daysLate(ended, at("2026-10-20T00:01:00"), cal)).toBe(1);
    expect(daysLate(ended, at("2026-10-26T09:00:00"), cal)).toBe(7);
  });

  it("takes each year whole from the nearest area that states it, else the national schedule", () => {
    const county = { holidays: ["2027-01-01"], extraWorkdays: [] };
    const community = { holidays: ["2026-12-01"], extraWorkdays: [] };
    const r = resolveCalendar([community, county]);
    expect(r.holidays).toEqual(["2026-12-01", "2027-01-01"]);
    expect(r.extraWorkdays).toEqual([]);
    expect(r.years).toEqual({ "2026": 0, "2027": 1 });
    const countyOnly = resolveCalendar([county]);
    expect(countyOnly.holidays).toContain("2026-10-01");
    expect(countyOnly.holidays).toContain("2027-01-01");
    expect(countyOnly.years).toEqual({ "2027": 0, "2026": -1 });
  });
});

describe("stars and the 15% target", () => {
  it("count thresholds reached on the county's ladder", () => {
    expect(starsFor(99.5)).toBe(0);
    expect(starsFor(100)).toBe(1);
    expect(starsFor(650)).toBe(3);
    expect(starsFor(2000)).toBe(5);
    expect(starsFor(60, [50, 100, 200, 400, 800])).toBe(1);
    expect(nextStar(120)).toEqual({ hours: 300, missing: 180 });
    expect(nextStar(1500)).toBeNull();
  });

  it("compare registered volunteers with residents", () => {
    expect(volunteerShare(150, 1000)).toEqual({ share: 0.15, percent: 15, meetsTarget: true });
    expect(volunteerShare(149, 1000).meetsTarget).toBe(false);
    expect(volunteerShare(3, 0).meetsTarget).toBe(false);
  });
});

describe("rotating check-in code", () => {
  const secret = "s3cret";
  it("is six digits, accepted in its step and the next, refused later and for another activity", () => {
    const t0 = new Date("2026-11-28T01:00:00Z");
    const { code, changesAt } = currentCode(secret, 7, t0);
    expect(code).toMatch(/^\d{6}$/);
    expect(codeMatches(secret, 7, code, t0)).toBe(true);
    expect(codeMatches(secret, 7, code, new Date(changesAt.getTime() + 1000))).toBe(true);
    expect(codeMatches(secret, 7, code, new Date(changesAt.getTime() + CODE_STEP_SECONDS * 1000 + 1000))).toBe(false);
    expect(codeMatches(secret, 8, code, t0)).toBe(currentCode(secret, 8, t0).code === code);
    expect(codeMatches("other", 7, code, t0)).toBe(currentCode("other", 7, t0).code === code);
    expect(codeMatches(secret, 7, "12345", t0)).toBe(false);
    expect(codeMatches(secret, 7, "abcdef", t0)).toBe(false);
  });
});
