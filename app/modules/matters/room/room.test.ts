import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { ledgerEntries, matterEvents, matters, roomEvents, roomStatements } from "../../../../db/schema";
import { fixedClock } from "../../shared/clock";
import type { DomainEvent } from "../../shared/events";
import { testDatabase } from "../../../../tests/support/db";
import { addPanelMember, makeRoomWorld, ROOM_NOW } from "../../../../tests/support/room";
import { actorOf, makeUser } from "../../../../tests/support/factories";
import { getMinutes, minutesCsv, minutesMarkdown, respondToMinutes, writeSummary } from "./minutes.server";
import { act } from "./act.server";
import { scheduleSession } from "./agenda.server";
import { eventsSince, getRoom, joinRoom } from "./view.server";
import { RoomActionSchema, ScheduleSessionSchema } from "./schemas";
import { CreateVoteSchema } from "../voting/schemas";
import { openVote } from "../voting/setup.server";
import { fromMarkdown } from "mdast-util-from-markdown";
import { translate } from "~/i18n";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

const A = (x: Record<string, unknown>) => RoomActionSchema.parse(x);
const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string; messageKey?: string }) => `${e.code}:${e.messageKey}`);

async function openWorld(opts: Parameters<typeof makeRoomWorld>[1] = {}) {
  const w = await makeRoomWorld(database.db, opts);
  await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "open" }));
  return w;
}
async function stored(sessionId: number) {
  return database.db.select().from(roomEvents).where(eq(roomEvents.sessionId, sessionId)).orderBy(roomEvents.seq);
}

describe("scheduling and opening", () => {
  it("only the committee schedules, only for a scheduled matter, with a moderator from the committee", async () => {
    const w = await makeRoomWorld(database.db);
    const input = ScheduleSessionSchema.parse({ scheduledAt: "2026-11-27T19:30", items: [{ title: "议程", minutes: "15" }] });
    expect(await code(scheduleSession(w.ctx(w.actors.panel[0]), w.matterId, input))).toBe("forbidden:errors.forbidden");
    expect(await code(scheduleSession(w.ctx(w.actors.committee), w.matterId, { ...input, moderatorId: w.users.panel[0] }))).toBe("validation:room.errors.moderator");
    expect(await code(scheduleSession(w.ctx(w.actors.committee), 99_999_999, input))).toBe("not_found:errors.notFound");
    const [ev] = await database.db.select().from(matterEvents).where(and(eq(matterEvents.matterId, w.matterId), eq(matterEvents.kind, "roomScheduled")));
    expect(ev.params).toMatchObject({ session: w.sessionId });
  });

  it("the schedule form needs a well-formed time and at least one agenda item", () => {
    expect(ScheduleSessionSchema.safeParse({ scheduledAt: "tomorrow", items: [{ title: "a", minutes: "5" }] }).success).toBe(false);
    expect(ScheduleSessionSchema.safeParse({ scheduledAt: "2026-11-27T19:30", items: [{ title: "", minutes: "" }] }).success).toBe(false);
    expect(ScheduleSessionSchema.safeParse({ scheduledAt: "2026-11-27T19:30", items: [{ title: "a", minutes: "999" }] }).success).toBe(false);
  });

  it("opening moves the matter to deliberating, not before the notice period, and only by the committee", async () => {
    const w = await makeRoomWorld(database.db, { published: new Date(ROOM_NOW.getTime() - 86_400_000) });
    expect(await code(act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "open" })))).toBe("forbidden:errors.forbidden");
    expect(await code(act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "open" })))).toBe("invalid_state:matters.errors.noticePeriod");
    const later = fixedClock(new Date(ROOM_NOW.getTime() + 30 * 86_400_000));
    const r = await act(w.ctx(w.actors.committee, later), w.sessionId, A({ intent: "open" }));
    expect(r.seq).toBe(1);
    const [m] = await database.db.select({ state: matters.state }).from(matters).where(eq(matters.id, w.matterId));
    expect(m.state).toBe("deliberating");
    const room = await getRoom(w.ctx(w.actors.panel[0]), w.sessionId);
    expect(room.state).toMatchObject({ status: "open", head: 1, currentItemId: room.state.items[0].id });
    expect(await code(act(w.ctx(w.actors.committee, later), w.sessionId, A({ intent: "open" })))).toBe("invalid_state:room.errors.notScheduled");
  });

  it("nothing happens in a session that is not open", async () => {
    const w = await makeRoomWorld(database.db);
    expect(await code(act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "support", body: "早了" })))).toBe("invalid_state:room.errors.notOpen");
    expect(await stored(w.sessionId)).toEqual([]);
  });
});

describe("who is in the room", () => {
  it("panel, moderator and verified residents join; another community's resident and a stranger do not", async () => {
    const w = await openWorld();
    expect((await joinRoom(w.ctx(w.actors.panel[0]), w.sessionId, 0)).role).toBe("panel");
    expect((await joinRoom(w.ctx(w.actors.committee), w.sessionId, 0)).role).toBe("moderator");
    expect((await joinRoom(w.ctx(w.actors.observer), w.sessionId, 0)).role).toBe("observer");
    expect(await code(joinRoom(w.ctx(w.actors.outsider), w.sessionId, 0))).toBe("forbidden:room.errors.notInRoom");
    expect(await code(joinRoom(w.ctx(w.actors.stranger), w.sessionId, 0))).toBe("forbidden:room.errors.notInRoom");
    expect(await code(joinRoom(w.ctx(null), w.sessionId, 0))).toBe("unauthenticated:errors.unauthenticated");
    expect(await code(joinRoom(w.ctx(w.actors.panel[0]), 987_654_321, 0))).toBe("not_found:errors.notFound");
    // only an accepted seat counts: an invited or declined one is no seat
    for (const status of ["invited", "declined"] as const) {
      const u = await makeUser(database.db);
      await addPanelMember(database.db, w.matterId, u.id, status);
      expect(await code(joinRoom(w.ctx(await actorOf(database.db, u.id)), w.sessionId, 0))).toBe("forbidden:room.errors.notInRoom");
    }
  });
});

describe("statements, reactions and the log", () => {
  it("stores a statement with the next seq, publishes it after commit, and a retried key stores it once", async () => {
    const seen: DomainEvent[] = [];
    const w = await openWorld();
    w.events.subscribe((e) => seen.push(e));
    const post = A({ intent: "post", key: "retry-key-0001", stance: "oppose", body: "先修排水管道" });
    const first = await act(w.ctx(w.actors.panel[0]), w.sessionId, post);
    const again = await act(w.ctx(w.actors.panel[0]), w.sessionId, post);
    expect(first.seq).toBe(2);
    expect(again).toEqual({ seq: 2, duplicate: true });
    expect(await database.db.select().from(roomStatements).where(eq(roomStatements.sessionId, w.sessionId))).toHaveLength(1);
    expect(seen.filter((e) => e.type === "room.event")).toHaveLength(1);
    // someone else cannot take over another's key
    expect(await code(act(w.ctx(w.actors.panel[1]), w.sessionId, post))).toBe("conflict:room.errors.keyUsed");
  });

  it("observers read and react but cannot post or raise a hand; a reply must point into the session", async () => {
    const w = await openWorld();
    const { statementId } = await act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "support", body: "同意改造" }));
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "post", stance: "support", body: "我也说" })))).toBe("forbidden:room.errors.panelOnly");
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "raiseHand" })))).toBe("forbidden:room.errors.panelOnly");
    expect(await code(act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "giveFloor", userId: w.users.observer })))).toBe("forbidden:room.errors.moderatorOnly");
    await act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "react", statementId, value: "agree" }));
    await act(w.ctx(w.actors.panel[1]), w.sessionId, A({ intent: "react", statementId, value: "disagree" }));
    await act(w.ctx(w.actors.panel[1]), w.sessionId, A({ intent: "react", statementId, value: "agree" }));
    const room = await getRoom(w.ctx(w.actors.panel[1]), w.sessionId);
    expect(room.state.statements[0]).toMatchObject({ counts: { agree: 2, disagree: 0, pass: 0 }, mine: "agree" });
    expect(await code(act(w.ctx(w.actors.panel[1]), w.sessionId, A({ intent: "post", stance: "neutral", body: "回复", replyTo: "999999" })))).toBe("validation:room.errors.replyTo");
    const reply = await act(w.ctx(w.actors.panel[1]), w.sessionId, A({ intent: "post", stance: "question", body: "费用谁出？", replyTo: String(statementId) }));
    expect(reply.statementId).toBeGreaterThan(statementId!);
    // who marked what stays with the marker
    const seenByObserver = await eventsSince(database.db, w.sessionId, { userId: w.users.observer, staff: false }, 0);
    const marks = seenByObserver.filter((e) => e.kind === "reaction.set");
    expect(marks.map((e) => "value" in e.payload)).toEqual([true, false, false]);
  });

  it("a muted panel member cannot post or raise a hand; the ledger records the mute", async () => {
    const w = await openWorld();
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "mute", userId: w.users.panel[0], reason: "人身攻击" }));
    expect(await code(act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "oppose", body: "我还要说" })))).toBe("forbidden:room.errors.muted");
    expect(await code(act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "raiseHand" })))).toBe("forbidden:room.errors.muted");
    expect(await code(act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "giveFloor", userId: w.users.panel[0] })))).toBe("invalid_state:room.errors.mutedTarget");
    const entries = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.action, "room.mute"));
    expect(entries.some((e) => (e.summary as { user: number }).user === w.users.panel[0])).toBe(true);
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "unmute", userId: w.users.panel[0] }));
    expect((await act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "oppose", body: "谢谢" }))).seq).toBeGreaterThan(0);
  });

  it("hiding keeps the words for the author and the moderator, blanks them for others, and records the reason in the ledger", async () => {
    const w = await openWorld();
    const { statementId } = await act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "oppose", body: "不当言论" }));
    expect(await code(act(w.ctx(w.actors.panel[1]), w.sessionId, A({ intent: "hide", statementId, reason: "x" })))).toBe("forbidden:room.errors.moderatorOnly");
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "hide", statementId, reason: "与议题无关" }));
    const forAuthor = (await getRoom(w.ctx(w.actors.panel[0]), w.sessionId)).state.statements[0];
    const forOther = (await getRoom(w.ctx(w.actors.panel[1]), w.sessionId)).state.statements[0];
    expect(forAuthor).toMatchObject({ hidden: true, body: "不当言论", hiddenReason: "与议题无关" });
    expect(forOther).toMatchObject({ hidden: true, body: "", hiddenReason: "与议题无关" });
    const replay = await eventsSince(database.db, w.sessionId, { userId: w.users.panel[1], staff: false }, 0);
    expect(JSON.stringify(replay)).not.toContain("不当言论");
    const [row] = await database.db.select().from(roomStatements).where(eq(roomStatements.id, statementId!));
    expect(row.body).toBe("不当言论");
    expect((await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.action, "room.hide"))).length).toBeGreaterThan(0);
  });

  it("an observer's question is the moderator's until surfaced; others see only its seq", async () => {
    const w = await openWorld();
    const { seq, questionId } = await act(w.ctx(w.actors.observer), w.sessionId, A({ intent: "ask", body: "维修基金够吗？" }));
    const panelView = await eventsSince(database.db, w.sessionId, { userId: w.users.panel[0], staff: false }, seq - 1);
    expect(panelView).toEqual([expect.objectContaining({ seq, kind: "redacted", payload: {} })]);
    expect((await getRoom(w.ctx(w.actors.committee), w.sessionId)).state.questions).toHaveLength(1);
    expect((await getRoom(w.ctx(w.actors.panel[0]), w.sessionId)).state.questions).toHaveLength(0);
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "surface", questionId: String(questionId) }));
    expect((await getRoom(w.ctx(w.actors.panel[0]), w.sessionId)).state.questions[0]).toMatchObject({ body: "维修基金够吗？", surfaced: true });
  });
});

describe("agenda and queue", () => {
  it("hands, floor, turns and agenda move for everyone, by the moderator only", async () => {
    const w = await openWorld();
    const [p1, p2] = w.actors.panel;
    await act(w.ctx(p1), w.sessionId, A({ intent: "raiseHand" }));
    await act(w.ctx(p2), w.sessionId, A({ intent: "raiseHand" }));
    await act(w.ctx(p2), w.sessionId, A({ intent: "raiseHand" }));
    expect(await code(act(w.ctx(p2), w.sessionId, A({ intent: "giveFloor", userId: p2.id })))).toBe("forbidden:room.errors.moderatorOnly");
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "giveFloor", userId: p1.id }));
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "extendTurn", seconds: "60" }));
    let room = await getRoom(w.ctx(p2), w.sessionId);
    expect(room.state.hands.map((h) => h.userId)).toEqual([p2.id]);
    expect(room.state.floor).toMatchObject({ userId: p1.id, turnSeconds: 240 });
    expect(await code(act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "giveFloor", userId: w.users.observer })))).toBe("validation:room.errors.notPanel");
    await act(w.ctx(p1), w.sessionId, A({ intent: "endTurn" }));
    expect(await code(act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "prevItem" })))).toBe("invalid_state:room.errors.noMoreItems");
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "nextItem" }));
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "extendItem" }));
    room = await getRoom(w.ctx(p2), w.sessionId);
    expect(room.state.floor).toBeNull();
    expect(room.state.currentItemId).toBe(room.state.items[1].id);
    expect(room.state.itemExtraSeconds).toBe(300);
    expect(room.state.items[0].endedAt).not.toBeNull();
    const log = await stored(w.sessionId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  });

  it("staff check people in by list, by name and by the venue code, and record in-person words", async () => {
    const w = await openWorld();
    const room = await getRoom(w.ctx(w.actors.committee), w.sessionId);
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "checkin", userId: String(w.users.panel[1]) }));
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "checkin", name: "李大爷" }));
    expect(await code(act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "checkin", userId: String(w.users.panel[1]) })))).toBe("conflict:room.errors.alreadyIn");
    expect(await code(act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "checkinCode", code: "000000x" })))).toBe("validation:room.errors.code");
    await act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "checkinCode", code: room.session.checkinCode! }));
    expect(await code(act(w.ctx(w.actors.panel[0]), w.sessionId, A({ intent: "post", stance: "support", body: "x", speaker: "李大爷" })))).toBe("forbidden:room.errors.moderatorOnly");
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "post", stance: "support", body: "我支持", speaker: "李大爷" }));
    const after = await getRoom(w.ctx(w.actors.observer), w.sessionId);
    expect(after.state.inPerson.map((p) => p.name)).toEqual(["代表2", "李大爷", "代表1"]);
    expect(after.state.statements[0]).toMatchObject({ speakerName: "李大爷", recordedByName: "委员甲", authorId: null });
  });
});

describe("closing and minutes", () => {
  it("compiles attendance, agenda, speakers, statements by stance, the board and moderator actions; summary and confirmations", async () => {
    const w = await openWorld({ panel: 3 });
    const [p1, p2, p3] = w.actors.panel;
    await joinRoom(w.ctx(p1), w.sessionId, 0);
    await joinRoom(w.ctx(w.actors.observer), w.sessionId, 0);
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "checkin", name: "李大爷" }));
    await act(w.ctx(w.actors.committee), w.sessionId, A({ intent: "giveFloor", userId: p1.id }));
    const later = fixedClock(new Date(ROOM_NOW.getTime() + 90_000));
    const s1 = (await act(w.ctx(p1, later), w.sessionId, A({ intent: "post", stance: "support", body: "=SUM(A1) 赞成" }))).statementId!;
    const s2 = (await act(w.ctx(p2, later), w.sessionId, A({ intent: "post", stance: "oppose", body: "费用太高" }))).statementId!;
    for (const u of [p2, p3, w.actors.observer]) await act(w.ctx(u, later), w.sessionId, A({ intent: "react", statementId: s1, value: "agree" }));
    await act(w.ctx(p1, later), w.sessionId, A({ intent: "react", statementId: s2, value: "disagree" }));
    await act(w.ctx(p3, later), w.sessionId, A({ intent: "react", statementId: s2, value: "agree" }));
    await act(w.ctx(w.actors.committee, later), w.sessionId, A({ intent: "hide", statementId: s2, reason: "重复" }));
    const asked = await act(w.ctx(w.actors.observer, later), w.sessionId, A({ intent: "ask", body: "公开的问题" }));
    await act(w.ctx(w.actors.observer, later), w.sessionId, A({ intent: "ask", body: "私下的问题" }));
    await act(w.ctx(w.actors.committee, later), w.sessionId, A({ intent: "surface", questionId: String(asked.questionId) }));
    // closing cannot be undone: without the confirmation step's field it is refused and the room stays open
    expect(await code(act(w.ctx(w.actors.committee, later), w.sessionId, A({ intent: "close" })))).toBe("unconfirmed:confirm.required");
    await act(w.ctx(w.actors.committee, later), w.sessionId, A({ intent: "close", confirm: "yes" }));
    expect(await code(act(w.ctx(p1, later), w.sessionId, A({ intent: "post", stance: "support", body: "晚了" })))).toBe("invalid_state:room.errors.closed");

    const page = await getMinutes(w.ctx(p2), w.sessionId);
    const m = page.minutes;
    // a question never surfaced stays out of the minutes everyone reads
    expect(m.questions).toEqual([{ body: "公开的问题", surfaced: true }]);
    expect(JSON.stringify(page)).not.toContain("私下的问题");
    // everyone who acted is present, whether they joined live (p1, the observer) or only posted a
    // form (p2, p3 and the moderator never joined a socket): issue 19
    expect(m.attendance.online.map((a) => a.role).sort()).toEqual(["moderator", "observer", "panel", "panel", "panel"]);
    expect(m.attendance.online.map((a) => a.name)).toEqual(expect.arrayContaining([p2.displayName, p3.displayName]));
    expect(m.attendance.inPerson).toEqual([{ name: "李大爷", method: "name" }]);
    expect(m.agenda[0].startedAt).not.toBeNull();
    expect(m.speakers).toEqual([{ name: p1.displayName, turns: 1, seconds: 90 }]);
    expect(m.statements.support.map((s) => s.id)).toEqual([s1]);
    expect(m.statements.oppose[0]).toMatchObject({ id: s2, body: null, hiddenReason: "重复" });
    expect(m.board.agreed).toEqual([s1]);
    expect(m.moderation.map((a) => a.kind)).toEqual(["floor.given", "statement.hidden", "question.surfaced"]);
    const [timeline] = await database.db.select().from(matterEvents).where(and(eq(matterEvents.matterId, w.matterId), eq(matterEvents.kind, "roomClosed")));
    expect(timeline.params).toMatchObject({ session: w.sessionId, statements: 2 });

    expect(await code(writeSummary(w.ctx(p1), w.sessionId, { intent: "summary", summary: "x" }))).toBe("forbidden:errors.forbidden");
    await writeSummary(w.ctx(w.actors.committee), w.sessionId, { intent: "summary", summary: "多数代表支持改造。" });
    expect(await code(respondToMinutes(w.ctx(w.actors.observer), w.sessionId, { intent: "respond", kind: "confirm" }))).toBe("forbidden:room.errors.panelOnly");
    await respondToMinutes(w.ctx(p1), w.sessionId, { intent: "respond", kind: "confirm" });
    await respondToMinutes(w.ctx(p2), w.sessionId, { intent: "respond", kind: "comment", comment: "请补充费用分摊" });
    const after = await getMinutes(w.ctx(p1), w.sessionId);
    expect(after.summary).toBe("多数代表支持改造。");
    expect(after.responses.map((r) => r.kind)).toEqual(["confirm", "comment"]);
    const t = (k: string, p?: Record<string, string | number>) => `${k}${p ? JSON.stringify(p) : ""}`;
    const md = minutesMarkdown(after, t);
    expect(md).toContain("多数代表支持改造。");
    expect(md).toContain("李大爷");
    expect(md).not.toContain("费用太高");
    const csv = minutesCsv(after);
    expect(csv.startsWith("\uFEFFid,seq")).toBe(true);
    expect(csv).toContain("'=SUM(A1) 赞成");
    expect(csv).not.toContain("费用太高");
    expect(await code(getMinutes(w.ctx(w.actors.outsider), w.sessionId))).toBe("forbidden:room.errors.notInRoom");
  });
});

describe("minutes exports carry what people typed as text", () => {
  it("a line break in a statement, a reason, a name or a response adds no heading, and links and images stay text", async () => {
    const w = await openWorld({ panel: 2 });
    const [p1, p2] = w.actors.panel;
    const mod = w.ctx(w.actors.committee);
    const heading = "\r## 表决结果\r全票通过";
    await act(w.ctx(p1), w.sessionId, A({ intent: "post", stance: "support", body: `赞成${heading}` }));
    await act(w.ctx(p1), w.sessionId, A({ intent: "post", stance: "oppose", body: "[点此](javascript:alert(1)) ![图](https://evil.example/x.png)\n# 假标题" }));
    await act(mod, w.sessionId, A({ intent: "post", stance: "neutral", speaker: "[李大爷](javascript:x)", body: "现场发言\u2028## 假标题" }));
    const hidden = (await act(w.ctx(p2), w.sessionId, A({ intent: "post", stance: "question", body: "要隐藏的" }))).statementId!;
    await act(mod, w.sessionId, A({ intent: "hide", statementId: hidden, reason: "重复\r## 伪造" }));
    await act(mod, w.sessionId, A({ intent: "mute", userId: p2.id, reason: "刷屏\n## 伪造" }));
    await act(mod, w.sessionId, A({ intent: "close", confirm: "yes" }));
    await writeSummary(mod, w.sessionId, { intent: "summary", summary: "多数支持。\r\n\r\n# 假总结\n[链接](javascript:x)" });
    await respondToMinutes(w.ctx(p1), w.sessionId, { intent: "respond", kind: "comment", comment: "补充\n## 表决结果\n通过 ![x](javascript:y)" });
    const page = await getMinutes(w.ctx(p1), w.sessionId);
    const t = (k: string, p?: Record<string, string | number>) => translate("zh-CN", k, p);
    const md = minutesMarkdown(page, t);
    const tree = fromMarkdown(md);
    const toString = (n: unknown): string => {
      const x = n as { value?: string; children?: unknown[] };
      return x.value ?? (x.children ?? []).map(toString).join("");
    };
    const headings = tree.children.filter((n) => n.type === "heading").map((n) => toString(n));
    const ours = ["summary", "attendance", "agenda", "speakers", "stance.support", "stance.oppose", "stance.neutral", "stance.question", "board", "moderation", "responses"].map((k) => t(`room.${k}`));
    expect(headings).toEqual([`${t("room.minutesTitle")}: ${page.minutes.session.matterTitle}`, ...ours]);
    const types = new Set<string>();
    const walk = (n: { type: string; children?: unknown[] }) => (types.add(n.type), ((n.children ?? []) as (typeof n)[]).forEach(walk));
    walk(tree);
    for (const bad of ["link", "image", "html", "code", "definition", "linkReference", "imageReference", "blockquote"]) expect(types.has(bad), bad).toBe(false);
    // the words are all there, as text
    const shown = toString(tree);
    for (const words of ["赞成 ## 表决结果 全票通过", "[点此](javascript:alert(1))", "[李大爷](javascript:x)", "# 假总结", "补充 ## 表决结果 通过"]) expect(shown).toContain(words);
    // and the CSV keeps each statement on its own row: no bare CR, line breaks inside quotes
    const csv = minutesCsv(page);
    expect(csv.replace(/\r\n/g, "")).not.toContain("\r");
    expect(csv).toContain('"赞成\n## 表决结果\n全票通过"');
  });
});

describe("a vote opened during deliberation", () => {
  it("is announced in the open room as its next entry, and shows in the room's state", async () => {
    const w = await openWorld();
    const before = (await stored(w.sessionId)).length;
    const vote = await openVote(w.ctx(w.actors.committee), w.matterId, CreateVoteSchema.parse({ question: "同意加装方案吗？", method: "yes_no", electorate: "panel", preset: "panel", secret: "yes" }));
    const after = await stored(w.sessionId);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ seq: before + 1, kind: "vote.opened", payload: { voteId: vote.id, question: "同意加装方案吗？" } });
    const room = await getRoom(w.ctx(w.actors.panel[0]), w.sessionId);
    expect(room.state.votes).toEqual([{ id: vote.id, question: "同意加装方案吗？" }]);
  });
});
