import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, passwordResets } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { context, grant, join, makeTree, makeUser, outcomeOf, PASSWORD } from "../../../tests/support/factories";
import type { Actor } from "./actor";
import { logIn } from "./auth.server";
import { can } from "./permissions";
import { issueResetCode, listResetTargets, redeemResetCode, RESET_TTL_MS } from "./reset.server";
import { RedeemResetSchema } from "./schemas";
import { createSession, getSessionActor } from "./sessions.server";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
});
afterAll(() => database.close());

/** One clock for everything in a test: the fixed one of `context`. */
function world() {
  const { ctx, clock } = context(database.db, null);
  const actorAt = async (userId: number): Promise<Actor> => {
    const { token } = await createSession(database.db, userId, clock.now());
    return (await getSessionActor(database.db, token, clock.now()))!;
  };
  const as = (actor: Actor | null) => ({ ...ctx, actor });
  return { ctx, clock, actorAt, as };
}

async function committeeOf(communityId: number) {
  const c = await makeUser(database.db);
  await grant(database.db, c.id, "committee", communityId);
  return c;
}

async function resident(communityId: number, status: "verified" | "pending" = "verified") {
  const u = await makeUser(database.db);
  await join(database.db, u.id, communityId, status);
  return u;
}

const redeem = (identifier: string, code: string, password = "a brand new passphrase") =>
  RedeemResetSchema.parse({ identifier, code, password, confirm: password });

describe("reset codes issued in person by the committee", () => {
  it("a code is shown once, stored only hashed, works once, ends every session and is ledgered", async () => {
    const w = world();
    const committee = await committeeOf(tree.a1.id);
    const r = await resident(tree.a1.id);
    const phoneSession = await createSession(database.db, r.id, w.clock.now());
    const laptopSession = await createSession(database.db, r.id, w.clock.now());

    const issued = await issueResetCode(w.as(await w.actorAt(committee.id)), tree.a1.id, { userId: r.id });
    expect(issued.code).toMatch(/^\d{4} \d{4} \d{4}$/);
    expect(issued.expiresAt.getTime() - w.clock.now().getTime()).toBe(RESET_TTL_MS);
    const stored = await database.db.select().from(passwordResets).where(eq(passwordResets.userId, r.id));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(issued.code.replace(/\s/g, ""));
    const areaLedger = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.stream, `area:${tree.a1.id}`));
    expect(areaLedger.filter((l) => l.action === "account.reset_issued")).toMatchObject([{ actorId: committee.id, entityId: String(r.id) }]);
    expect(JSON.stringify(areaLedger)).not.toContain(issued.code.replace(/\s/g, ""));

    w.clock.advance(3_600_000);
    await redeemResetCode(w.ctx, redeem(r.username!, issued.code.replace(/ /g, "-")));
    expect(await getSessionActor(database.db, phoneSession.token, w.clock.now())).toBeNull();
    expect(await getSessionActor(database.db, laptopSession.token, w.clock.now())).toBeNull();
    expect(await outcomeOf(logIn(w.ctx, { identifier: r.username!, password: PASSWORD }))).toBe("errors.badCredentials");
    await expect(logIn(w.ctx, { identifier: r.username!, password: "a brand new passphrase" })).resolves.toMatchObject({ userId: r.id });
    // spent: the same code does not work twice
    expect(await outcomeOf(redeemResetCode(w.ctx, redeem(r.username!, issued.code, "another passphrase")))).toBe("errors.resetInvalid");
    const userLedger = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.stream, `user:${r.id}`));
    expect(userLedger.map((l) => l.action)).toEqual(["account.reset_used"]);
    expect(userLedger[0].summary).toMatchObject({ issuedBy: committee.id, sessionsEnded: 2 });
  });

  it("expires after 24 hours, and a newer code replaces an older one", async () => {
    const w = world();
    const committee = await w.actorAt((await committeeOf(tree.a2.id)).id);
    const r = await resident(tree.a2.id);
    const first = await issueResetCode(w.as(committee), tree.a2.id, { userId: r.id });
    const second = await issueResetCode(w.as(committee), tree.a2.id, { userId: r.id });
    expect(await outcomeOf(redeemResetCode(w.ctx, redeem(r.username!, first.code)))).toBe("errors.resetInvalid");
    w.clock.advance(RESET_TTL_MS + 1000);
    expect(await outcomeOf(redeemResetCode(w.ctx, redeem(r.username!, second.code)))).toBe("errors.resetInvalid");
    const third = await issueResetCode(w.as(committee), tree.a2.id, { userId: r.id });
    w.clock.advance(RESET_TTL_MS - 1000);
    expect(await outcomeOf(redeemResetCode(w.ctx, redeem(r.username!, third.code)))).toBe("ok");
  });

  it("a wrong code and an unknown login get the same answer, and guessing is throttled", async () => {
    const w = world();
    w.ctx.ip = "203.0.113.9";
    const committee = await w.actorAt((await committeeOf(tree.b1.id)).id);
    const r = await resident(tree.b1.id);
    const issued = await issueResetCode(w.as(committee), tree.b1.id, { userId: r.id });
    expect(await outcomeOf(redeemResetCode(w.ctx, redeem("nobody_at_all", issued.code)))).toBe("errors.resetInvalid");
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await outcomeOf(redeemResetCode(w.ctx, redeem(r.username!, "0000 0000 0000"))));
    expect(answers).toEqual([...Array(5).fill("errors.resetInvalid"), "errors.tooManyAttempts"]);
    // even the right code waits its turn, then works
    expect(await outcomeOf(redeemResetCode(w.ctx, redeem(r.username!, issued.code)))).toBe("errors.tooManyAttempts");
    w.clock.advance(60_000);
    expect(await outcomeOf(redeemResetCode(w.ctx, redeem(r.username!, issued.code)))).toBe("ok");
  });

  it("only the committee of the resident's own community, never for oneself, a pending member or any staff member", async () => {
    const w = world();
    const committee = await committeeOf(tree.a1.id);
    const c = await w.actorAt(committee.id);
    const otherCommittee = await w.actorAt((await committeeOf(tree.a2.id)).id);
    const townAdmin = await makeUser(database.db);
    await grant(database.db, townAdmin.id, "town_admin", tree.townA.id);
    await join(database.db, townAdmin.id, tree.a1.id);
    const organizer = await resident(tree.a1.id);
    await grant(database.db, organizer.id, "organizer", tree.a1.id);
    await join(database.db, committee.id, tree.a1.id);
    const verified = await resident(tree.a1.id);
    const pending = await resident(tree.a1.id, "pending");
    const neighbour = await w.actorAt((await resident(tree.a1.id)).id);

    const tryIssue = (actor: Actor | null, userId: number) => outcomeOf(issueResetCode(w.as(actor), tree.a1.id, { userId }));
    expect(await tryIssue(otherCommittee, verified.id)).toBe("errors.forbidden");
    expect(await tryIssue(await w.actorAt(townAdmin.id), verified.id)).toBe("errors.forbidden");
    expect(await tryIssue(neighbour, verified.id)).toBe("errors.forbidden");
    expect(await tryIssue(null, verified.id)).toBe("errors.unauthenticated");
    expect(await tryIssue(c, pending.id)).toBe("errors.resetNotAllowed");
    expect(await tryIssue(c, committee.id)).toBe("errors.resetNotAllowed");
    expect(await tryIssue(c, townAdmin.id)).toBe("errors.resetNotAllowed");
    expect(await tryIssue(c, organizer.id)).toBe("errors.resetNotAllowed");
    expect(await tryIssue(c, (await makeUser(database.db)).id)).toBe("errors.userNotFound");
    expect(await tryIssue(c, verified.id)).toBe("ok");
    // another community's resident, through this community's page
    expect(await outcomeOf(issueResetCode(w.as(c), tree.a2.id, { userId: verified.id }))).toBe("errors.forbidden");
    expect(await database.db.select().from(passwordResets).where(eq(passwordResets.issuedBy, townAdmin.id))).toEqual([]);

    const list = await listResetTargets(w.as(c), tree.a1.id);
    const row = (id: number) => list.residents.find((x) => x.userId === id);
    expect(row(verified.id)).toMatchObject({ allowed: true });
    expect(row(verified.id)!.liveUntil).not.toBeNull();
    expect(row(townAdmin.id)).toMatchObject({ allowed: false });
    expect(row(pending.id)).toBeUndefined();
    expect(await outcomeOf(listResetTargets(w.as(otherCommittee), tree.a1.id))).toBe("errors.forbidden");
    expect(await outcomeOf(listResetTargets(w.as(neighbour), tree.a1.id))).toBe("errors.forbidden");
  });

  it("can() answers account.issueReset from its arguments alone", () => {
    const committee: Actor = { id: 1, displayName: "c", roles: [{ role: "committee", areaId: 9, areaPath: "/1/4/9/" }], memberships: [] };
    const target = { type: "account" as const, userId: 2, communityId: 9, communityPath: "/1/4/9/", verified: true, staff: false };
    expect(can(committee, "account.issueReset", target)).toBe(true);
    expect(can(committee, "account.issueReset", { ...target, communityId: 10, communityPath: "/1/4/10/" })).toBe(false);
    expect(can(committee, "account.issueReset", { ...target, staff: true })).toBe(false);
    expect(can(committee, "account.issueReset", { ...target, verified: false })).toBe(false);
    expect(can(committee, "account.issueReset", { ...target, userId: 1 })).toBe(false);
    expect(can(null, "account.issueReset", target)).toBe(false);
    const townAdmin: Actor = { ...committee, roles: [{ role: "town_admin", areaId: 4, areaPath: "/1/4/" }] };
    expect(can(townAdmin, "account.issueReset", target)).toBe(false);
  });
});
