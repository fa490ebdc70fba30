import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { activitySignups, certificates, ledgerEntries, notifications, recordCorrections, serviceRecords, users, volunteerSettings, volunteers } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, grant, makeTree, makeUser, outcomeOf } from "../../../tests/support/factories";
import type { Actor } from "../accounts/actor";
import { fixedClock } from "../shared/clock";
import { cancelActivity, cancelSignUp, checkWithCode, getActivityPage, getCheckinCode, markAttendance, publishActivity, signUp } from "./activities.server";
import { remindUpcomingActivities } from "./reminders.server";
import { currentCode } from "./checkin-code.server";
import { exportVolunteersCsv, getHonourBoard, getVolunteerDashboard } from "./dashboard.server";
import { checkCharacter } from "./id-number";
import { decryptIdNumber, encryptIdNumber, idNumberHmac, volunteerKeys } from "./keys.server";
import { answerReport, confirmRecord, correctRecord, getActivityRecords, getMyRecords, reportRecordError } from "./records.server";
import { issueCertificate, verifyCertificate } from "./certificates.server";
import { MarkAttendanceSchema, PublishActivitySchema, RegisterVolunteerSchema } from "./schemas";
import { appointOrganizer, createTeam, getOwnVolunteer, registerVolunteer } from "./volunteers.server";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let committee: Actor;
let organizer: Actor;
let otherOrganizer: Actor;
let teamId: number;
let otherTeamId: number;
let seq = 0;

/** A valid ID number no real person has: a fixed region, a birth date, a running sequence. */
function idNumber(n: number, birth = "19900307", male = true) {
  const k = Math.floor(n / 100) % 5;
  const serial = String(n % 100).padStart(2, "0") + String(male ? 1 + 2 * k : 2 * k);
  const region = String(110100 + Math.floor(n / 500)).padStart(6, "0");
  const first17 = region + birth + serial;
  return first17 + checkCharacter(first17);
}

const T0 = new Date("2026-11-30T01:00:00Z"); // Monday 09:00 Beijing

const err = outcomeOf;

function register(n: number, extra: Record<string, unknown> = {}) {
  return RegisterVolunteerSchema.parse(rawRegister(n, extra));
}

function rawRegister(n: number, extra: Record<string, unknown> = {}) {
  return {
    realName: `志愿者${n}`,
    sex: "male",
    birthDate: "1990-03-07",
    idNumber: idNumber(n),
    communityId: String(tree.a1.id),
    contact: "13912345678",
    serviceTypes: ["elderly", "environment"],
    skills: "电脑、急救",
    consent: "on",
    ...extra,
  };
}

/** Many registered volunteers at once, written directly (the registration command is tested on its own). */
async function makeVolunteers(n: number, communityId = tree.a1.id) {
  const out: Actor[] = [];
  const rows = await database.db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ username: `vol_${process.pid}_${++seq}_${i}`, displayName: `志愿者${i}`, passwordHash: "x" })))
    .returning({ id: users.id });
  await database.db.insert(volunteers).values(
    rows.map((r, i) => {
      const id = idNumber(10_000 + seq * 200 + i);
      return {
        userId: r.id,
        volunteerNumber: `T${r.id}`,
        realName: `志愿者${i}`,
        sex: "male" as const,
        birthDate: "1990-03-07",
        idCipher: encryptIdNumber(id, volunteerKeys(undefined)),
        idHmac: idNumberHmac(id, volunteerKeys(undefined)),
        idMasked: "1101**********0000",
        communityId,
        contact: "13900000000",
        skills: [],
        serviceTypes: ["other"],
        consentAt: T0,
      };
    }),
  );
  for (const r of rows) out.push({ id: r.id, displayName: "v", roles: [], memberships: [] });
  return out;
}

const clock = fixedClock(T0);
const as = (a: Actor | null, c: { now(): Date } = clock) => context(database.db, a, c as ReturnType<typeof fixedClock>).ctx;

function activityInput(startBeijing: string, endBeijing: string, capacity = 20) {
  return PublishActivitySchema.parse({ title: "清扫楼道", content: "清扫 3 号楼楼道", place: "3 号楼", startsAt: startBeijing, endsAt: endBeijing, capacity: String(capacity), personInCharge: "周队长" });
}

beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  const c = await makeUser(database.db, { name: "陈书记" });
  await grant(database.db, c.id, "committee", tree.a1.id);
  committee = await actorOf(database.db, c.id);
  const o = await makeUser(database.db, { username: `org_${process.pid}` });
  const o2 = await makeUser(database.db, { username: `org2_${process.pid}` });
  teamId = (await createTeam(as(committee), { areaId: tree.a1.id, name: "幸福里志愿队" })).id;
  await appointOrganizer(as(committee), teamId, `org_${process.pid}`);
  const c2 = await makeUser(database.db);
  await grant(database.db, c2.id, "committee", tree.b1.id);
  otherTeamId = (await createTeam(as(await actorOf(database.db, c2.id)), { areaId: tree.b1.id, name: "乙一志愿队" })).id;
  await appointOrganizer(as(await actorOf(database.db, c2.id)), otherTeamId, `org2_${process.pid}`);
  organizer = await actorOf(database.db, o.id);
  otherOrganizer = await actorOf(database.db, o2.id);
});
afterAll(() => database.close());

describe("registration", () => {
  it("gives a volunteer number, keeps the ID number only encrypted, hashed and masked, and refuses the same person twice", async () => {
    const u = await makeUser(database.db);
    const me = await actorOf(database.db, u.id);
    const id = idNumber(1);
    const r = await registerVolunteer(as(me), register(1));
    expect(r.volunteerNumber).toMatch(/^ZY2026\d{6}$/);
    const [row] = await database.db.select().from(volunteers).where(eq(volunteers.userId, u.id));
    expect(JSON.stringify(row)).not.toContain(id);
    expect(row.idMasked).toBe(`${id.slice(0, 4)}**********${id.slice(-4)}`);
    expect(decryptIdNumber(row.idCipher, volunteerKeys(undefined))).toBe(id);
    const own = await getOwnVolunteer(as(me));
    expect(JSON.stringify(own)).not.toContain(id);
    expect(own).not.toHaveProperty("idCipher");
    // the same ID number from another account, and a second registration of the same account
    const u2 = await makeUser(database.db);
    expect(await err(registerVolunteer(as(await actorOf(database.db, u2.id)), register(1)))).toBe("volunteers.errors.idTaken");
    expect(await err(registerVolunteer(as(me), register(2)))).toBe("volunteers.errors.alreadyRegistered");
    const ledger = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.action, "volunteer.registered"));
    expect(JSON.stringify(ledger)).not.toContain(id);
  });

  it("refuses a bad ID number, a birth date or sex that does not match it, and registration without consent", async () => {
    const bad = (over: Record<string, unknown>) => RegisterVolunteerSchema.safeParse(rawRegister(3, over));
    expect(bad({}).success).toBe(true);
    const wrongCheck = idNumber(3).slice(0, 17) + (idNumber(3)[17] === "1" ? "2" : "1");
    expect(bad({ idNumber: wrongCheck }).error?.issues[0].message).toBe("volunteers.errors.idChecksum");
    expect(bad({ birthDate: "1990-03-08" }).error?.issues[0].message).toBe("volunteers.errors.idBirthDate");
    expect(bad({ consent: undefined }).error?.issues[0].path).toEqual(["consent"]);
    const u = await makeUser(database.db);
    expect(await err(registerVolunteer(as(await actorOf(database.db, u.id)), register(4, { sex: "female" })))).toBe("volunteers.errors.idSex");
    expect(await err(registerVolunteer(as(await actorOf(database.db, u.id)), register(4, { communityId: String(tree.townA.id) })))).toBe("volunteers.errors.community");
  });
});

describe("teams", () => {
  it("only the committee of the area appoints organizers, and only organizers publish", async () => {
    expect(await err(appointOrganizer(as(organizer), teamId, `org2_${process.pid}`))).toBe("errors.forbidden");
    expect(await err(appointOrganizer(as(committee), otherTeamId, `org_${process.pid}`))).toBe("errors.forbidden");
    expect(await err(publishActivity(as(committee), teamId, activityInput("2026-12-01 09:00", "2026-12-01 12:00")))).toBe("errors.forbidden");
    expect(await err(publishActivity(as(otherOrganizer), teamId, activityInput("2026-12-01 09:00", "2026-12-01 12:00")))).toBe("errors.forbidden");
    expect((await publishActivity(as(organizer), teamId, activityInput("2026-12-01 09:00", "2026-12-01 12:00"))).id).toBeGreaterThan(0);
  });
});

describe("sign-ups", () => {
  it("capacity race: 100 volunteers at once for 20 places → exactly 20 signed up and 80 waiting in order; a cancellation promotes the first", async () => {
    const { id } = await publishActivity(as(organizer), teamId, activityInput("2026-12-02 09:00", "2026-12-02 12:00", 20));
    const crowd = await makeVolunteers(100);
    const results = await Promise.all(crowd.map((v) => signUp(as(v), id)));
    expect(results.filter((r) => r.status === "signed_up")).toHaveLength(20);
    const rows = await database.db.select().from(activitySignups).where(eq(activitySignups.activityId, id));
    expect(rows.filter((r) => r.status === "signed_up")).toHaveLength(20);
    const waiting = rows.filter((r) => r.status === "waitlisted").sort((a, b) => a.waitlistPosition! - b.waitlistPosition!);
    expect(waiting.map((w) => w.waitlistPosition)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    // positions follow arrival: row ids (insert order) rise with the position
    expect(waiting.map((w) => w.id)).toEqual([...waiting.map((w) => w.id)].sort((a, b) => a - b));
    const firstWaiting = waiting[0];
    const someoneIn = crowd.find((_, i) => results[i].status === "signed_up")!;
    const { promoted } = await cancelSignUp(as(someoneIn), id);
    const [after] = await database.db.select().from(activitySignups).where(eq(activitySignups.id, firstWaiting.id));
    expect(after.status).toBe("signed_up");
    expect(promoted).toBeGreaterThan(0);
    const told = await database.db.select().from(notifications).where(and(eq(notifications.userId, promoted!), eq(notifications.kind, "notify.volunteers.promoted")));
    expect(told).toHaveLength(1);
    const [lastRow] = await database.db.select({ userId: volunteers.userId }).from(volunteers).where(eq(volunteers.id, waiting[79].volunteerId));
    const last = crowd.find((c) => c.id === lastRow.userId)!;
    const page = await getActivityPage(as(last), id);
    expect(page.signedUp).toBe(20);
    expect(page.mySignup).toEqual({ status: "waitlisted", rank: 79 }); // the last to arrive, one place up after the promotion
    expect(page.roster).toEqual([]); // names are for organizers only
    expect((await getActivityPage(as(organizer), id)).roster).toHaveLength(99);
    expect(await err(signUp(as(last), id))).toBe("volunteers.errors.alreadySignedUp");
  }, 180_000); // 100 serialised sign-ups and their checks: seconds alone, but beyond 30 s on a loaded 2-core CI

  it("signed-up volunteers are reminded once within a day of the start", async () => {
    const { id } = await publishActivity(as(organizer), teamId, activityInput("2026-12-01 08:30", "2026-12-01 10:00", 5));
    const [v] = await makeVolunteers(1);
    await signUp(as(v), id);
    const c = fixedClock(new Date("2026-11-30T01:00:00Z"));
    expect(await remindUpcomingActivities(as(null, c))).toBeGreaterThanOrEqual(1);
    expect(await remindUpcomingActivities(as(null, c))).toBe(0);
  });

  it("an organizer cancels an activity with a reason: those signed up and waiting are told, and nobody signs up, checks in or is marked after", async () => {
    const { id } = await publishActivity(as(organizer), teamId, activityInput("2026-12-02 08:30", "2026-12-02 10:00", 1));
    const [v1, v2, v3] = await makeVolunteers(3);
    await signUp(as(v1), id);
    await signUp(as(v2), id); // waiting
    expect(await err(cancelActivity(as(v1), id, "下雨"))).toBe("errors.forbidden");
    expect(await err(cancelActivity(as(otherOrganizer), id, "下雨"))).toBe("errors.forbidden");
    // irreversible (everyone signed up is told): refused without the confirmation step's "yes"
    expect(await err(cancelActivity(as(organizer), id, "暴雨预警，改期"))).toBe("confirm.required");
    expect(await cancelActivity(as(organizer), id, "暴雨预警，改期", "yes")).toEqual({ told: 2 });
    const told = await database.db.select().from(notifications).where(eq(notifications.kind, "notify.volunteers.activityCancelled"));
    expect(told.map((n) => n.userId).sort()).toEqual([v1.id, v2.id].sort());
    expect(told[0].params).toMatchObject({ reason: "暴雨预警，改期" });
    expect(await err(signUp(as(v3), id))).toBe("volunteers.errors.closed");
    expect(await err(cancelActivity(as(organizer), id, "again", "yes"))).toBe("volunteers.errors.closed");
    const v1Row = (await database.db.select().from(volunteers).where(eq(volunteers.userId, v1.id)))[0];
    expect(await err(markAttendance(as(organizer), id, MarkAttendanceSchema.parse({ volunteerId: String(v1Row.id), checkInAt: "2026-12-02 08:30" })))).toBe("volunteers.errors.closed");
  });
});

describe("check-in and check-out", () => {
  it("by the rotating code: wrong, expired or another activity's code refused; repeats keep the first check-in; hours rounded and capped", async () => {
    const c = fixedClock(new Date("2026-12-03T00:50:00Z")); // 08:50 Beijing
    const { id } = await publishActivity(as(organizer, c), teamId, activityInput("2026-12-03 09:00", "2026-12-03 11:00", 5));
    const { id: other } = await publishActivity(as(organizer, c), teamId, activityInput("2026-12-03 09:00", "2026-12-03 11:00", 5));
    const [v, stranger] = await makeVolunteers(2);
    await signUp(as(v, c), id);
    const code = (await getCheckinCode(as(organizer, c), id)).code;
    expect(await err(getCheckinCode(as(v, c), id))).toBe("errors.forbidden");
    const otherCode = (await getCheckinCode(as(organizer, c), other)).code;
    if (otherCode !== code) expect(await err(checkWithCode(as(v, c), id, { code: otherCode, direction: "in" }))).toBe("volunteers.errors.codeWrong");
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await err(checkWithCode(as(v, c), id, { code: wrong, direction: "in" }))).toBe("volunteers.errors.codeWrong");
    expect(await err(checkWithCode(as(stranger, c), id, { code, direction: "in" }))).toBe("volunteers.errors.notSignedUp");
    expect(await err(checkWithCode(as(v, c), id, { code, direction: "out" }))).toBe("volunteers.errors.noCheckIn");
    const first = await checkWithCode(as(v, c), id, { code, direction: "in" });
    expect(first.repeated).toBe(false);
    c.advance(60_000);
    const again = await checkWithCode(as(v, c), id, { code: currentCode("x", 0, c.now()).code === code ? code : (await getCheckinCode(as(organizer, c), id)).code, direction: "in" });
    expect(again).toMatchObject({ repeated: true, at: first.at });
    // three minutes later the old code has expired
    c.advance(4 * 60_000);
    expect(await err(checkWithCode(as(v, c), id, { code, direction: "out" }))).toBe("volunteers.errors.codeWrong");
    // checks out at 12:20: 3 h 29 min of presence, capped by the 2-hour activity plus the default 30-minute margin
    c.advance(3 * 3_600_000 + 25 * 60_000);
    const out = await checkWithCode(as(v, c), id, { code: (await getCheckinCode(as(organizer, c), id)).code, direction: "out" });
    expect(out.minutes).toBe(150);
    expect(await err(checkWithCode(as(v, c), id, { code: (await getCheckinCode(as(organizer, c), id)).code, direction: "out" }))).toBe("volunteers.errors.alreadyCheckedOut");
    expect(await err(checkWithCode(as(v, c), id, { code: (await getCheckinCode(as(organizer, c), id)).code, direction: "in" }))).toBe("volunteers.errors.tooLate");
    // after the check-out window it is closed
    c.advance(3 * 3_600_000);
    expect(await err(checkWithCode(as(v, c), id, { code: (await getCheckinCode(as(organizer, c), id)).code, direction: "out" }))).toBe("volunteers.errors.tooLate");
  });

  it("by hand: check-out before check-in refused; no check-out gives no hours yet; across midnight counts; never one's own", async () => {
    const c = fixedClock(new Date("2026-12-04T10:00:00Z"));
    const { id } = await publishActivity(as(organizer, c), teamId, activityInput("2026-12-04 22:00", "2026-12-05 02:00", 5));
    const [v, w] = await makeVolunteers(2);
    await signUp(as(v, c), id);
    await signUp(as(w, c), id);
    const t = (s: string) => new Date(`${s}+08:00`);
    const vId = (await getOwnVolunteer(as(v)))!.id;
    const wId = (await getOwnVolunteer(as(w)))!.id;
    expect(await err(markAttendance(as(organizer, c), id, { volunteerId: vId, checkInAt: t("2026-12-04T23:00:00"), checkOutAt: t("2026-12-04T22:00:00") }))).toBe("volunteers.errors.outBeforeIn");
    expect(await markAttendance(as(organizer, c), id, { volunteerId: vId, checkInAt: t("2026-12-04T22:10:00") })).toEqual({ minutes: null });
    expect(await database.db.select().from(serviceRecords).where(eq(serviceRecords.activityId, id))).toHaveLength(0);
    expect(await markAttendance(as(organizer, c), id, { volunteerId: vId, checkInAt: t("2026-12-04T22:10:00"), checkOutAt: t("2026-12-05T01:40:00") })).toEqual({ minutes: 210 });
    expect(await err(markAttendance(as(otherOrganizer, c), id, { volunteerId: wId, checkInAt: t("2026-12-04T22:00:00"), checkOutAt: t("2026-12-05T01:00:00") }))).toBe("errors.forbidden");
    const [rec] = await database.db.select().from(serviceRecords).where(eq(serviceRecords.activityId, id));
    expect(rec).toMatchObject({ minutes: 210, status: "proposed", serviceDate: "2026-12-04", organiser: "幸福里志愿队", personInCharge: "周队长" });
  });
});

/** An activity that ended at `end` with one volunteer checked in and out by hand. */
async function attended(end: string, hoursIn: [string, string], volunteer?: Actor, onTeam = teamId, by = organizer) {
  const c = fixedClock(new Date("2026-11-01T00:00:00Z"));
  const start = end.replace(/\d\d:\d\d$/, "08:00");
  const { id } = await publishActivity(as(by, c), onTeam, activityInput(start, end, 5));
  const v = volunteer ?? (await makeVolunteers(1))[0];
  await signUp(as(v, c), id);
  const vId = (await getOwnVolunteer(as(v)))!.id;
  await markAttendance(as(by, c), id, { volunteerId: vId, checkInAt: new Date(`${hoursIn[0]}+08:00`), checkOutAt: new Date(`${hoursIn[1]}+08:00`) });
  const [rec] = await database.db.select().from(serviceRecords).where(and(eq(serviceRecords.activityId, id), eq(serviceRecords.volunteerId, vId)));
  return { activityId: id, volunteer: v, record: rec };
}

describe("service records", () => {
  it("confirmed within 10 working days is on time, after is late; nobody confirms their own hours or another team's", async () => {
    const a = await attended("2026-11-27 12:00", ["2026-11-27T08:00:00", "2026-11-27T11:00:00"]); // a Friday
    expect(await err(confirmRecord(as(a.volunteer), { recordId: a.record.id }))).toBe("volunteers.errors.ownHours");
    expect(await err(confirmRecord(as(otherOrganizer), { recordId: a.record.id }))).toBe("errors.forbidden");
    expect(await err(confirmRecord(as(committee), { recordId: a.record.id }))).toBe("errors.forbidden");
    // deadline: Friday 11 December
    const onTime = fixedClock(new Date("2026-12-11T15:00:00Z")); // 23:00 Beijing on the 11th
    expect(await confirmRecord(as(organizer, onTime), { recordId: a.record.id, evaluation: "认真负责" })).toEqual({ minutes: 180, late: false, lateDays: 0 });
    expect(await err(confirmRecord(as(organizer, onTime), { recordId: a.record.id }))).toBe("volunteers.errors.alreadyConfirmed");
    const b = await attended("2026-11-27 12:00", ["2026-11-27T08:00:00", "2026-11-27T10:00:00"]);
    const late = fixedClock(new Date("2026-12-11T16:30:00Z")); // 00:30 on the 12th
    expect(await confirmRecord(as(organizer, late), { recordId: b.record.id, hours: 2.5 })).toEqual({ minutes: 150, late: true, lateDays: 1 });
    const [corr] = await database.db.select().from(recordCorrections).where(eq(recordCorrections.recordId, b.record.id));
    expect(corr).toMatchObject({ oldValue: "2", newValue: "2.5", reason: "confirm" });
    // a holiday in the county's calendar moves the deadline
    await database.db.insert(volunteerSettings).values({ areaId: tree.county.id, holidays: ["2026-12-01"] });
    const h = await attended("2026-11-27 12:00", ["2026-11-27T08:00:00", "2026-11-27T10:00:00"]);
    expect((await confirmRecord(as(organizer, late), { recordId: h.record.id })).late).toBe(false);
    await database.db.delete(volunteerSettings).where(eq(volunteerSettings.areaId, tree.county.id));
  });

  it("an organizer who volunteered in their own activity cannot confirm their own record", async () => {
    const [orgVol] = await makeVolunteers(1);
    await appointOrganizer(as(committee), teamId, (await database.db.select().from(users).where(eq(users.id, orgVol.id)))[0].username!);
    const a = await attended("2026-11-20 12:00", ["2026-11-20T08:00:00", "2026-11-20T10:00:00"], orgVol);
    expect(await err(confirmRecord(as(orgVol), { recordId: a.record.id }))).toBe("volunteers.errors.ownHours");
    expect(await err(correctRecord(as(orgVol), { recordId: a.record.id, hours: 8, reason: "x" }))).toBe("volunteers.errors.ownHours");
    expect((await getActivityRecords(as(organizer), a.activityId)).records[0].own).toBe(false);
  });

  it("a volunteer reports an error; the organizer corrects it keeping the old value and reason (and the ledger), or answers", async () => {
    const a = await attended("2026-11-25 12:00", ["2026-11-25T08:00:00", "2026-11-25T10:00:00"]);
    await confirmRecord(as(organizer), { recordId: a.record.id });
    const [someoneElse] = await makeVolunteers(1);
    expect(await err(reportRecordError(as(someoneElse), { recordId: a.record.id, reason: "不是我的" }))).toBe("errors.notFound");
    const rep = await reportRecordError(as(a.volunteer), { recordId: a.record.id, reason: "我 8 点到 11 点，应为 3 小时" });
    expect(await err(reportRecordError(as(a.volunteer), { recordId: a.record.id, reason: "again" }))).toBe("volunteers.errors.reportOpen");
    expect(await err(correctRecord(as(a.volunteer), { recordId: a.record.id, hours: 3, reason: "self" }))).toBe("volunteers.errors.ownHours");
    expect(await err(correctRecord(as(otherOrganizer), { recordId: a.record.id, hours: 3, reason: "x" }))).toBe("errors.forbidden");
    await correctRecord(as(organizer), { recordId: a.record.id, reportId: rep.id, hours: 3, reason: "核对签到表，确为 3 小时" });
    const mine = await getMyRecords(as(a.volunteer));
    const r = mine.records.find((x) => x.id === a.record.id)!;
    expect(r.hours).toBe(3);
    expect(r.corrections).toMatchObject([{ oldValue: "2", newValue: "3", reason: "核对签到表，确为 3 小时" }]);
    expect(r.reports[0]).toMatchObject({ status: "corrected" });
    const [entry] = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.action, "record.corrected"), eq(ledgerEntries.entityId, String(a.record.id))));
    expect(entry.summary).toMatchObject({ before: { hours: 2 }, after: { hours: 3 } });
    // a second report is answered without a change
    const rep2 = await reportRecordError(as(a.volunteer), { recordId: a.record.id, reason: "评价没写" });
    expect(await err(answerReport(as(otherOrganizer), { reportId: rep2.id, answer: "x" }))).toBe("errors.forbidden");
    await answerReport(as(organizer), { reportId: rep2.id, answer: "评价为选填" });
    expect(await err(answerReport(as(organizer), { reportId: rep2.id, answer: "again" }))).toBe("volunteers.errors.reportClosed");
    expect((await getMyRecords(as(a.volunteer))).records.find((x) => x.id === a.record.id)!.hours).toBe(3);
  });

  it("stars come from confirmed hours on the county's ladder", async () => {
    const [v] = await makeVolunteers(1);
    const a = await attended("2026-11-24 12:00", ["2026-11-24T08:00:00", "2026-11-24T12:00:00"], v);
    expect((await getMyRecords(as(v))).stars).toBe(0); // proposed hours do not count
    await confirmRecord(as(organizer), { recordId: a.record.id });
    expect((await getMyRecords(as(v))).confirmedHours).toBe(4);
    await database.db.insert(volunteerSettings).values({ areaId: tree.county.id, starHours: [2, 4, 8, 16, 32] });
    expect((await getMyRecords(as(v))).stars).toBe(2);
    expect((await getMyRecords(as(v))).nextStar).toEqual({ hours: 8, missing: 4 });
    await database.db.delete(volunteerSettings).where(eq(volunteerSettings.areaId, tree.county.id));
  });
});

describe("certificates", () => {
  it("state the confirmed hours; the public check accepts the real number and rejects forged, altered and tampered ones", async () => {
    const [v] = await makeVolunteers(1);
    const a = await attended("2026-11-10 12:00", ["2026-11-10T08:00:00", "2026-11-10T11:00:00"], v);
    const b = await attended("2026-11-18 12:00", ["2026-11-18T08:00:00", "2026-11-18T09:30:00"], v);
    await attended("2026-11-19 12:00", ["2026-11-19T08:00:00", "2026-11-19T09:00:00"], v); // never confirmed
    expect(await err(issueCertificate(as(v), { scope: "all" }))).toBe("volunteers.errors.noRecords");
    await confirmRecord(as(organizer), { recordId: a.record.id });
    await confirmRecord(as(organizer), { recordId: b.record.id });
    const all = await issueCertificate(as(v), { scope: "all" });
    const [row] = await database.db.select().from(certificates).where(eq(certificates.id, all.id));
    const confirmed = await database.db.select({ m: sql<number>`sum(minutes)::int` }).from(serviceRecords).where(and(eq(serviceRecords.volunteerId, row.volunteerId), eq(serviceRecords.status, "confirmed")));
    expect(row.minutes).toBe(Number(confirmed[0].m));
    expect(row.minutes).toBe(270);
    const ok = await verifyCertificate(as(null), all.number.toLowerCase());
    expect(ok).toMatchObject({ genuine: true, hours: 4.5, issuers: [`${tree.a1.name} 幸福里志愿队`] });
    expect(Object.keys(ok).sort()).toEqual(["genuine", "hours", "issuedAt", "issuers", "number", "periodFrom", "periodTo"]);
    const period = await issueCertificate(as(v), { scope: "period", from: "2026-11-15", to: "2026-11-30" });
    expect((await verifyCertificate(as(null), period.number)).genuine && (await verifyCertificate(as(null), period.number))).toMatchObject({ hours: 1.5 });
    // forged: a well-formed number never issued; altered: one character changed; a wrong check part
    const parts = all.number.split("-");
    const forged = `${parts[0]}-AAAAAAAA-${parts[2]}`;
    const flipped = parts[1][0] === "B" ? "C" : "B";
    const altered = `${parts[0]}-${flipped}${parts[1].slice(1)}-${parts[2]}`;
    const badCheck = `${parts[0]}-${parts[1]}-${parts[2] === "0000" ? "0001" : "0000"}`;
    for (const n of [forged, altered, badCheck, "ZM-NOT-A-NUMBER", "", "<script>"]) expect((await verifyCertificate(as(null), n)).genuine, n).toBe(false);
    // someone raises the hours in the database: the seal no longer matches
    await database.db.update(certificates).set({ minutes: 6000 }).where(eq(certificates.id, all.id));
    expect((await verifyCertificate(as(null), all.number)).genuine).toBe(false);
  });
});

describe("dashboard", () => {
  it("counts registered volunteers against 15% of residents, rolls up to the town, and exports without ID numbers", async () => {
    const d = await getVolunteerDashboard(as(null), tree.townA.id);
    const a1 = d.communities.find((c) => c.id === tree.a1.id)!;
    const registered = Number((await database.db.select({ n: sql<number>`count(*)::int` }).from(volunteers).where(eq(volunteers.communityId, tree.a1.id)))[0].n);
    expect(a1.registered).toBe(registered);
    expect(a1.percent).toBe(Math.round((registered / 1000) * 1000) / 10);
    expect(a1.meetsTarget).toBe(registered >= 150);
    expect(d.totals.registered).toBe(registered); // a2 has none
    expect(d.totals.residents).toBe(2000);
    expect(d.hoursPerMonth).toHaveLength(12);
    expect(d.hoursPerMonth.find((m) => m.month === "2026-11")!.hours).toBeGreaterThan(0);
    expect(d.canExport).toBe(false);
    expect(await err(exportVolunteersCsv(as(organizer), tree.a1.id, "zh-CN"))).toBe("errors.forbidden");
    const { csv } = await exportVolunteersCsv(as(committee), tree.a1.id, "zh-CN");
    expect(csv.split("\r\n").length).toBeGreaterThan(registered);
    expect(csv).not.toContain(idNumber(1));
    expect(csv).not.toMatch(/\d{17}[\dX]/);
    expect(csv).not.toContain("*****");
    const u = await makeUser(database.db);
    await registerVolunteer(as(await actorOf(database.db, u.id)), register(900, { honourOptIn: "on" }));
    const board = await getHonourBoard(as(null), tree.a1.id);
    expect(board.map((b) => b.name)).toContain("志愿者900");
    expect(board.every((b) => !("idMasked" in b))).toBe(true);
  });
});
