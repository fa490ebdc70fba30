/** Closing: the committee closes a vote by hand, or the scheduler at its closing time; the count, the rule and the sealed digest. */
import { and, eq, isNotNull, or } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { ballots, voteParticipation, votes } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { requireConfirmed } from "../../shared/confirm";
import { DomainError } from "../../shared/errors";
import { getMatterFacts, moveMatter } from "../transition.server";
import { ballotKeys, unsealBallot, type BallotKeys } from "./keys.server";
import { sha256 } from "./receipts.server";
import { tally, type Tally } from "./rules";
import { ballotList, dueVotes, ruleOf, voteResource, type VoteRow } from "./vote.server";

/**
 * A secret vote's ballots, published at close: every sealed ballot is opened and written to
 * `ballots` in this one transaction, in the order of the receipt hash, with no voter, channel or
 * time; then the sealed copies and the receipts' keyed hashes are erased from the participation
 * rows. All of a vote's ballot rows then share one transaction id and lie in an order that
 * follows only the (random) receipt hashes, so nothing joins them to the participation rows, even
 * for a holder of BALLOT_KEY reading the database after close.
 */
async function publishSealedBallots(tx: Db, v: VoteRow, keys: BallotKeys) {
  const rows = await tx
    .select({ voterKey: voteParticipation.voterKey, sealed: voteParticipation.sealed })
    .from(voteParticipation)
    .where(and(eq(voteParticipation.voteId, v.id), isNotNull(voteParticipation.sealed)));
  const optionIds = v.options.map((o) => o.id);
  const opened = rows.map((r) => unsealBallot(keys, { voteId: v.id, voterKey: r.voterKey }, optionIds, r.sealed!)).sort((a, b) => (a.receiptHash < b.receiptHash ? -1 : 1));
  for (let i = 0; i < opened.length; i += 1000) {
    await tx.insert(ballots).values(opened.slice(i, i + 1000).map((b) => ({ voteId: v.id, receiptHash: b.receiptHash, voterKey: null, choices: b.choices, channel: null })));
  }
  await tx
    .update(voteParticipation)
    .set({ sealed: null, receiptMac: null })
    .where(and(eq(voteParticipation.voteId, v.id), or(isNotNull(voteParticipation.sealed), isNotNull(voteParticipation.receiptMac))));
}

/**
 * Closes the vote (by hand with `vote.close`, or by the scheduler at its closing time): counts,
 * applies the rule, seals a digest of the ballot list in the ledger, and moves the matter to
 * decided or no_consensus.
 */
export async function closeVote(ctx: CommandContext, voteId: number, by: "actor" | "system", confirm?: string) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    // exclusive: waits for casts holding a share lock, and refuses new ones after
    const [v] = await tx.select().from(votes).where(eq(votes.id, voteId)).for("update");
    if (!v) throw new DomainError("not_found", "errors.notFound");
    const facts = await getMatterFacts(tx, v.matterId);
    if (by === "actor" && (!ctx.actor || !facts || !can(ctx.actor, "vote.close", voteResource(v, facts)))) throw new DomainError("forbidden", "errors.forbidden");
    if (v.state !== "open") throw new DomainError("invalid_state", "voting.errors.closed");
    // a person closes it early only through the confirmation step; the scheduler at its time
    if (by === "actor") requireConfirmed({ confirm }, "close");
    if (v.secret) await publishSealedBallots(tx, v, ballotKeys(ctx.settings));
    const list = await ballotList(tx, v);
    const result: Tally = tally({ method: v.method, options: v.options.map((o) => o.id), electorateSize: v.electorateSize, rule: ruleOf(v), ballots: list, quorumBase: v.quorumBase });
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
