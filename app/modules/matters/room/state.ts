/**
 * The room as a client holds it, and how one logged event changes it. Pure and shared: the server
 * builds the snapshot a page renders; the browser applies the events after the snapshot's head.
 */
import type { Counts } from "./board";
import type { ReactionValue, Stance } from "./schemas";

export interface StatementView {
  id: number;
  seq: number;
  authorId: number | null;
  authorName: string | null;
  speakerName: string | null;
  recordedByName: string | null;
  stance: Stance;
  body: string;
  replyToId: number | null;
  pinned: boolean;
  hidden: boolean;
  hiddenReason: string | null;
  createdAt: string;
  counts: Counts;
  mine: ReactionValue | null;
}

export interface AgendaItemView {
  id: number;
  title: string;
  minutes: number;
  startedAt: string | null;
  endedAt: string | null;
}

export interface QuestionView {
  id: number;
  authorName: string | null;
  body: string;
  surfaced: boolean;
  createdAt: string;
}

export interface RoomState {
  sessionId: number;
  status: "scheduled" | "open" | "closed";
  head: number;
  items: AgendaItemView[];
  currentItemId: number | null;
  itemStartedAt: string | null;
  itemExtraSeconds: number;
  floor: { userId: number; name: string; turnStartedAt: string; turnSeconds: number } | null;
  hands: { userId: number; name: string; raisedAt: string }[];
  statements: StatementView[];
  muted: { userId: number; name: string }[];
  questions: QuestionView[];
  inPerson: { name: string }[];
  /** votes on this matter that are open, announced in the room when they open */
  votes: { id: number; question: string }[];
}

/** One entry of the room's log as a given viewer may see it. */
export interface RoomEventView {
  seq: number;
  kind: string;
  payload: Record<string, unknown>;
  at: string;
  actorId: number | null;
}

type P = Record<string, any>;

export interface Viewer {
  userId: number | null;
  staff: boolean;
}

/** Applies one event; events at or below the head are ignored, so duplicates never double. */
export function applyEvent(state: RoomState, e: RoomEventView, viewer: Viewer): RoomState {
  const me = viewer.userId;
  if (e.seq <= state.head) return state;
  const s: RoomState = { ...state, head: e.seq };
  const p = e.payload as P;
  const statement = (id: number, f: (x: StatementView) => StatementView) => {
    s.statements = s.statements.map((x) => (x.id === id ? f(x) : x));
  };
  switch (e.kind) {
    case "session.opened":
      s.status = "open";
      Object.assign(s, agendaFrom(state, p));
      break;
    case "session.closed":
      s.status = "closed";
      s.floor = null;
      s.hands = [];
      Object.assign(s, agendaFrom(state, p));
      break;
    case "agenda.changed":
      Object.assign(s, agendaFrom(state, p));
      break;
    case "hand.raised":
      if (!s.hands.some((h) => h.userId === p.userId)) s.hands = [...s.hands, { userId: p.userId, name: p.name, raisedAt: e.at }];
      break;
    case "hand.lowered":
      s.hands = s.hands.filter((h) => h.userId !== p.userId);
      break;
    case "floor.given":
      s.hands = s.hands.filter((h) => h.userId !== p.userId);
      s.floor = { userId: p.userId, name: p.name, turnStartedAt: p.turnStartedAt, turnSeconds: p.turnSeconds };
      break;
    case "turn.extended":
      if (s.floor) s.floor = { ...s.floor, turnSeconds: p.turnSeconds };
      break;
    case "turn.ended":
      s.floor = null;
      break;
    case "statement.posted":
      if (!s.statements.some((x) => x.id === p.statement.id)) s.statements = [...s.statements, p.statement as StatementView];
      break;
    case "reaction.set":
      statement(p.statementId, (x) => ({ ...x, counts: p.counts, mine: p.userId === me ? p.value : x.mine }));
      break;
    case "statement.pinned":
      statement(p.statementId, (x) => ({ ...x, pinned: !!p.pinned }));
      break;
    case "statement.hidden":
      statement(p.statementId, (x) => ({ ...x, hidden: true, hiddenReason: p.reason, body: x.authorId === me || viewer.staff ? x.body : "" }));
      break;
    case "participant.muted":
      if (!s.muted.some((m) => m.userId === p.userId)) s.muted = [...s.muted, { userId: p.userId, name: p.name }];
      if (s.floor?.userId === p.userId) s.floor = null;
      s.hands = s.hands.filter((h) => h.userId !== p.userId);
      break;
    case "participant.unmuted":
      s.muted = s.muted.filter((m) => m.userId !== p.userId);
      break;
    case "question.asked":
      if (p.question && !s.questions.some((q) => q.id === p.question.id)) s.questions = [...s.questions, p.question];
      break;
    case "question.surfaced":
      s.questions = s.questions.some((q) => q.id === p.question.id)
        ? s.questions.map((q) => (q.id === p.question.id ? { ...q, surfaced: true } : q))
        : [...s.questions, { ...p.question, surfaced: true }];
      break;
    case "vote.opened":
      if (!s.votes.some((v) => v.id === p.voteId)) s.votes = [...s.votes, { id: p.voteId, question: p.question }];
      break;
    case "attendance.checkin":
      if (p.inPerson) s.inPerson = [...s.inPerson, { name: p.name }];
      break;
  }
  return s;
}

function agendaFrom(state: RoomState, p: P): Partial<RoomState> {
  if (!("currentItemId" in p)) return {};
  const times = new Map<number, { startedAt: string | null; endedAt: string | null }>((p.items ?? []).map((i: P) => [i.id, { startedAt: i.startedAt, endedAt: i.endedAt }]));
  return {
    currentItemId: p.currentItemId,
    itemStartedAt: p.itemStartedAt,
    itemExtraSeconds: p.itemExtraSeconds ?? 0,
    items: state.items.map((i) => ({ ...i, ...(times.get(i.id) ?? {}) })),
  };
}

/** Seconds left on a clock that started at `startedAt` and runs `seconds`, by the server's time (may go negative: overrun). */
export function secondsLeft(startedAt: string | null, seconds: number, serverNow: number) {
  if (!startedAt) return null;
  return Math.round((Date.parse(startedAt) + seconds * 1000 - serverNow) / 1000);
}

export function itemClock(state: RoomState, serverNow: number) {
  const item = state.items.find((i) => i.id === state.currentItemId);
  if (!item) return null;
  return { item, left: secondsLeft(state.itemStartedAt, item.minutes * 60 + state.itemExtraSeconds, serverNow) };
}

/** "2:05", "-0:30" for an overrun. */
export function mmss(seconds: number) {
  const sign = seconds < 0 ? "-" : "";
  const a = Math.abs(seconds);
  return `${sign}${Math.floor(a / 60)}:${String(a % 60).padStart(2, "0")}`;
}
