import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { communityRepresentatives, matters, memberships } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, makeArea, makeCategory, makeTree, makeUser, outcomeOf } from "../../../../tests/support/factories";
import { beijingDay } from "../../shared/beijing-time";
import { castBallot } from "./cast.server";
import { closeVote } from "./close.server";
import { newBallotKey } from "./receipts.server";
import { CreateVoteSchema } from "./schemas";
import { openVote } from "./setup.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe("a 村民代表会议 vote: only the listed representatives in term vote, quorum over the roster (issue 19)", () => {
  it("lists the roster on the opening day, refuses others, and needs at least 2/3 of the representatives", async () => {
    const tree = await makeTree(database.db);
    const community = await makeArea(database.db, tree.townA, "community");
    const categoryId = (await makeCategory(database.db, tree.county.id)).id;
    const staffUser = await makeUser(database.db);
    await grant(database.db, staffUser.id, "committee", community.id);
    const staff = context(database.db, await actorOf(database.db, staffUser.id));
    const now = staff.clock.now();
    const day = (offset: number) => beijingDay(new Date(now.getTime() + offset * 86_400_000));
    const people = [];
    for (let i = 0; i < 6; i++) {
      const u = await makeUser(database.db);
      await database.db.insert(memberships).values({ userId: u.id, communityId: community.id, status: "verified", address: `${i} 号`, birthYear: 1970 });
      people.push(await actorOf(database.db, u.id));
    }
    // three representatives in term; one whose term ended yesterday; one starting tomorrow; people[5] is a resident only
    await database.db.insert(communityRepresentatives).values([
      ...people.slice(0, 3).map((p) => ({ communityId: community.id, userId: p.id, termStart: day(-400), termEnd: day(400) })),
      { communityId: community.id, userId: people[3].id, termStart: day(-400), termEnd: day(-1) },
      { communityId: community.id, userId: people[4].id, termStart: day(1), termEnd: null },
    ]);
    const matter = async () =>
      (
        await database.db
          .insert(matters)
          .values({ communityId: community.id, proposerId: staffUser.id, state: "scheduled", form: "representatives", title: "修缮祠堂", description: "d", categoryId, affectedArea: "全村", desiredOutcome: "修" })
          .returning()
      )[0];
    const m = await matter();
    const input = (electorate: string) => CreateVoteSchema.parse({ question: "是否修缮？", method: "yes_no", electorate, preset: "village_representatives", secret: "no" });
    const v = await openVote(staff.ctx, m.id, input("representatives"));
    expect(v.electorateSize).toBe(3);
    for (const outsider of people.slice(3)) {
      expect(await outcomeOf(castBallot(context(database.db, outsider).ctx, v.id, { choices: ["yes"], idem: newBallotKey() }))).not.toBe("ok");
    }
    // one of three is not 2/3 of the roster
    await castBallot(context(database.db, people[0]).ctx, v.id, { choices: ["yes"], idem: newBallotKey() });
    const short = await closeVote(staff.ctx, v.id, "actor", "yes");
    expect(short).toMatchObject({ quorumMet: false, passed: false, electorateSize: 3, turnout: 1 });

    const v2 = await openVote(staff.ctx, (await matter()).id, input("representatives"));
    await castBallot(context(database.db, people[0]).ctx, v2.id, { choices: ["yes"], idem: newBallotKey() });
    await castBallot(context(database.db, people[1]).ctx, v2.id, { choices: ["no"], idem: newBallotKey() });
    // two of three present (2/3, "at least"), one yes of two present is not more than half
    expect(await closeVote(staff.ctx, v2.id, "actor", "yes")).toMatchObject({ quorumMet: true, passed: false, turnout: 2 });
  });

  it("a community with nobody on its roster cannot open a representatives' vote", async () => {
    const tree = await makeTree(database.db);
    const community = await makeArea(database.db, tree.townA, "community");
    const categoryId = (await makeCategory(database.db, tree.county.id)).id;
    const staffUser = await makeUser(database.db);
    await grant(database.db, staffUser.id, "committee", community.id);
    const staff = context(database.db, await actorOf(database.db, staffUser.id));
    const [m] = await database.db
      .insert(matters)
      .values({ communityId: community.id, proposerId: staffUser.id, state: "scheduled", form: "representatives", title: "t", description: "d", categoryId, affectedArea: "a", desiredOutcome: "o" })
      .returning();
    const input = CreateVoteSchema.parse({ question: "q？", method: "yes_no", electorate: "representatives", preset: "village_representatives", secret: "no" });
    expect(await outcomeOf(openVote(staff.ctx, m.id, input))).toBe("voting.errors.noRepresentatives");
  });
});
