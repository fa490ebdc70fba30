import { count, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../db/client";
import { activitySignups, attendance, certificates, serviceRecords, volunteerActivities, volunteers } from "../../db/schema";
import * as home from "../../app/routes/volunteers._index";
import * as register from "../../app/routes/volunteers.register";
import * as records from "../../app/routes/volunteers.records";
import * as certs from "../../app/routes/volunteers.certificates._index";
import * as cert from "../../app/routes/volunteers.certificates.$id";
import * as certPdf from "../../app/routes/volunteers.certificates.$id_.pdf";
import * as verify from "../../app/routes/certificates.$number";
import * as verifyForm from "../../app/routes/certificates._index";
import * as teams from "../../app/routes/teams._index";
import * as team from "../../app/routes/teams.$teamId";
import * as publish from "../../app/routes/teams.$teamId_.activities.new";
import * as activity from "../../app/routes/activities.$activityId";
import * as code from "../../app/routes/activities.$activityId_.code";
import * as checkin from "../../app/routes/activities.$activityId_.checkin";
import * as dashboard from "../../app/routes/communities.$areaId.volunteers";
import * as csv from "../../app/routes/communities.$areaId.volunteers_.csv";
import { checkCharacter } from "../../app/modules/volunteers/id-number";
import type { Actor } from "../../app/modules/accounts/actor";
import { testDatabase } from "../support/db";
import { beijingWallTime, MINUTE } from "../support/time";
import { actorOf, grant, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let committee: Actor;
let organizer: Actor;
let orgLogin: string;
const FULL_ID = ((s) => s + checkCharacter(s))("11010119850615031");
/** Longer than any text field takes, while a form of several stays within the 4 MB a body may be (9 bytes a character, URL-encoded). */
const LONG = "志".repeat(60_000);

beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  const c = await makeUser(database.db);
  await grant(database.db, c.id, "committee", tree.a1.id);
  committee = await actorOf(database.db, c.id);
  orgLogin = `org_r_${process.pid}`;
  organizer = await actorOf(database.db, (await makeUser(database.db, { username: orgLogin })).id);
});
afterAll(() => database.close());

const ctx = (a: Actor | null) => loadContext(database.db, a);
const beijing = (minutes: number) => beijingWallTime(new Date(Date.now() + minutes * MINUTE));

async function tableCounts() {
  const n = async (t: typeof volunteers | typeof activitySignups | typeof attendance | typeof serviceRecords | typeof certificates | typeof volunteerActivities) =>
    Number((await database.db.select({ n: count() }).from(t))[0].n);
  return { volunteers: await n(volunteers), signups: await n(activitySignups), attendance: await n(attendance), records: await n(serviceRecords), certificates: await n(certificates), activities: await n(volunteerActivities) };
}

const goodRegistration = (over: Record<string, string | string[] | undefined> = {}) => ({
  realName: "赵敏",
  sex: "male",
  birthDate: "1985-06-15",
  idNumber: FULL_ID,
  communityId: String(tree.a1.id),
  contact: "13912345678",
  serviceTypes: ["elderly", "safety"],
  consent: "on",
  ...over,
});

describe("volunteer routes refuse bad input with a 4xx and change nothing", () => {
  it("registration: every kind of bad field gets its message, and the ID number is never sent back", async () => {
    const u = await makeUser(database.db);
    const me = await actorOf(database.db, u.id);
    const before = await tableCounts();
    const typo = FULL_ID.slice(0, 17) + (FULL_ID[17] === "1" ? "2" : "1");
    const cases: [Record<string, string | string[] | undefined>, string][] = [
      [{}, "realName"],
      [goodRegistration({ idNumber: typo }), "idNumber"],
      [goodRegistration({ idNumber: "12345" }), "idNumber"],
      [goodRegistration({ birthDate: "1985-06-16" }), "idNumber"],
      [goodRegistration({ birthDate: "1985-02-30" }), "birthDate"],
      [goodRegistration({ consent: undefined }), "consent"],
      [goodRegistration({ serviceTypes: undefined }), "serviceTypes"],
      [goodRegistration({ serviceTypes: "space-travel" }), "serviceTypes"],
      [goodRegistration({ contact: "call me" }), "contact"],
      [goodRegistration({ realName: "<script>x</script>" }), "realName"],
      [goodRegistration({ realName: LONG }), "realName"],
      [goodRegistration({ communityId: "abc" }), "communityId"],
      [goodRegistration({ communityId: String(tree.townA.id) }), "communityId"],
      [goodRegistration({ sex: "female" }), "sex"],
    ];
    for (const [fields, field] of cases) {
      const r = await callRoute(register.action, { body: formBody(fields), context: ctx(me) });
      expect(r.status, JSON.stringify(fields).slice(-120)).toBe(400);
      expect(Object.keys(r.data.result.error ?? {}), JSON.stringify(fields).slice(0, 80)).toContain(field);
      expect(JSON.stringify(r.data)).not.toContain(FULL_ID);
      expect(JSON.stringify(r.data)).not.toContain(typo);
    }
    expect((await callRoute(register.action, { body: JSON.stringify(goodRegistration()), headers: { "content-type": "application/json" }, context: ctx(me) })).status).toBe(415);
    expect(await tableCounts()).toEqual(before);
    // signed out: sent to the login page
    expect((await callRoute(register.action, { body: formBody(goodRegistration()), context: ctx(null) })).status).toBe(302);
  });

  it("mangled ids are 404s; unknown intents 400s; other people's certificates 404s", async () => {
    for (const [fn, params] of [
      [team.loader, { teamId: "abc" }],
      [activity.loader, { activityId: "0" }],
      [activity.loader, { activityId: "99999999" }],
      [cert.loader, { id: "1e3" }],
      [certPdf.loader, { id: "-1" }],
      [dashboard.loader, { areaId: "x" }],
      [csv.loader, { areaId: "99999" }],
    ] as const) {
      const r = await callRoute(fn, { params, context: ctx(committee) });
      expect(r.status, JSON.stringify(params)).toBe(404);
    }
    const r = await callRoute(activity.action, { params: { activityId: "1" }, body: formBody({ intent: "explode" }), context: ctx(committee) });
    expect([400, 404]).toContain(r.status);
  });
});

describe("a full journey through the routes", () => {
  it("works, refuses bad steps with 4xx, and no response, log line or stored row holds the full ID number", async () => {
    const seen: string[] = [];
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(a.map(String).join(" "))));
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (logged.push(String(chunk)), true));
    const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (logged.push(String(chunk)), true));
    const call = async (...args: Parameters<typeof callRoute>) => {
      const r = await callRoute(...args);
      seen.push(JSON.stringify(r.data), JSON.stringify([...r.headers]));
      return r;
    };
    try {
      // committee sets up a team and appoints the organizer
      let r = await call(teams.action, { body: formBody({ intent: "create", areaId: String(tree.a1.id), name: "甲一志愿队" }), context: ctx(committee) });
      expect(r.status).toBe(302);
      const teamId = r.headers.get("location")!.split("/").pop()!;
      r = await call(team.action, { params: { teamId }, body: formBody({ intent: "appoint", identifier: orgLogin }), context: ctx(organizer) });
      expect(r.status).toBe(403);
      r = await call(team.action, { params: { teamId }, body: formBody({ intent: "appoint", identifier: orgLogin }), context: ctx(committee) });
      expect(r.status).toBe(302);
      organizer = await actorOf(database.db, organizer.id);
      // publishes: bad times first
      const before = await tableCounts();
      for (const bad of [{ startsAt: "tomorrow" }, { endsAt: beijing(5) }, { capacity: "0" }, { capacity: "many" }, { title: LONG }]) {
        r = await call(publish.action, { params: { teamId }, body: formBody({ title: "护河巡查", content: "沿河巡查", place: "河边", startsAt: beijing(10), endsAt: beijing(130), capacity: "3", personInCharge: "周队长", ...bad }), context: ctx(organizer) });
        expect(r.status, JSON.stringify(bad).slice(0, 60)).toBe(400);
      }
      r = await call(publish.action, { params: { teamId }, body: formBody({ title: "护河巡查", content: "沿河巡查", place: "河边", startsAt: beijing(10), endsAt: beijing(130), capacity: "3", personInCharge: "周队长" }), context: ctx(committee) });
      expect(r.status).toBe(403);
      expect(await tableCounts()).toEqual(before);
      r = await call(publish.action, { params: { teamId }, body: formBody({ title: "护河巡查", content: "沿河巡查", place: "河边", startsAt: beijing(10), endsAt: beijing(130), capacity: "3", personInCharge: "周队长" }), context: ctx(organizer) });
      expect(r.status).toBe(302);
      const activityId = r.headers.get("location")!.split("/").pop()!;

      // a volunteer registers and signs up
      const me = await actorOf(database.db, (await makeUser(database.db)).id);
      r = await call(activity.action, { params: { activityId }, body: formBody({ intent: "signup" }), context: ctx(me) });
      expect(r.status).toBe(409); // not registered yet
      r = await call(register.action, { body: formBody(goodRegistration()), context: ctx(me) });
      expect(r.status).toBe(302);
      r = await call(home.loader, { context: ctx(me) });
      expect(r.data.me.idMasked).toBe(`${FULL_ID.slice(0, 4)}**********${FULL_ID.slice(-4)}`);
      r = await call(activity.action, { params: { activityId }, body: formBody({ intent: "signup" }), context: ctx(me) });
      expect(r.status).toBe(302);
      r = await call(activity.action, { params: { activityId }, body: formBody({ intent: "signup" }), context: ctx(me) });
      expect(r.status).toBe(409);

      // check-in: the code page is for organizers only; bad and wrong codes are 400s
      expect((await call(code.loader, { params: { activityId }, context: ctx(me) })).status).toBe(403);
      r = await call(code.loader, { params: { activityId }, context: ctx(organizer) });
      expect(r.status).toBe(200);
      const theCode: string = r.data.code;
      expect(r.data.qr).toContain("<svg");
      for (const bad of ["12ab56", "", "1234567"]) expect((await call(checkin.action, { params: { activityId }, body: formBody({ code: bad, direction: "in" }), context: ctx(me) })).status).toBe(400);
      const wrong = theCode === "000000" ? "000001" : "000000";
      expect((await call(checkin.action, { params: { activityId }, body: formBody({ code: wrong, direction: "in" }), context: ctx(me) })).status).toBe(400);
      expect((await call(checkin.action, { params: { activityId }, body: formBody({ code: theCode, direction: "sideways" }), context: ctx(me) })).status).toBe(400);
      expect((await tableCounts()).attendance).toBe(before.attendance);
      expect((await call(checkin.action, { params: { activityId }, body: formBody({ code: theCode, direction: "in" }), context: ctx(me) })).status).toBe(302);
      expect((await call(checkin.action, { params: { activityId }, body: formBody({ code: theCode, direction: "out" }), context: ctx(me) })).status).toBe(302);

      // the organizer confirms; the volunteer may not; bad hours are 400s
      r = await call(activity.loader, { params: { activityId }, context: ctx(organizer) });
      const recordId = String(r.data.records.records[0].id);
      expect((await call(activity.action, { params: { activityId }, body: formBody({ intent: `confirm-${recordId}`, recordId, hours: "2" }), context: ctx(me) })).status).toBe(403);
      for (const hours of ["-1", "25", "1.3", "lots"]) {
        expect((await call(activity.action, { params: { activityId }, body: formBody({ intent: `confirm-${recordId}`, recordId, hours }), context: ctx(organizer) })).status, hours).toBe(400);
      }
      expect((await call(activity.action, { params: { activityId }, body: formBody({ intent: `confirm-${recordId}`, recordId, hours: "2" }), context: ctx(organizer) })).status).toBe(302);
      // dispute and correction
      expect((await call(records.action, { body: formBody({ intent: `report-${recordId}`, recordId, reason: "" }), context: ctx(me) })).status).toBe(400);
      expect((await call(records.action, { body: formBody({ intent: `report-${recordId}`, recordId, reason: "应为 2.5 小时" }), context: ctx(me) })).status).toBe(302);
      expect((await call(activity.action, { params: { activityId }, body: formBody({ intent: `correct-${recordId}`, recordId, hours: "2.5", reason: "" }), context: ctx(organizer) })).status).toBe(400);
      expect((await call(activity.action, { params: { activityId }, body: formBody({ intent: `correct-${recordId}`, recordId, hours: "2.5", reason: "核对" }), context: ctx(organizer) })).status).toBe(302);
      r = await call(records.loader, { context: ctx(me) });
      expect(r.data.confirmedHours).toBe(2.5);

      // certificate: bad period 400; page, PDF; verification public; another user gets a 404
      expect((await call(certs.action, { body: formBody({ scope: "period", from: "2026-12-01", to: "2026-01-01" }), context: ctx(me) })).status).toBe(400);
      r = await call(certs.action, { body: formBody({ scope: "all" }), context: ctx(me) });
      expect(r.status).toBe(302);
      const certId = r.headers.get("location")!.split("/").pop()!;
      r = await call(cert.loader, { params: { id: certId }, context: ctx(me) });
      expect(r.data.cert.hours).toBe(2.5);
      const number: string = r.data.cert.number;
      expect((await call(cert.loader, { params: { id: certId }, context: ctx(organizer) })).status).toBe(409); // not a volunteer
      const pdf = await certPdf.loader({ request: new Request(`http://localhost/volunteers/certificates/${certId}/pdf`), params: { id: certId }, context: ctx(me) } as never);
      const bytes = Buffer.from(await (pdf as Response).arrayBuffer());
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(bytes.toString("latin1")).toMatch(/NotoSansSC/);
      seen.push(bytes.toString("latin1"));
      r = await call(verify.loader, { params: { number }, context: ctx(null) });
      expect(r.data.result).toMatchObject({ genuine: true, hours: 2.5 });
      expect(JSON.stringify(r.data)).not.toContain("赵敏");
      r = await call(verify.loader, { params: { number: number.slice(0, -1) + (number.endsWith("0") ? "1" : "0") }, context: ctx(null) });
      expect(r.status).toBe(404);
      expect(r.data.result.genuine).toBe(false);
      expect((await call(verifyForm.loader, { url: `/certificates?number=${encodeURIComponent(number)}`, context: ctx(null) })).status).toBe(302);

      // dashboard public; export for staff only
      r = await call(dashboard.loader, { params: { areaId: String(tree.a1.id) }, context: ctx(null) });
      expect(r.data.dashboard.communities[0].registered).toBeGreaterThanOrEqual(1);
      expect((await call(csv.loader, { params: { areaId: String(tree.a1.id) }, context: ctx(me) })).status).toBe(403);
      r = await call(csv.loader, { params: { areaId: String(tree.a1.id) }, context: ctx(committee) });
      expect(r.status).toBe(200);
      expect(r.data.text).toContain("赵敏");
      for (const page of [await call(home.loader, { context: ctx(me) }), await call(activity.loader, { params: { activityId }, context: ctx(organizer) }), await call(activity.loader, { params: { activityId }, context: ctx(me) })]) {
        expect(page.status).toBe(200);
      }
    } finally {
      out.mockRestore();
      err.mockRestore();
      for (const s of spies) s.mockRestore();
    }
    expect(seen.length).toBeGreaterThan(50);
    for (const s of [...seen, ...logged]) expect(s.includes(FULL_ID)).toBe(false);
    // at rest: no column of any table holds it in clear
    const tables = (await database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)) as unknown as { rows?: { table_name: string }[] } & { table_name: string }[];
    const names = tables.rows ?? tables;
    expect(names.map((n) => n.table_name)).toContain("volunteers");
    for (const { table_name } of names) {
      const dump: unknown = await database.db.execute(sql.raw(`select coalesce(string_agg(t::text, E'\\n'), '') as d from "${table_name}" t`));
      const text = JSON.stringify(dump);
      expect(text.includes(FULL_ID), table_name).toBe(false);
    }
  });
});
