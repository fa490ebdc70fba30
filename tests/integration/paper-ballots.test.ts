/**
 * Printed paper ballots (issue 22): staff print numbered sheets for an open vote; the paper-ballot
 * entry accepts a sheet's number once and refuses it the second time (and refuses numbers never
 * printed for this vote). Through the commands, and through the whole server as a browser without
 * JavaScript posts the forms.
 */
import { execFileSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { matters, memberships, paperBallotNumbers, voteParticipation } from "../../db/schema";
import type { Actor } from "../../app/modules/accounts/actor";
import { createSession, SESSION_COOKIE } from "../../app/modules/accounts/sessions.server";
import { enterPaperBallot } from "../../app/modules/matters/voting/paper.server";
import { normalBallotNumber, printPaperBallots } from "../../app/modules/matters/voting/paper-ballots.server";
import { CreateVoteSchema } from "../../app/modules/matters/voting/schemas";
import { openVote } from "../../app/modules/matters/voting/setup.server";
import { systemClock } from "../../app/modules/shared/clock";
import { startApp } from "../support/app-server";
import { testDatabase } from "../support/db";
import { actorOf, context, grant, makeArea, makeCategory, makeTree, makeUser, outcomeOf } from "../support/factories";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
let categoryId: number;
let app: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
  categoryId = (await makeCategory(database.db, tree.county.id)).id;
  app = await startApp(database);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** An open vote in a fresh community with `n` verified residents, on the system clock (the server's). */
async function openVoteWith(n: number) {
  const community = await makeArea(database.db, tree.townA, "community");
  const staffUser = await makeUser(database.db);
  await grant(database.db, staffUser.id, "committee", community.id);
  const residents: Actor[] = [];
  for (let i = 0; i < n; i++) {
    const u = await makeUser(database.db);
    await database.db.insert(memberships).values({ userId: u.id, communityId: community.id, status: "verified", birthYear: 1980, address: `${i} 号楼 1 单元` });
    residents.push(await actorOf(database.db, u.id));
  }
  const [m] = await database.db
    .insert(matters)
    .values({ communityId: community.id, proposerId: staffUser.id, state: "scheduled", title: "东门停车棚", description: "d", categoryId, affectedArea: "东门", desiredOutcome: "建" })
    .returning();
  const staff = await actorOf(database.db, staffUser.id);
  const v = await openVote(
    context(database.db, staff, systemClock).ctx,
    m.id,
    CreateVoteSchema.parse({ question: "是否建停车棚？", method: "yes_no", electorate: "residents", preset: "residents_meeting", secret: "yes" }),
  );
  return { staff, residents, voteId: v.id };
}

describe("printed paper ballots", () => {
  it("a printed number is accepted once and refused the second time; an unknown one is refused; numbers read as typed", async () => {
    const s = await openVoteWith(3);
    const staff = context(database.db, s.staff, systemClock).ctx;
    const printed = await printPaperBallots(staff, s.voteId, { count: 3 });
    expect(printed.numbers).toHaveLength(3);
    expect(new Set(printed.numbers).size).toBe(3);
    const [first, second] = printed.numbers;
    expect(first).toMatch(/^0001-[A-Z2-9]{4}$/);
    await enterPaperBallot(staff, s.voteId, { voterKey: `u:${s.residents[0].id}`, choices: ["yes"], ballotNumber: first.toLowerCase().replace("-", " ") });
    expect(await outcomeOf(enterPaperBallot(staff, s.voteId, { voterKey: `u:${s.residents[1].id}`, choices: ["no"], ballotNumber: first }))).toBe("paperBallots.errors.used");
    // the refused entry left nothing behind: resident 1 can still be entered with a fresh sheet
    expect(await database.db.select().from(voteParticipation).where(eq(voteParticipation.voteId, s.voteId))).toHaveLength(1);
    expect(await outcomeOf(enterPaperBallot(staff, s.voteId, { voterKey: `u:${s.residents[1].id}`, choices: ["no"], ballotNumber: "9999-ZZZZ" }))).toBe("paperBallots.errors.unknown");
    await enterPaperBallot(staff, s.voteId, { voterKey: `u:${s.residents[1].id}`, choices: ["no"], ballotNumber: second });
    const rows = await database.db.select().from(paperBallotNumbers).where(eq(paperBallotNumbers.voteId, s.voteId));
    expect(rows.filter((r) => r.entered).map((r) => r.number).sort()).toEqual([first, second].sort());
    // a second print continues the numbering
    expect((await printPaperBallots(staff, s.voteId, { count: 1 })).numbers[0]).toMatch(/^0004-/);
    expect(normalBallotNumber("0004 ab2c")).toBe("0004-AB2C");
    expect(normalBallotNumber("abc")).toBeNull();
  });

  it("only the vote's staff print, and only 1 to 500 sheets", async () => {
    const s = await openVoteWith(1);
    expect(await outcomeOf(printPaperBallots(context(database.db, s.residents[0], systemClock).ctx, s.voteId, { count: 2 }))).toBe("errors.forbidden");
    const staff = context(database.db, s.staff, systemClock).ctx;
    expect(await outcomeOf(printPaperBallots(staff, s.voteId, { count: 0 }))).toBe("paperBallots.errors.count");
    expect(await outcomeOf(printPaperBallots(staff, s.voteId, { count: 501 }))).toBe("paperBallots.errors.count");
    expect(await outcomeOf(printPaperBallots(staff, s.voteId, { count: Number.NaN }))).toBe("paperBallots.errors.count");
  });

  it("through the server without JavaScript: the print form returns the sheets as a PDF; the entry form takes a number once", async () => {
    const s = await openVoteWith(2);
    const cookie = `${SESSION_COOKIE}=${(await createSession(database.db, s.staff.id, systemClock.now())).token}`;
    const post = (path: string, fields: Record<string, string>) =>
      fetch(app.origin + path, {
        method: "POST",
        redirect: "manual",
        headers: { origin: app.origin, cookie, "content-type": "application/x-www-form-urlencoded", "accept-language": "zh-CN" },
        body: new URLSearchParams(fields).toString(),
      });
    const page = await (await fetch(`${app.origin}/votes/${s.voteId}`, { headers: { cookie } })).text();
    expect(page).toContain(`action="/votes/${s.voteId}/paper-ballots"`);
    expect(page).toContain('name="ballotNumber"');

    const bad = await post(`/votes/${s.voteId}/paper-ballots`, { count: "many" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("请填写 1 到 500 之间的张数");

    const pdf = await post(`/votes/${s.voteId}/paper-ballots`, { count: "2" });
    expect(pdf.status, pdf.headers.get("location") ?? "").toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const [row] = await database.db.select().from(paperBallotNumbers).where(eq(paperBallotNumbers.voteId, s.voteId)).limit(1);
    let hasPoppler = true;
    try {
      execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    } catch {
      hasPoppler = false;
    }
    if (hasPoppler) {
      const text = execFileSync("pdftotext", ["-", "-"], { input: bytes }).toString("utf8").replace(/\s+/g, "");
      expect(text).toContain("纸质选票");
      expect(text).toContain("是否建停车棚？");
      expect(text).toContain(row.number);
    }

    const enter = (voterKey: string) => post(`/votes/${s.voteId}`, { intent: "paper", voterKey, choices: "yes", ballotNumber: row.number });
    const once = await enter(`u:${s.residents[0].id}`);
    expect(once.status).toBe(302);
    const twice = await enter(`u:${s.residents[1].id}`);
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain("已经录入过");
  });
});
