import { count, eq } from "drizzle-orm";
import { appendLedger } from "../app/modules/ledger/ledger.server";
import { hashPassword } from "../app/modules/accounts/passwords.server";
import type { Database, Db } from "./client";
import { seedVolunteers } from "./seed-volunteers";
import { areas, categories, matterEvents, matters, memberships, roleGrants, users } from "./schema";

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
  { login: "13800000001", name: "王阿姨", membership: { area: "c1", status: "verified" as const, address: "3 号楼 2 单元" } },
  { login: "13800000002", name: "李大爷", membership: { area: "c1", status: "pending" as const, address: "5 号楼 1 单元" } },
  { login: "13800000003", name: "孙大姐", membership: { area: "c3", status: "verified" as const, address: "第四村民小组" } },
  { login: "resident", name: "新居民 小吴" },
];

async function addArea(tx: Db, parent: { id: number; path: string } | null, values: Omit<typeof areas.$inferInsert, "path" | "parentId">) {
  const [a] = await tx.insert(areas).values({ ...values, parentId: parent?.id ?? null }).returning();
  const path = `${parent?.path ?? "/"}${a.id}/`;
  await tx.update(areas).set({ path }).where(eq(areas.id, a.id));
  await appendLedger(tx, {
    stream: `area:${parent?.id ?? a.id}`,
    actorId: null,
    action: "area.created",
    entityType: "area",
    entityId: a.id,
    summary: { after: { kind: values.kind, name: values.name }, seed: true },
    at: new Date(),
  });
  return { ...a, path };
}

/**
 * Seeds a demo county (two towns, three communities) and one account per role, only into an empty
 * database. `password` is the demo accounts' password: the README's in local mode, a generated one
 * when production asks for the demo (the caller decides; see server/prepare.ts).
 */
export async function seedIfEmpty(database: Database, log: (s: string) => void = console.log, password: string = DEMO_PASSWORD) {
  const [{ n }] = await database.db.select({ n: count() }).from(areas);
  if (Number(n) > 0) return false;
  const hash = await hashPassword(password);
  await database.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const county = await addArea(tx, null, { kind: "county", name: "清河县", residents: 320000, households: 105000 });
    const town1 = await addArea(tx, county, { kind: "town", name: "城关镇", residents: 86000, households: 29000 });
    const town2 = await addArea(tx, county, { kind: "town", name: "石桥镇", residents: 41000, households: 13500 });
    const c1 = await addArea(tx, town1, { kind: "community", communityType: "urban", name: "幸福里社区", residents: 6200, households: 2150 });
    const c2 = await addArea(tx, town1, { kind: "community", communityType: "urban", name: "东关社区", residents: 4800, households: 1620 });
    const c3 = await addArea(tx, town2, { kind: "community", communityType: "rural", name: "李家村", residents: 1350, households: 412 });
    const byKey: Record<string, { id: number; path: string }> = { county, town1, town2, c1, c2, c3 };
    const cats = await tx
      .insert(categories)
      .values(DEFAULT_CATEGORIES.map(([name, nameEn]) => ({ areaId: county.id, name, nameEn })))
      .returning({ id: categories.id });
    const userIds: Record<string, number> = {};
    for (const acc of DEMO_ACCOUNTS) {
      const phone = /^\d+$/.test(acc.login) ? acc.login : null;
      const [u] = await tx
        .insert(users)
        .values({ phone, username: phone ? null : acc.login, displayName: acc.name, passwordHash: hash })
        .returning({ id: users.id });
      userIds[acc.login] = u.id;
      if ("role" in acc && acc.role) {
        await tx.insert(roleGrants).values({ userId: u.id, role: acc.role, areaId: byKey[acc.area].id });
        await appendLedger(tx, {
          stream: `area:${byKey[acc.area].id}`,
          actorId: null,
          action: "role.granted",
          entityType: "role_grant",
          entityId: u.id,
          summary: { after: { userId: u.id, role: acc.role }, seed: true },
          at: new Date(),
        });
      }
      if ("membership" in acc && acc.membership) {
        const m = acc.membership;
        await tx.insert(memberships).values({
          userId: u.id,
          communityId: byKey[m.area].id,
          status: m.status,
          address: m.address,
          decidedAt: m.status === "verified" ? new Date() : null,
        });
      }
    }
    // two demo matters in 幸福里社区: one collecting co-signs, one accepted (public)
    const demo = [
      { title: "3 号楼电梯经常停运", state: "collecting" as const, cat: 2, desc: "上个月电梯停了五次，三楼以上的老人下不了楼。", area: "3 号楼", outcome: "更换电梯主板，建立维保公示。" },
      { title: "小区东门增设非机动车停车棚", state: "accepted" as const, cat: 1, desc: "东门电动车乱停，挡住消防通道。", area: "东门", outcome: "在东门内侧建一个带充电桩的停车棚。" },
    ];
    for (const d of demo) {
      const now = new Date();
      const [m] = await tx
        .insert(matters)
        .values({
          communityId: c1.id,
          proposerId: userIds["13800000001"],
          state: d.state,
          title: d.title,
          description: d.desc,
          categoryId: cats[d.cat].id,
          affectedArea: d.area,
          desiredOutcome: d.outcome,
          threshold: 10,
          form: d.state === "accepted" ? "meeting" : null,
          submittedAt: now,
        })
        .returning({ id: matters.id });
      // the accepted one was proposed by the committee, so it went straight to review
      const proposer = d.state === "accepted" ? userIds.committee_a : userIds["13800000001"];
      await tx.update(matters).set({ proposerId: proposer, threshold: d.state === "accepted" ? null : 10 }).where(eq(matters.id, m.id));
      const steps: [string, "collecting" | "under_review" | "accepted"][] = d.state === "accepted" ? [["submit", "under_review"], ["accept", "accepted"]] : [["submit", "collecting"]];
      for (const [kind, to] of steps) {
        await tx.insert(matterEvents).values({ matterId: m.id, kind, toState: to, actorId: proposer });
        await appendLedger(tx, { stream: `area:${c1.id}`, actorId: null, action: `matter.${kind}`, entityType: "matter", entityId: m.id, summary: { after: { state: to }, seed: true }, at: now });
      }
    }
    await seedVolunteers(tx, c1, userIds);
  });
  log("Demo data seeded. Demo accounts (demo only, password for all: " + password + "):");
  for (const a of DEMO_ACCOUNTS) log(`  ${a.login.padEnd(14)} ${a.name}`);
  return true;
}
