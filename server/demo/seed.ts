import { count, eq } from "drizzle-orm";
import { appendLedger } from "../../app/modules/ledger/ledger.server";
import { hashPassword } from "../../app/modules/accounts/passwords.server";
import { systemClock, type Clock } from "../../app/modules/shared/clock";
import type { Settings } from "../../app/modules/shared/settings";
import { volunteerKeys } from "../../app/modules/volunteers/keys.server";
import type { Database, Db } from "../../db/client";
import { seedMatters } from "./seed-matters";
import { DEMO_RESIDENTS } from "./seed-story";
import { seedVolunteers } from "./seed-volunteers";
import { areas, categories, communityRegister, communityRepresentatives, memberships, roleGrants, users } from "../../db/schema";

/** Demo-only password of every demo account (listed in the README). */
export const DEMO_PASSWORD = "yishi-demo-2026";

/** The county's guiding catalogue (协商指导性目录), inherited by every town and community. */
export const DEFAULT_CATEGORIES: [string, string][] = [
  ["公共事务", "Public affairs"],
  ["公益事业", "Public-benefit projects"],
  ["物业管理", "Property management"],
  ["环境整治", "Environment"],
  ["矛盾纠纷", "Disputes"],
  ["政策落实", "Policy implementation"],
];

export const DEMO_ACCOUNTS = [
  { login: "county_admin", name: "县民政局 张科长", role: "county_admin" as const, area: "county" },
  { login: "town_admin", name: "城关镇 刘主任", role: "town_admin" as const, area: "town1" },
  { login: "committee_a", name: "幸福里社区 陈书记", role: "committee" as const, area: "c1" },
  { login: "committee_c", name: "李家村 赵主任", role: "committee" as const, area: "c3" },
  { login: "organizer_a", name: "幸福里志愿队 周队长", role: "organizer" as const, area: "c1" },
  { login: "supervisor_a", name: "幸福里社区居务监督委员会 钱主任", role: "supervisor" as const, area: "c1" },
  { login: "13800000001", name: "王阿姨", membership: { area: "c1", status: "verified" as const, address: "3 号楼 2 单元 301" } },
  { login: "13800000002", name: "李大爷", membership: { area: "c1", status: "pending" as const, address: "5 号楼 1 单元 102" } },
  { login: "13800000003", name: "孙大姐", membership: { area: "c3", status: "verified" as const, address: "第四村民小组" } },
  { login: "resident", name: "新居民 小吴" },
  // more verified residents of 幸福里社区 (they ask to join and are verified in the demo's story)
  ...DEMO_RESIDENTS.map((r) => ({ login: r.login, name: r.name })),
];

async function addArea(tx: Db, at: Date, parent: { id: number; path: string } | null, values: Omit<typeof areas.$inferInsert, "path" | "parentId">) {
  const [a] = await tx.insert(areas).values({ ...values, parentId: parent?.id ?? null, createdAt: at }).returning();
  const path = `${parent?.path ?? "/"}${a.id}/`;
  await tx.update(areas).set({ path }).where(eq(areas.id, a.id));
  await appendLedger(tx, {
    stream: `area:${parent?.id ?? a.id}`,
    actorId: null,
    action: "area.created",
    entityType: "area",
    entityId: a.id,
    summary: { after: { kind: values.kind, name: values.name }, seed: true },
    at,
  });
  return { ...a, path };
}

const DAY = 86_400_000;

/**
 * Seeds a demo county (two towns, three communities), one account per role and, in 幸福里社区,
 * enough verified residents for any matter to reach the co-sign threshold and one matter at
 * each stage of the pipeline (db/seed-matters.ts), only into an empty database. Every time
 * comes from `clock`: the county and accounts are set up 50 days before its now, the matters'
 * story runs from then on, and what lies ahead (the open vote's close, the scheduled meeting,
 * the registration deadline, the rating window) is counted from its now. `password` is the demo
 * accounts' password: the README's in local mode, a generated one when production asks for the
 * demo (the caller decides; see server/prepare.ts).
 */
export async function seedIfEmpty(database: Database, log: (s: string) => void = console.log, password: string = DEMO_PASSWORD, clock: Clock = systemClock, settings?: Settings) {
  const [{ n }] = await database.db.select({ n: count() }).from(areas);
  if (Number(n) > 0) return false;
  const hash = await hashPassword(password);
  const now = clock.now();
  const start = new Date(now.getTime() - 50 * DAY);
  await database.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const county = await addArea(tx, start, null, { kind: "county", name: "清河县", residents: 320000, households: 105000 });
    const town1 = await addArea(tx, start, county, { kind: "town", name: "城关镇", residents: 86000, households: 29000 });
    const town2 = await addArea(tx, start, county, { kind: "town", name: "石桥镇", residents: 41000, households: 13500 });
    const c1 = await addArea(tx, start, town1, { kind: "community", communityType: "urban", name: "幸福里社区", residents: 6200, households: 2150 });
    const c2 = await addArea(tx, start, town1, { kind: "community", communityType: "urban", name: "东关社区", residents: 4800, households: 1620 });
    const c3 = await addArea(tx, start, town2, { kind: "community", communityType: "rural", name: "李家村", residents: 1350, households: 412 });
    const byKey: Record<string, { id: number; path: string }> = { county, town1, town2, c1, c2, c3 };
    const cats = await tx
      .insert(categories)
      .values(DEFAULT_CATEGORIES.map(([name, nameEn]) => ({ areaId: county.id, name, nameEn, createdAt: start })))
      .returning({ id: categories.id });
    const userIds: Record<string, number> = {};
    for (const acc of DEMO_ACCOUNTS) {
      const phone = /^\d+$/.test(acc.login) ? acc.login : null;
      const [u] = await tx
        .insert(users)
        .values({ phone, username: phone ? null : acc.login, displayName: acc.name, passwordHash: hash, createdAt: start })
        .returning({ id: users.id });
      userIds[acc.login] = u.id;
      if ("role" in acc && acc.role) {
        await tx.insert(roleGrants).values({ userId: u.id, role: acc.role, areaId: byKey[acc.area].id, createdAt: start });
        await appendLedger(tx, {
          stream: `area:${byKey[acc.area].id}`,
          actorId: null,
          action: "role.granted",
          entityType: "role_grant",
          entityId: u.id,
          summary: { after: { userId: u.id, role: acc.role }, seed: true },
          at: start,
        });
      }
      if ("membership" in acc && acc.membership) {
        const m = acc.membership;
        await tx.insert(memberships).values({
          userId: u.id,
          communityId: byKey[m.area].id,
          status: m.status,
          address: m.address,
          // demo residents are adults (a year, not a date: 居民会议 checks 18+ on it)
          birthYear: 1960 + (u.id % 30),
          createdAt: start,
          decidedAt: m.status === "verified" ? start : null,
        });
      }
    }
    await seedVillageRegister(tx, start, c3, userIds);
    await seedMatters(tx, now, c1, cats.map((c) => c.id), userIds);
    await seedVolunteers(tx, now, c1, userIds, volunteerKeys(settings));
  });
  log("Demo data seeded. Demo accounts (demo only, password for all: " + password + "):");
  for (const a of DEMO_ACCOUNTS) log(`  ${a.login.padEnd(14)} ${a.name}`);
  return true;
}

/**
 * 李家村's register (issue 19): the household register's count as of the demo's first day, so a
 * 村民会议 there counts its quorum over 1,080 adults or 412 households, and its representatives
 * roster (村民代表), so a 村民代表会议 lists them as speakers and voters. 幸福里社区 keeps no
 * register in the demo: its story votes were counted with accounts standing in, and say so.
 */
async function seedVillageRegister(tx: Db, start: Date, c3: { id: number }, userIds: Record<string, number>) {
  const day = new Date(start.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const [entry] = await tx
    .insert(communityRegister)
    .values({ communityId: c3.id, residents: 1350, adults: 1080, households: 412, asOf: day, source: "household_register", note: "镇派出所户籍数据", recordedBy: userIds.committee_c, createdAt: start })
    .returning();
  await appendLedger(tx, {
    stream: `area:${c3.id}`,
    actorId: userIds.committee_c,
    action: "register.recorded",
    entityType: "community_register",
    entityId: entry.id,
    summary: { after: { residents: 1350, adults: 1080, households: 412, asOf: day, source: "household_register" }, seed: true },
    at: start,
  });
  const termEnd = `${Number(day.slice(0, 4)) + 5}${day.slice(4)}`;
  const [rep] = await tx
    .insert(communityRepresentatives)
    .values({ communityId: c3.id, userId: userIds["13800000003"], termStart: day, termEnd, addedBy: userIds.committee_c, createdAt: start })
    .returning();
  await appendLedger(tx, {
    stream: `area:${c3.id}`,
    actorId: userIds.committee_c,
    action: "roster.added",
    entityType: "community_representative",
    entityId: rep.id,
    summary: { after: { userId: rep.userId, termStart: day, termEnd }, seed: true },
    at: start,
  });
}
