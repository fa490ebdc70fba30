import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf, type Database } from "../db/client";
import { ballots, matters, voteParticipation } from "../db/schema";
import { createSession, revokeSession, SESSION_COOKIE, tokenId } from "../app/modules/accounts/sessions.server";
import { CreateVoteSchema } from "../app/modules/matters/voting/schemas";
import { closeVote } from "../app/modules/matters/voting/close.server";
import { formatReceipt, newBallotKey, receiptFor } from "../app/modules/matters/voting/receipts.server";
import { openVote } from "../app/modules/matters/voting/setup.server";
import { EventBus, type DomainEvent } from "../app/modules/shared/events";
import { systemClock } from "../app/modules/shared/clock";
import { testDatabase } from "../tests/support/db";
import { actorOf, context, grant, makeArea, makeCategory, makeResidents, makeTree, makeUser } from "../tests/support/factories";
import { BALLOT_LIMIT, ballotApi } from "./ballot-api";

let database: Database;
let server: http.Server;
let origin: string;
const events = new EventBus();
const heard: DomainEvent[] = [];
events.subscribe((e) => heard.push(e));

beforeAll(async () => {
  database = await testDatabase();
  // as server/app.ts serves it: ahead of the Express app (here one that answers 404 to anything else)
  const api = ballotApi({ db: database.db, events, clock: systemClock, log: pino({ level: "silent" }) });
  const rest = express().use((_req, res) => res.status(404).end());
  server = http.createServer((req, res) => (api.handles(req) ? api.serve(req, res) : rest(req, res)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await database.close();
});

/** An open vote in a fresh community with three verified residents, each with a session cookie. */
async function openVoteWithVoters(secret: "yes" | "no") {
  const tree = await makeTree(database.db);
  const community = await makeArea(database.db, tree.townA, "community");
  const staff = await makeUser(database.db);
  await grant(database.db, staff.id, "committee", community.id);
  const residents = await makeResidents(database.db, community.id, 3);
  const category = await makeCategory(database.db, tree.county.id);
  const [m] = await database.db
    .insert(matters)
    .values({ communityId: community.id, proposerId: staff.id, state: "scheduled", title: "东门停车棚", description: "d", categoryId: category.id, affectedArea: "东门", desiredOutcome: "建" })
    .returning();
  // the API runs on the system clock, so the vote is opened and closed on it too (one clock)
  const staffCtx = context(database.db, await actorOf(database.db, staff.id), systemClock).ctx;
  const vote = await openVote(
    staffCtx,
    m.id,
    CreateVoteSchema.parse({ question: "是否建停车棚？", method: "yes_no", electorate: "residents", preset: "residents_meeting", secret }),
  );
  const cookies = await Promise.all(residents.map(async (id) => `${SESSION_COOKIE}=${(await createSession(database.db, id, new Date())).token}`));
  return { vote, cookies, staffCtx, residentIds: residents };
}

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(origin + path, {
    method: "POST",
    body,
    headers: { origin, "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}
const form = (o: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
};
/** The message key of a conform reply's first message, at the top or beside one field. */
const messageOf = (json: Record<string, unknown> | null, field = "") => ((json?.result as { error?: Record<string, string[]> } | undefined)?.error?.[field] ?? [])[0]?.split("|")[0];
const ballotCount = async (voteId: number) => (await database.db.select({ n: sql<number>`count(*)::int` }).from(ballots).where(eq(ballots.voteId, voteId)))[0].n;

describe("the ballot API (the vote page's script)", () => {
  it("casts, answers a retry with the same receipt without writing, and takes a change from a new form", async () => {
    const { vote, cookies, residentIds } = await openVoteWithVoters("no");
    const idem = newBallotKey();
    heard.length = 0;
    const first = await post(`/api/votes/${vote.id}/ballot`, form({ choices: "yes", idem }), { cookie: cookies[0] });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ intent: "cast", receipt: formatReceipt(receiptFor(vote.id, idem)), changed: false });
    // a fresh key for the next form, never the one just used
    expect(first.json?.idem).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(first.json?.idem).not.toBe(idem);
    // the answer carries nothing about anyone's choice or any count
    expect(Object.keys(first.json!).sort()).toEqual(["changed", "idem", "intent", "receipt"]);
    expect(heard).toEqual([{ type: "vote.cast", voteId: vote.id }]);

    const version = async () => rowsOf<{ xmin: string }>(await database.db.execute(sql`select xmin::text from ballots where vote_id = ${vote.id}`))[0].xmin;
    const before = await version();
    const retry = await post(`/api/votes/${vote.id}/ballot`, form({ choices: "yes", idem }), { cookie: cookies[0] });
    expect(retry.json).toMatchObject({ receipt: first.json!.receipt, changed: false });
    // the retry wrote nothing: the row is the same version
    expect(await version()).toBe(before);
    expect(heard).toHaveLength(1);

    const change = await post(`/api/votes/${vote.id}/ballot`, form({ choices: "no", idem: first.json!.idem as string }), { cookie: cookies[0] });
    expect(change.json).toMatchObject({ receipt: null, changed: true });
    const rows = await database.db.select().from(ballots).where(eq(ballots.voteId, vote.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ voterKey: `u:${residentIds[0]}`, choices: ["no"], channel: "online" });
  });

  it("a ballot post keeps its session alive: last seen moves once it is more than a minute old", async () => {
    const { vote, residentIds } = await openVoteWithVoters("no");
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    const { token } = await createSession(database.db, residentIds[1], twoMinutesAgo);
    const lastSeen = async () => rowsOf<{ at: string }>(await database.db.execute(sql`select last_seen_at::text as at from sessions where id = ${tokenId(token)}`))[0].at;
    const before = await lastSeen();
    const r = await post(`/api/votes/${vote.id}/ballot`, form({ choices: "yes", idem: newBallotKey() }), { cookie: `${SESSION_COOKIE}=${token}` });
    expect(r.status).toBe(200);
    const after = await lastSeen();
    expect(new Date(after).getTime()).toBeGreaterThan(new Date(before).getTime() + 60_000);
  });

  it("a secret ballot is changed only with the receipt the voter kept, and only by that voter", async () => {
    const { vote, cookies, staffCtx } = await openVoteWithVoters("yes");
    const first = await post(`/api/votes/${vote.id}/ballot`, form({ choices: "yes", idem: newBallotKey() }), { cookie: cookies[1] });
    expect(first.status).toBe(200);
    const without = await post(`/api/votes/${vote.id}/ballot`, form({ choices: "no", idem: newBallotKey() }), { cookie: cookies[1] });
    expect(without.status).toBe(409);
    expect(messageOf(without.json, "receipt")).toBe("voting.errors.needReceipt");
    const withIt = await post(`/api/votes/${vote.id}/ballot`, form({ choices: "no", idem: newBallotKey(), receipt: first.json!.receipt as string }), { cookie: cookies[1] });
    expect(withIt.json).toMatchObject({ receipt: first.json!.receipt, changed: true });
    // another voter who holds this receipt cannot change the ballot with it
    expect((await post(`/api/votes/${vote.id}/ballot`, form({ choices: "abstain", idem: newBallotKey() }), { cookie: cookies[0] })).status).toBe(200);
    const stolen = await post(`/api/votes/${vote.id}/ballot`, form({ choices: "yes", idem: newBallotKey(), receipt: first.json!.receipt as string }), { cookie: cookies[0] });
    expect(stolen.status).toBe(409);
    expect(messageOf(stolen.json, "receipt")).toBe("voting.errors.wrongReceipt");
    // sealed until close, then published without a voter
    expect(await ballotCount(vote.id)).toBe(0);
    await closeVote(staffCtx, vote.id, "actor", "yes");
    const rows = await database.db.select().from(ballots).where(eq(ballots.voteId, vote.id));
    const wanted = createHash("sha256").update((first.json!.receipt as string).replace(/-/g, "")).digest("hex");
    expect(rows.find((r) => r.receiptHash === wanted)).toMatchObject({ voterKey: null, channel: null, choices: ["no"] });
    expect(rows.map((r) => r.choices[0]).sort()).toEqual(["abstain", "no"]);
  });

  it("refuses, with a translated message and nothing stored: no session, a bad id, a bad choice, a broken form key, someone not listed, a closed vote", async () => {
    const { vote, cookies, staffCtx, residentIds } = await openVoteWithVoters("no");
    const outsider = await makeUser(database.db);
    const outsiderCookie = `${SESSION_COOKIE}=${(await createSession(database.db, outsider.id, new Date())).token}`;
    // sessions of a listed voter that are no longer live: signed out, or past the absolute timeout
    const signedOut = await createSession(database.db, residentIds[0], new Date());
    await revokeSession(database.db, signedOut.token, new Date());
    const expired = await createSession(database.db, residentIds[0], new Date(Date.now() - 40 * 86_400_000));
    const ok = form({ choices: "yes", idem: newBallotKey() });
    const cases: [string, string, Record<string, string>, number, string, string?][] = [
      ["no session", `/api/votes/${vote.id}/ballot`, {}, 401, "errors.unauthenticated"],
      ["a forged session", `/api/votes/${vote.id}/ballot`, { cookie: `${SESSION_COOKIE}=forged` }, 401, "errors.unauthenticated"],
      ["a signed-out session", `/api/votes/${vote.id}/ballot`, { cookie: `${SESSION_COOKIE}=${signedOut.token}` }, 401, "errors.unauthenticated"],
      ["an expired session", `/api/votes/${vote.id}/ballot`, { cookie: `${SESSION_COOKIE}=${expired.token}` }, 401, "errors.unauthenticated"],
      ["a mangled id", `/api/votes/12ab/ballot`, { cookie: cookies[0] }, 404, "errors.notFound"],
      ["id zero", `/api/votes/0/ballot`, { cookie: cookies[0] }, 404, "errors.notFound"],
      ["an id too large", `/api/votes/99999999999/ballot`, { cookie: cookies[0] }, 404, "errors.notFound"],
      ["a vote that does not exist", `/api/votes/999999/ballot`, { cookie: cookies[0] }, 404, "errors.notFound"],
      ["someone not on the list", `/api/votes/${vote.id}/ballot`, { cookie: outsiderCookie }, 403, "voting.errors.notEligible"],
    ];
    for (const [what, path, headers, status, key] of cases) {
      const r = await post(path, ok, headers);
      expect([what, r.status, messageOf(r.json)]).toEqual([what, status, key]);
    }
    const bad: [string, string, number, string, string][] = [
      ["an option that does not exist", form({ choices: "maybe", idem: newBallotKey() }), 400, "choices", "voting.errors.badChoice"],
      ["two choices where one is allowed", form({ choices: ["yes", "no"], idem: newBallotKey() }), 400, "choices", "voting.errors.badChoice"],
      ["no choice", form({ idem: newBallotKey() }), 400, "choices", "voting.errors.badChoice"],
      ["a broken form key", form({ choices: "yes", idem: "x'; drop table ballots;--" }), 400, "idem", "voting.errors.staleForm"],
      ["no form key", form({ choices: "yes" }), 400, "idem", "voting.errors.staleForm"],
    ];
    for (const [what, body, status, field, key] of bad) {
      const r = await post(`/api/votes/${vote.id}/ballot`, body, { cookie: cookies[0] });
      expect([what, r.status, messageOf(r.json, field)]).toEqual([what, status, key]);
    }
    expect(await ballotCount(vote.id)).toBe(0);

    await closeVote(staffCtx, vote.id, "actor", "yes");
    const late = await post(`/api/votes/${vote.id}/ballot`, ok, { cookie: cookies[0] });
    expect([late.status, messageOf(late.json)]).toEqual([409, "voting.errors.closed"]);
    expect(await ballotCount(vote.id)).toBe(0);
    expect((await database.db.select().from(voteParticipation).where(and(eq(voteParticipation.voteId, vote.id)))).length).toBe(0);
  });

  it("a session posting in a loop is told to wait (429, translated, Retry-After) and others still vote", async () => {
    const { vote, cookies } = await openVoteWithVoters("no");
    const path = `/api/votes/${vote.id}/ballot`;
    const answers = await Promise.all(Array.from({ length: BALLOT_LIMIT.points + 10 }, (_, i) => post(path, form({ choices: i % 2 ? "yes" : "no", idem: newBallotKey() }), { cookie: cookies[0] })));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(10);
    expect(messageOf(limited[0].json)).toBe("errors.rateLimited");
    const again = await fetch(origin + path, { method: "POST", body: form({ choices: "yes", idem: newBallotKey() }), headers: { origin, cookie: cookies[0], "content-type": "application/x-www-form-urlencoded" } });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post(path, form({ choices: "yes", idem: newBallotKey() }), { cookie: cookies[1] })).status).toBe(200);
    expect(await ballotCount(vote.id)).toBe(2);
  });

  it("refuses a post from another site, a JSON or text body, and a body too large for a ballot, with a 4xx", async () => {
    const { vote, cookies } = await openVoteWithVoters("no");
    const path = `/api/votes/${vote.id}/ballot`;
    const ok = form({ choices: "yes", idem: newBallotKey() });
    expect((await post(path, ok, { cookie: cookies[0], origin: "http://evil.example" })).status).toBe(403);
    expect((await post(path, JSON.stringify({ choices: "yes", idem: newBallotKey() }), { cookie: cookies[0], "content-type": "application/json" })).status).toBe(415);
    expect((await post(path, "choices=yes", { cookie: cookies[0], "content-type": "text/plain" })).status).toBe(415);
    const huge = await post(path, `${ok}&pad=${"x".repeat(20_000)}`, { cookie: cookies[0] });
    expect([huge.status, messageOf(huge.json)]).toEqual([413, "errors.tooLarge"]);
    // the same without a length up front (chunked): refused once it passes the limit
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(origin + path, { method: "POST", headers: { origin, cookie: cookies[0], "content-type": "application/x-www-form-urlencoded" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 20; i++) req.write(`${ok}&pad=${"x".repeat(1000)}&`);
      req.end();
    });
    expect(chunked).toBe(413);
    expect(await ballotCount(vote.id)).toBe(0);
  });

  it("two posts of one voter at once (two browsers) leave one ballot, and every post gets an answer", async () => {
    const { vote, cookies } = await openVoteWithVoters("no");
    // as many as one session may post in a minute (BALLOT_LIMIT), all at once
    const answers = await Promise.all(
      Array.from({ length: BALLOT_LIMIT.points }, (_, i) => post(`/api/votes/${vote.id}/ballot`, form({ choices: i % 2 ? "yes" : "no", idem: newBallotKey() }), { cookie: cookies[2] })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.json?.changed === false)).toHaveLength(1);
    expect(await ballotCount(vote.id)).toBe(1);
  });
});
