import http from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { createSession } from "../../app/modules/accounts/sessions.server";
import { EventBus } from "../../app/modules/shared/events";
import { testDatabase } from "../../tests/support/db";
import { makeUser } from "../../tests/support/factories";
import { attachRealtime } from "./index";

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)("several instances through Redis", () => {
  let database: Database;
  const instances: { server: http.Server; events: EventBus; url: string; close: () => Promise<void> }[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    for (let i = 0; i < 2; i++) {
      const events = new EventBus();
      const server = http.createServer();
      const rt = await attachRealtime(server, { db: database.db, events, log: pino({ level: "silent" }), redisUrl });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      instances.push({ server, events, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: rt.close });
    }
  });
  afterAll(async () => {
    for (const i of instances) await i.close();
    await database.close();
  });

  it("a notification published on one instance reaches the user's socket on the other", async () => {
    const u = await makeUser(database.db);
    const { token } = await createSession(database.db, u.id, new Date());
    const b = instances[1];
    const s = connect(b.url, { transports: ["websocket"], reconnection: false, extraHeaders: { Origin: b.url, Cookie: `yishi_session=${token}` } });
    await new Promise<void>((resolve, reject) => (s.on("connect", () => resolve()), s.on("connect_error", reject)));
    const got = new Promise<{ unread: number }>((r) => s.on("notification", r));
    await new Promise((r) => setTimeout(r, 200)); // the room join travels to Redis
    instances[0].events.publish({ type: "notification.created", userId: u.id, notificationId: 1, unread: 3, kind: "notify.membership.verified", params: {}, link: null });
    expect((await got).unread).toBe(3);
    s.disconnect();
  });
});
