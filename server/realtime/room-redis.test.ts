import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { act } from "../../app/modules/matters/room/act.server";
import { RoomActionSchema } from "../../app/modules/matters/room/schemas";
import { systemClock } from "../../app/modules/shared/clock";
import { EventBus } from "../../app/modules/shared/events";
import { testDatabase } from "../../tests/support/db";
import { makeRoomWorld } from "../../tests/support/room";
import { cookieOf, RoomClient, startInstance, type Instance } from "../../tests/support/room-sockets";

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)("the room across two instances through Redis", () => {
  let database: Database;
  const buses = [new EventBus(), new EventBus()];
  const instances: Instance[] = [];
  const clients: RoomClient[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    for (const bus of buses) instances.push(await startInstance(database.db, bus, { redisUrl }));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const i of instances) await i.close();
    await database.close();
  });

  it("a statement posted on one instance reaches sockets on the other, in order, with presence counted across both", async () => {
    const w = await makeRoomWorld(database.db, { events: buses[0], panel: 2 });
    await act({ ...w.ctx(w.actors.committee), clock: systemClock }, w.sessionId, RoomActionSchema.parse({ intent: "open" }));
    const on = async (i: number, userId: number) => {
      const c = new RoomClient(instances[i].url, await cookieOf(database.db, userId), w.sessionId);
      clients.push(c);
      await c.connected();
      expect(await c.join(0)).toMatchObject({ ok: true });
      return c;
    };
    const a = await on(0, w.users.panel[0]);
    const b = await on(1, w.users.panel[1]);
    const obs = await on(1, w.users.observer);
    await b.until(() => b.presence?.panel.length === 2 && b.presence.observers === 1);
    for (let i = 0; i < 10; i++) expect(await a.act({ intent: "post", stance: "support", body: `跨实例 ${i}` })).toMatchObject({ ok: true });
    // and the other way: a post on instance 1 reaches instance 0
    expect(await b.act({ intent: "post", stance: "oppose", body: "从二号实例" })).toMatchObject({ ok: true });
    await Promise.all([a.until(() => a.head === 12), b.until(() => b.head === 12), obs.until(() => obs.head === 12)]);
    for (const c of [a, b, obs]) expect(c.seqs()).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
