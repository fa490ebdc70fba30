/** What the voting commands share: the vote row, its rule, the resource `can()` is asked about, the lock that keeps ballots out of a closed count. */
import { and, asc, eq, lte } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { ballots, voteElectors, votes } from "../../../../db/schema";
import type { MatterResource } from "../../accounts/permissions";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { getMatterFacts, matterResource } from "../transition.server";
import type { Rule } from "./rules";

export type VoteRow = typeof votes.$inferSelect;
export type MatterFacts = NonNullable<Awaited<ReturnType<typeof getMatterFacts>>>;

export function ruleOf(v: VoteRow): Rule {
  return {
    preset: v.preset as Rule["preset"],
    quorum: { num: v.quorumNum, den: v.quorumDen, strict: v.quorumStrict },
    pass: { num: v.passNum, den: v.passDen, strict: v.passStrict },
    passBase: v.passBase as Rule["passBase"],
  };
}

/** The matter as permissions see it. */
export const matterOf = (facts: MatterFacts) => matterResource(facts.m, facts.path) as MatterResource;

/** The vote as permissions see it: its state and its matter. */
export function voteResource(v: Pick<VoteRow, "id" | "state">, facts: MatterFacts) {
  return { type: "vote" as const, id: v.id, state: v.state, matter: matterOf(facts) };
}

/** A vote and its matter's facts, or null when there is no such vote. */
export async function findVote(db: Db, voteId: number) {
  const [v] = await db.select().from(votes).where(eq(votes.id, voteId));
  if (!v) return null;
  const facts = await getMatterFacts(db, v.matterId);
  return facts ? { v, facts } : null;
}

/** The chosen options, unique and sorted, or null when one is not an option or there are too many. */
export function validChoices(v: Pick<VoteRow, "options" | "maxChoices">, choices: string[]) {
  const ids = new Set(v.options.map((o) => o.id));
  const unique = [...new Set(choices)];
  if (unique.length === 0 || unique.some((c) => !ids.has(c))) return null;
  if (unique.length > v.maxChoices) return null;
  return unique.sort();
}

/** Why a vote takes no ballot now (not open yet, or closed, cancelled or past its closing time), or null when it does: for online and paper ballots alike. */
export function notTakingBallots(state: string, due: boolean): DomainError | null {
  if (state === "scheduled") return new DomainError("invalid_state", "voting.errors.notYetOpen");
  if (state !== "open" || due) return new DomainError("invalid_state", "voting.errors.closed");
  return null;
}

/** The vote, share-locked while it takes a ballot: closing takes it exclusively, so it waits for this write. */
export async function lockOpenVote(tx: Db, voteId: number, now: Date) {
  const [v] = await tx.select().from(votes).where(eq(votes.id, voteId)).for("share");
  if (!v) throw new DomainError("not_found", "errors.notFound");
  const refused = notTakingBallots(v.state, !!v.closesAt && v.closesAt.getTime() <= now.getTime());
  if (refused) throw refused;
  return v;
}

/** The published ballot list, in a stable order: what the digest covers and anyone can recount. */
export async function ballotList(db: Db, v: VoteRow) {
  const rows = await db
    .select({ receiptHash: ballots.receiptHash, voterKey: ballots.voterKey, choices: ballots.choices, channel: ballots.channel, label: voteElectors.label })
    .from(ballots)
    .leftJoin(voteElectors, and(eq(voteElectors.voteId, ballots.voteId), eq(voteElectors.voterKey, ballots.voterKey)))
    .where(eq(ballots.voteId, v.id))
    .orderBy(asc(ballots.receiptHash));
  return rows.map((r) => ({ receiptHash: r.receiptHash, name: v.secret ? null : (r.label ?? null), choices: [...r.choices].sort(), channel: r.channel }));
}

/** The votes in `state` whose time (opening or closing) has come: what the scheduler acts on. */
export function dueVotes(ctx: CommandContext, state: "scheduled" | "open", at: typeof votes.opensAt | typeof votes.closesAt) {
  return ctx.db.select({ id: votes.id }).from(votes).where(and(eq(votes.state, state), lte(at, ctx.clock.now())));
}
