/** Starting realtime servers and room clients for socket tests. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { io as connect, type Socket } from "socket.io-client";
import type { Db } from "../../db/client";
import { createSession } from "../../app/modules/accounts/sessions.server";
import type { EventBus } from "../../app/modules/shared/events";
import { attachRealtime } from "../../server/realtime/index";

export interface Instance {
  url: string;
  port: number;
  close: () => Promise<void>;
}

export async function startInstance(db: Db, events: EventBus, opts: { port?: number; redisUrl?: string } = {}): Promise<Instance> {
  const server = http.createServer();
  const rt = await attachRealtime(server, { db, events, log: pino({ level: "silent" }), redisUrl: opts.redisUrl });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await rt.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export async function cookieOf(db: Db, userId: number) {
  return `yishi_session=${(await createSession(db, userId, new Date())).token}`;
}

export interface RoomEvent {
  sessionId: number;
  seq: number;
  kind: string;
  payload: Record<string, any>;
}

/**
 * A room client as the browser hook behaves: it keeps the last seq, re-joins with `since` on every
 * (re)connect, and keeps every event it got, so a test can check for gaps and duplicates.
 */
export class RoomClient {
  socket: Socket;
  got: RoomEvent[] = [];
  head = 0;
  joins = 0;
  presence: { panel: string[]; observers: number } | null = null;
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  constructor(
    url: string,
    cookie: string | undefined,
    public sessionId: number,
    opts: { reconnection?: boolean; transports?: ("websocket" | "polling")[] } = {},
  ) {
    this.socket = connect(url, {
      transports: opts.transports ?? ["websocket"],
      reconnection: opts.reconnection ?? false,
      reconnectionDelay: 100,
      reconnectionDelayMax: 300,
      extraHeaders: { Origin: url, ...(cookie ? { Cookie: cookie } : {}) },
    });
    this.socket.on("room:event", (e: RoomEvent) => {
      if (e.sessionId !== this.sessionId) return;
      this.take(e);
    });
    this.socket.on("room:presence", (p: { sessionId: number; panel: string[]; observers: number }) => {
      if (p.sessionId === this.sessionId) this.presence = p;
      this.check();
    });
  }

  private pending = new Map<number, RoomEvent>();
  private gapTimer: NodeJS.Timeout | undefined;
  resyncs = 0;

  /**
   * Applies events strictly in seq order. Across instances an event can overtake an earlier one;
   * the later one waits, and if the gap is still open after a moment the client asks for it.
   */
  private take(e: RoomEvent) {
    if (e.seq <= this.head) return;
    this.pending.set(e.seq, e);
    while (this.pending.has(this.head + 1)) {
      const next = this.pending.get(this.head + 1)!;
      this.pending.delete(next.seq);
      this.got.push(next);
      this.head = next.seq;
    }
    if (this.pending.size && !this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        if (this.pending.size) {
          this.resyncs++;
          void this.join();
        }
      }, 500);
    }
    this.check();
  }
  private check() {
    this.waiters = this.waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
  }

  connected() {
    return new Promise<void>((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once("connect", () => resolve());
      this.socket.once("connect_error", reject);
    });
  }

  /** Joins, and follows the log's pages (`more`) as the browser hook does; answers the first page's ack. */
  async join(since = this.head) {
    const r = await this.socket.emitWithAck("room:join", { sessionId: this.sessionId, since });
    if (r.ok) {
      this.joins++;
      for (const e of r.data.events) this.take({ sessionId: this.sessionId, ...e });
      let page = r;
      while (page.ok && page.data.more && this.head > since) {
        since = this.head;
        page = await this.socket.emitWithAck("room:join", { sessionId: this.sessionId, since });
        if (page.ok) for (const e of page.data.events) this.take({ sessionId: this.sessionId, ...e });
      }
    }
    return r;
  }

  /** Re-joins with the last seq after every reconnect. */
  autoRejoin() {
    this.socket.io.on("reconnect", () => void this.join());
    return this;
  }

  act(action: Record<string, unknown>) {
    return this.socket.emitWithAck("room:act", { sessionId: this.sessionId, action });
  }

  /** Waits for `pred`; the default wait leaves room for a loaded 2-core CI, inside the 30 s test timeout. */
  until(pred: () => boolean, ms = 25_000) {
    return new Promise<void>((resolve, reject) => {
      if (pred()) return resolve();
      const t = setTimeout(() => reject(new Error(`timed out at head ${this.head}`)), ms);
      this.waiters.push({ pred, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  seqs() {
    return this.got.map((e) => e.seq);
  }
  close() {
    clearTimeout(this.gapTimer);
    this.socket.disconnect();
  }
}
