import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { ballots, matters, memberships, voteParticipation, votes } from "../../db/schema";
import * as newVote from "../../app/routes/matters.$matterId_.votes.new";
import * as votePage from "../../app/routes/votes.$voteId";
import * as ballotList from "../../app/routes/votes.$voteId_.ballots";
import * as matterPage from "../../app/routes/matters.$matterId";
import { testDatabase } from "../support/db";
import { actorOf, grant, makeCategory, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";
import type { Actor } from "../../app/modules/accounts/actor";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let staff: Actor;
const voters: Actor[] = [];
let matterId: number;
/** Longer than any text field takes, while a form of several stays within the 4 MB a body may be (9 bytes a character, URL-encoded). */
const LONG = "票".repeat(60_000);

beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  const categoryId = (await makeCategory(database.db, tree.county.id)).id;
  const s = await makeUser(database.db);
  await grant(database.db, s.id, "committee", tree.a1.id);
  staff = await actorOf(database.db, s.id);
  for (let i = 0; i < 3; i++) {
    const u = await makeUser(database.db);
    await database.db.insert(memberships).values({ userId: u.id, communityId: tree.a1.id, status: "verified", birthYear: 1980, address: `${i} 号楼` });
    voters.push(await actorOf(database.db, u.id));
  }
  const [m] = await database.db
    .insert(matters)
    .values({ communityId: tree.a1.id, proposerId: s.id, state: "scheduled", title: "t", description: "d", categoryId, affectedArea: "a", desiredOutcome: "o" })
    .returning();
  matterId = m.id;
});
afterAll(() => database.close());

const setupFields = { question: "是否同意？", method: "yes_no", electorate: "residents", preset: "residents_meeting", secret: "yes" };

describe("vote set-up refuses bad input and changes nothing", () => {
  it.each([
    [{}],
    [{ ...setupFields, question: LONG }],
    [{ ...setupFields, question: "<script>x</script>" }],
    [{ ...setupFields, method: "dictator" }],
    [{ ...setupFields, method: "single", optionsText: "only one" }],
    [{ ...setupFields, preset: "custom", quorumNum: "3", quorumDen: "2", passNum: "1", passDen: "2" }],
    [{ ...setupFields, preset: "one_matter_households" }],
    [{ ...setupFields, electorate: "panel", preset: "panel" }],
    [{ ...setupFields, closesAt: "yesterday" }],
    [{ ...setupFields, closesAt: "2020-01-01 10:00" }],
    [{ ...setupFields, opensAt: "next monday" }],
    [{ ...setupFields, opensAt: "2030-13-40 10:00" }],
    [{ ...setupFields, opensAt: "2030-01-02 10:00", closesAt: "2030-01-01 10:00" }],
  ])("%j", async (fields) => {
    const r = await callRoute(newVote.action, { body: formBody(fields as Record<string, string | string[]>), params: { matterId: String(matterId) }, context: loadContext(database.db, staff) });
    expect(r.status).toBe(400);
    expect(Number((await database.db.select({ n: count() }).from(votes))[0].n)).toBe(0);
  });

  it("a resident cannot open a vote", async () => {
    const r = await callRoute(newVote.action, { body: formBody(setupFields), params: { matterId: String(matterId) }, context: loadContext(database.db, voters[0]) });
    expect(r.status).toBe(403);
  });
});

describe("a vote set up to open later", () => {
  it("says when it opens and takes no ballot until then; a cast is refused with a 409; the committee cancels it from the page", async () => {
    const r = await callRoute(newVote.action, { body: formBody({ ...setupFields, opensAt: "2030-01-02 08:00" }), params: { matterId: String(matterId) }, context: loadContext(database.db, staff) });
    expect(r.status).toBe(302);
    const voteId = Number(r.headers.get("location")!.split("/").pop());
    const page = await callRoute(votePage.loader, { params: { voteId: String(voteId) }, context: loadContext(database.db, voters[0]) });
    expect(page.data.page.vote).toMatchObject({ state: "scheduled", opensAt: "2030-01-02T00:00:00.000Z" });
    expect(page.data.page.eligible).toBe(false);
    const cast = await callRoute(votePage.action, {
      body: formBody({ intent: "cast", choices: "yes", idem: "early-key-0123456789abc" }),
      params: { voteId: String(voteId) },
      context: loadContext(database.db, voters[0]),
    });
    expect(cast.status).toBe(409);
    expect(JSON.stringify(cast.data)).toContain("voting.errors.notYetOpen");
    const byResident = await callRoute(votePage.action, { body: formBody({ intent: "cancel" }), params: { voteId: String(voteId) }, context: loadContext(database.db, voters[0]) });
    expect(byResident.status).toBe(403);
    const unconfirmed = await callRoute(votePage.action, { body: formBody({ intent: "cancel" }), params: { voteId: String(voteId) }, context: loadContext(database.db, staff) });
    expect(unconfirmed.status).toBe(428);
    expect(unconfirmed.data).toMatchObject({ confirm: "cancel" });
    expect((await database.db.select().from(votes).where(eq(votes.id, voteId)))[0].state).toBe("scheduled");
    const cancel = await callRoute(votePage.action, { body: formBody({ intent: "cancel", confirm: "yes" }), params: { voteId: String(voteId) }, context: loadContext(database.db, staff) });
    expect(cancel.status).toBe(302);
    expect((await database.db.select().from(votes).where(eq(votes.id, voteId)))[0].state).toBe("cancelled");
    expect((await database.db.select().from(matters).where(eq(matters.id, matterId)))[0].state).toBe("scheduled");
    const again = await callRoute(votePage.action, { body: formBody({ intent: "cancel" }), params: { voteId: String(voteId) }, context: loadContext(database.db, staff) });
    expect(again.status).toBe(409);
  });
});

describe("during an open vote", () => {
  let voteId: number;
  beforeAll(async () => {
    const r = await callRoute(newVote.action, { body: formBody(setupFields), params: { matterId: String(matterId) }, context: loadContext(database.db, staff) });
    expect(r.status).toBe(302);
    voteId = Number(r.headers.get("location")!.split("/").pop());
    for (const [i, choice] of ["yes", "no"].entries()) {
      const cast = await callRoute(votePage.action, {
        body: formBody({ intent: "cast", choices: choice, idem: `key-for-voter-${i}-0123456789` }),
        params: { voteId: String(voteId) },
        context: loadContext(database.db, voters[i]),
      });
      expect(cast.status).toBe(200);
      expect(cast.data.receipt).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    }
  });

  it("no route shows a choice or a partial count, to voters, staff or visitors", async () => {
    for (const actor of [voters[0], voters[2], staff, null]) {
      const ctx = loadContext(database.db, actor);
      const page = await callRoute(votePage.loader, { params: { voteId: String(voteId) }, context: ctx });
      expect(page.status).toBe(200);
      const text = JSON.stringify(page.data);
      expect(text).not.toMatch(/"counts"|"choices"|"winner"/);
      expect(page.data.page.turnout).toBe(2);
      expect(page.data.page.vote.result).toBeNull();
      const list = await callRoute(ballotList.loader, { params: { voteId: String(voteId) }, context: ctx });
      expect(list.status).toBe(409);
      const matter = await callRoute(matterPage.loader, { params: { matterId: String(matterId) }, context: ctx });
      expect(JSON.stringify(matter.data)).not.toMatch(/"counts"|"choices"/);
    }
  });

  it("malformed ballots are refused and store nothing", async () => {
    const before = Number((await database.db.select({ n: count() }).from(ballots))[0].n);
    const ctx = loadContext(database.db, voters[2]);
    for (const fields of [
      { intent: "cast" },
      { intent: "cast", choices: "yes" },
      { intent: "cast", choices: "yes", idem: "short" },
      { intent: "cast", choices: "maybe", idem: "a-valid-key-0123456789" },
      { intent: "cast", choices: ["yes", "no"], idem: "a-valid-key-0123456789" },
      { intent: "cast", choices: LONG, idem: "a-valid-key-0123456789" },
      { intent: "paper", voterKey: `u:${voters[2].id}`, choices: "yes" },
      { intent: "close" },
    ]) {
      const r = await callRoute(votePage.action, { body: formBody(fields as Record<string, string | string[] | undefined>), params: { voteId: String(voteId) }, context: ctx });
      expect(r.status, JSON.stringify(fields).slice(0, 60)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    for (const id of ["x", "0", "99999"]) {
      const r = await callRoute(votePage.action, { body: formBody({ intent: "cast", choices: "yes", idem: "a-valid-key-0123456789" }), params: { voteId: id }, context: ctx });
      expect([404, 403]).toContain(r.status);
    }
    expect(Number((await database.db.select({ n: count() }).from(ballots))[0].n)).toBe(before);
    const parts = await database.db.select().from(voteParticipation).where(eq(voteParticipation.voteId, voteId));
    expect(parts).toHaveLength(2);
  });

  it("after close the result and the list are public, and voting is refused", async () => {
    const unconfirmed = await callRoute(votePage.action, { body: formBody({ intent: "close" }), params: { voteId: String(voteId) }, context: loadContext(database.db, staff) });
    expect(unconfirmed.status).toBe(428); // the confirmation step again, not a change
    expect(unconfirmed.data).toMatchObject({ intent: "close", confirm: "close" });
    expect((await callRoute(votePage.loader, { params: { voteId: String(voteId) }, context: loadContext(database.db, null) })).data.page.vote.state).toBe("open");
    const close = await callRoute(votePage.action, { body: formBody({ intent: "close", confirm: "yes" }), params: { voteId: String(voteId) }, context: loadContext(database.db, staff) });
    expect(close.status).toBe(302);
    const page = await callRoute(votePage.loader, { params: { voteId: String(voteId) }, context: loadContext(database.db, null) });
    expect(page.data.page.vote.result).toMatchObject({ counts: { yes: 1, no: 1, abstain: 0 }, turnout: 2, quorumMet: true, passed: false });
    const list = await callRoute(ballotList.loader, { params: { voteId: String(voteId) }, context: loadContext(database.db, null) });
    expect(list.status).toBe(200);
    expect(list.data.ballots).toHaveLength(2);
    const late = await callRoute(votePage.action, {
      body: formBody({ intent: "cast", choices: "yes", idem: "late-key-0123456789abc" }),
      params: { voteId: String(voteId) },
      context: loadContext(database.db, voters[2]),
    });
    expect(late.status).toBe(409);
  });
});
