import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { areas } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, grant, join, makeCategory, makeTree, makeUser } from "../../../tests/support/factories";
import { cosignMatter } from "./cosign.server";
import { getHome } from "./home.server";
import { createDraft } from "./proposals.server";
import { runMatterCommand } from "./review.server";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
});
afterAll(() => database.close());

const draft = { title: "东门路灯不亮", description: "晚上回家看不清路。", affectedArea: "东门", desiredOutcome: "修好路灯" };

async function resident(communityId: number, status: "verified" | "pending" = "verified") {
  const u = await makeUser(database.db, { name: "王阿姨" });
  await join(database.db, u.id, communityId, status);
  return actorOf(database.db, u.id);
}

describe("the home page's lists", () => {
  it("a resident sees the matters of their community waiting for their co-sign, each a link, and not once they co-signed or elsewhere", async () => {
    await database.db.update(areas).set({ cosignThreshold: 5 }).where(eq(areas.id, tree.a1.id));
    const category = await makeCategory(database.db, tree.county.id);
    const proposer = await resident(tree.a1.id);
    const { id } = await createDraft(context(database.db, proposer).ctx, tree.a1.id, { ...draft, categoryId: category.id });
    await runMatterCommand(context(database.db, proposer).ctx, id, { command: "submit" });

    const neighbour = await resident(tree.a1.id);
    const home = await getHome(context(database.db, neighbour).ctx);
    expect(home?.collecting).toEqual([expect.objectContaining({ id, title: draft.title, cosignCount: 0, threshold: 5, link: `/matters/${id}` })]);
    // the proposer is not asked to co-sign their own; a resident of another community is not asked at all
    expect((await getHome(context(database.db, proposer).ctx))?.collecting.map((m) => m.id)).not.toContain(id);
    expect((await getHome(context(database.db, await resident(tree.b1.id)).ctx))?.collecting.map((m) => m.id)).not.toContain(id);
    await cosignMatter(context(database.db, neighbour).ctx, id);
    expect((await getHome(context(database.db, neighbour).ctx))?.collecting.map((m) => m.id)).not.toContain(id);
    expect(await getHome(context(database.db, null).ctx)).toBeNull();
  });

  it("staff see their communities and their to-do list as links, only in their scope; a resident has none", async () => {
    const c = await makeUser(database.db, { name: "陈书记" });
    await grant(database.db, c.id, "committee", tree.a2.id);
    const committee = await actorOf(database.db, c.id);
    const waiting = await resident(tree.a2.id, "pending");
    await resident(tree.b1.id, "pending"); // another town's: not theirs

    const home = await getHome(context(database.db, committee).ctx);
    expect(home?.staffCommunities).toEqual([{ id: tree.a2.id, name: "甲二社区", link: `/communities/${tree.a2.id}` }]);
    expect(home?.tasks).toEqual([{ kind: "verify", communityId: tree.a2.id, community: "甲二社区", count: 1, link: `/communities/${tree.a2.id}/members` }]);
    expect((await getHome(context(database.db, waiting).ctx))?.tasks).toEqual([]);
  });
});
