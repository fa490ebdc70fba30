import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { attendance, ledgerEntries, notifications, serviceRecords } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { outcomeOf as err } from "../../../tests/support/factories";
import { makeVolunteers, volunteerWorld } from "../../../tests/support/volunteers";
import { fixedClock } from "../shared/clock";
import { checkWithCode, getActivityPage, getCheckinCode, publishActivity, signUp } from "./activities.server";
import { closeOpenCheckIns } from "./close-open-checkins.server";
import { declareHours, getDeclarationPhoto } from "./declare-hours.server";
import { declineRecord } from "./decline-record.server";
import { confirmRecord, getMyRecords } from "./records.server";
import { PublishActivitySchema } from "./schemas";

let database: Database;
let w: Awaited<ReturnType<typeof volunteerWorld>>;
const before = fixedClock(new Date("2026-09-01T01:00:00Z"));
// Saturday 5 Sep 2026, 09:00–11:30 Beijing
const after = fixedClock(new Date("2026-09-05T06:00:00Z")); // 14:00 that day

beforeAll(async () => {
  database = await testDatabase();
  w = await volunteerWorld(database.db, before);
});
afterAll(() => database.close());

async function activity(signedUp = 1) {
  const { id } = await publishActivity(w.ctxOf(w.organizer), w.teamId, PublishActivitySchema.parse({ title: "敬老院探访", content: "陪老人聊天", place: "敬老院", startsAt: "2026-09-05 09:00", endsAt: "2026-09-05 11:30", capacity: "50", personInCharge: "周队长" }));
  const vs = await makeVolunteers(database.db, signedUp, w.tree.a1.id, before.now());
  for (const v of vs) await signUp(w.ctxOf(v.actor, before), id);
  return { id, vs };
}

const recordOf = async (activityId: number, volunteerId: number) =>
  (await database.db.select().from(serviceRecords).where(and(eq(serviceRecords.activityId, activityId), eq(serviceRecords.volunteerId, volunteerId))))[0];

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe("a declaration's photo", () => {
  it("is kept by its sniffed type, shown to the volunteer and the team's organizers only, refused when it is not an image, and replaced by a new declaration", async () => {
    const { id, vs } = await activity(2);
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]);
    expect(await err(declareHours(w.ctxOf(vs[0].actor, after), id, { hours: 2, note: "照片", photo: exe }))).toBe("outcomes.errors.photoType");
    expect(await recordOf(id, vs[0].id)).toBeUndefined();
    const { recordId } = await declareHours(w.ctxOf(vs[0].actor, after), id, { hours: 2, note: "带了照片", photo: PNG });
    for (const who of [vs[0].actor, w.organizer]) expect(await getDeclarationPhoto(w.ctxOf(who, after), recordId)).toMatchObject({ contentType: "image/png" });
    for (const who of [vs[1].actor, w.committee]) expect(await err(getDeclarationPhoto(w.ctxOf(who, after), recordId))).toBe("errors.notFound");
    expect(await err(getDeclarationPhoto({ ...w.ctxOf(w.organizer, after), actor: null }, recordId))).toBe("errors.notFound");
    const [entry] = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.action, "record.declared"), eq(ledgerEntries.entityId, String(recordId))));
    expect(JSON.stringify(entry.summary)).toContain('"type":"image/png"');
    // declined, then declared again without a photo: the old photo goes with the old declaration
    await declineRecord(w.ctxOf(w.organizer, after), { recordId, reason: "照片看不清" });
    await declareHours(w.ctxOf(vs[0].actor, after), id, { hours: 2, note: "重新申报" });
    expect(await err(getDeclarationPhoto(w.ctxOf(w.organizer, after), recordId))).toBe("errors.notFound");
  });
});

describe("self-declaration (自主申报)", () => {
  it("a volunteer declares hours with a note; the team is told and confirms; the record says it was declared", async () => {
    const { id, vs } = await activity();
    const r = await declareHours(w.ctxOf(vs[0].actor, after), id, { hours: 2.5, note: "手机没电，没能签到" });
    expect(r.minutes).toBe(150);
    expect(await recordOf(id, vs[0].id)).toMatchObject({ method: "declared", status: "proposed", note: "手机没电，没能签到" });
    const told = await database.db.select().from(notifications).where(and(eq(notifications.userId, w.organizer.id), eq(notifications.kind, "notify.volunteers.declared")));
    expect(told.length).toBeGreaterThan(0);
    expect(await confirmRecord(w.ctxOf(w.organizer, after), { recordId: r.recordId })).toMatchObject({ minutes: 150, late: false });
    const mine = await getMyRecords(w.ctxOf(vs[0].actor, after));
    expect(mine.records[0]).toMatchObject({ method: "declared", status: "confirmed", note: "手机没电，没能签到" });
    expect(mine.confirmedHours).toBe(2.5);
  });

  it("the team declines with a reason the volunteer sees; a declined declaration can be made again; nothing else can be declined", async () => {
    const { id, vs } = await activity();
    const { recordId } = await declareHours(w.ctxOf(vs[0].actor, after), id, { hours: 3, note: "全程参加" });
    expect(await err(declineRecord(w.ctxOf(vs[0].actor, after), { recordId, reason: "x" }))).toBe("volunteers.errors.ownHours");
    expect(await err(declineRecord(w.ctxOf(w.committee, after), { recordId, reason: "x" }))).toBe("errors.forbidden");
    await declineRecord(w.ctxOf(w.organizer, after), { recordId, reason: "签到表上没有您，请联系队长核实" });
    expect(await recordOf(id, vs[0].id)).toMatchObject({ status: "declined", declineReason: "签到表上没有您，请联系队长核实", declinedBy: w.organizer.id });
    expect((await getActivityPage(w.ctxOf(vs[0].actor, after), id)).canDeclare).toBe(true);
    expect(await err(confirmRecord(w.ctxOf(w.organizer, after), { recordId }))).toBe("volunteers.errors.declined");
    expect(await err(declineRecord(w.ctxOf(w.organizer, after), { recordId, reason: "again" }))).toBe("volunteers.errors.declined");
    const again = await declareHours(w.ctxOf(vs[0].actor, after), id, { hours: 2, note: "9 点半到 11 点半" });
    expect(again.recordId).toBe(recordId);
    expect(await recordOf(id, vs[0].id)).toMatchObject({ status: "proposed", minutes: 120, declineReason: null });
    expect(await err(declareHours(w.ctxOf(vs[0].actor, after), id, { hours: 2, note: "重复" }))).toBe("volunteers.errors.recordExists");
    const actions = (await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.entityType, "service_record"), eq(ledgerEntries.entityId, String(recordId))))).map((e) => e.action);
    expect(actions).toEqual(["record.declared", "record.declined", "record.declared"]);
  });

  it("refuses before the activity starts, over the cap, for someone who neither signed up nor attended, and declining a record made another way", async () => {
    const { id, vs } = await activity(2);
    expect(await err(declareHours(w.ctxOf(vs[0].actor, before), id, { hours: 2, note: "x" }))).toBe("volunteers.errors.declareTooEarly");
    expect(await err(declareHours(w.ctxOf(vs[0].actor, after), id, { hours: 3.25, note: "x" }))).toBe("volunteers.errors.overCap");
    const [stranger] = await makeVolunteers(database.db, 1, w.tree.a1.id, before.now());
    expect(await err(declareHours(w.ctxOf(stranger.actor, after), id, { hours: 1, note: "x" }))).toBe("volunteers.errors.declareNotThere");
    // checked in by code, closed automatically: an `auto` record, corrected but never declined
    const during = fixedClock(new Date("2026-09-05T01:30:00Z"));
    await checkWithCode(w.ctxOf(vs[1].actor, during), id, { code: (await getCheckinCode(w.ctxOf(w.organizer, during), id)).code, direction: "in" });
    await closeOpenCheckIns(w.ctxOf(null, fixedClock(new Date("2026-09-05T06:00:00Z"))));
    const auto = await recordOf(id, vs[1].id);
    expect(await err(declineRecord(w.ctxOf(w.organizer, after), { recordId: auto.id, reason: "x" }))).toBe("volunteers.errors.declineNotDeclared");
  });

  it("a declaration made days after the activity is on time if answered within 10 working days of the declaration", async () => {
    const { id, vs } = await activity();
    // declared Monday 21 Sep; the deadline counts from then (Mid-Autumn 25–27 Sep and National Day off): Friday 9 Oct
    const { recordId } = await declareHours(w.ctxOf(vs[0].actor, fixedClock(new Date("2026-09-21T02:00:00Z"))), id, { hours: 2, note: "补报" });
    expect(await confirmRecord(w.ctxOf(w.organizer, fixedClock(new Date("2026-10-09T08:00:00Z"))), { recordId })).toMatchObject({ late: false, lateDays: 0 });
  });
});

describe("automatic recording", () => {
  it("closes check-ins still open after the check-out window at the activity's end, flags them for the organizer, and leaves the rest", async () => {
    const { id, vs } = await activity(3);
    const during = fixedClock(new Date("2026-09-05T01:10:00Z")); // 09:10
    const code = () => getCheckinCode(w.ctxOf(w.organizer, during), id).then((c) => c.code);
    for (const v of vs) await checkWithCode(w.ctxOf(v.actor, during), id, { code: await code(), direction: "in" });
    during.advance(60 * 60_000); // 10:10: the first checks out by code
    await checkWithCode(w.ctxOf(vs[0].actor, during), id, { code: await code(), direction: "out" });
    // 12:30: inside the check-out window, nothing closes yet
    expect(await closeOpenCheckIns(w.ctxOf(null, fixedClock(new Date("2026-09-05T04:30:00Z"))))).toBe(0);
    // 13:31: the window (2 h after 11:30) has closed
    const late = fixedClock(new Date("2026-09-05T05:31:00Z"));
    expect(await closeOpenCheckIns(w.ctxOf(null, late))).toBeGreaterThanOrEqual(2);
    const att = await database.db.select().from(attendance).where(eq(attendance.activityId, id));
    expect(att.filter((x) => x.checkOutMethod === "auto").map((x) => x.checkOutAt!.toISOString())).toEqual(["2026-09-05T03:30:00.000Z", "2026-09-05T03:30:00.000Z"]);
    expect(await recordOf(id, vs[0].id)).toMatchObject({ method: "code", minutes: 60 });
    expect(await recordOf(id, vs[1].id)).toMatchObject({ method: "auto", status: "proposed", minutes: 150 });
    const told = await database.db.select().from(notifications).where(and(eq(notifications.userId, w.organizer.id), eq(notifications.kind, "notify.volunteers.autoClosed")));
    expect(told.some((n) => (n.params as { count: number }).count === 2)).toBe(true);
    // run again: nothing left to close
    expect(await closeOpenCheckIns(w.ctxOf(null, late))).toBe(0);
  });
});
