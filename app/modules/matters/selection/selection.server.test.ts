import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { areas, memberships, notifications, panelFixedSeats, panelMembers, panelPlans } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, makeArea, makeCategory, makeTree, makeUser, outcomeOf } from "../../../../tests/support/factories";
import type { Actor } from "../../accounts/actor";
import { DomainError } from "../../shared/errors";
import { beijingLocalInput } from "../../shared/beijing-time";
import { cosignMatter } from "../cosign.server";
import { createDraft } from "../proposals.server";
import { runMatterCommand } from "../review.server";
import { CreateVoteSchema } from "../voting/schemas";
import { castBallot } from "../voting/cast.server";
import { newBallotKey } from "../voting/receipts.server";
import { openVote } from "../voting/setup.server";
import { verifyDraw } from "./draw";
import { verifyPublishedJson } from "./verify.server";
import { PlanSchema } from "./plan-schema.server";
import { computeDistribution } from "./compute.server";
import { drawPanelForMatter } from "./draw.server";
import { answerInvitation, expireInvitations } from "./invitations.server";
import { addFixedSeat, savePlan } from "./plan.server";
import { registerInterest, tabsToCsv, uploadPaperPool, withdrawInterest } from "./registration.server";
import { getPublishedDraw, getSelectionPage } from "./view.server";
import { meetsQuotas } from "./engine";

const DAY = 86_400_000;
let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let categoryId: number;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  categoryId = (await makeCategory(database.db, tree.county.id)).id;
});
afterAll(() => database.close());

const err = outcomeOf;

const plan = (deadline: Date, quotas: string, panelSize = 5, onePerHousehold = true) =>
  PlanSchema.parse({
    panelSize: String(panelSize),
    onePerHousehold: onePerHousehold ? "on" : undefined,
    registrationDeadline: beijingLocalInput(deadline),
    responseDays: "3",
    quotas,
  });

const QUOTAS = "楼栋,东楼,1,3\n楼栋,西楼,1,3\n性别,男,1,3\n性别,女,1,3";

/** A panel matter in `selecting`, a committee member, and 12 verified residents in 10 households. */
async function selectingMatter() {
  const community = await makeArea(database.db, tree.townA, "community");
  await database.db.update(areas).set({ cosignThreshold: 1 }).where(eq(areas.id, community.id));
  const staff = await actorOf(database.db, (await makeUser(database.db, { name: "陈书记" })).id);
  await grant(database.db, staff.id, "committee", community.id);
  const staffActor = await actorOf(database.db, staff.id);
  const residents: Actor[] = [];
  for (let i = 0; i < 12; i++) {
    const u = await makeUser(database.db, { name: `居民${i}` });
    // residents 10 and 11 share households with 0 and 1
    await database.db.insert(memberships).values({ userId: u.id, communityId: community.id, status: "verified", address: `${i % 10} 号 ${i % 10}01` });
    residents.push(await actorOf(database.db, u.id));
  }
  const clock = context(database.db, null).clock;
  const as = (a: Actor | null) => context(database.db, a, clock).ctx;
  const { id } = await createDraft(as(residents[0]), community.id, { title: "加装电梯", description: "老楼加装电梯", categoryId, affectedArea: "东西楼", desiredOutcome: "协商方案" });
  await runMatterCommand(as(residents[0]), id, { command: "submit" });
  await cosignMatter(as(residents[1]), id);
  await runMatterCommand(as(staffActor), id, { command: "accept", form: "panel" });
  await runMatterCommand(as(staffActor), id, { command: "openSelection" });
  return { id, community, staff: staffActor, residents, clock, as };
}

// every building-and-gender pair has at least two registrants (1–11), so whoever declines, some
// undrawn registrant keeps every quota met and the reserve always has someone to offer the seat
const answersOf = (i: number) => ({ 楼栋: i % 2 ? "西楼" : "东楼", 性别: Math.floor(i / 2) % 2 ? "女" : "男" });

describe("selection: plan, registration, fair draw, invitations", () => {
  it("runs a whole selection and an outsider can verify the draw", { timeout: 90_000 }, async () => {
    const { id, staff, residents, clock, as } = await selectingMatter();
    const deadline = new Date(clock.now().getTime() + DAY);
    // only the committee sets the plan
    expect(await err(savePlan(as(residents[0]), id, plan(deadline, QUOTAS)))).toBe("errors.forbidden");
    await savePlan(as(staff), id, plan(deadline, QUOTAS));
    await addFixedSeat(as(staff), id, { name: "业委会主任", reason: "owners_committee" });
    for (let i = 1; i < 12; i++) await registerInterest(as(residents[i]), id, answersOf(i));
    // twice, a wrong answer, an outsider, before the deadline
    expect(await err(registerInterest(as(residents[1]), id, answersOf(1)))).toBe("selection.errors.alreadyRegistered");
    expect(await err(registerInterest(as(residents[0]), id, { 楼栋: "南楼", 性别: "男" }))).toBe("selection.errors.chooseAnswer");
    const outsider = await actorOf(database.db, (await makeUser(database.db)).id);
    expect(await err(registerInterest(as(outsider), id, answersOf(0)))).toBe("matters.errors.notVerified");
    expect(await err(computeDistribution(as(staff), id))).toBe("selection.errors.registrationOpen");
    // withdraw and come back
    await withdrawInterest(as(residents[5]), id);
    await registerInterest(as(residents[5]), id, answersOf(5));

    expect((await getSelectionPage(as(residents[1]), id)).deadlinePassed).toBe(false);
    clock.advance(DAY + 1000);
    expect((await getSelectionPage(as(residents[1]), id)).deadlinePassed).toBe(true);
    expect(await err(registerInterest(as(residents[0]), id, answersOf(0)))).toBe("selection.errors.registrationClosed");
    expect(await err(withdrawInterest(as(residents[5]), id))).toBe("selection.errors.registrationClosed");
    expect(await err(computeDistribution(as(residents[1]), id))).toBe("errors.forbidden");

    const report = await computeDistribution(as(staff), id);
    expect(report.feasible).toBe(true);
    expect(report.min).toBeGreaterThan(0);
    expect(report.dualBound! - report.min!).toBeLessThanOrEqual(1e-4);
    // before the draw: the record verifies, the secret is not out
    const before = (await getPublishedDraw(as(null), id))!;
    expect(before.secret).toBeNull();
    expect(verifyDraw(before)).toMatchObject({ ok: true, drawn: false });
    const page = await getSelectionPage(as(residents[3]), id);
    expect(page.probabilities).toBeNull(); // residents see min/mean/max only
    expect(JSON.stringify(page)).not.toMatch(/"secret"/);
    expect(await err(drawPanelForMatter(as(residents[1]), id, "3 5 1"))).toBe("errors.forbidden");

    // the draw cannot be undone: without the confirmation step's "yes" it is refused and the plan stays computed
    expect(await err(drawPanelForMatter(as(staff), id, "3 5 1 6"))).toBe("confirm.required");
    expect((await getPublishedDraw(as(null), id))!.secret).toBeNull();
    const drawn = await drawPanelForMatter(as(staff), id, "3 5 1 6", "yes");
    expect(drawn.panel).toHaveLength(4);
    const after = (await getPublishedDraw(as(null), id))!;
    expect(verifyDraw(after)).toMatchObject({ ok: true, drawn: true });
    expect([...after.panel!].sort()).toEqual([...drawn.panel].sort());
    const input = { people: after.pool, quotas: after.quotas, k: after.seats, onePerHousehold: true };
    expect(meetsQuotas(input, drawn.panel).ok).toBe(true);
    // tampering with the secret, the pool or the entropy is caught
    expect(verifyDraw({ ...after, secret: "0".repeat(64) }).ok).toBe(false);
    expect(verifyDraw({ ...after, pool: after.pool.map((p, i) => (i === 0 ? { ...p, attributes: { ...p.attributes, 性别: p.attributes.性别 === "男" ? "女" : "男" } } : p)) }).checks.find((c) => c.check === "poolDigest")!.ok).toBe(false);
    expect(verifyDraw({ ...after, entropy: "3 5 1 5" }).ok).toBe(false);
    // the downloaded JSON, as an outsider would paste it
    expect(verifyPublishedJson(JSON.stringify(after))).toMatchObject({ ok: true, drawn: true });
    expect(verifyPublishedJson(JSON.stringify({ ...after, panel: [...after.panel!].reverse().slice(1) })).ok).toBe(false);
    expect(await err(drawPanelForMatter(as(staff), id, "again", "yes"))).toBe("selection.errors.alreadyDrawn");

    // invitations: the drawn people were notified
    const members = await database.db.select().from(panelMembers).where(eq(panelMembers.matterId, id));
    expect(members).toHaveLength(5);
    const drawnMembers = members.filter((m) => m.source === "lottery");
    const invited = await database.db.select().from(notifications).where(eq(notifications.kind, "notify.selection.invited"));
    expect(invited.filter((n) => drawnMembers.some((m) => m.userId === n.userId))).toHaveLength(4);
    const actorFor = (userId: number) => residents.find((r) => r.id === userId)!;
    // someone else cannot answer for them; the committee may answer only for an account-less fixed seat
    expect(await err(answerInvitation(as(residents.find((r) => !drawnMembers.some((m) => m.userId === r.id))!), id, drawnMembers[0].id, "accept"))).toBe("errors.forbidden");
    expect(await err(answerInvitation(as(staff), id, drawnMembers[0].id, "accept"))).toBe("errors.forbidden");
    const fixed = members.find((m) => m.source === "fixed")!;
    await answerInvitation(as(staff), id, fixed.id, "accept");

    await answerInvitation(as(actorFor(drawnMembers[0].userId!)), id, drawnMembers[0].id, "accept");
    expect(await err(answerInvitation(as(actorFor(drawnMembers[0].userId!)), id, drawnMembers[0].id, "decline"))).toBe("selection.errors.alreadyAnswered");
    const { replacement } = await answerInvitation(as(actorFor(drawnMembers[1].userId!)), id, drawnMembers[1].id, "decline");
    const seatedAfter = async () => {
      const rows = await database.db.select().from(panelMembers).where(and(eq(panelMembers.matterId, id)));
      const pool = new Map((await getPublishedDraw(as(null), id))!.pool.map((p) => [p.id, p]));
      const page = await getSelectionPage(as(staff), id);
      return { rows, pool, page };
    };
    const s1 = await seatedAfter();
    expect(replacement).not.toBeNull();
    {
      const r = s1.rows.find((x) => x.id === replacement)!;
      expect(r).toMatchObject({ source: "reserve", status: "invited", replacesId: drawnMembers[1].id });
    }
    // the seats still held (invited or accepted) by drawn people meet every quota
    const probs = s1.page.probabilities!;
    const pseudonymOf = new Map(probs.map((p) => [p.name, p.pseudonym]));
    const seatedNames = s1.page.members.filter((m) => m.source !== "fixed" && (m.status === "invited" || m.status === "accepted")).map((m) => pseudonymOf.get(m.label)!);
    expect(meetsQuotas(input, seatedNames).ok).toBe(true);

    // scheduling waits for a full panel
    expect(await err(runMatterCommand(as(staff), id, { command: "schedule", scheduledFor: new Date(clock.now().getTime() + 10 * DAY) }))).toBe("selection.errors.panelNotFull");
    // silence: after the answer period the remaining invitations expire and are refilled
    clock.advance(4 * DAY);
    const { expired } = await expireInvitations(as(null));
    expect(expired).toBeGreaterThan(0);
    const stillInvitedOld = (await database.db.select().from(panelMembers).where(eq(panelMembers.matterId, id))).filter((m) => m.status === "invited" && m.respondBy <= clock.now());
    expect(stillInvitedOld).toHaveLength(0);
  });

  it("reports infeasible quotas, names them, and draws nothing", async () => {
    const { id, staff, residents, clock, as } = await selectingMatter();
    await savePlan(as(staff), id, plan(new Date(clock.now().getTime() + DAY), "楼栋,东楼,3,3\n楼栋,西楼,3,3", 5, false));
    for (let i = 0; i < 12; i++) await registerInterest(as(residents[i]), id, { 楼栋: i % 2 ? "西楼" : "东楼" });
    clock.advance(DAY + 1);
    const report = await computeDistribution(as(staff), id);
    expect(report.feasible).toBe(false);
    expect(report.conflicts!.length).toBeGreaterThan(0);
    const [row] = await database.db.select().from(panelPlans).where(eq(panelPlans.matterId, id));
    expect(row.status).toBe("open");
    expect(row.commitment).toBeNull();
    expect(await err(drawPanelForMatter(as(staff), id, "1 2 3", "yes"))).toBe("selection.errors.notComputed");
  });

  it("keeps the questions once people answered, and refuses a past deadline", async () => {
    const { id, staff, residents, clock, as } = await selectingMatter();
    const deadline = new Date(clock.now().getTime() + DAY);
    expect(await err(savePlan(as(staff), id, plan(new Date(clock.now().getTime() - 60_000), QUOTAS)))).toBe("selection.errors.deadlinePast");
    await savePlan(as(staff), id, plan(deadline, QUOTAS));
    await registerInterest(as(residents[2]), id, answersOf(2));
    expect(await err(savePlan(as(staff), id, plan(deadline, "楼栋,东楼,1,3\n楼栋,南楼,1,3")))).toBe("selection.errors.questionsFixed");
    // numbers may change
    expect(await err(savePlan(as(staff), id, plan(deadline, QUOTAS.replace("东楼,1,3", "东楼,2,3"))))).toBe("ok");
  });

  it("links a fixed seat to the account its login names, found as at sign-in (username in any case, phone however written)", async () => {
    const { id, staff, clock, as } = await selectingMatter();
    await savePlan(as(staff), id, plan(new Date(clock.now().getTime() + DAY), QUOTAS));
    const expert = await makeUser(database.db, { name: "王工", username: "seat_expert" });
    const phone = `137${String(process.pid % 100_000_000).padStart(8, "0")}`;
    const owner = await makeUser(database.db, { name: "李主任", phone });
    await addFixedSeat(as(staff), id, { name: "王工", reason: "expert", login: "Seat_Expert" });
    await addFixedSeat(as(staff), id, { name: "李主任", reason: "owners_committee", login: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` });
    const seats = await database.db.select().from(panelFixedSeats).where(eq(panelFixedSeats.matterId, id));
    expect(seats.map((s) => s.userId).sort()).toEqual([expert.id, owner.id].sort());
    expect(await err(addFixedSeat(as(staff), id, { name: "王工", reason: "expert", login: "seat_expert" }))).toBe("selection.errors.alreadySeated");
    expect(await err(addFixedSeat(as(staff), id, { name: "某人", reason: "expert", login: "<seat_expert>" }))).toBe("selection.errors.noSuchAccount");
  });

  it("a full panel lets the matter be scheduled, and a panel vote's electorate is exactly the accepted panel", async () => {
    const { id, staff, residents, clock, as } = await selectingMatter();
    const now = clock.now();
    await database.db.insert(panelPlans).values({ matterId: id, panelSize: 3, registrationDeadline: now, attributes: [], quotas: [], status: "drawn" });
    await database.db.insert(panelMembers).values(
      [2, 3, 4].map((i) => ({ matterId: id, userId: residents[i].id, source: "lottery" as const, status: "accepted" as const, respondBy: now, invitedAt: now })),
    );
    await runMatterCommand(as(staff), id, { command: "schedule", scheduledFor: new Date(now.getTime() + 10 * DAY) });
    const vote = await openVote(as(staff), id, CreateVoteSchema.parse({ question: "同意方案吗？", method: "yes_no", electorate: "panel", preset: "panel", secret: "no" }));
    expect(await err(castBallot(as(residents[2]), vote.id, { choices: ["yes"], idem: newBallotKey() }))).toBe("ok");
    expect(await err(castBallot(as(residents[5]), vote.id, { choices: ["yes"], idem: newBallotKey() }))).not.toBe("ok");
  });

  it("names who cannot be on any panel, and why, to the committee", async () => {
    const { id, staff, residents, clock, as } = await selectingMatter();
    await savePlan(as(staff), id, plan(new Date(clock.now().getTime() + DAY), "楼栋,东楼,0,0\n楼栋,西楼,0,3", 3, false));
    for (let i = 0; i < 8; i++) await registerInterest(as(residents[i]), id, { 楼栋: i < 2 ? "东楼" : "西楼" });
    clock.advance(DAY + 1);
    const report = await computeDistribution(as(staff), id);
    expect(report.feasible).toBe(true);
    const page = await getSelectionPage(as(staff), id);
    const east = page.probabilities!.filter((p) => p.excluded);
    expect(east.map((p) => p.name).sort()).toEqual([residents[0].displayName, residents[1].displayName].sort());
    expect(east.every((p) => p.excluded === "quota_max_zero" && p.probability === 0)).toBe(true);
    expect(page.probabilities!.filter((p) => !p.excluded).every((p) => Math.abs(p.probability - 0.5) < 1e-9)).toBe(true);
  });

  it("takes registrations collected on paper from a pasted spreadsheet, names a bad row, and lets the committee answer for them", async () => {
    const { id, staff, residents, clock, as } = await selectingMatter();
    await savePlan(as(staff), id, plan(new Date(clock.now().getTime() + DAY), "性别,男,0,3\n性别,女,0,3", 3, true));
    await registerInterest(as(residents[1]), id, { 性别: "男" });
    const bad = async (text: string) => {
      try {
        await uploadPaperPool(as(staff), id, text);
      } catch (e) {
        return e instanceof DomainError ? { key: e.messageKey, params: e.params } : e;
      }
      return "ok";
    };
    expect(await bad("id,household,性别\n纸-1,2 号 201,男\n纸-2,3 号 301,外星")).toEqual({ key: "selection.errors.poolCell", params: { row: 3, column: "性别" } });
    expect(await bad("id,household,性别\n纸-1,,男")).toEqual({ key: "selection.errors.poolCell", params: { row: 2, column: "household" } });
    expect(await bad("id,household,性别,年龄\n纸-1,2 号 201,男,70")).toMatchObject({ key: "selection.errors.poolCell", params: { column: "年龄" } });
    expect(await bad("id,household,性别\n纸-1,2 号 201,男\n纸-1,3 号 301,女")).toMatchObject({ key: "selection.errors.poolCell", params: { row: 3 } });
    expect(await bad("")).toMatchObject({ key: "selection.errors.poolCell" });
    expect(await err(uploadPaperPool(as(residents[2]), id, "id,household,性别\n纸-9,9,男"))).toBe("errors.forbidden");
    expect((await getSelectionPage(as(staff), id)).poolSize).toBe(1); // nothing from the refused uploads

    // pasted from a spreadsheet: tab-separated; 1 号 101 is resident 1's own address, so one household
    const pasted = "id\thousehold\t性别\n纸-1\t1 号 101\t女\n纸-2\t5 号 501\t女\n纸-3\t6 号 601\t男";
    expect(tabsToCsv(pasted).split("\n")[1]).toBe("纸-1,1 号 101,女");
    expect(await uploadPaperPool(as(staff), id, pasted)).toEqual({ added: 3 });
    expect(await bad("id,household,性别\n纸-2,7 号 701,男")).toEqual({ key: "selection.errors.poolDuplicate", params: { row: 2, id: "纸-2" } });
    const page = await getSelectionPage(as(staff), id);
    expect(page).toMatchObject({ poolSize: 4, paperCount: 3 });

    clock.advance(DAY + 1);
    const report = await computeDistribution(as(staff), id);
    expect(report.feasible).toBe(true);
    const published = (await getPublishedDraw(as(null), id))!;
    // resident 1 and 纸-1 share a household tag in the published pool
    expect(new Set(published.pool.map((p) => p.household)).size).toBe(3);
    await drawPanelForMatter(as(staff), id, "6 6 6", "yes");
    const after = await getSelectionPage(as(staff), id);
    const paperSeat = after.members.find((m) => m.label.startsWith("纸-"))!;
    expect(paperSeat.answerable).toBe(true);
    expect(await err(answerInvitation(as(residents[3]), id, paperSeat.id, "accept"))).toBe("errors.forbidden");
    await answerInvitation(as(staff), id, paperSeat.id, "accept");
    expect((await getSelectionPage(as(staff), id)).members.find((m) => m.id === paperSeat.id)!.status).toBe("accepted");
    // the public sees pseudonyms, never the paper numbers
    expect(JSON.stringify(await getSelectionPage(as(null), id))).not.toContain("纸-");
  });
});
