/**
 * The cast and the clock of the demo's story (db/seed-matters.ts): its residents, the matters'
 * titles the README's tour names, the actor as a request would see it, and the Beijing times the
 * forms post.
 */
import { eq } from "drizzle-orm";
import type { Actor } from "../../app/modules/accounts/actor";
import { beijingDay, beijingMinute, fromBeijing } from "../../app/modules/shared/beijing-time";
import type { Db } from "../../db/client";
import { areas, memberships, roleGrants, users } from "../../db/schema";

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/**
 * The verified residents of 幸福里社区 besides 王阿姨 (13800000001): enough for any new matter to
 * reach the default co-sign threshold of 10, in fewer households than people (a couple shares a
 * flat), so a household vote counts households.
 */
export const DEMO_RESIDENTS = [
  { login: "13800000004", name: "张师傅", address: "3 号楼 2 单元 302" },
  { login: "13800000005", name: "刘阿姨", address: "1 号楼 1 单元 101" },
  { login: "13800000006", name: "刘大爷", address: "1 号楼 1 单元 101" },
  { login: "13800000007", name: "陈老师", address: "2 号楼 3 单元 502" },
  { login: "13800000008", name: "赵先生", address: "5 号楼 2 单元 201" },
  { login: "13800000009", name: "钱女士", address: "5 号楼 2 单元 201" },
  { login: "13800000010", name: "周大哥", address: "6 号楼 1 单元 602" },
  { login: "13800000011", name: "吴阿姨", address: "4 号楼 1 单元 401" },
  { login: "13800000012", name: "郑小姐", address: "7 号楼 2 单元 1102" },
  { login: "13800000013", name: "冯师傅", address: "8 号楼 1 单元 301" },
  { login: "13800000014", name: "何奶奶", address: "2 号楼 1 单元 102" },
  { login: "13800000015", name: "黄先生", address: "9 号楼 3 单元 702" },
];

/** The demo matters' titles, by the stage each is left at (the README's tour names them). */
export const DEMO_MATTERS = {
  completed: "垃圾站异味扰民",
  implementing: "儿童游乐设施老化",
  voting: "小区道路坑洼修补（一事一议筹资）",
  scheduled: "小区东门增设非机动车停车棚",
  selecting: "社区养老服务站选址",
  collecting: "3 号楼电梯经常停运",
} as const;

/** The actor as a request would see it: the user with their roles and memberships, read now. */
export async function actorOf(db: Db, userId: number): Promise<Actor> {
  const [u] = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, userId));
  const roles = await db
    .select({ role: roleGrants.role, areaId: roleGrants.areaId, areaPath: areas.path })
    .from(roleGrants)
    .innerJoin(areas, eq(areas.id, roleGrants.areaId))
    .where(eq(roleGrants.userId, userId));
  const ms = await db
    .select({ communityId: memberships.communityId, communityPath: areas.path, status: memberships.status })
    .from(memberships)
    .innerJoin(areas, eq(areas.id, memberships.communityId))
    .where(eq(memberships.userId, userId));
  return { ...u, roles, memberships: ms };
}

/** A clock that starts `start` and is moved to points of the story, never backwards. */
export function storyClock(start: Date) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    to(at: Date) {
      if (at.getTime() < t) throw new Error(`the demo story went backwards: ${at.toISOString()} < ${new Date(t).toISOString()}`);
      t = at.getTime();
    },
  };
}

/** `HH:mm` Beijing time on the Beijing day `days` after `now`. */
export function beijingAt(now: Date, days: number, hhmm: string) {
  return fromBeijing(beijingDateOf(now, days), hhmm);
}

/** "YYYY-MM-DD HH:mm" in Beijing time: what a date-time field of a form posts. */
export const beijingField = beijingMinute;
/** "YYYY-MM-DD", the Beijing date `days` after `now`: what a due-date field posts. */
export const beijingDateOf = (now: Date, days: number) => beijingDay(new Date(now.getTime() + days * DAY));
