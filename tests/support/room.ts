/**
 * Room fixtures: a community with a committee member, a matter in `scheduled` whose notice period
 * has passed, an accepted panel (panel_members rows inserted directly), an observer (verified
 * resident), a resident of another community, and a scheduled session with an agenda.
 */
import type { Db } from "../../db/client";
import { matters, panelMembers } from "../../db/schema";
import type { Actor } from "../../app/modules/accounts/actor";
import { fixedClock, type Clock } from "../../app/modules/shared/clock";
import type { CommandContext } from "../../app/modules/shared/context";
import { EventBus } from "../../app/modules/shared/events";
import { scheduleSession } from "../../app/modules/matters/room/agenda.server";
import { ScheduleSessionSchema } from "../../app/modules/matters/room/schemas";
import { actorOf, grant, join, makeCategory, makeTree, makeUser } from "./factories";

export const ROOM_NOW = new Date("2026-11-26T02:00:00Z");

/** An accepted panel seat for a user, as selection leaves it. */
export async function addPanelMember(db: Db, matterId: number, userId: number, status: "accepted" | "invited" | "declined" = "accepted") {
  const [row] = await db
    .insert(panelMembers)
    .values({ matterId, userId, source: "lottery", status, respondBy: ROOM_NOW, invitedAt: ROOM_NOW, respondedAt: ROOM_NOW })
    .returning();
  return row;
}

export async function makeMatter(db: Db, communityId: number, proposerId: number, categoryAreaId: number, opts: { state?: "accepted" | "scheduled" | "deliberating"; published?: Date | null; form?: "panel" | "meeting" } = {}) {
  const cat = await makeCategory(db, categoryAreaId);
  const [m] = await db
    .insert(matters)
    .values({
      communityId,
      proposerId,
      state: opts.state ?? "scheduled",
      title: "东侧道路积水改造",
      description: "小区东侧道路长期积水，需要统一改造。",
      categoryId: cat.id,
      affectedArea: "东侧道路",
      desiredOutcome: "改造排水管道",
      form: opts.form ?? "panel",
      materialsPublishedAt: opts.published === undefined ? new Date(ROOM_NOW.getTime() - 30 * 86_400_000) : opts.published,
    })
    .returning();
  return m;
}

export interface RoomWorld {
  tree: Awaited<ReturnType<typeof makeTree>>;
  matterId: number;
  sessionId: number;
  users: { committee: number; panel: number[]; observer: number; outsider: number; stranger: number };
  actors: { committee: Actor; panel: Actor[]; observer: Actor; outsider: Actor; stranger: Actor };
  ctx: (actor: Actor | null, clock?: Clock) => CommandContext;
  events: EventBus;
}

/** Builds the world and schedules one session with two agenda items (10 and 20 minutes). */
export async function makeRoomWorld(db: Db, opts: { panel?: number; published?: Date | null; events?: EventBus } = {}): Promise<RoomWorld> {
  const tree = await makeTree(db);
  const committee = await makeUser(db, { name: "委员甲" });
  await grant(db, committee.id, "committee", tree.a1.id);
  const panel: number[] = [];
  for (let i = 0; i < (opts.panel ?? 2); i++) {
    const u = await makeUser(db, { name: `代表${i + 1}` });
    await join(db, u.id, tree.a1.id);
    panel.push(u.id);
  }
  const observer = await makeUser(db, { name: "旁听居民" });
  await join(db, observer.id, tree.a1.id);
  const outsider = await makeUser(db, { name: "外社区居民" });
  await join(db, outsider.id, tree.b1.id);
  const stranger = await makeUser(db, { name: "路人" });
  const m = await makeMatter(db, tree.a1.id, committee.id, tree.county.id, { published: opts.published });
  for (const u of panel) await addPanelMember(db, m.id, u);
  const events = opts.events ?? new EventBus();
  const clock = fixedClock(ROOM_NOW);
  const ctx = (actor: Actor | null, c: Clock = clock) => ({ db, actor, events, clock: c, ip: "127.0.0.1" });
  const actors = {
    committee: await actorOf(db, committee.id),
    panel: await Promise.all(panel.map((id) => actorOf(db, id))),
    observer: await actorOf(db, observer.id),
    outsider: await actorOf(db, outsider.id),
    stranger: await actorOf(db, stranger.id),
  };
  const { sessionId } = await scheduleSession(
    ctx(actors.committee),
    m.id,
    ScheduleSessionSchema.parse({ scheduledAt: "2026-11-26T10:00", place: "社区活动室", items: [{ title: "情况介绍", minutes: "10" }, { title: "讨论方案", minutes: "20" }] }),
  );
  return { tree, matterId: m.id, sessionId, users: { committee: committee.id, panel, observer: observer.id, outsider: outsider.id, stranger: stranger.id }, actors, ctx, events };
}
