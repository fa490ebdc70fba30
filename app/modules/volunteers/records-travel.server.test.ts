import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, recordCorrections, serviceRecords, volunteers } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, grant, makeUser, outcomeOf as err } from "../../../tests/support/factories";
import { makeVolunteers, volunteerWorld } from "../../../tests/support/volunteers";
import { fixedClock } from "../shared/clock";
import { publishActivity } from "./activities.server";
import { importSignedRecord, listImportedRecords, verifyRecordDocument } from "./import-record.server";
import { decideMove, listIncomingMoves, requestMove, withdrawMove } from "./move-community.server";
import { exportMyRecord, exportMyRecordCsv } from "./record-export.server";
import { getMyRecords } from "./records.server";
import { parsePublicKey, recordKeyPair } from "./record-signing.server";
import { PublishActivitySchema } from "./schemas";
import { DecideMoveSchema, UpdateProfileSchema } from "./travel-schemas.server";
import { updateVolunteerProfile } from "./update-profile.server";

let database: Database;
let w: Awaited<ReturnType<typeof volunteerWorld>>;
const clock = fixedClock(new Date("2026-09-01T01:00:00Z"));
/** Another installation: its own RECORD_SIGNING_KEY. */
const OTHER = { secrets: { volunteerIdKey: "", ballotKey: "", recordSigningKey: "other-installation-record-key-9f8e7d6c5b4a3210" } };
const ORIGIN = "https://yishi.county-a.example";

beforeAll(async () => {
  database = await testDatabase();
  w = await volunteerWorld(database.db, clock);
});
afterAll(() => database.close());

/** A volunteer with one confirmed record (corrected once) and one proposed record. */
async function volunteerWithRecords() {
  const [v] = await makeVolunteers(database.db, 1, w.tree.a1.id, clock.now());
  const ids: number[] = [];
  for (const [title, day] of [["垃圾分类宣传", "2026-09-05"], ["敬老院探访", "2026-09-06"]] as const) {
    const { id } = await publishActivity(w.ctxOf(w.organizer), w.teamId, PublishActivitySchema.parse({ title, content: "发放宣传册", place: "小区门口", startsAt: `${day} 09:00`, endsAt: `${day} 11:30`, capacity: "50", personInCharge: "周队长" }));
    ids.push(id);
  }
  const [confirmed] = await database.db
    .insert(serviceRecords)
    .values({ activityId: ids[0], volunteerId: v.id, teamId: w.teamId, serviceDate: "2026-09-05", minutes: 150, status: "confirmed", method: "ecard", organiser: "幸福里志愿队", personInCharge: "周队长", confirmedBy: w.organizer.id, confirmedAt: new Date("2026-09-06T02:00:00Z"), createdAt: new Date("2026-09-05T04:00:00Z") })
    .returning();
  await database.db.insert(recordCorrections).values({ recordId: confirmed.id, field: "hours", oldValue: "2", newValue: "2.5", reason: "补录签退时间", correctedBy: w.organizer.id, correctedAt: new Date("2026-09-07T02:00:00Z") });
  await database.db.insert(serviceRecords).values({ activityId: ids[1], volunteerId: v.id, teamId: w.teamId, serviceDate: "2026-09-06", minutes: 120, status: "proposed", method: "group", organiser: "幸福里志愿队", personInCharge: "周队长", createdAt: new Date("2026-09-06T04:00:00Z") });
  return v;
}

describe("a volunteer edits their profile", () => {
  it("changes contact, skills and service types, never the verified ID number; the ledger names the fields", async () => {
    const [v] = await makeVolunteers(database.db, 1, w.tree.a1.id, clock.now());
    const input = UpdateProfileSchema.parse({ contact: "139 1234 5678", skills: "急救、电脑", serviceTypes: ["elderly", "health"], availability: "周末", partyMember: "on", idNumber: "110101199003070011", realName: "别人" });
    expect(await updateVolunteerProfile(w.ctxOf(v.actor), input)).toEqual({ changed: ["contact", "skills", "serviceTypes", "availability", "partyMember"] });
    const [row] = await database.db.select().from(volunteers).where(eq(volunteers.id, v.id));
    expect(row).toMatchObject({ contact: "13912345678", skills: ["急救", "电脑"], serviceTypes: ["elderly", "health"], partyMember: true, realName: "志愿者0", idMasked: "1201**********0000" });
    const [entry] = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.action, "volunteer.profileUpdated"), eq(ledgerEntries.entityId, String(v.id))));
    expect(JSON.stringify(entry.summary)).not.toContain("13912345678");
    expect(await err(updateVolunteerProfile(w.ctxOf(w.committee), input))).toBe("volunteers.errors.notRegistered");
  });
});

describe("a volunteer moves community", () => {
  it("the new community's committee accepts; every record stays with the volunteer with its history", async () => {
    const v = await volunteerWithRecords();
    const before = await getMyRecords(w.ctxOf(v.actor));
    const { id } = await requestMove(w.ctxOf(v.actor), { communityId: w.tree.b1.id, reason: "搬家" });
    expect(await err(requestMove(w.ctxOf(v.actor), { communityId: w.tree.a2.id }))).toBe("volunteers.errors.movePending");
    // the old community's committee and organizer cannot take a volunteer into b1
    expect(await err(decideMove(w.ctxOf(w.committee), DecideMoveSchema.parse({ moveId: id, decision: "accept" })))).toBe("errors.forbidden");
    const b = await makeUser(database.db);
    await grant(database.db, b.id, "committee", w.tree.b1.id);
    const bCommittee = await actorOf(database.db, b.id);
    expect((await listIncomingMoves(w.ctxOf(bCommittee))).map((m) => m.id)).toContain(id);
    expect((await listIncomingMoves(w.ctxOf(w.committee))).map((m) => m.id)).not.toContain(id);
    expect(await decideMove(w.ctxOf(bCommittee), DecideMoveSchema.parse({ moveId: id, decision: "accept" }))).toEqual({ status: "accepted" });
    expect(await err(decideMove(w.ctxOf(bCommittee), DecideMoveSchema.parse({ moveId: id, decision: "accept" })))).toBe("volunteers.errors.moveDecided");
    const after = await getMyRecords(w.ctxOf(v.actor));
    expect(after.volunteer.communityId).toBe(w.tree.b1.id);
    expect(after.records).toEqual(before.records);
    expect(after.confirmedHours).toBe(2.5);
    const moved = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.action, "volunteer.moved"), eq(ledgerEntries.entityId, String(v.id))));
    expect(moved.map((m) => m.stream).sort()).toEqual([`area:${w.tree.a1.id}`, `area:${w.tree.b1.id}`].sort());
  });

  it("declined with a reason the volunteer sees; a decline needs a reason; the volunteer may withdraw and ask again", async () => {
    const [v] = await makeVolunteers(database.db, 1, w.tree.a1.id, clock.now());
    const o = await makeUser(database.db);
    await grant(database.db, o.id, "organizer", w.tree.a2.id);
    const a2Organizer = await actorOf(database.db, o.id);
    const { id } = await requestMove(w.ctxOf(v.actor), { communityId: w.tree.a2.id });
    expect(DecideMoveSchema.safeParse({ moveId: String(id), decision: "decline" }).success).toBe(false);
    await decideMove(w.ctxOf(a2Organizer), DecideMoveSchema.parse({ moveId: id, decision: "decline", declineReason: "不在本社区居住" }));
    const [row] = await database.db.select().from(volunteers).where(eq(volunteers.id, v.id));
    expect(row.communityId).toBe(w.tree.a1.id);
    const again = await requestMove(w.ctxOf(v.actor), { communityId: w.tree.a2.id });
    await withdrawMove(w.ctxOf(v.actor));
    expect(await err(decideMove(w.ctxOf(a2Organizer), DecideMoveSchema.parse({ moveId: again.id, decision: "accept" })))).toBe("volunteers.errors.moveDecided");
    expect(await err(requestMove(w.ctxOf(v.actor), { communityId: w.tree.a1.id }))).toBe("volunteers.errors.moveSame");
  });
});

describe("the whole record leaves as a signed document", () => {
  it("the JSON carries the 办法's fields, the ID number masked, Beijing times, corrections; it verifies with the published key", async () => {
    const v = await volunteerWithRecords();
    const { text, filename } = await exportMyRecord(w.ctxOf(v.actor), { origin: ORIGIN });
    expect(filename).toMatch(/^volunteer-record-TV\d+\.json$/);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: "yishi-volunteer-record", version: 1, issuer: { origin: ORIGIN, publicKeyUrl: `${ORIGIN}/.well-known/yishi-volunteer-key` } });
    expect(doc.volunteer).toMatchObject({ idMasked: "1201**********0000", name: "志愿者0" });
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(doc.records[0]).toMatchObject({ activity: "垃圾分类宣传", place: "小区门口", hours: 2.5, organization: "幸福里志愿队", status: "confirmed", method: "ecard", start: { utc: "2026-09-05T01:00:00.000Z" } });
    expect(doc.records[0].start.beijing).toContain("09:00");
    expect(doc.records[0].corrections).toEqual([expect.objectContaining({ from: "2", to: "2.5", reason: "补录签退时间" })]);
    expect(doc.totals).toMatchObject({ confirmedHours: 2.5, records: 2 });
    const pair = recordKeyPair(undefined);
    const key = parsePublicKey(pair.publicKeyBase64)!;
    expect(verifyRecordDocument(Buffer.from(text), key.key, key.keyId)).toMatchObject({ ok: true });
  });

  it("the signature fails on any altered byte", async () => {
    const v = await volunteerWithRecords();
    const bytes = Buffer.from((await exportMyRecord(w.ctxOf(v.actor), { origin: ORIGIN })).text);
    const key = parsePublicKey(recordKeyPair(undefined).publicKeyBase64)!;
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes);
      altered[i] ^= i % 7 === 0 ? 0x20 : 0x01;
      const r = verifyRecordDocument(altered, key.key, key.keyId);
      if (r.ok) throw new Error(`byte ${i} changed and the document still verified`);
    }
    // a byte added or removed at the end, and the right bytes under another installation's key
    expect(verifyRecordDocument(Buffer.concat([bytes, Buffer.from(" ")]), key.key, key.keyId)).toEqual({ ok: false, problem: "altered" });
    expect(verifyRecordDocument(bytes.subarray(0, -1), key.key, key.keyId)).toEqual({ ok: false, problem: "altered" });
    const other = parsePublicKey(recordKeyPair(OTHER).publicKeyBase64)!;
    expect(verifyRecordDocument(bytes, other.key, other.keyId)).toEqual({ ok: false, problem: "keyMismatch" });
    expect(verifyRecordDocument(bytes, other.key, key.keyId)).toEqual({ ok: false, problem: "signature" });
  });

  it("the CSV has the same records in columns a spreadsheet reads, with the ID number masked", async () => {
    const v = await volunteerWithRecords();
    const { csv } = await exportMyRecordCsv(w.ctxOf(v.actor), { origin: ORIGIN, locale: "zh-CN" });
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("1201**********0000");
    expect(lines[1]).toContain("垃圾分类宣传");
    expect(lines[1]).toContain("补录签退时间");
  });
});

describe("another installation imports the record", () => {
  it("verifies against the issuer's public key and shows the imported hours apart from local ones", async () => {
    const v = await volunteerWithRecords();
    // issued by installation A (another key), imported here by the volunteer's community organizer
    const { text } = await exportMyRecord({ ...w.ctxOf(v.actor), settings: OTHER }, { origin: ORIGIN });
    const published = recordKeyPair(OTHER).publicKeyBase64;
    const bytes = Buffer.from(text);
    const input = { volunteer: v.volunteerNumber!, publicKey: published, bytes };
    expect(await err(importSignedRecord(w.ctxOf(w.organizer), { ...input, publicKey: recordKeyPair(undefined).publicKeyBase64 }))).toBe("volunteers.errors.importOwn");
    expect(await err(importSignedRecord(w.ctxOf(w.organizer), { ...input, publicKey: "not a key" }))).toBe("volunteers.errors.importKey");
    const altered = Buffer.from(text.replace('"minutes": 150', '"minutes": 750'));
    expect(await err(importSignedRecord(w.ctxOf(w.organizer), { ...input, bytes: altered }))).toBe("volunteers.errors.import_signature");
    const [stranger] = await makeVolunteers(database.db, 1, w.tree.b1.id, clock.now());
    await database.db.update(volunteers).set({ realName: "别人" }).where(eq(volunteers.id, stranger.id));
    const b = await makeUser(database.db);
    await grant(database.db, b.id, "committee", w.tree.b1.id);
    expect(await err(importSignedRecord(w.ctxOf(await actorOf(database.db, b.id)), { ...input, volunteer: stranger.volunteerNumber! }))).toBe("volunteers.errors.importWrongPerson");
    expect(await err(importSignedRecord(w.ctxOf(w.organizer), { ...input, volunteer: stranger.volunteerNumber! }))).toBe("errors.forbidden");

    const done = await importSignedRecord(w.ctxOf(w.organizer), input);
    expect(done).toMatchObject({ records: 2, confirmedMinutes: 150 });
    expect(await err(importSignedRecord(w.ctxOf(w.organizer), input))).toBe("volunteers.errors.importDuplicate");
    const [imp] = await listImportedRecords(database.db, [v.id]);
    expect(imp).toMatchObject({ issuerOrigin: ORIGIN, confirmedMinutes: 150, records: [expect.objectContaining({ activity: "垃圾分类宣传", minutes: 150 }), expect.objectContaining({ status: "proposed" })] });
    // local totals (and stars) count local records only
    const mine = await getMyRecords(w.ctxOf(v.actor));
    expect(mine.confirmedHours).toBe(2.5);
    expect(mine.imported).toHaveLength(1);
    expect(mine.importedHours).toBe(2.5);
  });
});
