/** Test support for the selection: a panel matter in `selecting` with its plan. */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { areas, memberships } from "../../db/schema";
import type { Actor } from "../../app/modules/accounts/actor";
import { beijingLocalInput } from "../../app/modules/shared/beijing-time";
import { cosignMatter } from "../../app/modules/matters/cosign.server";
import { createDraft } from "../../app/modules/matters/proposals.server";
import { runMatterCommand } from "../../app/modules/matters/review.server";
import { PlanSchema } from "../../app/modules/matters/selection/plan-schema.server";
import { savePlan } from "../../app/modules/matters/selection/plan.server";
import { actorOf, context, grant, makeArea, makeUser, type makeTree } from "./factories";

const DAY = 86_400_000;

/** A panel matter in `selecting` with a plan, a committee member and `residents` verified residents (in their own households). */
export async function selectingMatter(database: Database, tree: Awaited<ReturnType<typeof makeTree>>, categoryId: number, quotas: string, panelSize: number, residentsCount = 0) {
  const community = await makeArea(database.db, tree.townA, "community");
  await database.db.update(areas).set({ cosignThreshold: 1 }).where(eq(areas.id, community.id));
  const staff = await actorOf(database.db, (await makeUser(database.db)).id);
  await grant(database.db, staff.id, "committee", community.id);
  const residents: Actor[] = [];
  for (let i = 0; i < Math.max(2, residentsCount); i++) {
    const u = await makeUser(database.db);
    await database.db.insert(memberships).values({ userId: u.id, communityId: community.id, status: "verified", address: `${i} 号` });
    residents.push(await actorOf(database.db, u.id));
  }
  const clock = context(database.db, null).clock;
  const t = context(database.db, null, clock);
  const as = (a: Actor | null) => ({ ...t.ctx, actor: a });
  const staffActor = await actorOf(database.db, staff.id);
  const { id } = await createDraft(as(residents[0]), community.id, { title: "加装电梯", description: "老楼加装电梯", categoryId, affectedArea: "东西楼", desiredOutcome: "协商方案" });
  await runMatterCommand(as(residents[0]), id, { command: "submit" });
  await cosignMatter(as(residents[1]), id);
  await runMatterCommand(as(staffActor), id, { command: "accept", form: "panel" });
  await runMatterCommand(as(staffActor), id, { command: "openSelection" });
  const deadline = new Date(clock.now().getTime() + DAY);
  await savePlan(as(staffActor), id, PlanSchema.parse({ panelSize: String(panelSize), onePerHousehold: "on", registrationDeadline: beijingLocalInput(deadline), responseDays: "3", quotas }));
  return { id, staff: staffActor, residents, clock, as, events: t.events };
}

