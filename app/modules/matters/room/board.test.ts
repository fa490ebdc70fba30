import { describe, expect, it } from "vitest";
import { agreeRatio, divisiveness, rankBoard } from "./board";
import { applyEvent, itemClock, mmss, secondsLeft, type RoomState } from "./state";

const c = (agree: number, disagree: number, pass = 0) => ({ agree, disagree, pass });

describe("board", () => {
  it("ranks wide agreement above a lone agree, and an even split as most divisive", () => {
    const board = rankBoard([
      { id: 1, counts: c(1, 0) },
      { id: 2, counts: c(20, 1, 1) },
      { id: 3, counts: c(5, 5) },
      { id: 4, counts: c(0, 8) },
      { id: 5, counts: c(9, 9), hidden: true },
      { id: 6, counts: c(6, 3) },
    ]);
    expect(board.agreed.map((s) => s.id)).toEqual([2, 6]);
    expect(board.divisive.map((s) => s.id)[0]).toBe(3);
    expect(board.divisive.map((s) => s.id)).not.toContain(5);
  });

  it("scores: the prior, passes diluting division, nothing when nobody took a side", () => {
    expect(agreeRatio(c(0, 0))).toBe(0.5);
    expect(divisiveness(c(5, 5))).toBeGreaterThan(divisiveness(c(5, 5, 10)));
    expect(divisiveness(c(0, 0, 4))).toBe(0);
    expect(divisiveness(c(7, 0))).toBe(0);
  });
});

const empty: RoomState = {
  sessionId: 1,
  status: "open",
  head: 0,
  items: [
    { id: 10, title: "a", minutes: 10, startedAt: null, endedAt: null },
    { id: 11, title: "b", minutes: 5, startedAt: null, endedAt: null },
  ],
  currentItemId: null,
  itemStartedAt: null,
  itemExtraSeconds: 0,
  floor: null,
  hands: [],
  statements: [],
  muted: [],
  questions: [],
  inPerson: [],
  votes: [],
};
const at = "2026-11-26T02:00:00.000Z";
const statement = (id: number, authorId = 7) => ({
  id,
  seq: id,
  authorId,
  authorName: "x",
  speakerName: null,
  recordedByName: null,
  stance: "support" as const,
  body: "words",
  replyToId: null,
  pinned: false,
  hidden: false,
  hiddenReason: null,
  createdAt: at,
  counts: c(0, 0),
  mine: null,
});

describe("room state", () => {
  it("applies events in order and ignores a duplicate or an old one", () => {
    const viewer = { userId: 9, staff: false };
    let s = applyEvent(empty, { seq: 1, kind: "statement.posted", payload: { statement: statement(1) }, at, actorId: 7 }, viewer);
    s = applyEvent(s, { seq: 1, kind: "statement.posted", payload: { statement: statement(1) }, at, actorId: 7 }, viewer);
    expect(s.statements).toHaveLength(1);
    s = applyEvent(s, { seq: 2, kind: "reaction.set", payload: { statementId: 1, counts: c(1, 0), userId: 9, value: "agree" }, at, actorId: 9 }, viewer);
    expect(s.statements[0]).toMatchObject({ counts: c(1, 0), mine: "agree" });
    s = applyEvent(s, { seq: 3, kind: "hand.raised", payload: { userId: 7, name: "x" }, at, actorId: 7 }, viewer);
    s = applyEvent(s, { seq: 4, kind: "floor.given", payload: { userId: 7, name: "x", turnStartedAt: at, turnSeconds: 180 }, at, actorId: 1 }, viewer);
    expect(s.hands).toEqual([]);
    expect(s.floor?.turnSeconds).toBe(180);
    s = applyEvent(s, { seq: 5, kind: "statement.hidden", payload: { statementId: 1, reason: "off topic" }, at, actorId: 1 }, viewer);
    expect(s.statements[0]).toMatchObject({ hidden: true, body: "", hiddenReason: "off topic" });
    expect(s.head).toBe(5);
    const author = applyEvent(
      applyEvent(empty, { seq: 1, kind: "statement.posted", payload: { statement: statement(1, 9) }, at, actorId: 9 }, viewer),
      { seq: 2, kind: "statement.hidden", payload: { statementId: 1, reason: "r" }, at, actorId: 1 },
      viewer,
    );
    expect(author.statements[0].body).toBe("words");
  });

  it("computes the clocks from server timestamps", () => {
    const s = applyEvent(empty, { seq: 1, kind: "agenda.changed", payload: { currentItemId: 11, itemStartedAt: at, itemExtraSeconds: 60, items: [{ id: 11, startedAt: at, endedAt: null }] }, at, actorId: 1 }, { userId: 1, staff: true });
    const clock = itemClock(s, Date.parse(at) + 30_000);
    expect(clock?.item.id).toBe(11);
    expect(clock?.left).toBe(5 * 60 + 60 - 30);
    expect(secondsLeft(at, 180, Date.parse(at) + 200_000)).toBe(-20);
    expect(mmss(125)).toBe("2:05");
    expect(mmss(-30)).toBe("-0:30");
  });
});
