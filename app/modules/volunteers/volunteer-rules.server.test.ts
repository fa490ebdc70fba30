import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, serviceRecords } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { outcomeOf as err } from "../../../tests/support/factories";
import { makeVolunteers, volunteerWorld } from "../../../tests/support/volunteers";
import { fixedClock } from "../shared/clock";
import { markAttendance, publishActivity, signUp } from "./activities.server";
import { confirmRecord, correctRecord } from "./records.server";
import { CalendarYearSchema, PublishActivitySchema, VolunteerRulesSchema } from "./schemas";
import { setCalendarYear } from "./set-calendar-year.server";
import { setVolunteerRules } from "./set-volunteer-rules.server";
import { getRulesPage, listRulesAreas } from "./volunteer-rules.server";
import { getVolunteerRules } from "./volunteers.server";

let database: Database;
let w: Awaited<ReturnType<typeof volunteerWorld>>;
const clock = fixedClock(new Date("2026-09-01T01:00:00Z"));

beforeAll(async () => {
  database = await testDatabase();
  w = await volunteerWorld(database.db, clock);
});
afterAll(() => database.close());

/** A 2.5-hour activity (Beijing 09:00–11:30 on `day`) with one volunteer attending 08:30–12:30. */
async function attendedTwoAndAHalf(day: string) {
  const { id } = await publishActivity(w.ctxOf(w.organizer), w.teamId, PublishActivitySchema.parse({ title: "义诊", content: "量血压", place: "活动室", startsAt: `${day} 09:00`, endsAt: `${day} 11:30`, capacity: "5", personInCharge: "周队长" }));
  const [v] = await makeVolunteers(database.db, 1, w.tree.a1.id, clock.now());
  await signUp(w.ctxOf(v.actor), id);
  const r = await markAttendance(w.ctxOf(w.organizer), id, { volunteerId: v.id, checkInAt: new Date(`${day}T08:30:00+08:00`), checkOutAt: new Date(`${day}T12:30:00+08:00`) });
  const [rec] = await database.db.select().from(serviceRecords).where(and(eq(serviceRecords.activityId, id), eq(serviceRecords.volunteerId, v.id)));
  return { activityId: id, proposed: r.minutes, record: rec };
}

describe("hours cap", () => {
  it("a 2.5-hour activity proposes at most 3 hours by default and refuses 5 at confirmation or correction", async () => {
    const a = await attendedTwoAndAHalf("2026-09-10");
    expect(a.proposed).toBe(180);
    const on = fixedClock(new Date("2026-09-11T02:00:00Z"));
    expect(await err(confirmRecord(w.ctxOf(w.organizer, on), { recordId: a.record.id, hours: 5 }))).toBe("volunteers.errors.overCap");
    expect(await err(confirmRecord(w.ctxOf(w.organizer, on), { recordId: a.record.id, hours: 3.25 }))).toBe("volunteers.errors.overCap");
    expect((await database.db.select().from(serviceRecords).where(eq(serviceRecords.id, a.record.id)))[0].status).toBe("proposed");
    expect(await confirmRecord(w.ctxOf(w.organizer, on), { recordId: a.record.id, hours: 3 })).toMatchObject({ minutes: 180, late: false, lateDays: 0 });
    expect(await err(correctRecord(w.ctxOf(w.organizer, on), { recordId: a.record.id, hours: 5, reason: "多算" }))).toBe("volunteers.errors.overCap");
    expect(await correctRecord(w.ctxOf(w.organizer, on), { recordId: a.record.id, hours: 2.5, reason: "按活动时长" })).toEqual({ minutes: 150 });
  });

  it("follows the margin a county admin states, inherited by the community; a blank field inherits again", async () => {
    await setVolunteerRules(w.ctxOf(w.countyAdmin), w.tree.county.id, VolunteerRulesSchema.parse({ capMarginMinutes: "0", stepMinutes: "15", starHours: "10 20 30 40 50" }));
    expect(await getVolunteerRules(database.db, w.tree.a1.path)).toMatchObject({ capMarginMinutes: 0, stepMinutes: 15, starHours: [10, 20, 30, 40, 50] });
    const a = await attendedTwoAndAHalf("2026-09-15");
    expect(a.proposed).toBe(150);
    await setVolunteerRules(w.ctxOf(w.countyAdmin), w.tree.townA.id, VolunteerRulesSchema.parse({ capMarginMinutes: "60" }));
    expect(await getVolunteerRules(database.db, w.tree.a1.path)).toMatchObject({ capMarginMinutes: 60, stepMinutes: 15 });
    expect(await getVolunteerRules(database.db, w.tree.b1.path)).toMatchObject({ capMarginMinutes: 0 });
    await setVolunteerRules(w.ctxOf(w.countyAdmin), w.tree.townA.id, VolunteerRulesSchema.parse({}));
    await setVolunteerRules(w.ctxOf(w.countyAdmin), w.tree.county.id, VolunteerRulesSchema.parse({}));
    expect(await getVolunteerRules(database.db, w.tree.a1.path)).toMatchObject({ capMarginMinutes: 30, stepMinutes: 30, starHours: [100, 300, 600, 1000, 1500] });
    const ledger = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.action, "volunteerRules.set"), eq(ledgerEntries.entityId, String(w.tree.townA.id))));
    expect(ledger).toHaveLength(2);
  });

  it("only a county admin over the area sets rules; the committee and the organizer are refused", async () => {
    const none = VolunteerRulesSchema.parse({ stepMinutes: "60" });
    expect(await err(setVolunteerRules(w.ctxOf(w.committee), w.tree.a1.id, none))).toBe("errors.forbidden");
    expect(await err(setVolunteerRules(w.ctxOf(w.organizer), w.tree.a1.id, none))).toBe("errors.forbidden");
    expect(await err(setVolunteerRules(w.ctxOf(null), w.tree.a1.id, none))).toBe("errors.unauthenticated");
    expect(await err(setVolunteerRules(w.ctxOf(w.countyAdmin), 999_999, none))).toBe("errors.areaNotFound");
    expect((await listRulesAreas(w.ctxOf(w.countyAdmin))).map((a) => a.id)).toEqual(expect.arrayContaining([w.tree.county.id, w.tree.a1.id]));
    expect(await listRulesAreas(w.ctxOf(w.committee))).toEqual([]);
  });

  it("refuses a bad step, margin or ladder with a clear message", () => {
    const issues = (v: Record<string, string>) => VolunteerRulesSchema.safeParse(v).error?.issues.map((i) => i.message) ?? [];
    expect(issues({ stepMinutes: "0" })).toEqual(["volunteers.errors.stepMinutes"]);
    expect(issues({ stepMinutes: "15.5" })).toEqual(["volunteers.errors.stepMinutes"]);
    expect(issues({ capMarginMinutes: "241" })).toEqual(["volunteers.errors.capMargin"]);
    expect(issues({ starHours: "100 300 200 1000 1500" })).toEqual(["volunteers.errors.starHours"]);
    expect(issues({ starHours: "100 300 600 1000" })).toEqual(["volunteers.errors.starHours"]);
    expect(issues({ starHours: "100，300，600，1000，1500" })).toEqual([]);
  });
});

describe("working-day calendar", () => {
  it("the national 2026 schedule is in force where no area states 2026: National Day moves the deadline", async () => {
    const a = await attendedTwoAndAHalf("2026-09-29");
    const page = await getRulesPage(w.ctxOf(w.countyAdmin), w.tree.a1.id);
    expect(page.years.find((y) => y.year === 2026)).toMatchObject({ from: null });
    // 10 working days after Tuesday 29 Sep: Monday 19 Oct (1–7 Oct off, Saturday 10 Oct worked)
    const onTime = fixedClock(new Date("2026-10-19T15:00:00Z"));
    expect(await confirmRecord(w.ctxOf(w.organizer, onTime), { recordId: a.record.id })).toMatchObject({ late: false, lateDays: 0 });
    const b = await attendedTwoAndAHalf("2026-09-29");
    const late = fixedClock(new Date("2026-10-21T02:00:00Z")); // Wednesday 21 Oct, Beijing
    expect(await confirmRecord(w.ctxOf(w.organizer, late), { recordId: b.record.id })).toMatchObject({ late: true, lateDays: 2 });
    expect((await database.db.select().from(serviceRecords).where(eq(serviceRecords.id, b.record.id)))[0]).toMatchObject({ late: true, lateDays: 2 });
  });

  it("a county admin adds next year; a year stated lower down replaces that year for those below only", async () => {
    await setCalendarYear(w.ctxOf(w.countyAdmin), w.tree.county.id, CalendarYearSchema.parse({ year: "2027", holidays: "2027-01-01\n2027-01-02 2027-01-03", workdays: "" }));
    const county = await getVolunteerRules(database.db, w.tree.b1.path);
    expect(county.holidays).toEqual(expect.arrayContaining(["2026-10-01", "2027-01-01"]));
    await setCalendarYear(w.ctxOf(w.countyAdmin), w.tree.a1.id, CalendarYearSchema.parse({ year: "2026", holidays: "2026-12-01", workdays: "" }));
    const a1 = await getVolunteerRules(database.db, w.tree.a1.path);
    expect(a1.holidays).toEqual(["2026-12-01", "2027-01-01", "2027-01-02", "2027-01-03"]);
    expect((await getRulesPage(w.ctxOf(w.countyAdmin), w.tree.a1.id)).years.map((y) => [y.year, y.from])).toEqual([
      [2026, w.tree.a1.name],
      [2027, "县"],
    ]);
    // both lists blank: the community inherits 2026 again
    await setCalendarYear(w.ctxOf(w.countyAdmin), w.tree.a1.id, CalendarYearSchema.parse({ year: "2026" }));
    expect((await getVolunteerRules(database.db, w.tree.a1.path)).holidays).toContain("2026-10-01");
    expect(await err(setCalendarYear(w.ctxOf(w.committee), w.tree.a1.id, CalendarYearSchema.parse({ year: "2026" })))).toBe("errors.forbidden");
  });

  it("refuses a weekday as a make-up workday, a date of another year, a day in both lists, and a date that does not exist", () => {
    const issues = (v: Record<string, string>) => CalendarYearSchema.safeParse(v).error?.issues.map((i) => i.message.split("|")[0]) ?? [];
    expect(issues({ year: "2027", workdays: "2027-01-04" })).toEqual(["volunteers.errors.workdayWeekday"]);
    expect(issues({ year: "2027", holidays: "2026-10-01" })).toEqual(["volunteers.errors.calendarOtherYear"]);
    expect(issues({ year: "2027", holidays: "2027-01-09", workdays: "2027-01-09" })).toEqual(["volunteers.errors.calendarBoth"]);
    expect(issues({ year: "2027", holidays: "2027-02-30" })).toEqual(["volunteers.errors.calendarDate"]);
    expect(issues({ year: "27" })).toEqual(["volunteers.errors.calendarYear"]);
  });
});
