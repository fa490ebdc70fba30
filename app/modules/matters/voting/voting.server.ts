import { createHash, randomBytes } from "node:crypto";
import { and, asc, count, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { sqlState } from "../../../../db/client";
import { ballots, memberships, users, voteElectors, voteParticipation, votes } from "../../../../db/schema";
import { holdsOver } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { getMatterFacts, matterResource, moveMatter } from "../matters.server";
import { can } from "../../accounts/permissions";
import { announceVoteInRooms } from "../room/room.server";
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

/**
 * The committee opens a vote on a matter that is scheduled or in deliberation: the electorate is
 * fixed now, the matter moves to `voting`, followers are told. One open vote per matter.
 */
export async function openVote(ctx: CommandContext, matterId: number, input: CreateVoteInput) {
  const facts = await getMatterFacts(ctx.db, matterId);
  if (!facts || !can(ctx.actor, "matter.view", matterResource(facts.m, facts.path))) throw new DomainError("not_found", "errors.notFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!holdsOver(ctx.actor, ["committee"], facts.path)) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  if (input.closesAt && input.closesAt.getTime() <= now.getTime()) throw new DomainError("validation", "voting.errors.closesInPast", {}, "closesAt");
  const electors = await electorateOf(ctx.db, facts.m.communityId, input.electorate, matterId);
  if (electors.length === 0) throw new DomainError("validation", "voting.errors.emptyElectorate", {}, "electorate");
  const rule: Rule =
    input.preset === "custom"
      ? { preset: "custom", quorum: { num: input.quorumNum!, den: input.quorumDen!, strict: true }, pass: { num: input.passNum!, den: input.passDen!, strict: true }, passBase: "present" }
      : ruleFor(input.preset);
  const actorId = ctx.actor.id;
  return inTransaction(ctx, async (tx, emit) => {
    // runs the lifecycle's openVote (committee, scheduled|deliberating) under the matter's row lock
    await moveMatter(tx, emit, ctx, matterId, "openVote", "actor", { params: { question: input.question } });
    const [v] = await tx
      .insert(votes)
      .values({
        matterId,
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
        electorateSize: electors.length,
        closesAt: input.closesAt ?? null,
        openedAt: now,
        createdBy: actorId,
      })
      .returning();
    for (let i = 0; i < electors.length; i += 1000) {
      await tx.insert(voteElectors).values(electors.slice(i, i + 1000).map((e) => ({ voteId: v.id, ...e })));
    }
    await appendLedger(tx, {
      stream: `area:${facts.m.communityId}`,
      actorId,
      action: "vote.opened",
      entityType: "vote",
      entityId: v.id,
      summary: { matterId, method: v.method, electorate: v.electorate, electorateSize: v.electorateSize, rule, secret: v.secret, closesAt: v.closesAt?.toISOString() ?? null },
      at: now,
    });
    // those in the deliberation room hear of it there, as the room's next entry
    await announceVoteInRooms(tx, emit, matterId, { id: v.id, question: v.question }, actorId, now);
    return v;
  });
}

/** Which elector row the actor votes as (their own, or their household's), if any. */
async function electorFor(db: Db, voteId: number, userId: number) {
  // a person electorate is found by primary key; households need the membership list
  const [own] = await db
    .select()
    .from(voteElectors)
    .where(and(eq(voteElectors.voteId, voteId), eq(voteElectors.voterKey, `u:${userId}`)));
  if (own) return own;
  const [e] = await db
    .select()
    .from(voteElectors)
    .where(and(eq(voteElectors.voteId, voteId), sql`${voteElectors.userIds} @> ${JSON.stringify([userId])}::jsonb`))
    .limit(1);
  return e ?? null;
}

function validChoices(v: VoteRow, choices: string[]) {
  const ids = new Set(v.options.map((o) => o.id));
  const unique = [...new Set(choices)];
  if (unique.length === 0 || unique.some((c) => !ids.has(c))) return null;
  if (unique.length > v.maxChoices) return null;
  return unique;
}

async function lockOpenVote(tx: Db, voteId: number, now: Date) {
  const [v] = await tx.select().from(votes).where(eq(votes.id, voteId)).for("share");
  if (!v) throw new DomainError("not_found", "errors.notFound");
  if (v.state !== "open" || (v.closesAt && v.closesAt.getTime() <= now.getTime())) throw new DomainError("invalid_state", "voting.errors.closed");
  return v;
}

/**
 * Casts or changes a ballot; the latest counts. One ballot per voter is the participation key;
 * the vote row is share-locked so closing (which takes it exclusively) waits for casts in flight
 * and no ballot lands after the count. A retried post (same form key) is stored once.
 */
export async function castBallot(ctx: CommandContext, voteId: number, input: { choices: string[]; idem: string; receipt?: string }) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const v = await lockOpenVote(tx, voteId, now);
    emit({ type: "vote.cast", voteId });
    const elector = await electorFor(tx, voteId, actor.id);
    if (!elector) throw new DomainError("forbidden", "voting.errors.notEligible");
    const choices = validChoices(v, input.choices);
    if (!choices) throw new DomainError("validation", "voting.errors.badChoice", { max: v.maxChoices }, "choices");
    const fresh = await tx
      .insert(voteParticipation)
      .values({ voteId, voterKey: elector.voterKey, channel: "online", at: now })
      .onConflictDoNothing()
      .returning({ k: voteParticipation.voterKey });
    const receipt = receiptFor(voteId, input.idem);
    if (fresh.length) {
      try {
        await tx.insert(ballots).values({ voteId, receiptHash: sha256(receipt), voterKey: v.secret ? null : elector.voterKey, choices, channel: "online" });
      } catch (e) {
        // someone else's form key: refuse rather than touch their ballot
        if (sqlState(e).code === "23505") throw new DomainError("conflict", "voting.errors.staleForm");
        throw e;
      }
      return { receipt, changed: false };
    }
    const [p] = await tx.select().from(voteParticipation).where(and(eq(voteParticipation.voteId, voteId), eq(voteParticipation.voterKey, elector.voterKey)));
    if (p.channel === "paper") throw new DomainError("conflict", "voting.errors.votedOnPaper");
    if (!v.secret) {
      const [b] = await tx
        .update(ballots)
        .set({ choices })
        .where(and(eq(ballots.voteId, voteId), eq(ballots.voterKey, elector.voterKey)))
        .returning({ h: ballots.receiptHash });
      // the same form posted again (a retry) gets its receipt back; a new form is a change
      const retry = b?.h === sha256(receipt);
      return { receipt: retry ? receipt : null, changed: !retry };
    }
    // a secret ballot is found only through its receipt: this retry's, or the one the voter kept
    for (const [r, isRetry] of [[receipt, true], [input.receipt, false]] as const) {
      if (!r) continue;
      const updated = await tx
        .update(ballots)
        .set({ choices })
        .where(and(eq(ballots.voteId, voteId), eq(ballots.receiptHash, sha256(r)), eq(ballots.channel, "online")))
        .returning({ h: ballots.receiptHash });
      if (updated.length) return { receipt: r, changed: !isRetry };
    }
    throw new DomainError("conflict", "voting.errors.needReceipt", {}, "receipt");
  });
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
    const fresh = await tx
      .insert(voteParticipation)
      .values({ voteId, voterKey: elector.voterKey, channel: "paper", enteredBy: actor.id, at: now })
      .onConflictDoNothing()
      .returning({ k: voteParticipation.voterKey });
    if (!fresh.length) throw new DomainError("conflict", "voting.errors.alreadyVoted", {}, "voterKey");
    await tx.insert(ballots).values({ voteId, receiptHash: sha256(`paper:${randomBytes(16).toString("hex")}`), voterKey: v.secret ? null : elector.voterKey, choices, channel: "paper" });
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
  const due = await ctx.db
    .select({ id: votes.id })
    .from(votes)
    .where(and(eq(votes.state, "open"), lte(votes.closesAt, ctx.clock.now())));
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
  let myChannel: "online" | "paper" | null = null;
  if (elector) {
    const [p] = await ctx.db.select().from(voteParticipation).where(and(eq(voteParticipation.voteId, voteId), eq(voteParticipation.voterKey, elector.voterKey)));
    myChannel = p?.channel ?? null;
  }
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
      openedAt: v.openedAt,
      closedAt: v.closedAt,
      // sealed until close
      result: open ? null : (v.result as Tally),
      ballotsDigest: open ? null : v.ballotsDigest,
    },
    matterTitle: facts.m.title,
    turnout: Number(n),
    eligible: !!elector,
    myChannel,
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
