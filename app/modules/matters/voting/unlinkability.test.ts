/**
 * The property of a secret vote, for a reader of every table who holds none of the server's keys
 * (a leaked dump, a database administrator, a read replica): no secret ballot can be linked to its
 * voter by any column, transaction id (xmin, cmin), physical order (ctid) or timestamp. Checked on
 * the real database (PGlite by default, PostgreSQL with DATABASE_URL), through every write path:
 * single casts, a batch of posts handled together, a change with the receipt, and a paper ballot.
 * This file holds this one story only, so the ballots table sees no other writes.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf, type Database } from "../../../../db/client";
import { ballots, matters, memberships } from "../../../../db/schema";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, context, grant, makeArea, makeCategory, makeTree, makeUser } from "../../../../tests/support/factories";
import type { Actor } from "../../accounts/actor";
import { DomainError } from "../../shared/errors";
import { CreateVoteSchema } from "./schemas";
import { castBallot, castBallots } from "./cast.server";
import { closeVote } from "./close.server";
import { enterPaperBallot } from "./paper.server";
import { newBallotKey } from "./receipts.server";
import { openVote } from "./setup.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

type Row = Record<string, string | null>;
const read = async (q: ReturnType<typeof sql>) => rowsOf<Row>(await database.db.execute(q));
/** "(page,item)" → a sortable pair */
const ctidOf = (c: string) => c.slice(1, -1).split(",").map(Number) as [number, number];
const byCtid = (a: Row, b: Row) => {
  const [x, y] = [ctidOf(a.ctid!), ctidOf(b.ctid!)];
  return x[0] - y[0] || x[1] - y[1];
};

/**
 * What the reader can narrow down: for each ballot, the participation rows that share a system or
 * ordinary column value with it. A ballot is linked when that set is neither empty nor everyone.
 */
async function linksFound(voteId: number) {
  const parts = await read(sql`select voter_key, channel::text, at::text, xmin::text, cmin::text, ctid::text from vote_participation where vote_id = ${voteId}`);
  const bals = await read(sql`select receipt_hash, voter_key, channel::text, choices::text, xmin::text, cmin::text, ctid::text from ballots where vote_id = ${voteId}`);
  const links: string[] = [];
  for (const b of bals) {
    for (const col of ["xmin", "cmin", "voter_key", "channel"] as const) {
      const same = parts.filter((p) => b[col] !== null && p[col] === b[col]);
      if (same.length > 0 && same.length < parts.length) links.push(`${b.receipt_hash!.slice(0, 8)} by ${col} → ${same.map((p) => p.voter_key).join(",")}`);
    }
  }
  // physical order: the n-th ballot on disk against the n-th participation row on disk (and by time)
  const diskOrder = [...bals].sort(byCtid).map((b) => b.receipt_hash);
  const publicOrder = bals.map((b) => b.receipt_hash).sort();
  if (bals.length > 1 && diskOrder.join() !== publicOrder.join()) links.push("ballots lie on disk in an order other than their receipt hashes'");
  return { links, parts, bals };
}

describe("a secret vote, read by someone who can read every table but holds no server key", () => {
  it("links no ballot to its voter by any column, transaction id, physical order or timestamp, while open or after close", async () => {
    const tree = await makeTree(database.db);
    const community = await makeArea(database.db, tree.townA, "community");
    const staffUser = await makeUser(database.db);
    await grant(database.db, staffUser.id, "committee", community.id);
    const staff = await actorOf(database.db, staffUser.id);
    const residents: Actor[] = [];
    for (let i = 0; i < 9; i++) {
      const u = await makeUser(database.db);
      await database.db.insert(memberships).values({ userId: u.id, communityId: community.id, status: "verified", birthYear: 1980, address: `${i} 号楼` });
      residents.push(await actorOf(database.db, u.id));
    }
    const category = await makeCategory(database.db, tree.county.id);
    const [m] = await database.db
      .insert(matters)
      .values({ communityId: community.id, proposerId: staff.id, state: "scheduled", title: "东门停车棚", description: "d", categoryId: category.id, affectedArea: "东门", desiredOutcome: "建" })
      .returning();
    const staffCtx = context(database.db, staff).ctx;
    const v = await openVote(staffCtx, m.id, CreateVoteSchema.parse({ question: "选哪个方案？", method: "approval", optionsText: "甲\n乙\n丙", maxChoices: "3", electorate: "residents", preset: "residents_meeting", secret: "yes" }));

    // one at a time (each its own statement and transaction), as a quiet evening brings them
    const receipts: string[] = [];
    for (const [i, choices] of [["o1"], ["o2"], ["o1", "o3"]].entries()) {
      receipts.push((await castBallot(context(database.db, residents[i]).ctx, v.id, { choices, idem: newBallotKey() })).receipt!);
    }
    // a rush: posts handled together in one batch
    const batch = await castBallots(
      context(database.db, null).ctx,
      [["o2"], ["o1", "o2", "o3"], ["o3"]].map((choices, k) => ({ actorId: residents[3 + k].id, voteId: v.id, choices, idem: newBallotKey() })),
    );
    for (const a of batch) {
      if (a instanceof DomainError) throw a;
      receipts.push(a.receipt!);
    }
    // a change with the receipt, and a paper ballot entered by staff
    await castBallot(context(database.db, residents[0]).ctx, v.id, { choices: ["o3"], idem: newBallotKey(), receipt: receipts[0] });
    await enterPaperBallot(staffCtx, v.id, { voterKey: `u:${residents[6].id}`, choices: ["o2"] });

    // while open: no ballot row to link, and every sealed ballot has the same length whatever it holds
    const open = await linksFound(v.id);
    expect(open.bals).toEqual([]);
    const sealed = await read(sql`select length(sealed) as n from vote_participation where vote_id = ${v.id}`);
    expect(new Set(sealed.map((r) => r.n)).size).toBe(1);

    await closeVote(staffCtx, v.id, "actor", "yes");
    const { links, parts, bals } = await linksFound(v.id);
    expect(parts).toHaveLength(7);
    expect(bals).toHaveLength(7);
    expect(links).toEqual([]);
    // one transaction wrote every ballot (at close, after every participation row)
    expect(new Set(bals.map((b) => b.xmin)).size).toBe(1);
    // no column of a ballot but the vote and the choice: no voter, no channel, no time
    expect(bals.every((b) => b.voter_key === null && b.channel === null)).toBe(true);
    const types = await read(sql`select column_name, data_type from information_schema.columns where table_name = 'ballots'`);
    expect(types.filter((c) => /time|date/.test(c.data_type!))).toEqual([]);
    // nothing of a receipt is left beside a name: the keyed hashes and sealed copies are erased
    expect(await read(sql`select voter_key from vote_participation where vote_id = ${v.id} and (receipt_mac is not null or sealed is not null)`)).toEqual([]);
    // and no other table holds a receipt hash (the one handle on a published ballot)
    const tables = await read(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'ballots'`);
    for (const t of tables) {
      const dump = (await read(sql`select coalesce(string_agg(x::text, ' '), '') as text from ${sql.identifier(t.table_name!)} x`))[0].text!;
      for (const b of bals) expect(dump.includes(b.receipt_hash!), `${t.table_name} holds a receipt hash`).toBe(false);
    }
    // the published ballots still count right
    const counted = (await database.db.select().from(ballots).where(eq(ballots.voteId, v.id))).flatMap((b) => b.choices).sort();
    expect(counted).toEqual(["o1", "o1", "o2", "o2", "o2", "o2", "o3", "o3", "o3", "o3"]);
  });
});
