import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { matters } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, grant, join, makeCategory, makeTree, makeUser, outcomeOf } from "../../../tests/support/factories";
import type { Actor } from "../accounts/actor";
import { getOutcome } from "./outcomes/outcomes.server";
import { createDraft } from "./proposals.server";
import { getMatterPage } from "./queries.server";
import { runMatterCommand } from "./review.server";
import { listSessions } from "./room/view.server";

// Each query about a matter's parts checks visibility itself: none is safe only because the page asked first.
let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let categoryId: number;
let proposer: Actor;
let neighbour: Actor;
let outsider: Actor;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  categoryId = (await makeCategory(database.db, tree.county.id)).id;
  const person = async (communityId: number | null) => {
    const u = await makeUser(database.db);
    if (communityId) await join(database.db, u.id, communityId, "verified");
    return actorOf(database.db, u.id);
  };
  proposer = await person(tree.a1.id);
  neighbour = await person(tree.a1.id);
  outsider = await person(tree.b1.id);
  await grant(database.db, (await makeUser(database.db)).id, "committee", tree.a1.id);
});
afterAll(() => database.close());

const as = (a: Actor | null) => context(database.db, a).ctx;
const draft = () => createDraft(as(proposer), tree.a1.id, { title: "北门加装路灯", description: "晚上太黑。", categoryId, affectedArea: "北门", desiredOutcome: "装两盏灯" });

describe("queries check who may see the matter", () => {
  it("a draft's outcome and sessions are not found for anyone but its proposer", async () => {
    const { id } = await draft();
    for (const who of [null, neighbour, outsider]) {
      expect(await outcomeOf(getMatterPage(as(who), id))).toBe("errors.notFound");
      expect(await outcomeOf(getOutcome(as(who), id))).toBe("errors.notFound");
      expect(await outcomeOf(listSessions(as(who), id))).toBe("errors.notFound");
    }
    expect(await getOutcome(as(proposer), id)).toBeNull();
    expect(await listSessions(as(proposer), id)).toEqual([]);
  });

  it("a matter still collecting co-signs is seen by its community only", async () => {
    const { id } = await draft();
    await runMatterCommand(as(proposer), id, { command: "submit" });
    for (const who of [null, outsider]) {
      expect(await outcomeOf(getOutcome(as(who), id))).toBe("errors.notFound");
      expect(await outcomeOf(listSessions(as(who), id))).toBe("errors.notFound");
    }
    expect(await getOutcome(as(neighbour), id)).toBeNull();
    expect(await listSessions(as(neighbour), id)).toEqual([]);
  });

  it("a matter that does not exist is not found, not an empty answer", async () => {
    expect(await outcomeOf(getOutcome(as(proposer), 2_000_000_000))).toBe("errors.notFound");
    expect(await outcomeOf(listSessions(as(proposer), 2_000_000_000))).toBe("errors.notFound");
  });
});

describe("the matter page's link to the panel selection (the rule the selection page's 404 follows)", () => {
  it("appears for a panel matter once its panel is being chosen, and after; never for another form or before", async () => {
    const { id } = await draft();
    const linkAt = async (form: "panel" | "meeting", state: typeof matters.$inferSelect.state, who: Actor | null = neighbour) => {
      await database.db.update(matters).set({ form, state }).where(eq(matters.id, id));
      return (await getMatterPage(as(who), id)).selectionLink;
    };
    expect(await linkAt("panel", "collecting")).toBeNull();
    expect(await linkAt("panel", "accepted")).toBeNull();
    expect(await linkAt("panel", "selecting")).toBe("open");
    expect(await linkAt("panel", "scheduled")).toBe("done");
    expect(await linkAt("panel", "decided", null)).toBe("done");
    expect(await linkAt("meeting", "selecting")).toBeNull();
    expect(await linkAt("meeting", "scheduled")).toBeNull();
  });
});
