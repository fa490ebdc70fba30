/** Setting up a vote: the committee opens one now or schedules it; the scheduler opens it when due; the committee calls off one not yet open. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { matters, voteElectors, votes } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import type { Emit } from "../../shared/events";
import { requireConfirmed } from "../../shared/confirm";
import { DomainError } from "../../shared/errors";
import { publishInTransaction } from "../../shared/tx-events";
import { notify } from "../../notifications/notifications.server";
import { checkMatterMove, followersOf, getMatterFacts, moveMatter } from "../transition.server";
import { openingFacts, type Elector } from "./electorate.server";
import { ruleFor, type Rule } from "./rules";
import type { CreateVoteInput } from "./schemas";
import { dueVotes, matterOf, ruleOf, voteResource, type VoteRow } from "./vote.server";

const YES_NO = [
  { id: "yes", label: "@voting.yes" },
  { id: "no", label: "@voting.no" },
  { id: "abstain", label: "@voting.abstain" },
];

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
 * The committee sets up a vote on a matter that is scheduled or in deliberation (`vote.setup`).
 * Without an opening time (or with one already past) it opens now: the electorate is fixed, the
 * matter moves to `voting`, followers are told and `vote.opened` is published (the room announces
 * it). With a later opening time it waits as `scheduled` (nothing fixed, the matter unchanged)
 * until the scheduler opens it (openDueVotes). One open or scheduled vote per matter.
 */
export async function openVote(ctx: CommandContext, matterId: number, input: CreateVoteInput) {
  const facts = await getMatterFacts(ctx.db, matterId);
  if (!facts || !can(ctx.actor, "vote.view", matterOf(facts))) throw new DomainError("not_found", "errors.notFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "vote.setup", matterOf(facts))) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  const later = input.opensAt && input.opensAt.getTime() > now.getTime() ? input.opensAt : null;
  if (input.closesAt && input.closesAt.getTime() <= (later ?? now).getTime()) throw new DomainError("validation", later ? "voting.errors.closesBeforeOpening" : "voting.errors.closesInPast", {}, "closesAt");
  const { rule, values } = voteValues(input);
  const actorId = ctx.actor.id;
  if (!later) {
    // the electorate is read before the transaction: an empty one is refused without a write
    const { electors, quorumBase } = await openingFacts(ctx.db, facts.m.communityId, { preset: values.preset, electorate: input.electorate, matterId }, now);
    if (electors.length === 0) throw new DomainError("validation", "voting.errors.emptyElectorate", {}, "electorate");
    return inTransaction(ctx, async (tx, emit) => {
      await noVoteWaiting(tx, ctx, matterId);
      const [v] = await tx.insert(votes).values({ matterId, ...values, electorateSize: electors.length, quorumBase, openedAt: now, createdBy: actorId }).returning();
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
 * Opens a vote row: fixes its electorate, moves the matter to `voting` (followers are told, and
 * every elector who does not follow the matter gets `notify.vote.opened`),
 * writes the ledger and publishes `vote.opened` inside the transaction (the room's subscriber
 * announces it in the matter's open sessions, committed with the vote or not at all).
 */
async function startVote(tx: Db, emit: Emit, ctx: CommandContext, v: VoteRow, electors: Elector[], by: "actor" | "system") {
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
    summary: { matterId: v.matterId, method: v.method, electorate: v.electorate, electorateSize: electors.length, quorumBase: v.quorumBase, rule: ruleOf(v), secret: v.secret, closesAt: v.closesAt?.toISOString() ?? null },
    at: now,
  });
  // everyone who may vote is told it is open (followers already heard it from the matter's move)
  const followers = new Set(await followersOf(tx, v.matterId));
  const voters = electors.flatMap((e) => e.userIds).filter((id) => !followers.has(id));
  await notify(tx, emit, voters, { kind: "notify.vote.opened", params: { title: matter.title, question: v.question }, link: `/votes/${v.id}`, matterId: v.matterId, at: now });
  await publishInTransaction(tx, emit, { type: "vote.opened", voteId: v.id, matterId: v.matterId, question: v.question, actorId, at: now });
  return v;
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
      let opening: Awaited<ReturnType<typeof openingFacts>> | null = null;
      let refusal: string | null = null;
      try {
        opening = await openingFacts(tx, m.communityId, v, now);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        refusal = e.messageKey;
      }
      const electors = opening?.electors ?? [];
      if (!refusal && electors.length === 0) refusal = "voting.errors.emptyElectorate";
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
      const [row] = await tx.update(votes).set({ state: "open", openedAt: now, electorateSize: electors.length, quorumBase: opening?.quorumBase ?? null }).where(eq(votes.id, v.id)).returning();
      await startVote(tx, emit, ctx, row, electors, "system");
      return "opened";
    });
    if (outcome === "opened") opened++;
  }
  return opened;
}

/** The committee calls off a scheduled vote before it opens (`vote.cancel`); nothing was fixed or cast. */
export async function cancelScheduledVote(ctx: CommandContext, voteId: number, confirm?: string) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [v] = await tx.select().from(votes).where(eq(votes.id, voteId)).for("update");
    if (!v) throw new DomainError("not_found", "errors.notFound");
    const facts = await getMatterFacts(tx, v.matterId);
    if (!ctx.actor || !facts || !can(ctx.actor, "vote.cancel", voteResource(v, facts))) throw new DomainError("forbidden", "errors.forbidden");
    if (v.state !== "scheduled") throw new DomainError("invalid_state", "voting.errors.notScheduled");
    requireConfirmed({ confirm }, "cancel");
    await cancelVote(tx, v, facts.m.communityId, ctx.actor.id, "by hand", now);
    return { ok: true };
  });
}

/** A scheduled vote called off (by the committee, or by the scheduler with the reason it could not open), in the ledger. */
async function cancelVote(tx: Db, v: VoteRow, communityId: number, actorId: number | null, reason: string, now: Date) {
  await tx.update(votes).set({ state: "cancelled", closedAt: now }).where(eq(votes.id, v.id));
  await appendLedger(tx, { stream: `area:${communityId}`, actorId, action: "vote.cancelled", entityType: "vote", entityId: v.id, summary: { matterId: v.matterId, reason }, at: now });
}
