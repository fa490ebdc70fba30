import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, volunteers } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { outcomeOf as err } from "../../../tests/support/factories";
import { makeVolunteers, volunteerWorld } from "../../../tests/support/volunteers";
import { fixedClock } from "../shared/clock";
import { exportMyRecord, exportMyRecordCsv } from "./record-export.server";
import { getMyRecords } from "./records.server";
import { getTeamTrainingPage, giveHonour, recordTraining } from "./training.server";
import { GiveHonourSchema, RecordTrainingSchema } from "./travel-schemas.server";

let database: Database;
let w: Awaited<ReturnType<typeof volunteerWorld>>;
const clock = fixedClock(new Date("2026-09-01T01:00:00Z"));

beforeAll(async () => {
  database = await testDatabase();
  w = await volunteerWorld(database.db, clock);
});
afterAll(() => database.close());

describe("training and honours (the 办法 records them beside service)", () => {
  it("an organizer records a training session by volunteer number or phone; it shows in the record and the export, never in service hours", async () => {
    const [a, b] = await makeVolunteers(database.db, 2, w.tree.a1.id, clock.now());
    const input = RecordTrainingSchema.parse({ title: "应急救护培训", heldOn: "2026-09-03", hours: "2.5", attendees: `${a.volunteerNumber}\n${b.contact}，${a.volunteerNumber}` });
    expect(input.hours).toBe(150);
    const r = await recordTraining(w.ctxOf(w.organizer), w.teamId, { title: input.title, heldOn: input.heldOn, minutes: input.hours, attendees: input.attendees });
    expect(r.attendees).toBe(2);
    const mine = await getMyRecords(w.ctxOf(a.actor));
    expect(mine.training).toEqual([expect.objectContaining({ title: "应急救护培训", date: "2026-09-03", hours: 2.5 })]);
    expect(mine.confirmedHours).toBe(0);
    const doc = JSON.parse((await exportMyRecord(w.ctxOf(a.actor), { origin: "https://x.example" })).text);
    expect(doc.training).toEqual([expect.objectContaining({ title: "应急救护培训", hours: 2.5, organization: expect.stringContaining("幸福里志愿队") })]);
    expect(doc.totals).toMatchObject({ trainingSessions: 1, confirmedHours: 0 });
    const [entry] = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.action, "training.recorded"), eq(ledgerEntries.entityId, String(r.id))));
    expect(entry.summary).toMatchObject({ after: { title: "应急救护培训" } });
    const page = await getTeamTrainingPage(w.ctxOf(w.organizer), w.teamId);
    expect(page.training[0]).toMatchObject({ title: "应急救护培训", attendees: 2 });
  });

  it("refuses an unknown attendee, nobody, and anyone but the team's organizers", async () => {
    const [a] = await makeVolunteers(database.db, 1, w.tree.a1.id, clock.now());
    const base = { title: "培训", heldOn: "2026-09-03", minutes: 60 };
    expect(await err(recordTraining(w.ctxOf(w.organizer), w.teamId, { ...base, attendees: ["ZY2099999999"] }))).toBe("volunteers.errors.walkInUnknown");
    expect(await err(recordTraining(w.ctxOf(w.organizer), w.teamId, { ...base, attendees: [] }))).toBe("volunteers.errors.trainingNobody");
    expect(await err(recordTraining(w.ctxOf(w.committee), w.teamId, { ...base, attendees: [a.volunteerNumber!] }))).toBe("errors.forbidden");
    expect(await err(recordTraining(w.ctxOf(a.actor), w.teamId, { ...base, attendees: [a.volunteerNumber!] }))).toBe("errors.forbidden");
    expect(await err(getTeamTrainingPage(w.ctxOf(a.actor), w.teamId))).toBe("errors.forbidden");
    expect(RecordTrainingSchema.safeParse({ title: "x", heldOn: "2026-02-30", hours: "1", attendees: "a" }).success).toBe(false);
    expect(RecordTrainingSchema.safeParse({ title: "x", heldOn: "2026-09-03", hours: "0.1", attendees: "a" }).success).toBe(false);
  });

  it("the team's organizers or the committee record an honour; never to oneself; it shows in the record and the export", async () => {
    const [a] = await makeVolunteers(database.db, 1, w.tree.a1.id, clock.now());
    const h = GiveHonourSchema.parse({ volunteer: a.volunteerNumber, title: "优秀志愿者", citation: "全年服务 200 小时", givenOn: "2026-10-01" });
    await giveHonour(w.ctxOf(w.committee), w.teamId, h);
    expect(await err(giveHonour(w.ctxOf(a.actor), w.teamId, h))).toBe("errors.forbidden");
    const mine = await getMyRecords(w.ctxOf(a.actor));
    expect(mine.honours).toEqual([expect.objectContaining({ title: "优秀志愿者", citation: "全年服务 200 小时", date: "2026-10-01" })]);
    const { csv } = await exportMyRecordCsv(w.ctxOf(a.actor), { origin: "https://x.example", locale: "zh-CN" });
    expect(csv).toContain("表彰");
    expect(csv).toContain("优秀志愿者");
    const [entry] = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.action, "honour.given"));
    expect(entry.actorId).toBe(w.committee.id);
  });

  it("an organizer who is also a volunteer cannot record an honour for themselves", async () => {
    // the team's organizer registered as a volunteer too
    const [mine] = await makeVolunteers(database.db, 1, w.tree.a1.id, clock.now());
    await database.db.update(volunteers).set({ userId: w.organizer.id }).where(eq(volunteers.id, mine.id));
    expect(await err(giveHonour(w.ctxOf(w.organizer), w.teamId, { volunteer: mine.volunteerNumber!, title: "自评", citation: "", givenOn: "2026-10-01" }))).toBe("volunteers.errors.ownHonour");
  });
});
