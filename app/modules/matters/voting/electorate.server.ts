import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { rowsOf } from "../../../../db/client";
import { communityRegister, communityRepresentatives, memberships, users } from "../../../../db/schema";
import { DomainError } from "../../shared/errors";
import { listPanelUserIds } from "../selection/panel.server";
import { sha256 } from "./receipts.server";
import type { CreateVoteInput } from "./schemas";
import { latestAdultBirthYear } from "../../shared/age";
import { beijingDay } from "../../shared/beijing-time";
import { registerKindFor, type QuorumBase } from "./rules";

/** One row of a vote's elector list: who votes as it (a person, or the verified people of a household). */
export type Elector = { voterKey: string; userIds: number[]; label: string };

/** Household key: the community and the verified address, normalised (spaces and case ignored). */
export function householdKey(communityId: number, address: string) {
  return `h:${sha256(`${communityId}:${address.replace(/\s+/g, "").toLowerCase()}`).slice(0, 24)}`;
}

/**
 * The electorate of this moment: the panel's accepted seats with an account, the verified residents,
 * or their households. With `adultsBornBy` (statutory meetings, issue 19) only residents whose
 * recorded year of birth is that year or earlier (18+ on the opening day), and households with such a
 * resident, are on the list.
 */
export async function electorateOf(
  db: Db,
  communityId: number,
  electorate: CreateVoteInput["electorate"],
  matterId: number,
  opts: { adultsBornBy?: number; day?: string } = {},
): Promise<Elector[]> {
  if (electorate === "representatives") {
    // 村民/居民代表会议 (issue 19): the community's roster, a term running on the Beijing day, verified residents only
    if (!opts.day) throw new Error("a representatives' electorate needs its day");
    const reps = await db
      .selectDistinct({ id: users.id, name: users.displayName })
      .from(communityRepresentatives)
      .innerJoin(users, eq(users.id, communityRepresentatives.userId))
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.communityId, communityId), eq(memberships.status, "verified")))
      .where(
        and(
          eq(communityRepresentatives.communityId, communityId),
          lte(communityRepresentatives.termStart, opts.day),
          or(isNull(communityRepresentatives.termEnd), gte(communityRepresentatives.termEnd, opts.day)),
        ),
      )
      .orderBy(asc(users.id));
    if (!reps.length) throw new DomainError("validation", "voting.errors.noRepresentatives", {}, "electorate");
    return reps.map((u) => ({ voterKey: `u:${u.id}`, userIds: [u.id], label: u.name }));
  }
  if (electorate === "panel") {
    // the accepted seats of the drawn panel that have an account (others vote on paper)
    const ids = await listPanelUserIds(db, matterId);
    if (!ids.length) throw new DomainError("validation", "voting.errors.noPanel", {}, "electorate");
    const names = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)).orderBy(asc(users.id));
    return names.map((u) => ({ voterKey: `u:${u.id}`, userIds: [u.id], label: u.name }));
  }
  const rows = await db
    .select({ userId: memberships.userId, address: memberships.address, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.communityId, communityId),
        eq(memberships.status, "verified"),
        opts.adultsBornBy === undefined ? undefined : lte(memberships.birthYear, opts.adultsBornBy),
      ),
    )
    .orderBy(asc(memberships.userId));
  if (electorate === "residents") return rows.map((r) => ({ voterKey: `u:${r.userId}`, userIds: [r.userId], label: r.name }));
  const byHouse = new Map<string, Elector>();
  for (const r of rows) {
    const key = householdKey(communityId, r.address);
    const h = byHouse.get(key) ?? { voterKey: key, userIds: [], label: r.address };
    h.userIds.push(r.userId);
    byHouse.set(key, h);
  }
  return [...byHouse.values()];
}

/**
 * Which elector row a user votes as: their own, found by primary key; only without one, the
 * household whose people include them. The one rule, for the cast (inside its batched read) and
 * for the vote page. A subquery giving `voter_key`, for `from` or `join lateral`.
 */
export const electorRow = (voteId: SQL, userId: SQL) => sql`(
        (select voter_key from vote_electors where vote_id = ${voteId} and voter_key = 'u:' || ${userId})
        union all
        (select voter_key from vote_electors where vote_id = ${voteId} and user_ids @> jsonb_build_array(${userId}) limit 1)
        limit 1
      )`;

/** The elector row a user votes as on a vote, if any, and how that row has voted (online, on paper, or not yet). */
export async function electorFor(db: Db, voteId: number, userId: number) {
  const [row] = rowsOf<{ voterKey: string; channel: "online" | "paper" | null }>(
    await db.execute(sql`
      select e.voter_key as "voterKey", p.channel from ${electorRow(sql`${voteId}::int`, sql`${userId}::int`)} e
      left join vote_participation p on p.vote_id = ${voteId}::int and p.voter_key = e.voter_key`),
  );
  return row ?? null;
}

/**
 * What a vote fixes when it opens, beyond its rule (issue 19): for a statutory preset, the register
 * entry in effect on the Beijing opening day (the latest `asOf` not after it) and the adults-only
 * elector list; for panels and custom rules, nothing more. A community that keeps no register yet
 * gets the elector list as the base, marked `source: "accounts"` so the result says so in words
 * (decision 2026-12-03-quorum-against-the-register).
 */
export async function openingFacts(db: Db, communityId: number, v: { preset: string; electorate: CreateVoteInput["electorate"]; matterId: number }, at: Date) {
  const kind = registerKindFor(v.preset, v.electorate);
  if (!kind) return { electors: await electorateOf(db, communityId, v.electorate, v.matterId, { day: beijingDay(at) }), quorumBase: null };
  const day = beijingDay(at);
  const [entry] = await db
    .select()
    .from(communityRegister)
    .where(and(eq(communityRegister.communityId, communityId), lte(communityRegister.asOf, day)))
    .orderBy(desc(communityRegister.asOf), desc(communityRegister.id))
    .limit(1);
  const electors = await electorateOf(db, communityId, v.electorate, v.matterId, { adultsBornBy: latestAdultBirthYear(at) });
  const quorumBase: QuorumBase = entry
    ? { count: kind === "adults" ? entry.adults : entry.households, kind, source: entry.source, asOf: entry.asOf, entryId: entry.id }
    : { count: electors.length, kind, source: "accounts", asOf: day, entryId: 0 };
  return { electors, quorumBase };
}
