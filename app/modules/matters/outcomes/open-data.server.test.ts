import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { areas, commitments, matters, outcomes } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { context, makeCategory, makeTree, makeUser } from "../../../../tests/support/factories";
import { eq } from "drizzle-orm";
import { toCsv } from "./export.server";
import { getAllOpenData, getOpenData } from "./open-data.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe("居务公开 open data", () => {
  it("is read without signing in: public states only, every name masked, no phone or ID number, paged by stable ids", async () => {
    const tree = await makeTree(database.db);
    // a community that shows names in full: the open data masks them anyway
    await database.db.update(areas).set({ publicNames: "real" }).where(eq(areas.id, tree.a1.id));
    const cat = await makeCategory(database.db, tree.county.id);
    const proposer = await makeUser(database.db, { name: "王秀英" });
    const owner = await makeUser(database.db, { name: "李建国" });
    const row = (state: "collecting" | "decided" | "implementing", title: string) => ({
      communityId: tree.a1.id,
      proposerId: proposer.id,
      state,
      title,
      description: "住址 3 号楼 2 单元 101，电话 13812345678",
      categoryId: cat.id,
      affectedArea: "3 号楼",
      desiredOutcome: "修",
    });
    const made = await database.db
      .insert(matters)
      .values([row("collecting", "还在征集的议题"), row("decided", "修路 联系 13812345678"), row("implementing", "证件 110101199003074512 加装电梯")])
      .returning();
    const { ctx, clock } = context(database.db, null);
    const ctxClock = () => clock.now();
    await database.db.insert(outcomes).values({ matterId: made[2].id, decision: "加装电梯，联系人 13900001111", recordedBy: owner.id, recordedAt: ctxClock() });
    await database.db.insert(commitments).values({ matterId: made[2].id, title: "招标", responsibleUnit: "居委会", ownerId: owner.id, dueDate: "2027-01-31" });
    const all = await getAllOpenData(ctx, tree.a1.id);
    expect(all.matters.map((m) => m.id)).toEqual([made[1].id, made[2].id]);
    expect(all.mattersByState).toEqual({ decided: 1, implementing: 1 });
    const text = JSON.stringify(all) + toCsv(all);
    for (const secret of ["13812345678", "110101199003074512", "13900001111", "王秀英", "李建国", "3 号楼 2 单元 101", proposer.username ?? "—"]) expect(text).not.toContain(secret);
    expect(all.matters[0].proposer).toBe("王**");
    expect(all.matters[1].commitments[0]).toMatchObject({ owner: "李**", progress: 0 });
    // pages follow ids: a cursor, then the rest, then no next
    const first = await getOpenData(ctx, tree.a1.id, { limit: 1 });
    expect(first.matters.map((m) => m.id)).toEqual([made[1].id]);
    const second = await getOpenData(ctx, tree.a1.id, { after: first.next!, limit: 1 });
    expect(second.matters.map((m) => m.id)).toEqual([made[2].id]);
    expect(second.matters[0].commitments).toHaveLength(1);
    expect((await getOpenData(ctx, tree.a1.id, { after: second.next!, limit: 1 })).next).toBeNull();
    // the town's open data holds its communities' matters
    expect((await getAllOpenData(ctx, tree.townA.id)).matters.map((m) => m.id)).toEqual([made[1].id, made[2].id]);

    // the dashboard's figures, without signing in (issue 19): an overdue commitment counts, per community at the town
    await database.db.insert(commitments).values({ matterId: made[2].id, title: "验收", responsibleUnit: "居委会", ownerId: owner.id, dueDate: "2026-10-01" });
    const town = await getAllOpenData(ctx, tree.townA.id);
    expect(town.figures.total).toMatchObject({ overdue: 1, objectionsOpen: 0, objectionsOverdue: 0 });
    expect(town.figures.communities.map((c) => [c.id, c.overdue])).toEqual([
      [tree.a1.id, 1],
      [tree.a2.id, 0],
    ]);
    expect(JSON.stringify(town.figures)).not.toContain("验收");
  });
});
