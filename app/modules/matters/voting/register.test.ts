import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { areas, ledgerEntries, matters, memberships } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, makeArea, makeCategory, makeTree, makeUser, outcomeOf } from "../../../../tests/support/factories";
import { recordRegister } from "../../communities/register.server";
import { RecordRegisterSchema } from "../../communities/schemas";
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

describe("a 居民会议 vote counts its quorum against the register of its opening day", () => {
  it("fixes the register entry in effect that day, lists only residents 18+, and the result names the number and its source", async () => {
    const tree = await makeTree(database.db);
    const community = await makeArea(database.db, tree.townA, "community");
    const categoryId = (await makeCategory(database.db, tree.county.id)).id;
    const staffUser = await makeUser(database.db);
    await grant(database.db, staffUser.id, "committee", community.id);
    const staff = context(database.db, await actorOf(database.db, staffUser.id));
    const year = Number(staff.clock.now().toISOString().slice(0, 4));
    const voters = [];
    for (const [i, born] of [1970, 1980, year - 18, year - 17, null].entries()) {
      const u = await makeUser(database.db);
      await database.db.insert(memberships).values({ userId: u.id, communityId: community.id, status: "verified", address: `${i} 号楼`, birthYear: born });
      voters.push(await actorOf(database.db, u.id));
    }
    // only the committee records the register; a wrong sum is refused
    expect(RecordRegisterSchema.safeParse({ residents: "10", adults: "11", households: "3", asOf: "2026-01-01", source: "census" }).success).toBe(false);
    expect(await outcomeOf(recordRegister(context(database.db, voters[0]).ctx, community.id, RecordRegisterSchema.parse({ residents: "3000", adults: "2150", households: "900", asOf: "2026-01-01", source: "census" })))).toBe("errors.forbidden");
    const day = (offset: number) => new Date(staff.clock.now().getTime() + offset * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    await recordRegister(staff.ctx, community.id, RecordRegisterSchema.parse({ residents: "3000", adults: "2150", households: "900", asOf: day(-30), source: "household_register" }));
    // a later count, dated after the opening day, does not apply to this vote
    await recordRegister(staff.ctx, community.id, RecordRegisterSchema.parse({ residents: "8", adults: "6", households: "5", asOf: day(10), source: "census" }));
    const [area] = await database.db.select().from(areas).where(eq(areas.id, community.id));
    expect(area).toMatchObject({ residents: 8, households: 5 });
    const [m] = await database.db
      .insert(matters)
      .values({ communityId: community.id, proposerId: staffUser.id, state: "scheduled", form: "meeting", title: "加装电梯", description: "d", categoryId, affectedArea: "全小区", desiredOutcome: "装" })
      .returning();
    const v = await openVote(staff.ctx, m.id, CreateVoteSchema.parse({ question: "是否加装电梯？", method: "yes_no", electorate: "residents", preset: "residents_meeting", secret: "no" }));
    expect(v.quorumBase).toMatchObject({ count: 2150, kind: "adults", source: "household_register", asOf: day(-30) });
    // 1970, 1980 and the one turning 18 this year are on the list; 17 and unknown are not
    expect(v.electorateSize).toBe(3);
    expect(await outcomeOf(castBallot(context(database.db, voters[3]).ctx, v.id, { choices: ["yes"], idem: newBallotKey() }))).not.toBe("ok");
    for (const who of voters.slice(0, 3)) await castBallot(context(database.db, who).ctx, v.id, { choices: ["yes"], idem: newBallotKey() });
    const result = await closeVote(staff.ctx, v.id, "actor", "yes");
    // all three listed voted yes, but 3 of 2150 is no quorum
    expect(result).toMatchObject({ quorumMet: false, passed: false, electorateSize: 2150, turnout: 3 });
    expect(result.explanation[0]).toMatchObject({ key: "voting.explain.registerBase", params: { count: 2150, source: "@register.source.household_register" } });
    const recorded = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.action, "register.recorded"));
    expect(recorded.filter((e) => e.stream === `area:${community.id}`)).toHaveLength(2);
  });
});
