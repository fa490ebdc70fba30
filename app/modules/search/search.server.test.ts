import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { comments, matters } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, grant, join, makeTree, makeUser } from "../../../tests/support/factories";
import { makeMatter } from "../../../tests/support/room";
import type { Actor } from "../accounts/actor";
import { postComment } from "../matters/comments/post.server";
import { beijingDay } from "../shared/beijing-time";
import { SearchSchema } from "./schemas";
import { searchEverything, snippetOf } from "./search.server";

let database: Database;
const a: Record<string, Actor | null> = {};
let publicId: number;
let collectingId: number;
let otherTownId: number;
let tree: Awaited<ReturnType<typeof makeTree>>;
const find = async (who: Actor | null, q: Record<string, string>) =>
  (await searchEverything(context(database.db, who).ctx, SearchSchema.parse(q))).results.map((r) => `${r.kind}:${r.id}`);

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  tree = await makeTree(db);
  const u = async (name: string) => (await makeUser(db, { name })).id;
  const resident = await u("居民"), outsider = await u("外人"), committee = await u("委员"), town = await u("镇干部"), otherTown = await u("乙镇干部");
  await join(db, resident, tree.a1.id);
  await join(db, outsider, tree.b1.id);
  await grant(db, committee, "committee", tree.a1.id);
  await grant(db, town, "town_admin", tree.townA.id);
  await grant(db, otherTown, "town_admin", tree.townB.id);
  for (const [k, id] of Object.entries({ resident, outsider, committee, town, otherTown })) a[k] = await actorOf(db, id);
  a.anon = null;
  publicId = (await makeMatter(db, tree.a1.id, resident, tree.county.id)).id;
  await db.update(matters).set({ title: "东门雨水管网改造", description: "雨季积水严重，需要更换管网。" }).where(eq(matters.id, publicId));
  collectingId = (await makeMatter(db, tree.a1.id, resident, tree.county.id)).id;
  await db.update(matters).set({ state: "collecting", title: "内部征集：积水点位", description: "仅本社区可见" }).where(eq(matters.id, collectingId));
  otherTownId = (await makeMatter(db, tree.b1.id, outsider, tree.county.id)).id;
  await db.update(matters).set({ title: "乙镇积水问题", description: "另一个镇" }).where(eq(matters.id, otherTownId));
  const ctx = context(db, a.resident).ctx;
  await postComment(ctx, publicId, { stance: "support", body: "支持！积水太严重了" });
  await postComment(ctx, collectingId, { stance: "support", body: "社区内部的积水讨论" });
  const hidden = await postComment(ctx, publicId, { stance: "oppose", body: "被隐藏的积水评论" });
  await db.update(comments).set({ status: "hidden" }).where(eq(comments.id, hidden.id));
});
afterAll(() => database.close());

describe("search", () => {
  it("finds Chinese words inside text (no word boundaries) across matters and comments, most similar first", async () => {
    const hits = await find(a.anon, { q: "积水" });
    expect(hits).toContain(`matter:${publicId}`);
    expect(hits).toContain(`matter:${otherTownId}`);
    expect(hits.filter((h) => h.startsWith("comment:"))).toHaveLength(1);
    expect(await find(a.anon, { q: "管网" })).toEqual([`matter:${publicId}`]);
    expect(await find(a.anon, { q: "" })).toEqual([]);
    // LIKE's wildcards are plain characters here
    expect(await find(a.anon, { q: "%" })).toEqual([]);
  });

  it("nobody finds what they may not read: a matter still collecting and its comments stay in the community; hidden comments are found by nobody", async () => {
    for (const who of ["anon", "outsider", "otherTown"]) {
      const hits = await find(a[who], { q: "积水" });
      expect(hits, who).not.toContain(`matter:${collectingId}`);
      expect(hits.filter((h) => h.startsWith("comment:")), who).toHaveLength(1);
    }
    for (const who of ["resident", "committee", "town"]) {
      const hits = await find(a[who], { q: "积水" });
      expect(hits, who).toContain(`matter:${collectingId}`);
      expect(hits.filter((h) => h.startsWith("comment:")), who).toHaveLength(2);
    }
  });

  it("filters by community (or town), state, kind and Beijing day", async () => {
    expect(await find(a.anon, { q: "积水", community: String(tree.b1.id) })).toEqual([`matter:${otherTownId}`]);
    expect((await find(a.anon, { q: "积水", community: String(tree.townA.id) })).includes(`matter:${otherTownId}`)).toBe(false);
    expect(await find(a.resident, { q: "积水", state: "collecting", kind: "matter" })).toEqual([`matter:${collectingId}`]);
    // the comments were posted on the test context's clock: that Beijing day finds them, the day before does not
    const clock = context(database.db, null).clock;
    const today = beijingDay(clock.now());
    const yesterday = beijingDay(new Date(clock.now().getTime() - 86_400_000));
    expect(await find(a.anon, { q: "积水", kind: "comment", to: yesterday })).toEqual([]);
    expect((await find(a.anon, { q: "积水", kind: "comment", from: today, to: today })).length).toBe(1);
    expect(await find(a.anon, { q: "积水", kind: "comment", to: "2000-01-01" })).toEqual([]);
  });

  it("highlights every match in the words around the first", () => {
    expect(snippetOf("雨季积水严重，积水点多", "积水")).toEqual([
      { text: "雨季", hit: false },
      { text: "积水", hit: true },
      { text: "严重，", hit: false },
      { text: "积水", hit: true },
      { text: "点多", hit: false },
    ]);
  });
});
