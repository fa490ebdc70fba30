import { createHash, randomBytes } from "node:crypto";
import { and, asc, count, eq, inArray, isNotNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { rowsOf, sqlState } from "../../../../db/client";
import { ballots, matters, memberships, users, voteElectors, voteParticipation, votes } from "../../../../db/schema";
import { holdsOver } from "../../accounts/permissions";
import { liveSessionSql, sessionIdOf, touchSessions } from "../../accounts/sessions.server";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import type { Emit } from "../../shared/events";
import { DomainError } from "../../shared/errors";
import { checkMatterMove, getMatterFacts, matterResource, moveMatter } from "../matters.server";
import { can } from "../../accounts/permissions";
import { announceVoteInRooms } from "../room/room.server";
import { receiptMac, sealBallot, unsealBallot } from "./keys.server";
import { listPanelUserIds } from "../selection/panel.server";
import { ruleFor, tally, type Rule, type Tally } from "./rules";
import type { CreateVoteInput } from "./schemas";

type VoteRow = typeof votes.$inferSelect;
const YES_NO = [
  { id: "yes", label: "@voting.yes" },
  { id: "no", label: "@voting.no" },
  { id: "abstain", label: "@voting.abstain" },
];

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** A fresh idempotency key for a ballot form (128 bits). */
export function newBallotKey() {
  return randomBytes(16).toString("base64url");
}

/**
 * The receipt follows from the vote and the form's idempotency key, so a retried post gets the
 * same receipt and the same ballot. The server stores only the receipt's hash.
 */
export function receiptFor(voteId: number, idem: string) {
  const h = createHash("sha256").update(`yishi-receipt:${voteId}:${idem}`).digest();
  // 15 characters from an alphabet without look-alikes (0/O, 1/I), grouped for reading aloud
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let out = "";
  for (let i = 0; i < 15; i++) out += alphabet[h[i] % alphabet.length];
  return out;
}
export const formatReceipt = (r: string) => r.replace(/(.{5})(?=.)/g, "$1-");

function ruleOf(v: VoteRow): Rule {
  return {
    preset: v.preset as Rule["preset"],
    quorum: { num: v.quorumNum, den: v.quorumDen, strict: v.quorumStrict },
    pass: { num: v.passNum, den: v.passDen, strict: v.passStrict },
    passBase: v.passBase as Rule["passBase"],
  };
}

/** Household key: the community and the verified address, normalised (spaces and case ignored). */
export function householdKey(communityId: number, address: string) {
  return `h:${sha256(`${communityId}:${address.replace(/\s+/g, "").toLowerCase()}`).slice(0, 24)}`;
}

async function electorateOf(db: Db, communityId: number, electorate: CreateVoteInput["electorate"], matterId: number) {
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
    .where(and(eq(memberships.communityId, communityId), eq(memberships.status, "verified")))
    .orderBy(asc(memberships.userId));
  if (electorate === "residents") return rows.map((r) => ({ voterKey: `u:${r.userId}`, userIds: [r.userId], label: r.name }));
  const byHouse = new Map<string, { voterKey: string; userIds: number[]; label: string }>();
  for (const r of rows) {
    const key = householdKey(communityId, r.address);
    const h = byHouse.get(key) ?? { voterKey: key, userIds: [], label: r.address };
    h.userIds.push(r.userId);
    byHouse.set(key, h);
  }
  return [...byHouse.values()];
}

/** The vote's row values from the form: method, options and the rule the preset (or custom fractions) gives. */
function voteValues(input: CreateVoteInput) {
  const rule: Rule =
    input.preset === "custom"
      ? { preset: "custom", quorum: { num: input.quorumNum!, den: input.quorumDen!, strict: true }, pass: { num: input.passNum!, den: input.passDen!, strict: true }, passBase: "present" }
      : ruleFor(input.preset);
  return {
    rule,
    values: {
      question: input.question,
      method: input.method,
      options: input.method === "yes_no" ? YES_NO : input.options.map((label, i) => ({ id: `o${i + 1}`, label })),
      maxChoices: input.maxChoices,
      electorate: input.electorate,
      preset: rule.preset,
      quorumNum: rule.quorum.num,
      quorumDen: rule.quorum.den,
      quorumStrict: rule.quorum.strict,
      passNum: rule.pass.num,
      passDen: rule.pass.den,
      passStrict: rule.pass.strict,
      passBase: rule.passBase,
      secret: input.secret === "yes",
      closesAt: input.closesAt ?? null,
    },
  };
}

/**
 * The committee sets up a vote on a matter that is scheduled or in deliberation. Without an
 * opening time (or with one already past) it opens now: the electorate is fixed, the matter moves
 * to `voting`, the room and followers are told. With a later opening time it waits as `scheduled`
 * (nothing fixed, the matter unchanged) until the scheduler opens it (openDueVotes). One open or
 * scheduled vote per matter.
 */
export async function openVote(ctx: CommandContext, matterId: number, input: CreateVoteInput) {
  const facts = await getMatterFacts(ctx.db, matterId);
  if (!facts || !can(ctx.actor, "matter.view", matterResource(facts.m, facts.path))) throw new DomainError("not_found", "errors.notFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!holdsOver(ctx.actor, ["committee"], facts.path)) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  const later = input.opensAt && input.opensAt.getTime() > now.getTime() ? input.opensAt : null;
  if (input.closesAt && input.closesAt.getTime() <= (later ?? now).getTime()) throw new DomainError("validation", later ? "voting.errors.closesBeforeOpening" : "voting.errors.closesInPast", {}, "closesAt");
  const { rule, values } = voteValues(input);
  const actorId = ctx.actor.id;
  if (!later) {
    // the electorate is read before the transaction: an empty one is refused without a write
    const electors = await electorateOf(ctx.db, facts.m.communityId, input.electorate, matterId);
    if (electors.length === 0) throw new DomainError("validation", "voting.errors.emptyElectorate", {}, "electorate");
    return inTransaction(ctx, async (tx, emit) => {
      await noVoteWaiting(tx, ctx, matterId);
      const [v] = await tx.insert(votes).values({ matterId, ...values, electorateSize: electors.length, openedAt: now, createdBy: actorId }).returning();
      return startVote(tx, emit, ctx, v, electors, "actor");
    });
  }
  return inTransaction(ctx, async (tx) => {
    await noVoteWaiting(tx, ctx, matterId);
    const [v] = await tx.insert(votes).values({ matterId, ...values, state: "scheduled", opensAt: later, electorateSize: 0, openedAt: later, createdBy: actorId }).returning();
    await appendLedger(tx, {
      stream: `area:${facts.m.communityId}`,
      actorId,
      action: "vote.scheduled",
      entityType: "vote",
      entityId: v.id,
      summary: { matterId, method: v.method, electorate: v.electorate, rule, secret: v.secret, opensAt: later.toISOString(), closesAt: v.closesAt?.toISOString() ?? null },
      at: now,
    });
    return v;
  });
}

/** The matter must be where a vote can open (checked under its row lock) and have no vote waiting to open: cancel that one first. */
async function noVoteWaiting(tx: Db, ctx: CommandContext, matterId: number) {
  await checkMatterMove(tx, ctx, matterId, "openVote", "actor");
  const [waiting] = await tx.select({ id: votes.id }).from(votes).where(and(eq(votes.matterId, matterId), eq(votes.state, "scheduled")));
  if (waiting) throw new DomainError("conflict", "voting.errors.alreadyScheduled");
}

/**
 * Opens a vote row: fixes its electorate, moves the matter to `voting` (followers are told),
 * writes the ledger and announces it in the matter's open room sessions.
 */
async function startVote(tx: Db, emit: Emit, ctx: CommandContext, v: VoteRow, electors: Awaited<ReturnType<typeof electorateOf>>, by: "actor" | "system") {
  const now = ctx.clock.now();
  // runs the lifecycle's openVote (scheduled|deliberating) under the matter's row lock
  const { matter } = await moveMatter(tx, emit, ctx, v.matterId, "openVote", by, { params: { question: v.question } });
  for (let i = 0; i < electors.length; i += 1000) {
    await tx.insert(voteElectors).values(electors.slice(i, i + 1000).map((e) => ({ voteId: v.id, ...e })));
  }
  const actorId = by === "system" ? null : ctx.actor!.id;
  await appendLedger(tx, {
    stream: `area:${matter.communityId}`,
    actorId,
    action: "vote.opened",
    entityType: "vote",
    entityId: v.id,
    summary: { matterId: v.matterId, method: v.method, electorate: v.electorate, electorateSize: electors.length, rule: ruleOf(v), secret: v.secret, closesAt: v.closesAt?.toISOString() ?? null },
    at: now,
  });
  // those in the deliberation room hear of it there, as the room's next entry
  await announceVoteInRooms(tx, emit, v.matterId, { id: v.id, question: v.question }, actorId, now);
  return v;
}

/** The votes in `state` whose time (opening or closing) has come: what the scheduler acts on. */
function dueVotes(ctx: CommandContext, state: "scheduled" | "open", at: typeof votes.opensAt | typeof votes.closesAt) {
  return ctx.db.select({ id: votes.id }).from(votes).where(and(eq(votes.state, state), lte(at, ctx.clock.now())));
}

/**
 * The scheduler's step: open every scheduled vote whose opening time has come, with the electorate
 * of that moment. A vote whose matter can no longer go to a vote (withdrawn, annulled, already
 * voting) or whose electorate is empty is cancelled, with the reason in the ledger.
 */
export async function openDueVotes(ctx: CommandContext) {
  const due = await dueVotes(ctx, "scheduled", votes.opensAt);
  let opened = 0;
  for (const d of due) {
    const now = ctx.clock.now();
    const outcome = await inTransaction(ctx, async (tx, emit) => {
      const [v] = await tx.select().from(votes).where(eq(votes.id, d.id)).for("update");
      if (!v || v.state !== "scheduled") return "gone"; // cancelled or opened meanwhile
      const [m] = await tx.select({ communityId: matters.communityId }).from(matters).where(eq(matters.id, v.matterId));
      const electors = await electorateOf(tx, m.communityId, v.electorate, v.matterId);
      let refusal: string | null = electors.length === 0 ? "voting.errors.emptyElectorate" : null;
      try {
        if (!refusal) await checkMatterMove(tx, ctx, v.matterId, "openVote", "system");
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        refusal = e.messageKey;
      }
      if (refusal) {
        await cancelVote(tx, v, m.communityId, null, refusal, now);
        return "cancelled";
      }
      const [row] = await tx.update(votes).set({ state: "open", openedAt: now, electorateSize: electors.length }).where(eq(votes.id, v.id)).returning();
      await startVote(tx, emit, ctx, row, electors, "system");
      return "opened";
    });
    if (outcome === "opened") opened++;
  }
  return opened;
}

/** The committee calls off a scheduled vote before it opens; nothing was fixed or cast. */
export async function cancelScheduledVote(ctx: CommandContext, voteId: number) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [v] = await tx.select().from(votes).where(eq(votes.id, voteId)).for("update");
    if (!v) throw new DomainError("not_found", "errors.notFound");
    const facts = await getMatterFacts(tx, v.matterId);
    if (!ctx.actor || !facts || !holdsOver(ctx.actor, ["committee"], facts.path)) throw new DomainError("forbidden", "errors.forbidden");
    if (v.state !== "scheduled") throw new DomainError("invalid_state", "voting.errors.notScheduled");
    await cancelVote(tx, v, facts.m.communityId, ctx.actor.id, "by hand", now);
    return { ok: true };
  });
}

/** A scheduled vote called off (by the committee, or by the scheduler with the reason it could not open), in the ledger. */
async function cancelVote(tx: Db, v: VoteRow, communityId: number, actorId: number | null, reason: string, now: Date) {
  await tx.update(votes).set({ state: "cancelled", closedAt: now }).where(eq(votes.id, v.id));
  await appendLedger(tx, { stream: `area:${communityId}`, actorId, action: "vote.cancelled", entityType: "vote", entityId: v.id, summary: { matterId: v.matterId, reason }, at: now });
}

/**
 * Which elector row a user votes as: their own, found by primary key; only without one, the
 * household whose people include them. The one rule, for the cast (inside its batched read) and
 * for the vote page. A subquery giving `voter_key`, for `from` or `join lateral`.
 */
const electorRow = (voteId: SQL, userId: SQL) => sql`(
        (select voter_key from vote_electors where vote_id = ${voteId} and voter_key = 'u:' || ${userId})
        union all
        (select voter_key from vote_electors where vote_id = ${voteId} and user_ids @> jsonb_build_array(${userId}) limit 1)
        limit 1
      )`;

/** The elector row a user votes as on a vote, if any, and how that row has voted (online, on paper, or not yet). */
async function electorFor(db: Db, voteId: number, userId: number) {
  const [row] = rowsOf<{ voterKey: string; channel: "online" | "paper" | null }>(
    await db.execute(sql`
      select e.voter_key as "voterKey", p.channel from ${electorRow(sql`${voteId}::int`, sql`${userId}::int`)} e
      left join vote_participation p on p.vote_id = ${voteId}::int and p.voter_key = e.voter_key`),
  );
  return row ?? null;
}

function validChoices(v: Pick<VoteRow, "options" | "maxChoices">, choices: string[]) {
  const ids = new Set(v.options.map((o) => o.id));
  const unique = [...new Set(choices)];
  if (unique.length === 0 || unique.some((c) => !ids.has(c))) return null;
  if (unique.length > v.maxChoices) return null;
  return unique.sort();
}

/** Why a vote takes no ballot now (not open yet, or closed, cancelled or past its closing time), or null when it does: for online and paper ballots alike. */
function notTakingBallots(state: string, due: boolean): DomainError | null {
  if (state === "scheduled") return new DomainError("invalid_state", "voting.errors.notYetOpen");
  if (state !== "open" || due) return new DomainError("invalid_state", "voting.errors.closed");
  return null;
}

async function lockOpenVote(tx: Db, voteId: number, now: Date) {
  const [v] = await tx.select().from(votes).where(eq(votes.id, voteId)).for("share");
  if (!v) throw new DomainError("not_found", "errors.notFound");
  const refused = notTakingBallots(v.state, !!v.closesAt && v.closesAt.getTime() <= now.getTime());
  if (refused) throw refused;
  return v;
}

/** What a cast needs to know: who posts, the vote, the voter's elector row, whether and how they voted, their ballot. */
interface CastView {
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

type CastRead = { i: number; voteId: number; userId: number | null; session: string | null; m1: string; m2: string };

/**
 * One statement reads every post's view: the posts go in as one JSON parameter, so the text (and
 * its plan) is the same for one post or a hundred. A post that brings a session token instead of a
 * user has its session looked up here too, by the live-session rule of sessions.server.
 */
async function readCastViews(db: Db, rows: CastRead[], now: Date) {
  const views = rowsOf<CastView>(
    await db.execute(sql`
      select r.i, a.uid as "userId", case when s.stale then s.id end as "staleSession",
             v.state, v.closes_at is not null and v.closes_at <= ${now.toISOString()}::timestamptz as due, v.secret,
             v.max_choices as "maxChoices", v.options::text as options,
             e.voter_key as "voterKey", p.channel, b.receipt_hash as "receiptHash", b.choices::text as "ballotChoices",
             case when v.secret and p.channel = 'online' then case p.receipt_mac when r.m1 then 1 when r.m2 then 2 end end as "secretMatch",
             case when v.secret and p.channel = 'online' and p.receipt_mac in (r.m1, r.m2) then p.sealed end as sealed
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(i int, "voteId" int, "userId" int, session text, m1 text, m2 text)
      left join ${liveSessionSql(sql`r.session`, now)} s on true
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
type FirstBallot = { i: number; voteId: number; voterKey: string; hash: string; choices: string[]; mac: string | null; sealed: string | null };
/** A change: an open ballot by its receipt hash; a secret one by its voter's row and the keyed hash of the receipt that reached it. */
type BallotChange = { i: number; voteId: number; voterKey: string; hash: string; choices: string[]; mac: string | null; sealed: string | null };
type WriteResult = { i: number; open: boolean; written: boolean };

/**
 * First ballots: participation and ballot together, or neither (a voter who got there first keeps
 * theirs). An open ballot is written to `ballots` with its voter. A secret one is not: it stays
 * sealed on the participation row (with the receipt's keyed hash) until closeVote publishes every
 * ballot of the vote at once, so no transaction id, physical order or time joins it to its voter.
 */
async function insertFirstBallots(db: Db, rows: FirstBallot[], now: Date): Promise<WriteResult[]> {
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
async function updateBallots(db: Db, rows: BallotChange[], now: Date): Promise<WriteResult[]> {
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

/** How often a post is read again after losing a race (the same voter casting from two places at once). */
const CAST_ATTEMPTS = 4;

/**
 * A ballot post: who (a signed-in user, or the session token of the post, looked up with the
 * ballot's own read), on which vote, the chosen options, the form's key and, to change a secret
 * ballot, the receipt kept.
 */
export interface BallotPost {
  actorId?: number;
  sessionToken?: string;
  voteId: number;
  choices: string[];
  idem: string;
  receipt?: string;
}
export type BallotAnswer = { receipt: string | null; changed: boolean };

/**
 * Casts or changes ballots; the latest counts. One ballot per voter is the participation key.
 * Posts that arrive together are handled together: one statement reads them all, then at most
 * one statement inserts the first ballots and one updates the changed ones, each auto-committed
 * and re-checking under a share lock that the vote is still open. A retried post (same form key,
 * same choice) writes nothing and gets its receipt again. Each post gets its own answer or
 * DomainError. Emits `vote.cast` once per vote written to.
 */
export async function castBallots(ctx: Pick<CommandContext, "db" | "events" | "clock">, posts: BallotPost[]): Promise<(BallotAnswer | DomainError)[]> {
  const now = ctx.clock.now();
  const out: (BallotAnswer | DomainError | undefined)[] = new Array(posts.length);
  const sessions = posts.map((p) => (p.actorId === undefined ? sessionIdOf(p.sessionToken) : null));
  const keys = posts.map((p) => {
    const receipt = receiptFor(p.voteId, p.idem);
    const kept = p.receipt && p.receipt !== receipt ? p.receipt : null;
    const mac = receiptMac(p.voteId, receipt);
    return { receipt, hash: sha256(receipt), mac, kept, keptMac: kept ? receiptMac(p.voteId, kept) : mac };
  });
  const written = new Set<number>();
  // races lost per post; a post that only waited its turn behind the same voter's other post does not count
  const lost = posts.map(() => 0);
  const busy: number[] = [];
  let pending = posts.map((_, i) => i);
  while (pending.length) {
    const views = await readCastViews(
      ctx.db,
      pending.map((i) => ({ i, voteId: posts[i].voteId, userId: posts[i].actorId ?? null, session: sessions[i], m1: keys[i].mac, m2: keys[i].keptMac })),
      now,
    );
    const stale: string[] = [];
    const firsts: FirstBallot[] = [];
    const changes: BallotChange[] = [];
    const later: number[] = [];
    const claimed = new Set<string>();
    const answers = new Map<number, BallotAnswer>();
    for (const i of pending) {
      const p = posts[i];
      const k = keys[i];
      const view = views.get(i);
      if (view?.staleSession) stale.push(view.staleSession);
      if (!view?.userId) {
        out[i] = new DomainError("unauthenticated", "errors.unauthenticated");
        continue;
      }
      if (!view.state) {
        out[i] = new DomainError("not_found", "errors.notFound");
        continue;
      }
      const refused = notTakingBallots(view.state, view.due);
      if (refused) {
        out[i] = refused;
        continue;
      }
      if (!view.voterKey) {
        out[i] = new DomainError("forbidden", "voting.errors.notEligible");
        continue;
      }
      const options = JSON.parse(view.options) as VoteRow["options"];
      const choices = validChoices({ options, maxChoices: view.maxChoices }, p.choices);
      if (!choices) {
        out[i] = new DomainError("validation", "voting.errors.badChoice", { max: view.maxChoices }, "choices");
        continue;
      }
      if (view.channel === "paper") {
        out[i] = new DomainError("conflict", "voting.errors.votedOnPaper");
        continue;
      }
      // one write per voter per round: a second post of the same voter waits for the next read
      const claim = `${p.voteId}:${view.voterKey}`;
      const at = { voteId: p.voteId, voterKey: view.voterKey };
      const optionIds = options.map((o) => o.id);
      if (!view.channel) {
        if (claimed.has(claim)) later.push(i);
        else {
          claimed.add(claim);
          const sealed = view.secret ? { mac: k.mac, sealed: sealBallot(at, optionIds, { receiptHash: k.hash, choices }) } : { mac: null, sealed: null };
          firsts.push({ i, ...at, hash: k.hash, choices, ...sealed });
          answers.set(i, { receipt: k.receipt, changed: false });
        }
        continue;
      }
      // voted online before: change the ballot found (a secret one only with a receipt whose keyed hash is on the voter's own row)
      let found: { hash: string; choices: string[] } | null = null;
      if (view.secret) {
        if (view.secretMatch && view.sealed) {
          const b = unsealBallot(at, optionIds, view.sealed);
          found = { hash: b.receiptHash, choices: b.choices };
        } else {
          out[i] = new DomainError("conflict", p.receipt ? "voting.errors.wrongReceipt" : "voting.errors.needReceipt", {}, "receipt");
          continue;
        }
      } else if (view.receiptHash && view.ballotChoices !== null) {
        found = { hash: view.receiptHash, choices: JSON.parse(view.ballotChoices) as string[] };
      } else {
        // (an open ballot always has its row; only a race lands here)
        if (++lost[i] < CAST_ATTEMPTS) later.push(i);
        else busy.push(i);
        continue;
      }
      const retry = view.secret ? view.secretMatch === 1 : found.hash === k.hash;
      if (retry && sameChoices(found.choices, choices)) {
        // the same form posted again (its answer was lost): nothing to write
        out[i] = { receipt: k.receipt, changed: false };
        continue;
      }
      if (claimed.has(claim)) {
        later.push(i);
        continue;
      }
      claimed.add(claim);
      const sealed = view.secret ? { mac: view.secretMatch === 1 ? k.mac : k.keptMac, sealed: sealBallot(at, optionIds, { receiptHash: found.hash, choices }) } : { mac: null, sealed: null };
      changes.push({ i, ...at, hash: found.hash, choices, ...sealed });
      // an open ballot changed from a new form has no new receipt: the first one stays its receipt
      answers.set(i, view.secret ? { receipt: retry ? k.receipt : k.kept, changed: !retry } : { receipt: retry ? k.receipt : null, changed: !retry });
    }
    const [inserted, updated] = await Promise.all([insertFirsts(ctx.db, firsts, now), updateBallots(ctx.db, changes, now), touchSessions(ctx.db, stale, now)]);
    for (const r of [...inserted, ...updated]) {
      if ("error" in r) out[r.i] = r.error;
      else if (r.written) {
        out[r.i] = answers.get(r.i)!;
        written.add(posts[r.i].voteId);
      } else if (!r.open) out[r.i] = new DomainError("invalid_state", "voting.errors.closed");
      else if (++lost[r.i] < CAST_ATTEMPTS) later.push(r.i); // another post of the same voter got there first: read again
      else busy.push(r.i);
    }
    pending = later;
  }
  for (const i of busy) out[i] = new DomainError("conflict", "voting.errors.busy");
  for (const voteId of written) ctx.events.publish({ type: "vote.cast", voteId });
  return out as (BallotAnswer | DomainError)[];
}

/**
 * First ballots, all in one statement. A form key whose receipt is already someone else's ballot
 * (or another post's in the same statement) fails the statement: then each is tried alone, so
 * only that post is refused.
 */
async function insertFirsts(db: Db, rows: FirstBallot[], now: Date): Promise<(WriteResult | { i: number; error: DomainError })[]> {
  try {
    return await insertFirstBallots(db, rows, now);
  } catch (e) {
    if (sqlState(e).code !== "23505") throw e;
    if (rows.length === 1) return [{ i: rows[0].i, error: new DomainError("conflict", "voting.errors.staleForm") }];
    // one by one, in order: the first post with a form key keeps it
    const out: (WriteResult | { i: number; error: DomainError })[] = [];
    for (const r of rows) out.push(...(await insertFirsts(db, [r], now)));
    return out;
  }
}

/** One post: castBallots for the signed-in actor, its DomainError thrown. */
export async function castBallot(ctx: CommandContext, voteId: number, input: { choices: string[]; idem: string; receipt?: string }) {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const [answer] = await castBallots(ctx, [{ actorId: ctx.actor.id, voteId, ...input }]);
  if (answer instanceof DomainError) throw answer;
  return answer;
}

function sameChoices(a: string[], b: string[]) {
  const x = [...a].sort();
  return x.length === b.length && x.every((c, i) => c === b[i]);
}

/** Staff enter a paper ballot for a listed elector who has not voted online (and only once). */
export async function enterPaperBallot(ctx: CommandContext, voteId: number, input: { voterKey: string; choices: string[] }) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const v = await lockOpenVote(tx, voteId, now);
    emit({ type: "vote.cast", voteId });
    const facts = await getMatterFacts(tx, v.matterId);
    if (!facts || !holdsOver(actor, ["committee"], facts.path)) throw new DomainError("forbidden", "errors.forbidden");
    const [elector] = await tx.select().from(voteElectors).where(and(eq(voteElectors.voteId, voteId), eq(voteElectors.voterKey, input.voterKey)));
    if (!elector) throw new DomainError("validation", "voting.errors.notListed", {}, "voterKey");
    const choices = validChoices(v, input.choices);
    if (!choices) throw new DomainError("validation", "voting.errors.badChoice", { max: v.maxChoices }, "choices");
    const receiptHash = sha256(`paper:${randomBytes(16).toString("hex")}`);
    // a secret paper ballot is sealed on the participation row until close, like an online one
    const sealed = v.secret ? sealBallot({ voteId, voterKey: elector.voterKey }, v.options.map((o) => o.id), { receiptHash, choices }) : null;
    const fresh = await tx
      .insert(voteParticipation)
      .values({ voteId, voterKey: elector.voterKey, channel: "paper", enteredBy: actor.id, at: now, sealed })
      .onConflictDoNothing()
      .returning({ k: voteParticipation.voterKey });
    if (!fresh.length) throw new DomainError("conflict", "voting.errors.alreadyVoted", {}, "voterKey");
    if (!v.secret) await tx.insert(ballots).values({ voteId, receiptHash, voterKey: elector.voterKey, choices, channel: "paper" });
    await appendLedger(tx, {
      stream: `area:${facts.m.communityId}`,
      actorId: actor.id,
      action: "vote.paper_ballot_entered",
      entityType: "vote",
      entityId: voteId,
      // who was entered is a staff act and is recorded; what they chose is not
      summary: { voterKey: elector.voterKey },
      at: now,
    });
    return { ok: true };
  });
}

/**
 * A secret vote's ballots, published at close: every sealed ballot is opened and written to
 * `ballots` in this one transaction, in the order of the receipt hash, with no voter, channel or
 * time; then the sealed copies and the receipts' keyed hashes are erased from the participation
 * rows. All of a vote's ballot rows then share one transaction id and lie in an order that
 * follows only the (random) receipt hashes, so nothing joins them to the participation rows, even
 * for a holder of BALLOT_KEY reading the database after close.
 */
async function publishSealedBallots(tx: Db, v: VoteRow) {
  const rows = await tx
    .select({ voterKey: voteParticipation.voterKey, sealed: voteParticipation.sealed })
    .from(voteParticipation)
    .where(and(eq(voteParticipation.voteId, v.id), isNotNull(voteParticipation.sealed)));
  const optionIds = v.options.map((o) => o.id);
  const opened = rows.map((r) => unsealBallot({ voteId: v.id, voterKey: r.voterKey }, optionIds, r.sealed!)).sort((a, b) => (a.receiptHash < b.receiptHash ? -1 : 1));
  for (let i = 0; i < opened.length; i += 1000) {
    await tx.insert(ballots).values(opened.slice(i, i + 1000).map((b) => ({ voteId: v.id, receiptHash: b.receiptHash, voterKey: null, choices: b.choices, channel: null })));
  }
  await tx
    .update(voteParticipation)
    .set({ sealed: null, receiptMac: null })
    .where(and(eq(voteParticipation.voteId, v.id), or(isNotNull(voteParticipation.sealed), isNotNull(voteParticipation.receiptMac))));
}

/** The published ballot list, in a stable order: what the digest covers and anyone can recount. */
async function ballotList(db: Db, v: VoteRow) {
  const rows = await db
    .select({ receiptHash: ballots.receiptHash, voterKey: ballots.voterKey, choices: ballots.choices, channel: ballots.channel, label: voteElectors.label })
    .from(ballots)
    .leftJoin(voteElectors, and(eq(voteElectors.voteId, ballots.voteId), eq(voteElectors.voterKey, ballots.voterKey)))
    .where(eq(ballots.voteId, v.id))
    .orderBy(asc(ballots.receiptHash));
  return rows.map((r) => ({ receiptHash: r.receiptHash, name: v.secret ? null : (r.label ?? null), choices: [...r.choices].sort(), channel: r.channel }));
}

/**
 * Closes the vote (by hand, or by the scheduler at its closing time): counts, applies the rule,
 * seals a digest of the ballot list in the ledger, and moves the matter to decided or no_consensus.
 */
export async function closeVote(ctx: CommandContext, voteId: number, by: "actor" | "system") {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    // exclusive: waits for casts holding a share lock, and refuses new ones after
    const [v] = await tx.select().from(votes).where(eq(votes.id, voteId)).for("update");
    if (!v) throw new DomainError("not_found", "errors.notFound");
    const facts = await getMatterFacts(tx, v.matterId);
    if (by === "actor" && (!ctx.actor || !facts || !holdsOver(ctx.actor, ["committee"], facts.path))) throw new DomainError("forbidden", "errors.forbidden");
    if (v.state !== "open") throw new DomainError("invalid_state", "voting.errors.closed");
    if (v.secret) await publishSealedBallots(tx, v);
    const list = await ballotList(tx, v);
    const result: Tally = tally({ method: v.method, options: v.options.map((o) => o.id), electorateSize: v.electorateSize, rule: ruleOf(v), ballots: list });
    const digest = sha256(JSON.stringify(list.map((b) => [b.receiptHash, b.choices, b.channel])));
    await tx.update(votes).set({ state: "closed", closedAt: now, result, ballotsDigest: digest }).where(eq(votes.id, voteId));
    await appendLedger(tx, {
      stream: `area:${facts!.m.communityId}`,
      actorId: by === "system" ? null : ctx.actor!.id,
      action: "vote.closed",
      entityType: "vote",
      entityId: voteId,
      summary: { turnout: result.turnout, counts: result.counts, quorumMet: result.quorumMet, passed: result.passed, ballotsDigest: digest },
      at: now,
    });
    await moveMatter(tx, emit, ctx, v.matterId, result.passed ? "decide" : "failVote", "system", { params: { voteId, turnout: result.turnout } });
    emit({ type: "vote.closed", voteId });
    return result;
  });
}

/** The scheduler's step: close every open vote whose time has come. State lives in the database, so a restart loses nothing. */
export async function closeDueVotes(ctx: CommandContext) {
  const due = await dueVotes(ctx, "open", votes.closesAt);
  let closed = 0;
  for (const d of due) {
    try {
      await closeVote(ctx, d.id, "system");
      closed++;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e; // already closed by hand meanwhile
    }
  }
  return closed;
}

/**
 * The vote page. While open: the question, options, the voter's own status and the turnout count,
 * never a choice or a partial count. After close: the result with its explanation.
 */
export async function getVotePage(ctx: CommandContext, voteId: number) {
  const [v] = await ctx.db.select().from(votes).where(eq(votes.id, voteId));
  if (!v) throw new DomainError("not_found", "errors.notFound");
  const facts = await getMatterFacts(ctx.db, v.matterId);
  if (!facts || !can(ctx.actor, "matter.view", matterResource(facts.m, facts.path))) throw new DomainError("not_found", "errors.notFound");
  const [{ n }] = await ctx.db.select({ n: count() }).from(voteParticipation).where(eq(voteParticipation.voteId, voteId));
  const elector = ctx.actor ? await electorFor(ctx.db, voteId, ctx.actor.id) : null;
  const isStaff = !!ctx.actor && holdsOver(ctx.actor, ["committee"], facts.path);
  const open = v.state === "open";
  return {
    vote: {
      id: v.id,
      matterId: v.matterId,
      question: v.question,
      method: v.method,
      options: v.options,
      maxChoices: v.maxChoices,
      electorate: v.electorate,
      preset: v.preset,
      rule: ruleOf(v),
      secret: v.secret,
      state: v.state,
      electorateSize: v.electorateSize,
      closesAt: v.closesAt,
      opensAt: v.state === "scheduled" ? v.opensAt : null,
      openedAt: v.openedAt,
      closedAt: v.closedAt,
      // sealed until close
      result: open ? null : (v.result as Tally),
      ballotsDigest: open ? null : v.ballotsDigest,
    },
    matterTitle: facts.m.title,
    turnout: Number(n),
    eligible: !!elector,
    myChannel: elector?.channel ?? null,
    isStaff,
    electors: isStaff && open ? await ctx.db.select({ voterKey: voteElectors.voterKey, label: voteElectors.label }).from(voteElectors).where(eq(voteElectors.voteId, voteId)).orderBy(asc(voteElectors.label)).limit(5000) : [],
  };
}

/** The published list, only after close: secret ballots as (receipt hash, choice), open ones with names. */
export async function getPublishedBallots(ctx: CommandContext, voteId: number, receipt?: string) {
  const [v] = await ctx.db.select().from(votes).where(eq(votes.id, voteId));
  if (!v) throw new DomainError("not_found", "errors.notFound");
  const facts = await getMatterFacts(ctx.db, v.matterId);
  if (!facts || !can(ctx.actor, "matter.view", matterResource(facts.m, facts.path))) throw new DomainError("not_found", "errors.notFound");
  if (v.state !== "closed") throw new DomainError("invalid_state", "voting.errors.sealed");
  const list = await ballotList(ctx.db, v);
  const wanted = receipt ? sha256(receipt.replace(/[\s-]/g, "").toUpperCase()) : null;
  return { vote: { id: v.id, question: v.question, options: v.options, secret: v.secret, digest: v.ballotsDigest, result: v.result as Tally }, matterTitle: facts.m.title, ballots: list, found: wanted ? list.some((b) => b.receiptHash === wanted) : null, wanted };
}

/** Open votes of a matter (for its page). */
export async function listVotesOfMatter(db: Db, matterId: number) {
  return db.select({ id: votes.id, question: votes.question, state: votes.state }).from(votes).where(eq(votes.matterId, matterId)).orderBy(asc(votes.id));
}

/** How many have voted (never what): the live turnout. */
export async function getTurnout(db: Db, voteId: number) {
  const [{ n }] = await db.select({ n: count() }).from(voteParticipation).where(eq(voteParticipation.voteId, voteId));
  return Number(n);
}

/** May this actor watch the vote's live turnout? The same rule as reading the matter. */
export async function canWatchVote(db: Db, actor: import("../../accounts/actor").Actor | null, voteId: number) {
  const [v] = await db.select({ matterId: votes.matterId }).from(votes).where(eq(votes.id, voteId));
  if (!v) return false;
  const facts = await getMatterFacts(db, v.matterId);
  return !!facts && can(actor, "matter.view", matterResource(facts.m, facts.path));
}
