/**
 * Those drawn (and the fixed seats) are invited and answer by a deadline; a declined or expired
 * drawn seat is offered to the next person in the seeded reserve order.
 */
import { and, eq, lte } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { panelMembers, panelRegistrations } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { notify } from "../../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import type { Emit } from "../../shared/events";
import { getMatterFacts, recordMatterEvent } from "../transition.server";
import { authorize, buildPool, DAY, emitChanged, lockPlan, requireSignedIn, type PlanRow } from "./common.server";
import { drawPanel, nextReplacement, reserveOrder, type Distribution, type SolveInput } from "./engine";

/** Tells each invited account it holds a seat and by when to answer. */
export async function inviteUsers(tx: Db, emit: Emit, matter: { id: number; title: string }, userIds: number[], respondBy: Date, now: Date) {
  await notify(tx, emit, userIds, {
    kind: "notify.selection.invited",
    params: { title: matter.title, by: respondBy.toISOString() },
    link: `/matters/${matter.id}/selection`,
    at: now,
  });
}

/**
 * An invitee accepts or declines (the committee answers for a fixed seat without an account).
 * A declined drawn seat is refilled from the reserve order in the same transaction.
 */
export async function answerInvitation(ctx: CommandContext, matterId: number, memberId: number, answer: "accept" | "decline") {
  const actor = requireSignedIn(ctx);
  const facts = await authorize(ctx, matterId, "selection.view");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    const [member] = await tx.select().from(panelMembers).where(and(eq(panelMembers.id, memberId), eq(panelMembers.matterId, matterId))).for("update");
    if (!plan || !member) throw new DomainError("not_found", "errors.notFound");
    if (!can(actor, "selection.answerInvitation", { type: "panelSeat", matterId, communityPath: facts.path, holderId: member.userId })) {
      throw new DomainError("forbidden", "errors.forbidden");
    }
    if (member.status !== "invited") throw new DomainError("invalid_state", "selection.errors.alreadyAnswered");
    if (now >= member.respondBy) throw new DomainError("invalid_state", "selection.errors.invitationExpired");
    if (facts.m.state !== "selecting" && facts.m.state !== "scheduled") throw new DomainError("invalid_state", "matters.errors.wrongState");
    await tx.update(panelMembers).set({ status: answer === "accept" ? "accepted" : "declined", respondedAt: now }).where(eq(panelMembers.id, member.id));
    await appendLedger(tx, { stream: `area:${facts.m.communityId}`, actorId: actor.id, action: `selection.${answer}`, entityType: "panel_member", entityId: member.id, summary: { source: member.source }, at: now });
    let replacement: number | null = null;
    if (answer === "decline" && member.source !== "fixed") replacement = await refill(tx, emit, ctx, facts.m, plan, member.id);
    emitChanged(emit, matterId);
    return { replacement };
  });
}

/** Invitations past their deadline expire and their seats are refilled (run by the server's scheduler). */
export async function expireInvitations(ctx: CommandContext) {
  const now = ctx.clock.now();
  const due = await ctx.db
    .select({ id: panelMembers.id, matterId: panelMembers.matterId })
    .from(panelMembers)
    .where(and(eq(panelMembers.status, "invited"), lte(panelMembers.respondBy, now)))
    .limit(500);
  let expired = 0;
  for (const d of due) {
    await inTransaction(ctx, async (tx, emit) => {
      const plan = await lockPlan(tx, d.matterId);
      const [member] = await tx.select().from(panelMembers).where(eq(panelMembers.id, d.id)).for("update");
      if (!plan || !member || member.status !== "invited" || member.respondBy > now) return;
      await tx.update(panelMembers).set({ status: "expired", respondedAt: now }).where(eq(panelMembers.id, member.id));
      expired++;
      emitChanged(emit, d.matterId);
      const facts = await getMatterFacts(tx, d.matterId);
      if (facts && member.source !== "fixed" && (facts.m.state === "selecting" || facts.m.state === "scheduled")) await refill(tx, emit, ctx, facts.m, plan, member.id);
    });
  }
  return { expired };
}

/** The next person in the seeded reserve order whose seat keeps every quota met. */
async function refill(tx: Db, emit: Emit, ctx: CommandContext, matter: { id: number; communityId: number; title: string }, plan: PlanRow, leavingId: number) {
  const regs = await tx.select().from(panelRegistrations).where(eq(panelRegistrations.matterId, matter.id));
  const active = regs.filter((r) => !r.withdrawnAt);
  const byId = new Map(regs.map((r) => [r.id, r]));
  const members = await tx.select().from(panelMembers).where(eq(panelMembers.matterId, matter.id));
  const drawn = members.filter((m) => m.registrationId !== null);
  const leaving = byId.get(drawn.find((m) => m.id === leavingId)?.registrationId ?? -1)?.pseudonym;
  if (!leaving || !plan.seed || !plan.distribution) return null;
  const pool = buildPool(plan, active);
  const fixedCount = members.filter((m) => m.source === "fixed").length;
  const input: SolveInput = { people: pool, quotas: plan.quotas, k: plan.panelSize - fixedCount, onePerHousehold: plan.onePerHousehold };
  const original = drawPanel(plan.distribution as Distribution, plan.seed);
  const order = reserveOrder(pool, original, plan.seed);
  const seated = drawn.filter((m) => m.status === "invited" || m.status === "accepted" || m.id === leavingId).map((m) => byId.get(m.registrationId!)!.pseudonym);
  const skip = new Set(drawn.map((m) => byId.get(m.registrationId!)!.pseudonym));
  const next = nextReplacement(input, seated, leaving, order, skip);
  const now = ctx.clock.now();
  if (!next) {
    await recordMatterEvent(tx, emit, ctx, matter, "reserveExhausted", {}, null);
    return null;
  }
  const reg = active.find((r) => r.pseudonym === next)!;
  const respondBy = new Date(now.getTime() + plan.responseDays * DAY);
  const [row] = await tx
    .insert(panelMembers)
    .values({ matterId: matter.id, userId: reg.userId, registrationId: reg.id, source: "reserve", status: "invited", respondBy, invitedAt: now, replacesId: leavingId })
    .returning({ id: panelMembers.id });
  await appendLedger(tx, { stream: `area:${matter.communityId}`, actorId: null, action: "selection.reserve", entityType: "panel_member", entityId: row.id, summary: { replaces: leavingId, pseudonym: next }, at: now });
  if (reg.userId) await inviteUsers(tx, emit, matter, [reg.userId], respondBy, now);
  return row.id;
}
