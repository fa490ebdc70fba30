import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { attendance, serviceRecords } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { outcomeOf as err } from "../../../tests/support/factories";
import { makeVolunteers, volunteerWorld } from "../../../tests/support/volunteers";
import { fixedClock } from "../shared/clock";
import { publishActivity, signUp } from "./activities.server";
import { getMyEcard, readEcard, revokePrintedCards, signEcard } from "./ecard.server";
import { volunteerKeys } from "./keys.server";

/** A test context has no settings: the development key, as getMyEcard and scanEcard use here. */
const K = volunteerKeys(undefined);
import { scanEcard } from "./scan-ecard.server";
import { PublishActivitySchema } from "./schemas";

let database: Database;
let w: Awaited<ReturnType<typeof volunteerWorld>>;
const before = fixedClock(new Date("2026-09-01T01:00:00Z"));

beforeAll(async () => {
  database = await testDatabase();
  w = await volunteerWorld(database.db, before);
});
afterAll(() => database.close());

async function activity() {
  const { id } = await publishActivity(w.ctxOf(w.organizer), w.teamId, PublishActivitySchema.parse({ title: "垃圾分类宣传", content: "发放宣传册", place: "小区门口", startsAt: "2026-09-05 09:00", endsAt: "2026-09-05 11:30", capacity: "50", personInCharge: "周队长" }));
  return id;
}

describe("e-card (电子志愿者证)", () => {
  it("a screen card is signed and short-lived; any altered character or a later time is refused", async () => {
    const [v] = await makeVolunteers(database.db, 1, w.tree.a1.id, before.now());
    const now = fixedClock(new Date("2026-09-05T01:00:00Z"));
    const card = await getMyEcard(w.ctxOf(v.actor, now));
    expect(card.svg).toContain("<svg");
    expect(await readEcard(K, database.db, card.token, now.now())).toEqual({ ok: true, volunteerId: v.id, kind: "s" });
    expect(await readEcard(K, database.db, card.token, new Date(now.now().getTime() + 121_000))).toEqual({ ok: false, problem: "expired" });
    const last = card.token.at(-1) === "0" ? "1" : "0";
    expect(await readEcard(K, database.db, card.token.slice(0, -1) + last, now.now())).toEqual({ ok: false, problem: "signature" });
    // another volunteer's id under the same signature
    const forged = card.token.replace(`E1.${v.id.toString(36)}.`, `E1.${(v.id + 1).toString(36)}.`);
    expect(await readEcard(K, database.db, forged, now.now())).toEqual({ ok: false, problem: "signature" });
    expect(await readEcard(K, database.db, "E1.zz", now.now())).toEqual({ ok: false, problem: "format" });
    // signed with the installation's configured key (the server's settings), not the development one
    const settings = { secrets: { volunteerIdKey: "installation-key-7d1e3a9c5b2f4e6a8c0d2f4b6a8c0e1d", ballotKey: "" } };
    const configured = await getMyEcard({ ...w.ctxOf(v.actor, now), settings });
    expect(await readEcard(volunteerKeys(settings), database.db, configured.token, now.now())).toMatchObject({ ok: true });
    expect(await readEcard(K, database.db, configured.token, now.now())).toEqual({ ok: false, problem: "signature" });
  });

  it("a printed card lasts a year until the volunteer revokes every printed card", async () => {
    const [v] = await makeVolunteers(database.db, 1, w.tree.a1.id, before.now());
    const printed = await getMyEcard(w.ctxOf(v.actor, before), "p");
    const later = new Date(before.now().getTime() + 300 * 86_400_000);
    expect(await readEcard(K, database.db, printed.token, later)).toMatchObject({ ok: true, kind: "p" });
    await revokePrintedCards(w.ctxOf(v.actor, before));
    expect(await readEcard(K, database.db, printed.token, later)).toEqual({ ok: false, problem: "revoked" });
    const fresh = await getMyEcard(w.ctxOf(v.actor, before), "p");
    expect(await readEcard(K, database.db, fresh.token, later)).toMatchObject({ ok: true });
    expect(await readEcard(K, database.db, signEcard(K, v.id, "p", new Date(before.now().getTime() - 1000), 1), before.now())).toEqual({ ok: false, problem: "expired" });
  });

  it("the organizer scans in and out; scanned twice keeps the first time; the record says e-card; a walk-in is recorded; typing the number is the fallback", async () => {
    const id = await activity();
    const [v, walkIn, typed] = await makeVolunteers(database.db, 3, w.tree.a1.id, before.now());
    await signUp(w.ctxOf(v.actor, before), id);
    const at = fixedClock(new Date("2026-09-05T01:00:00Z")); // 09:00
    const card = () => getMyEcard(w.ctxOf(v.actor, at)).then((c) => c.token);
    const first = await scanEcard(w.ctxOf(w.organizer, at), id, { code: await card(), direction: "in" });
    expect(first).toMatchObject({ direction: "in", repeated: false });
    at.advance(5 * 60_000);
    expect(await scanEcard(w.ctxOf(w.organizer, at), id, { code: await card(), direction: "in" })).toMatchObject({ repeated: true, at: first.at });
    at.advance(2 * 3_600_000);
    expect(await scanEcard(w.ctxOf(w.organizer, at), id, { code: await card(), direction: "out" })).toMatchObject({ repeated: false, minutes: 120 });
    at.advance(60_000);
    expect(await scanEcard(w.ctxOf(w.organizer, at), id, { code: await card(), direction: "out" })).toMatchObject({ repeated: true });
    const [rec] = await database.db.select().from(serviceRecords).where(and(eq(serviceRecords.activityId, id), eq(serviceRecords.volunteerId, v.id)));
    expect(rec).toMatchObject({ method: "ecard", minutes: 120, status: "proposed" });
    // a walk-in scanned in; someone typed by number
    await scanEcard(w.ctxOf(w.organizer, at), id, { code: await getMyEcard(w.ctxOf(walkIn.actor, at)).then((c) => c.token), direction: "in" });
    await scanEcard(w.ctxOf(w.organizer, at), id, { code: typed.volunteerNumber!.toLowerCase(), direction: "in" });
    const att = await database.db.select().from(attendance).where(eq(attendance.activityId, id));
    expect(att.find((a) => a.volunteerId === walkIn.id)).toMatchObject({ walkIn: true, checkInMethod: "ecard" });
    expect(att.find((a) => a.volunteerId === typed.id)).toMatchObject({ walkIn: true, checkInMethod: "manual" });
  });

  it("refuses an expired card, out before in, a non-organizer, and an unknown number", async () => {
    const id = await activity();
    const [v] = await makeVolunteers(database.db, 1, w.tree.a1.id, before.now());
    const at = fixedClock(new Date("2026-09-05T01:00:00Z"));
    const token = (await getMyEcard(w.ctxOf(v.actor, at))).token;
    expect(await err(scanEcard(w.ctxOf(w.organizer, at), id, { code: token, direction: "out" }))).toBe("volunteers.errors.scanNoCheckIn");
    expect(await err(scanEcard(w.ctxOf(w.committee, at), id, { code: token, direction: "in" }))).toBe("errors.forbidden");
    at.advance(10 * 60_000);
    expect(await err(scanEcard(w.ctxOf(w.organizer, at), id, { code: token, direction: "in" }))).toBe("volunteers.errors.ecard_expired");
    expect(await err(scanEcard(w.ctxOf(w.organizer, at), id, { code: "ZY2099000000", direction: "in" }))).toBe("volunteers.errors.walkInUnknown");
  });
});
