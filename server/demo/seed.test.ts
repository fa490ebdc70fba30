import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../app/modules/accounts/actor";
import { logIn } from "../../app/modules/accounts/auth.server";
import { getSessionActor } from "../../app/modules/accounts/sessions.server";
import { decideMembership, requestMembership } from "../../app/modules/communities/communities.server";
import { verifyLedger } from "../../app/modules/ledger/ledger.server";
import { listCategories } from "../../app/modules/matters/catalogue.server";
import { cosignMatter } from "../../app/modules/matters/cosign.server";
import { createDraft } from "../../app/modules/matters/proposals.server";
import { getMatterPage } from "../../app/modules/matters/queries.server";
import { publishMaterials, runMatterCommand } from "../../app/modules/matters/review.server";
import { getOutcome, rateMatter, recordOutcome, updateCommitment } from "../../app/modules/matters/outcomes/outcomes.server";
import { listSessions } from "../../app/modules/matters/room/view.server";
import { registerInterest } from "../../app/modules/matters/selection/registration.server";
import { getSelectionPage } from "../../app/modules/matters/selection/view.server";
import { castBallot } from "../../app/modules/matters/voting/cast.server";
import { closeVote } from "../../app/modules/matters/voting/close.server";
import { newBallotKey } from "../../app/modules/matters/voting/receipts.server";
import { getVotePage } from "../../app/modules/matters/voting/results.server";
import { openVote } from "../../app/modules/matters/voting/setup.server";
import { beijingDay } from "../../app/modules/shared/beijing-time";
import { fixedClock } from "../../app/modules/shared/clock";
import { context } from "../../tests/support/factories";
import { testDatabase } from "../../tests/support/db";
import type { Database } from "../../db/client";
import { areas, commitments, ledgerEntries, matters, memberships, users, votes } from "../../db/schema";
import { DEMO_PASSWORD, seedIfEmpty } from "./seed";
import { DEMO_MATTERS, DEMO_RESIDENTS } from "./seed-story";

const DAY = 86_400_000;
// one clock for the whole file: the seed's, the logins', the commands' (moved forward only)
const clock = fixedClock(new Date());
let database: Database;

beforeAll(async () => {
  database = await testDatabase();
  expect(await seedIfEmpty(database, () => {}, DEMO_PASSWORD, clock)).toBe(true);
}, 120_000);
afterAll(() => database.close());

async function signIn(identifier: string): Promise<Actor> {
  const { token } = await logIn(context(database.db, null, clock).ctx, { identifier, password: DEMO_PASSWORD });
  return (await getSessionActor(database.db, token, clock.now()))!;
}
const as = (actor: Actor | null) => context(database.db, actor, clock).ctx;

async function community(name: string) {
  const [a] = await database.db.select().from(areas).where(eq(areas.name, name));
  return a;
}
async function matterTitled(title: string) {
  const [m] = await database.db.select().from(matters).where(eq(matters.title, title));
  return m;
}

describe("demo seed", () => {
  it("fills an empty database once: a county, two towns, urban and rural communities, one account per role", async () => {
    expect(await seedIfEmpty(database, () => {}, DEMO_PASSWORD, clock)).toBe(false);
    const all = await database.db.select().from(areas);
    expect(all.filter((a) => a.kind === "county")).toHaveLength(1);
    expect(all.filter((a) => a.kind === "town")).toHaveLength(2);
    expect(new Set(all.filter((a) => a.kind === "community").map((a) => a.communityType))).toEqual(new Set(["urban", "rural"]));
    expect((await signIn("committee_a")).roles.map((r) => r.role)).toEqual(["committee"]);
    expect((await verifyLedger(database.db)).ok).toBe(true);
    // volunteering: organizer_a runs a team of 幸福里社区 with a past and a coming activity
    const { getMyRecords } = await import("../../app/modules/volunteers/records.server");
    const { listMyTeams } = await import("../../app/modules/volunteers/volunteers.server");
    expect((await listMyTeams(as(await signIn("organizer_a")))).map((t) => t.name)).toEqual(["幸福里志愿队"]);
    expect((await getMyRecords(as(await signIn("13800000001")))).confirmedHours).toBe(3);
  });

  it("shows the lawful path (issue 19): 李家村 keeps a register and a representatives roster, 幸福里社区 has a supervision committee", async () => {
    const { getRegisterPage } = await import("../../app/modules/communities/register.server");
    const c3 = await community("李家村");
    const page = await getRegisterPage(as(await signIn("committee_c")), c3.id);
    expect(page.entries).toEqual([expect.objectContaining({ adults: 1080, households: 412, source: "household_register" })]);
    expect(page.roster.map((r) => r.name)).toEqual(["孙大姐"]);
    expect((await signIn("supervisor_a")).roles.map((r) => r.role)).toEqual(["supervisor"]);
  });

  it("has enough verified residents in 幸福里社区, in fewer households, for any matter to reach the co-sign threshold", async () => {
    const c1 = await community("幸福里社区");
    const verified = await database.db
      .select({ address: memberships.address })
      .from(memberships)
      .where(and(eq(memberships.communityId, c1.id), eq(memberships.status, "verified")));
    // a proposer never co-signs their own matter: the others must reach the threshold alone
    expect(verified.length - 1).toBeGreaterThanOrEqual(c1.cosignThreshold);
    const households = new Set(verified.map((v) => v.address.replace(/\s+/g, "")));
    expect(households.size).toBeLessThan(verified.length);
    expect(households.size).toBeGreaterThan(1);
    // every seeded resident signs in with the demo password and is a verified resident
    for (const r of DEMO_RESIDENTS) {
      const actor = await signIn(r.login);
      expect(actor.memberships).toEqual([expect.objectContaining({ communityId: c1.id, status: "verified" })]);
    }
    // 李大爷 still waits in the committee's queue
    const [li] = await database.db.select({ id: users.id }).from(users).where(eq(users.phone, "13800000002"));
    const [pending] = await database.db.select().from(memberships).where(eq(memberships.userId, li.id));
    expect(pending.status).toBe("pending");
  });

  it("leaves one matter at each stage, each with what its page shows, timed from the seed's now", async () => {
    const now = clock.now().getTime();
    const visitor = as(null);
    const resident = as(await signIn("13800000001"));
    const states = Object.fromEntries(await Promise.all(Object.entries(DEMO_MATTERS).map(async ([stage, title]) => [stage, (await matterTitled(title)).state])));
    expect(states).toEqual({ completed: "completed", implementing: "implementing", voting: "voting", scheduled: "scheduled", selecting: "selecting", collecting: "collecting" });

    // every matter came through the commands: a timeline (the collecting one has only its submission) and ledger entries
    for (const title of Object.values(DEMO_MATTERS)) {
      const m = await matterTitled(title);
      const page = await getMatterPage(resident, m.id);
      expect(page.timeline.length, title).toBeGreaterThan(title === DEMO_MATTERS.collecting ? 0 : 2);
      expect(page.timeline.every((e) => e.at.getTime() <= now), title).toBe(true);
      const ledger = await database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.entityType, "matter"), eq(ledgerEntries.entityId, String(m.id))));
      expect(ledger.length, title).toBeGreaterThan(1);
    }

    // collecting: 8 of 10, two short of review
    const lift = await matterTitled(DEMO_MATTERS.collecting);
    expect([lift.cosignCount, lift.threshold]).toEqual([8, 10]);

    // selecting: a plan with registration open for days yet, and a pool
    const station = await getSelectionPage(visitor, (await matterTitled(DEMO_MATTERS.selecting)).id);
    expect(station.plan?.status).toBe("open");
    expect(station.deadlinePassed).toBe(false);
    expect(station.plan!.registrationDeadline.getTime()).toBeGreaterThan(now + 7 * DAY);
    expect(station.poolSize).toBe(7);

    // scheduled: a room session ahead, after the notice period
    const shed = await matterTitled(DEMO_MATTERS.scheduled);
    const sessions = await listSessions(visitor, shed.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].status).toBe("scheduled");
    expect(sessions[0].scheduledAt.getTime()).toBeGreaterThan(now + 3 * DAY);
    expect(sessions[0].scheduledAt.getTime()).toBeLessThan(now + 7 * DAY);

    // voting: a household vote that closes seven days from now, with some turnout
    const road = await matterTitled(DEMO_MATTERS.voting);
    const [vote] = await database.db.select().from(votes).where(and(eq(votes.matterId, road.id), eq(votes.state, "open")));
    expect(vote.electorate).toBe("households");
    expect(vote.closesAt!.getTime()).toBeGreaterThan(now + 7 * DAY - 60_000);
    expect(vote.closesAt!.getTime()).toBeLessThanOrEqual(now + 7 * DAY);
    const votePage = await getVotePage(resident, vote.id);
    expect(votePage.turnout).toBe(4);
    expect(votePage.eligible).toBe(true);
    expect(votePage.myChannel).toBeNull();
    expect(vote.electorateSize).toBeLessThan(DEMO_RESIDENTS.length + 1);

    // implementing: commitments due ahead, one with an owner who posted progress
    const impl = await getOutcome(visitor, (await matterTitled(DEMO_MATTERS.implementing)).id);
    expect(impl!.commitments).toHaveLength(2);
    expect(impl!.commitments.some((c) => c.overdue)).toBe(false);
    expect(impl!.commitments[0]).toMatchObject({ ownerName: "幸福里志愿队 周队长", status: "in_progress", progress: 40 });
    expect(impl!.commitments[0].updates).toHaveLength(1);

    // completed: all commitments done, the rating open now and already rated
    const done = await getOutcome(resident, (await matterTitled(DEMO_MATTERS.completed)).id);
    expect(done!.commitments.every((c) => c.status === "done")).toBe(true);
    expect(done!.ratingOpen).toBe(true);
    expect(done!.rating.count).toBe(6);
    expect(done!.canRate).toBe(true);
  });

  it("lets a newcomer join, co-sign the collecting matter to review, register for the panel, vote and rate", async () => {
    const c1 = await community("幸福里社区");
    const newcomerBefore = await signIn("resident");
    expect(newcomerBefore.memberships).toEqual([]);
    const committee = await signIn("committee_a");
    const { membershipId } = await requestMembership(as(newcomerBefore), c1.id, { address: "10 号楼 1 单元 501", birthYear: 1990 });
    await decideMembership(as(committee), { decision: "verify", membershipId });
    const newcomer = await signIn("resident");

    const lift = await matterTitled(DEMO_MATTERS.collecting);
    expect(await cosignMatter(as(newcomer), lift.id)).toMatchObject({ added: true, count: 9, state: "collecting" });
    // a seeded resident who has not co-signed yet sends it to review
    expect(await cosignMatter(as(await signIn("13800000015")), lift.id)).toMatchObject({ count: 10, state: "under_review" });

    const station = await matterTitled(DEMO_MATTERS.selecting);
    await registerInterest(as(newcomer), station.id, { 性别: "男", 年龄: "60 岁以下" });
    expect((await getSelectionPage(as(newcomer), station.id)).poolSize).toBe(8);

    // the open vote's electorate was fixed before the newcomer joined; 王阿姨's household has not voted
    const road = await matterTitled(DEMO_MATTERS.voting);
    const [vote] = await database.db.select().from(votes).where(and(eq(votes.matterId, road.id), eq(votes.state, "open")));
    await castBallot(as(await signIn("13800000001")), vote.id, { choices: ["yes"], idem: newBallotKey() });
    expect((await getVotePage(as(null), vote.id)).turnout).toBe(5);

    const done = await matterTitled(DEMO_MATTERS.completed);
    await rateMatter(as(newcomer), done.id, { score: 5 });
    expect((await getOutcome(as(newcomer), done.id))!.rating.count).toBe(7);
  });

  it("lets a newcomer take a matter of their own from proposal to rating on the demo data alone", async () => {
    const c1 = await community("幸福里社区");
    const newcomer = await signIn("resident");
    expect(newcomer.memberships).toEqual([expect.objectContaining({ communityId: c1.id, status: "verified" })]);
    const committee = await signIn("committee_a");
    const [category] = await listCategories(database.db, c1.path);
    const { id } = await createDraft(as(newcomer), c1.id, { title: "10 号楼楼道灯不亮", description: "10 号楼 1 单元楼道灯坏了一个月。", categoryId: category.id, affectedArea: "10 号楼", desiredOutcome: "换成声控灯。" });
    await runMatterCommand(as(newcomer), id, { command: "submit" });
    // the seeded residents alone reach the threshold
    const others = await database.db
      .select({ phone: users.phone })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.communityId, c1.id), eq(memberships.status, "verified"), ne(users.id, newcomer.id)));
    const cosigners = others.map((o) => o.phone!).slice(0, c1.cosignThreshold);
    expect(cosigners).toHaveLength(c1.cosignThreshold);
    for (const phone of cosigners) await cosignMatter(as(await signIn(phone)), id);
    expect((await matterTitled("10 号楼楼道灯不亮")).state).toBe("under_review");

    await runMatterCommand(as(committee), id, { command: "accept", form: "meeting" });
    await publishMaterials(as(committee), id, { title: "维修方案", body: "更换为声控 LED 灯。" });
    await runMatterCommand(as(committee), id, { command: "schedule", scheduledFor: new Date(clock.now().getTime() + (c1.noticeDays + 1) * DAY) });
    clock.advance((c1.noticeDays + 1) * DAY);
    await runMatterCommand(as(committee), id, { command: "openDeliberation" });
    const vote = await openVote(as(committee), id, {
      question: "是否同意更换为声控灯？",
      method: "yes_no",
      options: [],
      maxChoices: 1,
      electorate: "residents",
      preset: "residents_meeting",
      secret: "yes",
    });
    for (const phone of [...cosigners.slice(0, 8)]) await castBallot(as(await signIn(phone)), vote.id, { choices: ["yes"], idem: newBallotKey() });
    const result = await closeVote(as(committee), vote.id, "actor", "yes");
    expect(result.passed).toBe(true);
    await recordOutcome(as(committee), id, { decision: "更换为声控灯。", commitments: [{ title: "更换楼道灯", responsibleUnit: "物业", dueDate: beijingDay(new Date(clock.now().getTime() + 7 * DAY)) }] });
    const [c] = await database.db.select().from(commitments).where(eq(commitments.matterId, id));
    await updateCommitment(as(committee), { commitmentId: c.id, body: "已更换。", progress: 100, status: "done" });
    expect((await matterTitled("10 号楼楼道灯不亮")).state).toBe("completed");
    await rateMatter(as(newcomer), id, { score: 4, comment: "很快就修好了" });
    expect((await getOutcome(as(newcomer), id))!.rating).toMatchObject({ count: 1, average: 4 });
    expect((await verifyLedger(database.db)).ok).toBe(true);
  });
});
