/**
 * The committee plans the panel: its size, the questions and quotas, the deadline, and the fixed
 * seats (proposer, affected residents, experts …) that are not drawn.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { panelFixedSeats, panelPlans, panelRegistrations } from "../../../../db/schema";
import { findUserByLogin } from "../../accounts/lookup.server";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { recordMatterEvent } from "../transition.server";
import { authorize, lockPlan, requireSelecting, STALE_DISTRIBUTION } from "./common.server";
import { canonicalJson } from "./engine";
import type { PlanInput } from "./plan-schema.server";
import type { FixedSeatSchema } from "./schemas";

/** The committee sets or changes the plan; registration opens. Questions are fixed once people answered. */
export async function savePlan(ctx: CommandContext, matterId: number, input: PlanInput) {
  const facts = await authorize(ctx, matterId, "selection.plan");
  requireSelecting(facts.m.state);
  const now = ctx.clock.now();
  if (input.registrationDeadline <= now) throw new DomainError("validation", "selection.errors.deadlinePast", {}, "registrationDeadline");
  return inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    if (plan && plan.status === "drawn") throw new DomainError("invalid_state", "selection.errors.alreadyDrawn");
    if (plan) {
      const [{ n }] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(panelRegistrations)
        .where(and(eq(panelRegistrations.matterId, matterId), isNull(panelRegistrations.withdrawnAt)));
      if (n > 0 && canonicalJson(plan.attributes) !== canonicalJson(input.attributes)) {
        throw new DomainError("invalid_state", "selection.errors.questionsFixed", {}, "quotas");
      }
    }
    const values = {
      panelSize: input.panelSize,
      onePerHousehold: input.onePerHousehold,
      registrationDeadline: input.registrationDeadline,
      responseDays: input.responseDays,
      attributes: input.attributes,
      quotas: input.quotas,
      // a changed plan needs a new distribution
      ...STALE_DISTRIBUTION,
      updatedAt: now,
    };
    if (plan) await tx.update(panelPlans).set(values).where(eq(panelPlans.matterId, matterId));
    else await tx.insert(panelPlans).values({ matterId, ...values });
    await recordMatterEvent(tx, emit, ctx, facts.m, "panelPlan", { size: input.panelSize, deadline: input.registrationDeadline.toISOString() }, plan ? null : { kind: "notify.matter.transition", state: "@selection.registrationOpen" });
    return { matterId };
  });
}

/** A seat not drawn by lot; `login` (phone or username) links it to an account, found as at sign-in. */
export async function addFixedSeat(ctx: CommandContext, matterId: number, input: z.output<typeof FixedSeatSchema>) {
  const facts = await authorize(ctx, matterId, "selection.plan");
  requireSelecting(facts.m.state);
  return inTransaction(ctx, async (tx) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan) throw new DomainError("invalid_state", "selection.errors.noPlan");
    if (plan.status === "drawn") throw new DomainError("invalid_state", "selection.errors.alreadyDrawn");
    let userId: number | null = null;
    if (input.login) {
      const u = await findUserByLogin(tx, input.login);
      if (!u) throw new DomainError("validation", "selection.errors.noSuchAccount", {}, "login");
      userId = u.id;
    }
    const seats = await tx.select({ id: panelFixedSeats.id, userId: panelFixedSeats.userId }).from(panelFixedSeats).where(eq(panelFixedSeats.matterId, matterId));
    if (seats.length + 1 >= plan.panelSize) throw new DomainError("validation", "selection.errors.tooManyFixed", {}, "name");
    if (userId && seats.some((s) => s.userId === userId)) throw new DomainError("conflict", "selection.errors.alreadySeated", {}, "login");
    const [seat] = await tx
      .insert(panelFixedSeats)
      .values({ matterId, userId, name: input.name, reason: input.reason, note: input.note || null })
      .returning();
    // fewer lottery seats: the distribution must be computed again
    await tx.update(panelPlans).set(STALE_DISTRIBUTION).where(eq(panelPlans.matterId, matterId));
    await appendLedger(tx, { stream: `area:${facts.m.communityId}`, actorId: ctx.actor!.id, action: "selection.fixedSeat", entityType: "matter", entityId: matterId, summary: { reason: input.reason }, at: ctx.clock.now() });
    return seat;
  });
}

export async function removeFixedSeat(ctx: CommandContext, matterId: number, seatId: number) {
  const facts = await authorize(ctx, matterId, "selection.plan");
  requireSelecting(facts.m.state);
  return inTransaction(ctx, async (tx) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan || plan.status === "drawn") throw new DomainError("invalid_state", "selection.errors.alreadyDrawn");
    const gone = await tx.delete(panelFixedSeats).where(and(eq(panelFixedSeats.id, seatId), eq(panelFixedSeats.matterId, matterId))).returning();
    if (!gone.length) throw new DomainError("not_found", "errors.notFound");
    await tx.update(panelPlans).set(STALE_DISTRIBUTION).where(eq(panelPlans.matterId, matterId));
    await appendLedger(tx, { stream: `area:${facts.m.communityId}`, actorId: ctx.actor!.id, action: "selection.fixedSeatRemoved", entityType: "matter", entityId: matterId, summary: { seat: seatId }, at: ctx.clock.now() });
  });
}
