import { useCallback, useEffect, useRef, useState } from "react";
import { applyEvent, type RoomEventView, type RoomState, type Viewer } from "~/modules/matters/room/state";
import { getSocket } from "./socket";

export interface Presence {
  panel: string[];
  moderators: string[];
  observers: number;
}
export type Ack = { ok: true; data: { seq: number; duplicate?: boolean; statementId?: number } } | { ok: false; error: { code: string; message: string } };

/** A client's retry key: random, once per action. */
export function newKey() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The live room. Starts from the server-rendered snapshot; joins with the snapshot's head and
 * applies the missed events; applies live events strictly in seq order (an event that overtakes
 * another waits, and a gap that stays open is asked for again); re-joins with its last seq after
 * every reconnect. A join answers one page of the log; the hook asks for the next until it has all. `send` retries an action with the same key until it is acknowledged.
 */
export function useRoom(initial: RoomState, viewer: Viewer, serverNow: number) {
  const [state, setState] = useState(initial);
  const [connected, setConnected] = useState(false);
  const [presence, setPresence] = useState<Presence | null>(null);
  const [offset, setOffset] = useState(() => serverNow - Date.now());
  const head = useRef(initial.head);
  const pending = useRef(new Map<number, RoomEventView>());
  const gapTimer = useRef<ReturnType<typeof setTimeout>>();
  const joinRef = useRef<() => void>(() => {});

  // a fresh server render (after a plain form post) that is ahead of us replaces our state
  useEffect(() => {
    if (initial.head >= head.current) {
      head.current = initial.head;
      setState(initial);
    }
  }, [initial]);

  const take = useCallback(
    (events: RoomEventView[]) => {
      for (const e of events) if (e.seq > head.current) pending.current.set(e.seq, e);
      const ready: RoomEventView[] = [];
      while (pending.current.has(head.current + 1)) {
        const next = pending.current.get(head.current + 1)!;
        pending.current.delete(next.seq);
        head.current = next.seq;
        ready.push(next);
      }
      if (ready.length) setState((s) => ready.reduce((acc, e) => applyEvent(acc, e, viewer), s));
      if (pending.current.size && !gapTimer.current) {
        gapTimer.current = setTimeout(() => {
          gapTimer.current = undefined;
          if (pending.current.size) joinRef.current();
        }, 800);
      }
    },
    [viewer.userId, viewer.staff],
  );

  useEffect(() => {
    let off = () => {};
    let alive = true;
    void getSocket().then((s) => {
      if (!alive) return;
      type Joined = { ok: boolean; data?: { events: RoomEventView[]; serverNow: number; more?: boolean }; error?: { code: string; params?: { seconds?: number } } };
      const join = () => {
        const since = head.current;
        s.emit("room:join", { sessionId: initial.sessionId, since }, (r: Joined) => {
          if (!alive) return;
          // too many joins (a long catch-up, a flapping network): the server says when to ask again
          if (!r.ok && r.error?.code === "rate_limited") return void setTimeout(join, (r.error.params?.seconds ?? 1) * 1000);
          if (!r.ok || !r.data) return;
          setOffset(r.data.serverNow - Date.now());
          setConnected(true);
          take(r.data.events);
          // one page of the log per answer: follow on while there is more and we moved
          if (r.data.more && head.current > since) join();
        });
      };
      joinRef.current = join;
      const onEvent = (e: RoomEventView & { sessionId: number }) => e.sessionId === initial.sessionId && take([e]);
      const onPresence = (p: Presence & { sessionId: number }) => p.sessionId === initial.sessionId && setPresence(p);
      const onDown = () => setConnected(false);
      s.on("connect", join);
      s.on("disconnect", onDown);
      s.on("room:event", onEvent);
      s.on("room:presence", onPresence);
      if (s.connected) join();
      off = () => {
        s.off("connect", join);
        s.off("disconnect", onDown);
        s.off("room:event", onEvent);
        s.off("room:presence", onPresence);
        s.emit("room:leave", { sessionId: initial.sessionId });
      };
    });
    return () => {
      alive = false;
      clearTimeout(gapTimer.current);
      off();
    };
  }, [initial.sessionId, take]);

  const send = useCallback(
    async (action: Record<string, unknown>): Promise<Ack> => {
      const s = await getSocket();
      const withKey = { ...action, key: (action.key as string | undefined) || newKey() };
      for (let attempt = 0; ; attempt++) {
        try {
          const r = (await s.timeout(4000).emitWithAck("room:act", { sessionId: initial.sessionId, action: withKey })) as Ack;
          if (r.ok && action.intent === "react") {
            setState((st) => ({ ...st, statements: st.statements.map((x) => (x.id === Number(action.statementId) ? { ...x, mine: action.value as never } : x)) }));
          }
          return r;
        } catch {
          // no answer: the same key again, so it is stored once however many tries it takes
          if (attempt >= 5) return { ok: false, error: { code: "offline", message: "room.offline" } };
          await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
        }
      }
    },
    [initial.sessionId],
  );

  return { state, connected, presence, offset, send };
}

/** The current time by the server's clock, ticking each second. */
export function useServerNow(offset: number, serverNow: number) {
  // the first render uses the server's own time, so the server and the browser render the same text
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    setNow(Date.now() + offset);
    const t = setInterval(() => setNow(Date.now() + offset), 1000);
    return () => clearInterval(t);
  }, [offset]);
  return now;
}
