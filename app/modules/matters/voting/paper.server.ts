/** Paper ballots: staff enter the ballot of a listed elector who voted on paper. */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { ballots, voteElectors, voteParticipation } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { getMatterFacts } from "../transition.server";
import { ballotKeys, sealBallot } from "./keys.server";
import { useBallotNumber } from "./paper-ballots.server";
import { sha256 } from "./receipts.server";
import { lockOpenVote, validChoices, voteResource } from "./vote.server";

/** Staff enter a paper ballot (`vote.enterPaper`) for a listed elector who has not voted online (and only once). */
export async function enterPaperBallot(ctx: CommandContext, voteId: number, input: { voterKey: string; choices: string[]; ballotNumber?: string }) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const v = await lockOpenVote(tx, voteId, now);
    emit({ type: "vote.cast", voteId });
    const facts = await getMatterFacts(tx, v.matterId);
    if (!facts || !can(actor, "vote.enterPaper", voteResource(v, facts))) throw new DomainError("forbidden", "errors.forbidden");
    const [elector] = await tx.select().from(voteElectors).where(and(eq(voteElectors.voteId, voteId), eq(voteElectors.voterKey, input.voterKey)));
    if (!elector) throw new DomainError("validation", "voting.errors.notListed", {}, "voterKey");
    const choices = validChoices(v, input.choices);
    if (!choices) throw new DomainError("validation", "voting.errors.badChoice", { max: v.maxChoices }, "choices");
    const receiptHash = sha256(`paper:${randomBytes(16).toString("hex")}`);
    // a secret paper ballot is sealed on the participation row until close, like an online one
    const sealed = v.secret ? sealBallot(ballotKeys(ctx.settings), { voteId, voterKey: elector.voterKey }, v.options.map((o) => o.id), { receiptHash, choices }) : null;
    const fresh = await tx
      .insert(voteParticipation)
      .values({ voteId, voterKey: elector.voterKey, channel: "paper", enteredBy: actor.id, at: now, sealed })
      .onConflictDoNothing()
      .returning({ k: voteParticipation.voterKey });
    if (!fresh.length) throw new DomainError("conflict", "voting.errors.alreadyVoted", {}, "voterKey");
    // a printed sheet (issue 22) is entered once: its number is checked and used up in this transaction
    if (input.ballotNumber) await useBallotNumber(tx, voteId, input.ballotNumber);
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
