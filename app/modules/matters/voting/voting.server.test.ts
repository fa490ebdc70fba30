import { and, count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { ballots, follows, ledgerEntries, matters, memberships, notifications, voteElectors, voteParticipation, votes } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, join, makeCategory, makeTree, makeUser, outcomeOf } from "../../../../tests/support/factories";
import type { Actor } from "../../accounts/actor";
import { CreateVoteSchema } from "./schemas";
import { DomainError } from "../../shared/errors";
import { subscribeInTransaction, type TxEvent } from "../../shared/tx-events";
import { castBallot, castBallots } from "./cast.server";
import { closeDueVotes, closeVote } from "./close.server";
import { householdKey } from "./electorate.server";
import { enterPaperBallot } from "./paper.server";
import { newBallotKey } from "./receipts.server";
import { getPublishedBallots, getVotePage, listVotesOfMatter } from "./results.server";
import { cancelScheduledVote, openDueVotes, openVote } from "./setup.server";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let committee: Actor;
let categoryId: number;

beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  categoryId = (await makeCategory(database.db, tree.county.id)).id;
  const c = await makeUser(database.db, { name: "陈书记" });
  await grant(database.db, c.id, "committee", tree.a1.id);
  committee = await actorOf(database.db, c.id);
});
afterAll(() => database.close());

const code = outcomeOf;

/** A scheduled matter in a fresh community with `n` verified residents (two of them in one household). */
async function scheduledMatter(n: number) {
  const { makeArea } = await import("../../../../tests/support/factories");
  const community = await makeArea(database.db, tree.townA, "community");
  const staff = await makeUser(database.db);
  await grant(database.db, staff.id, "committee", community.id);
  const residents: Actor[] = [];
  for (let i = 0; i < n; i++) {
    const u = await makeUser(database.db);
    await database.db.insert(memberships).values({ userId: u.id, communityId: community.id, status: "verified", birthYear: 1980, address: i === 1 ? "1 号楼 1 单元" : `${i} 号楼 1 单元` });
    residents.push(await actorOf(database.db, u.id));
  }
  const [m] = await database.db
    .insert(matters)
    .values({ communityId: community.id, proposerId: staff.id, state: "scheduled", title: "东门停车棚", description: "d", categoryId, affectedArea: "东门", desiredOutcome: "建" })
    .returning();
  return { community, staff: await actorOf(database.db, staff.id), residents, matterId: m.id };
}

const setup = (o: Record<string, string> = {}) =>
  CreateVoteSchema.parse({ question: "是否建停车棚？", method: "yes_no", electorate: "residents", preset: "residents_meeting", secret: "yes", ...o });

describe("opening a vote", () => {
  it("fixes the electorate, moves the matter to voting, and allows only the committee", async () => {
    const s = await scheduledMatter(5);
    expect(await code(openVote(context(database.db, s.residents[0]).ctx, s.matterId, setup()))).toBe("errors.forbidden");
    expect(await code(openVote(context(database.db, committee).ctx, s.matterId, setup()))).toBe("errors.forbidden");
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup());
    expect(v.electorateSize).toBe(5);
    const [m] = await database.db.select().from(matters).where(eq(matters.id, s.matterId));
    expect(m.state).toBe("voting");
    expect(await code(openVote(context(database.db, s.staff).ctx, s.matterId, setup()))).toBe("matters.errors.wrongState");
  });

  it("tells every elector the vote is open, once: a follower hears it from the matter's move, the others by notify.vote.opened", async () => {
    const s = await scheduledMatter(3);
    await database.db.insert(follows).values({ userId: s.residents[0].id, matterId: s.matterId });
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup());
    const rows = await database.db
      .select({ userId: notifications.userId, kind: notifications.kind, link: notifications.link, matterId: notifications.matterId })
      .from(notifications)
      .where(inArray(notifications.userId, s.residents.map((r) => r.id)));
    const of = (i: number) => rows.filter((r) => r.userId === s.residents[i].id);
    expect(of(0).map((r) => r.kind)).toEqual(["notify.matter.transition"]);
    for (const i of [1, 2]) expect(of(i)).toEqual([{ userId: s.residents[i].id, kind: "notify.vote.opened", link: `/votes/${v.id}`, matterId: s.matterId }]);
  });

  it("one vote per household puts residents at one address together", async () => {
    const s = await scheduledMatter(4);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup({ electorate: "households", preset: "one_matter_households" }));
    expect(v.electorateSize).toBe(4); // addresses 0, 1 (two people), 2, 3 → residents 0..3 with #1 alone at "1 号楼 1 单元"
    expect(householdKey(1, "1 号楼 1 单元")).toBe(householdKey(1, "1号楼1单元"));
  });
});

describe("casting", () => {
  it("an open ballot: cast, change (latest counts), and a retry with the same form key is stored once", async () => {
    const s = await scheduledMatter(3);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup({ secret: "no" }));
    const me = context(database.db, s.residents[0]).ctx;
    const idem = newBallotKey();
    const first = await castBallot(me, v.id, { choices: ["yes"], idem });
    const retry = await castBallot(me, v.id, { choices: ["yes"], idem });
    expect(first.receipt).toMatch(/^[A-Z2-9]{15}$/);
    // a retried post (its answer was lost) is the same ballot with the same receipt
    expect(retry).toEqual({ receipt: first.receipt, changed: false });
    await castBallot(me, v.id, { choices: ["no"], idem: newBallotKey() });
    const rows = await database.db.select().from(ballots).where(eq(ballots.voteId, v.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].choices).toEqual(["no"]);
  });

  it("a secret ballot stays sealed on the voter's row while open; changing it needs the receipt; the published ballot names no one", async () => {
    const s = await scheduledMatter(3);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup());
    const me = context(database.db, s.residents[0]).ctx;
    const { receipt } = await castBallot(me, v.id, { choices: ["yes"], idem: newBallotKey() });
    // nothing in the ballots table until close; the participation row holds no receipt and no choice in clear
    expect(await database.db.select().from(ballots).where(eq(ballots.voteId, v.id))).toEqual([]);
    const [p] = await database.db.select().from(voteParticipation).where(eq(voteParticipation.voteId, v.id));
    expect(p.receiptMac).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.sealed).toMatch(/^v1\./);
    expect(JSON.stringify(p)).not.toContain(receipt!);
    expect(JSON.stringify(p)).not.toMatch(/"yes"/);
    expect(await code(castBallot(me, v.id, { choices: ["no"], idem: newBallotKey() }))).toBe("voting.errors.needReceipt");
    expect(await code(castBallot(me, v.id, { choices: ["no"], idem: newBallotKey(), receipt: "ABCDEABCDEABCDE" }))).toBe("voting.errors.wrongReceipt");
    const changed = await castBallot(me, v.id, { choices: ["no"], idem: newBallotKey(), receipt: receipt! });
    expect(changed).toEqual({ receipt, changed: true });
    // closing early cannot be undone: refused without the confirmation, the vote stays open
    expect(await code(closeVote(context(database.db, s.staff).ctx, v.id, "actor"))).toBe("confirm.required");
    expect(await code(closeVote(context(database.db, s.staff).ctx, v.id, "actor", "no"))).toBe("confirm.required");
    expect((await database.db.select().from(votes).where(eq(votes.id, v.id)))[0].state).toBe("open");
    await closeVote(context(database.db, s.staff).ctx, v.id, "actor", "yes");
    const [after] = await database.db.select().from(ballots).where(eq(ballots.voteId, v.id));
    // only the vote, the receipt's hash and the choice: no voter, no channel
    expect(after).toMatchObject({ voterKey: null, channel: null, choices: ["no"] });
    expect(Object.keys(after).sort()).toEqual(["channel", "choices", "receiptHash", "voteId", "voterKey"]);
    // the sealed copy and the receipt's keyed hash are gone from the participation row
    const [gone] = await database.db.select().from(voteParticipation).where(eq(voteParticipation.voteId, v.id));
    expect(gone).toMatchObject({ receiptMac: null, sealed: null, channel: "online" });
  });

  it("a receipt changes only the ballot of the voter who cast it: someone else's receipt or form key changes nothing", async () => {
    const s = await scheduledMatter(3);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup());
    const [alice, bob, carol] = s.residents.map((r) => context(database.db, r).ctx);
    const bobsForm = newBallotKey();
    const bobs = await castBallot(bob, v.id, { choices: ["yes"], idem: bobsForm });
    await castBallot(alice, v.id, { choices: ["no"], idem: newBallotKey() });
    // Alice holds Bob's receipt (he showed it to her, or she saw it) and his form key
    expect(await code(castBallot(alice, v.id, { choices: ["no"], idem: newBallotKey(), receipt: bobs.receipt! }))).toBe("voting.errors.wrongReceipt");
    expect(await code(castBallot(alice, v.id, { choices: ["no"], idem: bobsForm }))).toBe("voting.errors.needReceipt");
    // and the same in one batch beside other posts
    const [viaBatch] = await castBallots(context(database.db, null).ctx, [{ actorId: s.residents[0].id, voteId: v.id, choices: ["abstain"], idem: newBallotKey(), receipt: bobs.receipt! }]);
    expect(viaBatch).toBeInstanceOf(DomainError);
    // Carol has not voted yet: Bob's form key gives her no ballot of his (nor a second one with his receipt)
    expect(await code(castBallot(carol, v.id, { choices: ["no"], idem: bobsForm }))).toBe("voting.errors.staleForm");
    expect(await database.db.select().from(voteParticipation).where(eq(voteParticipation.voteId, v.id))).toHaveLength(2);
    // Bob's own change still works with his receipt
    expect(await castBallot(bob, v.id, { choices: ["abstain"], idem: newBallotKey(), receipt: bobs.receipt! })).toEqual({ receipt: bobs.receipt, changed: true });
    const result = await closeVote(context(database.db, s.staff).ctx, v.id, "actor", "yes");
    expect(result.counts).toEqual({ yes: 0, no: 1, abstain: 1 });
    const published = await getPublishedBallots(context(database.db, null).ctx, v.id, bobs.receipt!);
    expect(published.found).toBe(true);
    expect(published.ballots.find((b) => b.receiptHash === published.wanted)?.choices).toEqual(["abstain"]);
  });

  it("refuses bad choices, people not on the list, and anything after close", async () => {
    const s = await scheduledMatter(2);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup());
    const me = context(database.db, s.residents[0]).ctx;
    expect(await code(castBallot(me, v.id, { choices: ["maybe"], idem: newBallotKey() }))).toBe("voting.errors.badChoice");
    expect(await code(castBallot(me, v.id, { choices: ["yes", "no"], idem: newBallotKey() }))).toBe("voting.errors.badChoice");
    expect(await code(castBallot(me, v.id, { choices: [], idem: newBallotKey() }))).toBe("voting.errors.badChoice");
    const outsider = await makeUser(database.db);
    await join(database.db, outsider.id, tree.b1.id);
    expect(await code(castBallot(context(database.db, await actorOf(database.db, outsider.id)).ctx, v.id, { choices: ["yes"], idem: newBallotKey() }))).toBe("voting.errors.notEligible");
    await closeVote(context(database.db, s.staff).ctx, v.id, "actor", "yes");
    expect(await code(castBallot(me, v.id, { choices: ["yes"], idem: newBallotKey() }))).toBe("voting.errors.closed");
    const [{ n }] = await database.db.select({ n: count() }).from(ballots).where(eq(ballots.voteId, v.id));
    expect(Number(n)).toBe(0);
  });

  it("the same voter from two browsers at once still has one ballot", async () => {
    const s = await scheduledMatter(2);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup({ secret: "no" }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => castBallot(context(database.db, s.residents[0]).ctx, v.id, { choices: [i % 2 ? "yes" : "no"], idem: newBallotKey() })));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    const [{ n }] = await database.db.select({ n: count() }).from(ballots).where(eq(ballots.voteId, v.id));
    expect(Number(n)).toBe(1);
  });

  it("posts handled together each get their own answer: first ballots, a retry, a second post of one voter, a borrowed form key, refusals, a closed vote", async () => {
    const s = await scheduledMatter(6);
    const open = await openVote(context(database.db, s.staff).ctx, s.matterId, setup({ secret: "no" }));
    const other = await scheduledMatter(1);
    const closed = await openVote(context(database.db, other.staff).ctx, other.matterId, setup());
    await closeVote(context(database.db, other.staff).ctx, closed.id, "actor", "yes");
    await enterPaperBallot(context(database.db, s.staff).ctx, open.id, { voterKey: `u:${s.residents[5].id}`, choices: ["no"] });
    const outsider = await makeUser(database.db);
    const [r0, r1, r2, r3, , r5] = s.residents.map((r) => r.id);
    const shared = newBallotKey();
    const k0 = newBallotKey();
    const heard: unknown[] = [];
    const ctx = context(database.db, null).ctx;
    const off = ctx.events.subscribe((e) => heard.push(e));
    const answers = await castBallots(ctx, [
      { actorId: r0, voteId: open.id, choices: ["yes"], idem: k0 },
      { actorId: r0, voteId: open.id, choices: ["yes"], idem: k0 }, // the same post twice in one batch: one ballot, the same receipt
      { actorId: r1, voteId: open.id, choices: ["no"], idem: newBallotKey() },
      { actorId: r1, voteId: open.id, choices: ["abstain"], idem: newBallotKey() }, // a second form of the same voter: a change
      { actorId: r2, voteId: open.id, choices: ["yes"], idem: shared },
      { actorId: r3, voteId: open.id, choices: ["yes"], idem: shared }, // someone else's form key: refused, the other stands
      { actorId: r3, voteId: open.id, choices: ["maybe"], idem: newBallotKey() },
      { actorId: outsider.id, voteId: open.id, choices: ["yes"], idem: newBallotKey() },
      { actorId: r5, voteId: open.id, choices: ["yes"], idem: newBallotKey() },
      { actorId: r0, voteId: closed.id, choices: ["yes"], idem: newBallotKey() },
      { actorId: r0, voteId: 999_999, choices: ["yes"], idem: newBallotKey() },
    ]);
    off();
    const outcome = (a: (typeof answers)[number]) => (a instanceof DomainError ? a.messageKey : a.changed ? "changed" : "cast");
    expect(answers.map(outcome)).toEqual([
      "cast",
      "cast",
      "cast",
      "changed",
      "cast",
      "voting.errors.staleForm",
      "voting.errors.badChoice",
      "voting.errors.notEligible",
      "voting.errors.votedOnPaper",
      "voting.errors.closed",
      "errors.notFound",
    ]);
    expect((answers[1] as { receipt: string }).receipt).toBe((answers[0] as { receipt: string }).receipt);
    const rows = await database.db.select().from(ballots).where(eq(ballots.voteId, open.id));
    const byVoter = Object.fromEntries(rows.map((b) => [b.voterKey, b.choices]));
    expect(byVoter).toEqual({ [`u:${r0}`]: ["yes"], [`u:${r1}`]: ["abstain"], [`u:${r2}`]: ["yes"], [`u:${r5}`]: ["no"] });
    expect(await database.db.select().from(voteParticipation).where(eq(voteParticipation.voteId, open.id))).toHaveLength(4);
    // one event for the vote written to, none for the closed one
    expect(heard).toEqual([{ type: "vote.cast", voteId: open.id }]);
  });

  it("paper and online never count the same person twice", async () => {
    const s = await scheduledMatter(3);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup());
    const staff = context(database.db, s.staff).ctx;
    await castBallot(context(database.db, s.residents[0]).ctx, v.id, { choices: ["yes"], idem: newBallotKey() });
    expect(await code(enterPaperBallot(staff, v.id, { voterKey: `u:${s.residents[0].id}`, choices: ["no"] }))).toBe("voting.errors.alreadyVoted");
    await enterPaperBallot(staff, v.id, { voterKey: `u:${s.residents[1].id}`, choices: ["no"] });
    expect(await code(castBallot(context(database.db, s.residents[1]).ctx, v.id, { choices: ["yes"], idem: newBallotKey() }))).toBe("voting.errors.votedOnPaper");
    expect(await code(enterPaperBallot(context(database.db, s.residents[2]).ctx, v.id, { voterKey: `u:${s.residents[2].id}`, choices: ["no"] }))).toBe("errors.forbidden");
    expect(await code(enterPaperBallot(staff, v.id, { voterKey: "u:999999", choices: ["no"] }))).toBe("voting.errors.notListed");
    const parts = await database.db.select().from(voteParticipation).where(eq(voteParticipation.voteId, v.id));
    expect(parts.map((p) => p.channel).sort()).toEqual(["online", "paper"]);
  });
});

describe("a vote with a later opening time", () => {
  it("waits as scheduled with nothing fixed and ballots refused, then the scheduler opens it with the electorate of that moment", async () => {
    const s = await scheduledMatter(3);
    const staff = context(database.db, s.staff);
    // the test clock stands at 2026-11-26 10:00 Beijing time
    const v = await openVote(staff.ctx, s.matterId, setup({ opensAt: "2026-11-26 12:00", closesAt: "2026-11-26 13:00" }));
    expect(v).toMatchObject({ state: "scheduled", electorateSize: 0 });
    expect(v.opensAt?.toISOString()).toBe("2026-11-26T04:00:00.000Z");
    const matterState = async () => (await database.db.select().from(matters).where(eq(matters.id, s.matterId)))[0].state;
    expect(await matterState()).toBe("scheduled");
    expect(await database.db.select().from(voteElectors).where(eq(voteElectors.voteId, v.id))).toHaveLength(0);
    // one vote waiting per matter, and no opening now beside it; a closing time must come after the opening
    expect(await code(openVote(staff.ctx, s.matterId, setup({ opensAt: "2026-11-26 12:30" })))).toBe("voting.errors.alreadyScheduled");
    expect(await code(openVote(staff.ctx, s.matterId, setup()))).toBe("voting.errors.alreadyScheduled");
    expect(await code(openVote(staff.ctx, s.matterId, setup({ opensAt: "2026-11-26 12:00", closesAt: "2026-11-26 11:00" })))).toBe("voting.errors.closesBeforeOpening");

    const voter = context(database.db, s.residents[0], staff.clock).ctx;
    expect(await code(castBallot(voter, v.id, { choices: ["yes"], idem: newBallotKey() }))).toBe("voting.errors.notYetOpen");
    expect(await code(enterPaperBallot(staff.ctx, v.id, { voterKey: `u:${s.residents[0].id}`, choices: ["yes"] }))).toBe("voting.errors.notYetOpen");
    const before = await getVotePage(voter, v.id);
    expect(before.vote).toMatchObject({ state: "scheduled", opensAt: v.opensAt });
    expect(before.eligible).toBe(false);

    // someone verified after the set-up is on the list when it opens
    const late = await makeUser(database.db);
    await database.db.insert(memberships).values({ userId: late.id, communityId: s.community.id, status: "verified", birthYear: 1980, address: "7 号楼 3 单元" });
    staff.clock.advance(3_600_000);
    expect(await openDueVotes(staff.ctx)).toBe(0);
    staff.clock.advance(3_600_000);
    expect(await openDueVotes(staff.ctx)).toBe(1);
    expect(await openDueVotes(staff.ctx)).toBe(0);
    const [row] = await database.db.select().from(votes).where(eq(votes.id, v.id));
    expect(row).toMatchObject({ state: "open", electorateSize: 4 });
    expect(row.openedAt.toISOString()).toBe("2026-11-26T04:00:00.000Z");
    expect(await matterState()).toBe("voting");
    const ledger = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.entityType, "vote"), eq(ledgerEntries.entityId, String(v.id))));
    expect(ledger.map((e) => [e.action, e.actorId])).toEqual([
      ["vote.scheduled", s.staff.id],
      ["vote.opened", null],
    ]);
    const lateVoter = context(database.db, await actorOf(database.db, late.id), staff.clock).ctx;
    expect(await castBallot(lateVoter, v.id, { choices: ["no"], idem: newBallotKey() })).toMatchObject({ changed: false });
    expect((await getVotePage(voter, v.id)).eligible).toBe(true);
  });

  it("the committee cancels it before it opens; the scheduler cancels one whose matter can no longer go to a vote", async () => {
    const s = await scheduledMatter(2);
    const staff = context(database.db, s.staff);
    const v = await openVote(staff.ctx, s.matterId, setup({ opensAt: "2026-11-26 12:00" }));
    expect(await code(cancelScheduledVote(context(database.db, s.residents[0]).ctx, v.id))).toBe("errors.forbidden");
    // irreversible: without the confirmation step's "yes" the command refuses and nothing changes
    expect(await code(cancelScheduledVote(staff.ctx, v.id))).toBe("confirm.required");
    expect((await database.db.select().from(votes).where(eq(votes.id, v.id)))[0].state).toBe("scheduled");
    await cancelScheduledVote(staff.ctx, v.id, "yes");
    expect(await code(cancelScheduledVote(staff.ctx, v.id, "yes"))).toBe("voting.errors.notScheduled");
    const stateOf = async (id: number) => (await database.db.select().from(votes).where(eq(votes.id, id)))[0].state;
    expect(await stateOf(v.id)).toBe("cancelled");
    expect(await code(castBallot(context(database.db, s.residents[0]).ctx, v.id, { choices: ["yes"], idem: newBallotKey() }))).toBe("voting.errors.closed");

    // set up again; before the opening time the matter leaves the stage where votes open
    const w = await openVote(staff.ctx, s.matterId, setup({ opensAt: "2026-11-26 12:00" }));
    await database.db.update(matters).set({ state: "annulled" }).where(eq(matters.id, s.matterId));
    staff.clock.advance(3 * 3_600_000);
    expect(await openDueVotes(staff.ctx)).toBe(0);
    expect(await stateOf(w.id)).toBe("cancelled");
    expect(await database.db.select().from(voteElectors).where(eq(voteElectors.voteId, w.id))).toHaveLength(0);
    // the ledger says who called each off, and why
    const cancelled = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.entityType, "vote"), eq(ledgerEntries.action, "vote.cancelled"), inArray(ledgerEntries.entityId, [String(v.id), String(w.id)])));
    expect(cancelled.map((e) => [e.entityId, e.actorId, (e.summary as { reason: string }).reason]).sort()).toEqual([
      [String(v.id), s.staff.id, "by hand"],
      [String(w.id), null, "matters.errors.wrongState"],
    ]);
  });

  it("the scheduler cancels a vote whose electorate is empty at its opening time", async () => {
    const s = await scheduledMatter(1);
    const staff = context(database.db, s.staff);
    const v = await openVote(staff.ctx, s.matterId, setup({ opensAt: "2026-11-26 12:00" }));
    // the only resident leaves before the opening
    await database.db.delete(memberships).where(eq(memberships.userId, s.residents[0].id));
    staff.clock.advance(3 * 3_600_000);
    expect(await openDueVotes(staff.ctx)).toBe(0);
    const [row] = await database.db.select().from(votes).where(eq(votes.id, v.id));
    expect(row.state).toBe("cancelled");
    expect((await database.db.select().from(matters).where(eq(matters.id, s.matterId)))[0].state).toBe("scheduled");
    const [entry] = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.action, "vote.cancelled"), eq(ledgerEntries.entityId, String(v.id))));
    expect(entry.summary).toMatchObject({ reason: "voting.errors.emptyElectorate" });
  });
});

describe("the vote page's own status", () => {
  it("says whether each person may vote and how they (or their household) voted: online, on paper, or not yet", async () => {
    const s = await scheduledMatter(4);
    // residents 2 and 3 live at one address: one household, one vote
    await database.db.update(memberships).set({ address: "9 号楼 2 单元" }).where(inArray(memberships.userId, [s.residents[2].id, s.residents[3].id]));
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup({ electorate: "households", preset: "one_matter_households" }));
    expect(v.electorateSize).toBe(3);
    const staff = context(database.db, s.staff).ctx;
    const status = async (who: Actor | null) => {
      const page = await getVotePage(context(database.db, who).ctx, v.id);
      return [page.eligible, page.myChannel];
    };
    expect(await status(s.residents[2])).toEqual([true, null]);
    await castBallot(context(database.db, s.residents[3]).ctx, v.id, { choices: ["yes"], idem: newBallotKey() });
    // the household has voted, whoever of them did
    expect(await status(s.residents[2])).toEqual([true, "online"]);
    const [paperRow] = await database.db.select().from(voteElectors).where(and(eq(voteElectors.voteId, v.id), sql`${voteElectors.userIds} @> ${JSON.stringify([s.residents[1].id])}::jsonb`));
    await enterPaperBallot(staff, v.id, { voterKey: paperRow.voterKey, choices: ["no"] });
    expect(await status(s.residents[1])).toEqual([true, "paper"]);
    expect(await status(s.residents[0])).toEqual([true, null]);
    expect(await status(s.staff)).toEqual([false, null]);
    expect(await status(null)).toEqual([false, null]);
  });
});

describe("sealed until close, then tallied, explained and published", () => {
  it("no page shows a choice or a count before close; after close the matter is decided and anyone can recount", async () => {
    const s = await scheduledMatter(5);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup());
    const receipts: string[] = [];
    for (const [i, c] of ["yes", "yes", "no", "yes"].entries()) {
      receipts.push((await castBallot(context(database.db, s.residents[i]).ctx, v.id, { choices: [c], idem: newBallotKey() })).receipt!);
    }
    for (const actor of [s.staff, s.residents[0], null]) {
      const page = await getVotePage(context(database.db, actor).ctx, v.id);
      expect(page.vote.result).toBeNull();
      expect(page.turnout).toBe(4);
      expect(JSON.stringify(page)).not.toMatch(/"(yes|no)":\d|counts|choices/);
      expect(await code(getPublishedBallots(context(database.db, actor).ctx, v.id))).toBe("voting.errors.sealed");
    }
    const result = await closeVote(context(database.db, s.staff).ctx, v.id, "actor", "yes");
    expect(result).toMatchObject({ turnout: 4, quorumMet: true, passed: true, counts: { yes: 3, no: 1, abstain: 0 } });
    const [m] = await database.db.select().from(matters).where(eq(matters.id, s.matterId));
    expect(m.state).toBe("decided");
    const published = await getPublishedBallots(context(database.db, null).ctx, v.id, receipts[2].replace(/(.{5})/g, "$1-"));
    expect(published.found).toBe(true);
    expect(published.ballots.every((b) => b.name === null)).toBe(true);
    const recount = published.ballots.reduce<Record<string, number>>((acc, b) => ((acc[b.choices[0]] = (acc[b.choices[0]] ?? 0) + 1), acc), {});
    expect(recount).toEqual({ yes: 3, no: 1 });
    expect(await code(closeVote(context(database.db, s.staff).ctx, v.id, "actor", "yes"))).toBe("voting.errors.closed");
  });

  it("without quorum the matter goes to no_consensus; the scheduler closes votes whose time has come", async () => {
    const s = await scheduledMatter(4);
    const staff = context(database.db, s.staff);
    const closesAt = new Date(staff.clock.now().getTime() + 3_600_000);
    const v = await openVote(staff.ctx, s.matterId, setup({ closesAt: "2026-11-26 11:00" }));
    expect(v.closesAt?.toISOString()).toBe(closesAt.toISOString());
    await castBallot(staff.ctx && context(database.db, s.residents[0], staff.clock).ctx, v.id, { choices: ["yes"], idem: newBallotKey() });
    expect(await closeDueVotes(staff.ctx)).toBe(0);
    staff.clock.advance(3_600_000);
    expect(await closeDueVotes(staff.ctx)).toBe(1);
    const [row] = await database.db.select().from(votes).where(and(eq(votes.id, v.id)));
    expect(row.state).toBe("closed");
    const [m] = await database.db.select().from(matters).where(eq(matters.id, s.matterId));
    expect(m.state).toBe("no_consensus");
  });
});

describe("vote.opened, published inside the opening's transaction", () => {
  it("tells its subscribers what opened, by whom and when; the scheduler's opening names no one", async () => {
    const heard: TxEvent[] = [];
    const off = subscribeInTransaction("vote.opened", "test.heard", async (_tx, _emit, e) => void heard.push(e));
    try {
      const s = await scheduledMatter(2);
      const staff = context(database.db, s.staff);
      const v = await openVote(staff.ctx, s.matterId, setup());
      expect(heard).toEqual([{ type: "vote.opened", voteId: v.id, matterId: s.matterId, question: "是否建停车棚？", actorId: s.staff.id, at: staff.clock.now() }]);
      await closeVote(staff.ctx, v.id, "actor", "yes");
      const later = await scheduledMatter(2);
      const clerk = context(database.db, later.staff);
      const w = await openVote(clerk.ctx, later.matterId, setup({ opensAt: "2026-11-26 12:00" }));
      expect(heard).toHaveLength(1);
      clerk.clock.advance(3 * 3_600_000);
      expect(await openDueVotes(clerk.ctx)).toBe(1);
      expect(heard[1]).toMatchObject({ voteId: w.id, matterId: later.matterId, actorId: null });
    } finally {
      off();
    }
  });

  it("a subscriber that fails rolls the whole opening back: no vote, the matter where it was", async () => {
    const off = subscribeInTransaction("vote.opened", "test.fails", async () => {
      throw new Error("subscriber failed");
    });
    try {
      const s = await scheduledMatter(2);
      await expect(openVote(context(database.db, s.staff).ctx, s.matterId, setup())).rejects.toThrow("subscriber failed");
      expect(await database.db.select().from(votes).where(eq(votes.matterId, s.matterId))).toEqual([]);
      const [m] = await database.db.select({ state: matters.state }).from(matters).where(eq(matters.id, s.matterId));
      expect(m.state).toBe("scheduled");
    } finally {
      off();
    }
  });
});

describe("the votes of a matter", () => {
  it("are listed only to whoever may read the matter", async () => {
    const s = await scheduledMatter(2);
    const v = await openVote(context(database.db, s.staff).ctx, s.matterId, setup());
    const outsider = context(database.db, await actorOf(database.db, (await makeUser(database.db)).id)).ctx;
    expect(await listVotesOfMatter(outsider, s.matterId)).toEqual([{ id: v.id, question: "是否建停车棚？", state: "open" }]);
    // a matter only its community may read (as a withdrawn one is) hides its votes from everyone else
    await database.db.update(matters).set({ state: "withdrawn" }).where(eq(matters.id, s.matterId));
    expect(await code(listVotesOfMatter(outsider, s.matterId))).toBe("errors.notFound");
    expect(await code(listVotesOfMatter(context(database.db, null).ctx, s.matterId))).toBe("errors.notFound");
    expect(await listVotesOfMatter(context(database.db, s.residents[0]).ctx, s.matterId)).toHaveLength(1);
    expect(await code(listVotesOfMatter(outsider, 99_999_999))).toBe("errors.notFound");
  });
});
