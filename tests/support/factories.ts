import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { areas, memberships, roleGrants, users } from "../../db/schema";
import type { Actor, RoleName } from "../../app/modules/accounts/actor";
import { getSessionActor, createSession } from "../../app/modules/accounts/sessions.server";
import { hashPassword } from "../../app/modules/accounts/passwords.server";
import type { CommandContext } from "../../app/modules/shared/context";
import { EventBus, type DomainEvent } from "../../app/modules/shared/events";
import { fixedClock, type Clock } from "../../app/modules/shared/clock";

export const PASSWORD = "correct horse battery";
let cachedHash: Promise<string> | undefined;
let seq = 0;

export async function makeUser(db: Db, opts: { name?: string; username?: string; phone?: string } = {}) {
  cachedHash ??= hashPassword(PASSWORD);
  seq++;
  const [u] = await db
    .insert(users)
    .values({
      username: opts.phone ? null : (opts.username ?? `user_${process.pid}_${seq}`),
      phone: opts.phone ?? null,
      displayName: opts.name ?? `居民${seq}`,
      passwordHash: await cachedHash,
    })
    .returning();
  return u;
}

export async function makeArea(db: Db, parent: { id: number; path: string } | null, kind: "county" | "town" | "community", name = `${kind}-${++seq}`) {
  const [a] = await db
    .insert(areas)
    .values({ kind, name, parentId: parent?.id ?? null, communityType: kind === "community" ? "urban" : null, residents: 1000, households: 300 })
    .returning();
  const path = `${parent?.path ?? "/"}${a.id}/`;
  await db.update(areas).set({ path }).where(eq(areas.id, a.id));
  return { ...a, path };
}

/** county → two towns → two communities each. */
export async function makeTree(db: Db) {
  const county = await makeArea(db, null, "county", "县");
  const townA = await makeArea(db, county, "town", "甲镇");
  const townB = await makeArea(db, county, "town", "乙镇");
  const a1 = await makeArea(db, townA, "community", "甲一社区");
  const a2 = await makeArea(db, townA, "community", "甲二社区");
  const b1 = await makeArea(db, townB, "community", "乙一社区");
  return { county, townA, townB, a1, a2, b1 };
}

export async function grant(db: Db, userId: number, role: RoleName, areaId: number) {
  await db.insert(roleGrants).values({ userId, role, areaId });
}

export async function join(db: Db, userId: number, communityId: number, status: "pending" | "verified" | "declined" = "verified") {
  const [m] = await db.insert(memberships).values({ userId, communityId, status, address: "1 号楼", birthYear: 1980 }).returning();
  return m;
}

/** The actor exactly as a request would see it, loaded through a real session. */
export async function actorOf(db: Db, userId: number): Promise<Actor> {
  const { token } = await createSession(db, userId, new Date());
  return (await getSessionActor(db, token, new Date()))!;
}

export interface TestContext<C extends Clock> {
  ctx: CommandContext;
  events: DomainEvent[];
  clock: C;
}

/**
 * A command context on one clock: by default a fixed one a test moves by hand. A test that reads
 * back what a command wrote (sessions, deadlines) reads on this same clock, never on `new Date()`;
 * a test of code that runs on the real clock (the seed, a server) passes `systemClock`.
 */
export function context(db: Db, actor: Actor | null): TestContext<ReturnType<typeof fixedClock>>;
export function context<C extends Clock>(db: Db, actor: Actor | null, clock: C): TestContext<C>;
export function context(db: Db, actor: Actor | null, clock: Clock = fixedClock(new Date("2026-11-26T02:00:00Z"))): TestContext<Clock> {
  const events = new EventBus();
  const seen: DomainEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const ctx: CommandContext = { db, actor, events, clock, ip: "127.0.0.1" };
  return { ctx, events: seen, clock };
}

export async function makeCategory(db: Db, areaId: number, name = `类别${++seq}`) {
  const { categories } = await import("../../db/schema");
  const [c] = await db.insert(categories).values({ areaId, name }).returning();
  return c;
}

/** Many verified residents of one community at once (for races and benches). */
export async function makeResidents(db: Db, communityId: number, n: number) {
  cachedHash ??= hashPassword(PASSWORD);
  const hash = await cachedHash;
  const tag = `${process.pid}_${++seq}`;
  const rows = await db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ username: `r_${tag}_${i}`, displayName: `居民${i}`, passwordHash: hash })))
    .returning({ id: users.id });
  await db.insert(memberships).values(rows.map((r) => ({ userId: r.id, communityId, status: "verified" as const, address: "1 号楼", birthYear: 1980 })));
  return rows.map((r) => r.id);
}

/** What a command answered: "ok", or the message key of the DomainError it threw (anything else is rethrown). */
export async function outcomeOf(p: Promise<unknown>) {
  const { DomainError } = await import("../../app/modules/shared/errors");
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.messageKey;
    throw e;
  }
  return "ok";
}
