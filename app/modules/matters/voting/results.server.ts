/**
 * What people see of a vote: its page (while open only the turnout, never a choice or a partial
 * count; after close the explained result), the published ballot list, the votes of a matter and
 * the live turnout. Every query checks `vote.view` itself; results need `vote.viewResults`.
 */
import { asc, count, eq } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { voteElectors, voteParticipation, votes } from "../../../../db/schema";
import type { Actor } from "../../accounts/actor";
import { can } from "../../accounts/permissions";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { getMatterFacts } from "../transition.server";
import { electorFor } from "./electorate.server";
import { receiptHashOf } from "./receipts.server";
import type { Tally } from "./rules";
import { ballotList, findVote, matterOf, ruleOf, voteResource } from "./vote.server";

/** The vote and its permission resource, if this actor may see it (not_found otherwise: a hidden vote is not told apart from a missing one). */
async function visibleVote(ctx: Pick<CommandContext, "db" | "actor">, voteId: number) {
  const found = await findVote(ctx.db, voteId);
  if (!found) throw new DomainError("not_found", "errors.notFound");
  const resource = voteResource(found.v, found.facts);
  if (!can(ctx.actor, "vote.view", resource)) throw new DomainError("not_found", "errors.notFound");
  return { ...found, resource };
}

/**
 * The vote page. While open: the question, options, the voter's own status and the turnout count,
 * never a choice or a partial count. After close: the result with its explanation.
 */
export async function getVotePage(ctx: CommandContext, voteId: number) {
  const { v, facts, resource } = await visibleVote(ctx, voteId);
  const [{ n }] = await ctx.db.select({ n: count() }).from(voteParticipation).where(eq(voteParticipation.voteId, voteId));
  const elector = ctx.actor ? await electorFor(ctx.db, voteId, ctx.actor.id) : null;
  // the committee's controls (close, cancel, paper ballots) and the elector list
  const isStaff = can(ctx.actor, "vote.close", resource);
  const open = v.state === "open";
  // sealed until close
  const results = can(ctx.actor, "vote.viewResults", resource);
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
      result: results ? (v.result as Tally) : null,
      ballotsDigest: results ? v.ballotsDigest : null,
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
  const { v, facts, resource } = await visibleVote(ctx, voteId);
  if (!can(ctx.actor, "vote.viewResults", resource)) throw new DomainError("invalid_state", "voting.errors.sealed");
  const list = await ballotList(ctx.db, v);
  const wanted = receipt ? receiptHashOf(receipt) : null;
  return { vote: { id: v.id, question: v.question, options: v.options, secret: v.secret, digest: v.ballotsDigest, result: v.result as Tally }, matterTitle: facts.m.title, ballots: list, found: wanted ? list.some((b) => b.receiptHash === wanted) : null, wanted };
}

/** The votes of a matter (for its page), for whoever may read the matter. */
export async function listVotesOfMatter(ctx: Pick<CommandContext, "db" | "actor">, matterId: number) {
  const facts = await getMatterFacts(ctx.db, matterId);
  if (!facts || !can(ctx.actor, "vote.view", matterOf(facts))) throw new DomainError("not_found", "errors.notFound");
  return ctx.db.select({ id: votes.id, question: votes.question, state: votes.state }).from(votes).where(eq(votes.matterId, matterId)).orderBy(asc(votes.id));
}

/** How many have voted (never what): the live turnout, read without a check for the realtime layer's pushes to watchers already admitted by canWatchVote / watchVote. */
export async function getTurnout(db: Db, voteId: number) {
  const [{ n }] = await db.select({ n: count() }).from(voteParticipation).where(eq(voteParticipation.voteId, voteId));
  return Number(n);
}

/** Starts watching a vote's live turnout: whoever may see the vote (not_found otherwise), with the turnout of now. */
export async function watchVote(ctx: Pick<CommandContext, "db" | "actor">, voteId: number) {
  await visibleVote(ctx, voteId);
  return { turnout: await getTurnout(ctx.db, voteId) };
}

/** May this actor watch the vote's live turnout? The same rule as reading the matter (`vote.view`). */
export async function canWatchVote(db: Db, actor: Actor | null, voteId: number) {
  const found = await findVote(db, voteId);
  return !!found && can(actor, "vote.view", voteResource(found.v, found.facts));
}
