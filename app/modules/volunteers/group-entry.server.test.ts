import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { attendance, ledgerEntries, serviceRecords } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { outcomeOf as err } from "../../../tests/support/factories";
import { makeVolunteers, volunteerWorld } from "../../../tests/support/volunteers";
import { fixedClock } from "../shared/clock";
import { publishActivity, signUp } from "./activities.server";
import { recordGroupAttendance, getGroupEntryPage } from "./group-entry.server";
import { confirmRecord } from "./records.server";
import { GroupEntrySchema, PublishActivitySchema } from "./schemas";

let database: Database;
let w: Awaited<ReturnType<typeof volunteerWorld>>;
const before = fixedClock(new Date("2026-09-01T01:00:00Z"));
// Saturday 5 Sep 2026, 09:00–11:30 Beijing; entered at 12:00 that day
const during = fixedClock(new Date("2026-09-05T04:00:00Z"));

beforeAll(async () => {
  database = await testDatabase();
  w = await volunteerWorld(database.db, before);
});
afterAll(() => database.close());

async function activityWith(signedUp: number) {
  const { id } = await publishActivity(w.ctxOf(w.organizer), w.teamId, PublishActivitySchema.parse({ title: "河道清理", content: "清理河道垃圾", place: "南河", startsAt: "2026-09-05 09:00", endsAt: "2026-09-05 11:30", capacity: "500", personInCharge: "周队长" }));
  const vs = await makeVolunteers(database.db, signedUp, w.tree.a1.id, before.now());
  for (const v of vs) await signUp(w.ctxOf(v.actor), id);
  return { id, vs };
}

const form = (v: Record<string, unknown>) => GroupEntrySchema.parse(v);
const recordsOf = (activityId: number) => database.db.select().from(serviceRecords).where(eq(serviceRecords.activityId, activityId));

describe("group entry (集体录入)", () => {
  it("records the ticked attendees and walk-ins with one time for all, and individual adjustments", async () => {
    const { id, vs } = await activityWith(4);
    const [walkByNumber, walkByPhone] = await makeVolunteers(database.db, 2, w.tree.a2.id, before.now());
    const r = await recordGroupAttendance(
      w.ctxOf(w.organizer, during),
      id,
      form({
        attendee: [String(vs[0].id), String(vs[1].id), String(vs[2].id)],
        walkIns: `${walkByNumber.volunteerNumber!.toLowerCase()}\n${walkByPhone.contact.slice(0, 3)}-${walkByPhone.contact.slice(3)}`,
        checkInAt: "2026-09-05 09:00",
        checkOutAt: "2026-09-05 11:30",
        [`out-${vs[1].id}`]: "2026-09-05 10:00",
        [`in-${vs[2].id}`]: "2026-09-05 08:00",
      }),
    );
    expect(r).toEqual({ recorded: 5, walkIns: 2, proposed: 5, keptConfirmed: 0, open: 0 });
    const recs = await recordsOf(id);
    const minutesOf = (vid: number) => recs.find((x) => x.volunteerId === vid)?.minutes;
    expect(minutesOf(vs[0].id)).toBe(150);
    expect(minutesOf(vs[1].id)).toBe(60);
    expect(minutesOf(vs[2].id)).toBe(180); // 3.5 h of presence, capped at 2.5 h + 30 min
    expect(minutesOf(vs[3].id)).toBeUndefined(); // not ticked: absent
    expect(minutesOf(walkByNumber.id)).toBe(150);
    expect(recs.every((x) => x.method === "group" && x.status === "proposed")).toBe(true);
    const att = await database.db.select().from(attendance).where(eq(attendance.activityId, id));
    expect(att.filter((x) => x.walkIn).map((x) => x.volunteerId).sort()).toEqual([walkByNumber.id, walkByPhone.id].sort());
    expect(att.every((x) => x.checkInMethod === "group" && x.markedBy === w.organizer.id)).toBe(true);
    const [entry] = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.action, "attendance.groupRecorded"), eq(ledgerEntries.entityId, String(id))));
    expect(entry).toBeTruthy();
  });

  it("entering the group again updates proposed records and leaves confirmed ones alone", async () => {
    const { id, vs } = await activityWith(2);
    const all = { attendee: vs.map((v) => String(v.id)), checkInAt: "2026-09-05 09:00", checkOutAt: "2026-09-05 11:00" };
    await recordGroupAttendance(w.ctxOf(w.organizer, during), id, form(all));
    const [first] = (await recordsOf(id)).filter((r) => r.volunteerId === vs[0].id);
    await confirmRecord(w.ctxOf(w.organizer, during), { recordId: first.id });
    const again = await recordGroupAttendance(w.ctxOf(w.organizer, during), id, form({ ...all, checkOutAt: "2026-09-05 11:30" }));
    expect(again).toMatchObject({ recorded: 1, proposed: 1, keptConfirmed: 1 });
    const recs = await recordsOf(id);
    expect(recs.find((r) => r.volunteerId === vs[0].id)).toMatchObject({ minutes: 120, status: "confirmed" });
    expect(recs.find((r) => r.volunteerId === vs[1].id)).toMatchObject({ minutes: 150, status: "proposed" });
  });

  it("without a check-out only check-ins are recorded and no hours proposed", async () => {
    const { id, vs } = await activityWith(2);
    expect(await recordGroupAttendance(w.ctxOf(w.organizer, during), id, form({ attendee: vs.map((v) => String(v.id)), checkInAt: "2026-09-05 09:00" }))).toMatchObject({ recorded: 2, proposed: 0, open: 2 });
    expect(await recordsOf(id)).toHaveLength(0);
    const page = await getGroupEntryPage(w.ctxOf(w.organizer, during), id);
    expect(page.roster.every((r) => r.checkInAt && !r.checkOutAt)).toBe(true);
  });

  it("refuses, writing nothing: an unknown or ambiguous walk-in, a volunteer named twice, someone not signed up ticked, nobody, a check-out before the check-in, one's own hours, a non-organizer, too early", async () => {
    const { id, vs } = await activityWith(2);
    const [twin1, twin2] = await makeVolunteers(database.db, 2, w.tree.a1.id, before.now());
    const { volunteers } = await import("../../../db/schema");
    await database.db.update(volunteers).set({ contact: "13711112222" }).where(eq(volunteers.id, twin1.id));
    await database.db.update(volunteers).set({ contact: "13711112222" }).where(eq(volunteers.id, twin2.id));
    const base = { attendee: [String(vs[0].id)], checkInAt: "2026-09-05 09:00", checkOutAt: "2026-09-05 11:30" };
    const by = w.ctxOf(w.organizer, during);
    expect(await err(recordGroupAttendance(by, id, form({ ...base, walkIns: "ZY2099999999" })))).toBe("volunteers.errors.walkInUnknown");
    expect(await err(recordGroupAttendance(by, id, form({ ...base, walkIns: "13711112222" })))).toBe("volunteers.errors.walkInAmbiguous");
    expect(await err(recordGroupAttendance(by, id, form({ ...base, walkIns: vs[0].volunteerNumber! })))).toBe("volunteers.errors.walkInTwice");
    expect(await err(recordGroupAttendance(by, id, form({ ...base, attendee: [String(twin1.id)] })))).toBe("volunteers.errors.notSignedUpThem");
    expect(await err(recordGroupAttendance(by, id, form({ checkInAt: "2026-09-05 09:00" })))).toBe("volunteers.errors.groupEmpty");
    expect(await err(recordGroupAttendance(by, id, form({ ...base, [`out-${vs[0].id}`]: "2026-09-05 08:00" })))).toBe("volunteers.errors.outBeforeIn");
    expect(await err(recordGroupAttendance(w.ctxOf(w.committee, during), id, form(base)))).toBe("errors.forbidden");
    expect(await err(recordGroupAttendance(w.ctxOf(w.organizer, before), id, form(base)))).toBe("volunteers.errors.groupTooEarly");
    const [orgVolunteer] = await makeVolunteers(database.db, 1, w.tree.a1.id, before.now());
    await database.db.update(volunteers).set({ userId: w.organizer.id }).where(eq(volunteers.id, orgVolunteer.id));
    expect(await err(recordGroupAttendance(by, id, form({ ...base, walkIns: orgVolunteer.volunteerNumber! })))).toBe("volunteers.errors.ownHours");
    expect(await database.db.select().from(attendance).where(eq(attendance.activityId, id))).toHaveLength(0);
  });

  it("the form refuses a malformed time beside its own field and a check-out before the check-in", () => {
    const r = GroupEntrySchema.safeParse({ attendee: "1", checkInAt: "2026-09-05 09:00", checkOutAt: "2026-09-05 08:00", "in-1": "昨天" });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["checkOutAt", "volunteers.errors.outBeforeIn"],
      ["in-1", "matters.errors.timeInvalid"],
    ]);
  });
});
