/**
 * The statements behind castBallots: one batched read of every post's view, one batched insert of
 * first ballots, one batched update of changed ones. Each is a single statement whatever the
 * number of posts (the posts go in as one JSON parameter), re-checking under a share lock that the
 * vote is still open. See docs/decisions/2026-11-26-cast-locks.md.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { rowsOf } from "../../../../db/client";
import { liveSessionSql, type SessionPolicy } from "../../accounts/sessions.server";
import { electorRow } from "./electorate.server";

/** What a cast needs to know: who posts, the vote, the voter's elector row, whether and how they voted, their ballot. */
export interface CastView {
  i: number;
  /** The poster, given or found by their session (null: no live session). */
  userId: number | null;
  /** Their session, when its last_seen is due to move. */
  staleSession: string | null;
  state: string | null;
  due: boolean;
  secret: boolean;
  maxChoices: number;
  options: string;
  voterKey: string | null;
  channel: "online" | "paper" | null;
  /** An open vote's ballot, found by its voter. */
  receiptHash: string | null;
  ballotChoices: string | null;
  /** A secret vote: which receipt's keyed hash is on the voter's own row (1: this form's, 2: the one kept), and the ballot sealed there. */
  secretMatch: 1 | 2 | null;
  sealed: string | null;
}

export type CastRead = { i: number; voteId: number; userId: number | null; session: string | null; m1: string; m2: string };

/**
 * One statement reads every post's view: the posts go in as one JSON parameter, so the text (and
 * its plan) is the same for one post or a hundred. A post that brings a session token instead of a
 * user has its session looked up here too, by the live-session rule of sessions.server.
 */
export async function readCastViews(db: Db, rows: CastRead[], now: Date, policy?: SessionPolicy) {
  const views = rowsOf<CastView>(
    await db.execute(sql`
      select r.i, a.uid as "userId", case when s.stale then s.id end as "staleSession",
             v.state, v.closes_at is not null and v.closes_at <= ${now.toISOString()}::timestamptz as due, v.secret,
             v.max_choices as "maxChoices", v.options::text as options,
             e.voter_key as "voterKey", p.channel, b.receipt_hash as "receiptHash", b.choices::text as "ballotChoices",
             case when v.secret and p.channel = 'online' then case p.receipt_mac when r.m1 then 1 when r.m2 then 2 end end as "secretMatch",
             case when v.secret and p.channel = 'online' and p.receipt_mac in (r.m1, r.m2) then p.sealed end as sealed
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(i int, "voteId" int, "userId" int, session text, m1 text, m2 text)
      left join ${liveSessionSql(sql`r.session`, now, policy)} s on true
      cross join lateral (select coalesce(r."userId", s.user_id) as uid) a
      left join votes v on v.id = r."voteId" and a.uid is not null
      left join lateral ${electorRow(sql`v.id`, sql`a.uid`)} e on true
      left join vote_participation p on p.vote_id = v.id and p.voter_key = e.voter_key
      -- an open ballot is found by its voter; a secret one is sealed on the voter's own participation row
      -- and reached only with the receipt whose keyed hash is on that row (this form's, or the one kept)
      left join ballots b on not v.secret and b.vote_id = v.id and b.voter_key = e.voter_key and b.channel = 'online'`),
  );
  return new Map(views.map((v) => [v.i, v]));
}

/** The posts' votes, still open, share-locked for the statement: closing takes a vote exclusively, so it waits for this write and no ballot lands after the count. */
const openVotesLock = (now: Date) => sql`
  select id, secret from votes
  where id in (select "voteId" from r) and state = 'open' and (closes_at is null or closes_at > ${now.toISOString()}::timestamptz)
  for key share`;

/** A first ballot: an open one goes to `ballots` with its voter; a secret one only onto the voter's participation row, sealed. */
export type FirstBallot = { i: number; voteId: number; voterKey: string; hash: string; choices: string[]; mac: string | null; sealed: string | null };
/** A change: an open ballot by its receipt hash; a secret one by its voter's row and the keyed hash of the receipt that reached it. */
export type BallotChange = { i: number; voteId: number; voterKey: string; hash: string; choices: string[]; mac: string | null; sealed: string | null };
export type WriteResult = { i: number; open: boolean; written: boolean };

/**
 * First ballots: participation and ballot together, or neither (a voter who got there first keeps
 * theirs). An open ballot is written to `ballots` with its voter. A secret one is not: it stays
 * sealed on the participation row (with the receipt's keyed hash) until closeVote publishes every
 * ballot of the vote at once, so no transaction id, physical order or time joins it to its voter.
 */
export async function insertFirstBallots(db: Db, rows: FirstBallot[], now: Date): Promise<WriteResult[]> {
  if (!rows.length) return [];
  return rowsOf<WriteResult>(
    await db.execute(sql`
      with r as (select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(i int, "voteId" int, "voterKey" text, hash text, choices jsonb, mac text, sealed text)),
      v as (${openVotesLock(now)}),
      p as (
        insert into vote_participation (vote_id, voter_key, channel, at, receipt_mac, sealed)
        select r."voteId", r."voterKey", 'online', ${now.toISOString()}::timestamptz, case when v.secret then r.mac end, case when v.secret then r.sealed end
        from r join v on v.id = r."voteId"
        -- only a voter who got there first is skipped; a receipt already on another voter's row fails the statement
        on conflict (vote_id, voter_key) do nothing returning vote_id, voter_key
      ),
      b as (
        insert into ballots (vote_id, receipt_hash, voter_key, choices, channel)
        select r."voteId", r.hash, r."voterKey", r.choices, 'online'
        from r join v on v.id = r."voteId" and not v.secret join p on p.vote_id = r."voteId" and p.voter_key = r."voterKey"
        returning vote_id, receipt_hash
      )
      select r.i, v.id is not null as open, case when v.secret then p.voter_key is not null else b.receipt_hash is not null end as written
      from r left join v on v.id = r."voteId"
        left join p on p.vote_id = r."voteId" and p.voter_key = r."voterKey"
        left join b on b.vote_id = r."voteId" and b.receipt_hash = r.hash`),
  );
}

/** Changes: the open ballot found by the read gets the new choice; a secret one is sealed again on its voter's row, if the receipt's keyed hash is still there. */
export async function updateBallots(db: Db, rows: BallotChange[], now: Date): Promise<WriteResult[]> {
  if (!rows.length) return [];
  return rowsOf<WriteResult>(
    await db.execute(sql`
      with r as (select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(i int, "voteId" int, "voterKey" text, hash text, choices jsonb, mac text, sealed text)),
      v as (${openVotesLock(now)}),
      u as (
        update ballots set choices = r.choices from r join v on v.id = r."voteId" and not v.secret
        where ballots.vote_id = r."voteId" and ballots.receipt_hash = r.hash and ballots.channel = 'online'
        returning ballots.vote_id, ballots.receipt_hash
      ),
      s as (
        update vote_participation set sealed = r.sealed from r join v on v.id = r."voteId" and v.secret
        where vote_participation.vote_id = r."voteId" and vote_participation.voter_key = r."voterKey"
          and vote_participation.channel = 'online' and vote_participation.receipt_mac = r.mac
        returning vote_participation.vote_id, vote_participation.voter_key
      )
      select r.i, v.id is not null as open, (u.receipt_hash is not null or s.voter_key is not null) as written
      from r left join v on v.id = r."voteId"
        left join u on u.vote_id = r."voteId" and u.receipt_hash = r.hash
        left join s on s.vote_id = r."voteId" and s.voter_key = r."voterKey"`),
  );
}
