import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { roomEvents, roomSessions, roomStatements } from "../../db/schema";
import * as roomRoute from "../../app/routes/rooms.$sessionId";
import { roomFormBudget } from "../../app/modules/shared/rate-limit.server";
import * as minutesRoute from "../../app/routes/rooms.$sessionId_.minutes";
import * as minutesMd from "../../app/routes/rooms.$sessionId_.minutes[.]md";
import * as minutesCsv from "../../app/routes/rooms.$sessionId_.minutes[.]csv";
import * as scheduleRoute from "../../app/routes/matters.$matterId_.sessions.new";
import * as matterPage from "../../app/routes/matters.$matterId";
import { act } from "../../app/modules/matters/room/act.server";
import { RoomActionSchema } from "../../app/modules/matters/room/schemas";
import { systemClock } from "../../app/modules/shared/clock";
import { testDatabase } from "../support/db";
import { beijingWallTime, DAY } from "../support/time";
import { callRoute, formBody, loadContext } from "../support/remix";
import { makeRoomWorld, type RoomWorld } from "../support/room";

let database: Database;
let w: RoomWorld;
/** Longer than any text field takes, while a form of several stays within the 4 MB a body may be (9 bytes a character, URL-encoded). */
const LONG = "事".repeat(60_000);

beforeAll(async () => {
  database = await testDatabase();
  w = await makeRoomWorld(database.db);
  await act({ ...w.ctx(w.actors.committee), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "open" }));
});
afterAll(() => database.close());

const events = async () => Number((await database.db.select({ n: count() }).from(roomEvents).where(eq(roomEvents.sessionId, w.sessionId)))[0].n);
const post = (actor: RoomWorld["actors"]["committee"] | null, fields: Record<string, string>, sessionId = String(w.sessionId)) =>
  callRoute(roomRoute.action, { body: formBody(fields), params: { sessionId }, context: loadContext(database.db, actor) });

describe("room page", () => {
  it("renders the transcript for the panel and refuses outsiders; mangled ids are 404", async () => {
    await act({ ...w.ctx(w.actors.panel[0]), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "post", stance: "support", body: "页面可见" }));
    const ok = await callRoute(roomRoute.loader, { params: { sessionId: String(w.sessionId) }, context: loadContext(database.db, w.actors.panel[1]) });
    expect(ok.status).toBe(200);
    expect(ok.data.state.statements.map((s: { body: string }) => s.body)).toContain("页面可见");
    expect((await callRoute(roomRoute.loader, { params: { sessionId: String(w.sessionId) }, context: loadContext(database.db, w.actors.outsider) })).status).toBe(403);
    for (const bad of ["abc", "0", "-1", "99999999999", "1e3", "999999"]) {
      expect((await callRoute(roomRoute.loader, { params: { sessionId: bad }, context: loadContext(database.db, w.actors.panel[0]) })).status, bad).toBe(404);
    }
    const anon = await callRoute(roomRoute.loader, { params: { sessionId: String(w.sessionId) }, context: loadContext(database.db, null) });
    expect(anon.status).toBe(302);
  });

  it("a plain form post stores the statement and redirects; bad input is a 4xx with messages and stores nothing", async () => {
    const before = await events();
    const r = await post(w.actors.panel[0], { intent: "post", stance: "oppose", body: "表单发言", replyTo: "" });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toMatch(new RegExp(`^/rooms/${w.sessionId}\\?saved=\\d+#s-\\d+$`));
    expect(await events()).toBe(before + 1);
    for (const fields of [
      { intent: "post", stance: "angry", body: "x" },
      { intent: "post", stance: "support", body: "" },
      { intent: "post", stance: "support", body: LONG },
      { intent: "post", stance: "support", body: "<b>x</b>" },
      { intent: "post", stance: "support", body: "x", replyTo: "abc" },
      { intent: "react", statementId: "x", value: "agree" },
      { intent: "hide", statementId: "1", reason: "" },
      { intent: "explode" },
      {},
    ]) {
      const bad = await post(w.actors.panel[0], fields as Record<string, string>);
      expect(bad.status, JSON.stringify(fields).slice(0, 60)).toBe(400);
    }
    expect((await post(w.actors.observer, { intent: "post", stance: "support", body: "旁听者发言" })).status).toBe(403);
    expect((await post(w.actors.panel[1], { intent: "hide", statementId: "1", reason: "越权" })).status).toBe(403);
    expect((await post(w.actors.outsider, { intent: "react", statementId: "1", value: "agree" })).status).toBe(403);
    expect((await post(w.actors.panel[0], { intent: "post", stance: "support", body: "x" }, "987654")).status).toBe(404);
    expect((await post(w.actors.panel[0], { intent: "post", stance: "support", body: "x", replyTo: "999999" })).status).toBe(400);
    const json = await callRoute(roomRoute.action, {
      body: JSON.stringify({ intent: "post" }),
      headers: { "content-type": "application/json" },
      params: { sessionId: String(w.sessionId) },
      context: loadContext(database.db, w.actors.panel[0]),
    });
    expect(json.status).toBe(415);
    expect(await events()).toBe(before + 1);
    expect(await database.db.select().from(roomStatements).where(eq(roomStatements.body, "旁听者发言"))).toHaveLength(0);
  });
});

describe("schedule form and minutes", () => {
  it("schedules through the form, refusing bad input and non-committee", async () => {
    const params = { matterId: String(w.matterId) };
    const n = async () => Number((await database.db.select({ n: count() }).from(roomSessions).where(eq(roomSessions.matterId, w.matterId)))[0].n);
    const before = await n();
    // loadContext runs on the system clock, so the form gets a time from it
    const tomorrow = beijingWallTime(new Date(systemClock.now().getTime() + DAY), "T");
    for (const fields of [{}, { scheduledAt: "明天", "items[0].title": "a", "items[0].minutes": "5" }, { scheduledAt: tomorrow, "items[0].title": "a", "items[0].minutes": "0" }, { scheduledAt: tomorrow }]) {
      const r = await callRoute(scheduleRoute.action, { body: formBody(fields), params, context: loadContext(database.db, w.actors.committee) });
      expect(r.status, JSON.stringify(fields)).toBe(400);
    }
    const byPanel = await callRoute(scheduleRoute.action, { body: formBody({ scheduledAt: tomorrow, "items[0].title": "a", "items[0].minutes": "5" }), params, context: loadContext(database.db, w.actors.panel[0]) });
    expect(byPanel.status).toBe(403);
    expect(await n()).toBe(before);
    const ok = await callRoute(scheduleRoute.action, { body: formBody({ scheduledAt: tomorrow, "items[0].title": "再议", "items[0].minutes": "30" }), params, context: loadContext(database.db, w.actors.committee) });
    expect(ok.status).toBe(302);
    expect(await n()).toBe(before + 1);
    const page = await callRoute(matterPage.loader, { params, context: loadContext(database.db, w.actors.panel[0]) });
    expect(page.data.sessions.length).toBe(before + 1);
  });

  it("minutes: 404 before closing; after, the page and the exports; summary refused to the panel", async () => {
    const params = { sessionId: String(w.sessionId) };
    expect((await callRoute(minutesRoute.loader, { params, context: loadContext(database.db, w.actors.panel[0]) })).status).toBe(404);
    // posted without the confirmation step: the page answers with that step (428, `confirm: "close"`) and the room stays open
    const unconfirmed = await post(w.actors.committee, { intent: "close" });
    expect(unconfirmed.status).toBe(428);
    expect(unconfirmed.data).toMatchObject({ intent: "close", confirm: "close" });
    expect((await callRoute(minutesRoute.loader, { params, context: loadContext(database.db, w.actors.panel[0]) })).status).toBe(404);
    expect((await post(w.actors.committee, { intent: "close", confirm: "yes" })).status).toBe(302);
    const page = await callRoute(minutesRoute.loader, { params, context: loadContext(database.db, w.actors.panel[0]) });
    expect(page.status).toBe(200);
    expect(page.data.minutes.statements.oppose.map((s: { body: string }) => s.body)).toContain("表单发言");
    const md = await callRoute(minutesMd.loader, { params, context: loadContext(database.db, w.actors.panel[0]) });
    expect(md.status).toBe(200);
    expect(md.headers.get("content-type")).toContain("text/markdown");
    expect(md.data.text).toContain("表单发言");
    const csv = await callRoute(minutesCsv.loader, { params, context: loadContext(database.db, w.actors.panel[0]) });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect((await callRoute(minutesCsv.loader, { params, context: loadContext(database.db, w.actors.outsider) })).status).toBe(403);
    const summary = (actor: RoomWorld["actors"]["committee"], summary: string) =>
      callRoute(minutesRoute.action, { body: formBody({ intent: "summary", summary }), params, context: loadContext(database.db, actor) });
    expect((await summary(w.actors.panel[0], "越权总结")).status).toBe(403);
    expect((await summary(w.actors.committee, "")).status).toBe(400);
    expect((await summary(w.actors.committee, "总结")).status).toBe(302);
    const respond = await callRoute(minutesRoute.action, { body: formBody({ intent: "respond", kind: "comment", comment: "" }), params, context: loadContext(database.db, w.actors.panel[0]) });
    expect(respond.status).toBe(400);
    const unknown = await callRoute(minutesRoute.action, { body: formBody({ intent: "nope" }), params, context: loadContext(database.db, w.actors.panel[0]) });
    expect(unknown.status).toBe(400);
  });

  it("a member posting the room's form in a loop is told to wait, with a translated message, and nothing more is stored", async () => {
    // a room of its own, open (the one above is closed by now)
    const r = await makeRoomWorld(database.db);
    await act({ ...r.ctx(r.actors.committee), clock: systemClock }, r.sessionId, RoomActionSchema.parse({ intent: "open" }));
    const sid = String(r.sessionId);
    const stored = async () => Number((await database.db.select({ n: count() }).from(roomEvents).where(eq(roomEvents.sessionId, r.sessionId)))[0].n);
    const before = await stored();
    const answers = [];
    for (let i = 0; i < roomFormBudget.points + 3; i++) answers.push(await post(r.actors.panel[1], { intent: i % 2 ? "lowerHand" : "raiseHand" }, sid));
    expect(answers.slice(0, roomFormBudget.points).every((r) => r.status === 302)).toBe(true);
    const refused = answers.slice(roomFormBudget.points);
    expect(refused.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(JSON.stringify(refused[0].data)).toContain("errors.rateLimited");
    expect(await stored()).toBe(before + roomFormBudget.points);
    // another member is not held up
    expect((await post(r.actors.panel[0], { intent: "raiseHand" }, sid)).status).toBe(302);
  });
});
