/**
 * The committee computes the fair distribution (off the main thread) and, at the meeting, draws
 * the panel from it with public entropy. The pure parts live in ./draw.ts and ./solver.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { panelMembers, panelPlans } from "../../../../db/schema";
import { inTransaction, type CommandContext } from "../../shared/context";
import { requireConfirmed } from "../../shared/confirm";
import { DomainError } from "../../shared/errors";
import type { Settings } from "../../shared/settings";
import { recordMatterEvent } from "../transition.server";
import { deriveSeed, distributionDigest, poolDigest, sha256 } from "./draw";
import { activeRegistrations, authorize, buildPool, DAY, emitChanged, fixedSeatsOf, lockPlan, requireSelecting, type SolverReport } from "./common.server";
import { canonicalJson, checkFeasibility, drawPanel, solveMaximin, type Distribution, type SolveInput } from "./engine";
import { inviteUsers } from "./invitations.server";

/** The solver's time budget (SELECTION_TIME_LIMIT_MS, read once at start into the settings). */
export function solverTimeLimitMs(settings?: Settings) {
  return settings?.selection?.timeLimitMs ?? 45_000;
}

/**
 * After the deadline the committee computes the fair distribution. Infeasible quotas are
 * reported (which conflict, the nearest relaxation) and nothing is drawn. On success the pool
 * digest, the distribution and a commitment to a fresh secret are published.
 */
export async function computeDistribution(ctx: CommandContext, matterId: number): Promise<SolverReport> {
  const facts = await authorize(ctx, matterId, "selection.draw");
  requireSelecting(facts.m.state);
  const [plan] = await ctx.db.select().from(panelPlans).where(eq(panelPlans.matterId, matterId));
  if (!plan) throw new DomainError("invalid_state", "selection.errors.noPlan");
  if (plan.status === "drawn") throw new DomainError("invalid_state", "selection.errors.alreadyDrawn");
  const now = ctx.clock.now();
  if (now < plan.registrationDeadline) throw new DomainError("invalid_state", "selection.errors.registrationOpen");
  const regs = await activeRegistrations(ctx.db, matterId);
  const fixed = await fixedSeatsOf(ctx.db, matterId);
  const pool = buildPool(plan, regs);
  const input: SolveInput = { people: pool, quotas: plan.quotas, k: plan.panelSize - fixed.length, onePerHousehold: plan.onePerHousehold };
  const stamp = canonicalJson({ updatedAt: plan.updatedAt.toISOString(), pool: poolDigest(pool), fixed: fixed.length });

  let report: SolverReport;
  let dist: Distribution | null = null;
  if (pool.length < input.k) {
    report = { feasible: false, reason: "pool_too_small", conflicts: [], relaxation: null, poolSize: pool.length };
  } else {
    const f = await checkFeasibility(input);
    if (!f.feasible) {
      // show only the quotas the nearest relaxation had to move
      const moved = f.relaxation?.filter((r) => !plan.quotas.some((q) => q.category === r.category && q.value === r.value && q.min === r.min && q.max === r.max)) ?? null;
      report = { feasible: false, reason: f.reason, conflicts: f.conflicts, relaxation: moved, poolSize: pool.length };
    } else {
      const actorId = ctx.actor!.id;
      dist = await solveMaximin(input, {
        timeLimitMs: solverTimeLimitMs(ctx.settings),
        workerFile: ctx.settings?.selection?.workerFile,
        onProgress: (p) => ctx.events.publish({ type: "selection.progress", userId: actorId, matterId, iteration: p.iteration, min: p.min, dualBound: p.dualBound }),
      });
      report = {
        feasible: true,
        algorithm: dist.algorithm,
        min: dist.min,
        mean: dist.mean,
        max: dist.max,
        dualBound: dist.dualBound,
        optimal: dist.optimal,
        stopped: dist.stopped ?? null,
        excluded: dist.excluded,
        selection: dist.selection,
        poolSize: pool.length,
        ms: dist.ms,
      };
    }
  }
  const secret = randomBytes(32).toString("hex");
  return inTransaction(ctx, async (tx, emit) => {
    const locked = await lockPlan(tx, matterId);
    // the plan, pool or fixed seats changed while the solver ran: ask for a fresh run
    const regsNow = await activeRegistrations(tx, matterId);
    const fixedNow = await fixedSeatsOf(tx, matterId);
    if (!locked || locked.status === "drawn" || canonicalJson({ updatedAt: locked.updatedAt.toISOString(), pool: poolDigest(buildPool(locked, regsNow)), fixed: fixedNow.length }) !== stamp) {
      throw new DomainError("conflict", "selection.errors.changedMeanwhile");
    }
    if (!dist) {
      await tx.update(panelPlans).set({ status: "open", solverReport: report, distribution: null, distributionDigest: null, commitment: null, secret: null, poolDigest: null }).where(eq(panelPlans.matterId, matterId));
      return report;
    }
    const published = { panels: dist.panels, probabilities: dist.probabilities };
    const pd = poolDigest(pool);
    const dd = distributionDigest(published);
    const commitment = sha256(secret);
    await tx
      .update(panelPlans)
      .set({ status: "computed", poolDigest: pd, distribution: published, distributionDigest: dd, solverReport: report, commitment, secret, updatedAt: locked.updatedAt })
      .where(eq(panelPlans.matterId, matterId));
    emitChanged(emit, matterId);
    await recordMatterEvent(
      tx,
      emit,
      ctx,
      facts.m,
      "selectionPublished",
      { poolDigest: pd, distributionDigest: dd, commitment, algorithm: dist.algorithm, min: dist.min.toFixed(4) },
      { kind: "notify.matter.transition", state: "@selection.published" },
    );
    return report;
  });
}

/**
 * The draw, at the meeting: public entropy is entered; the seed follows from the secret, the
 * pool, the distribution and the entropy; the panel is drawn, the secret revealed, and every
 * seat holder invited to answer by the deadline.
 */
export async function drawPanelForMatter(ctx: CommandContext, matterId: number, entropy: string, confirm?: string) {
  const facts = await authorize(ctx, matterId, "selection.draw");
  requireSelecting(facts.m.state);
  requireConfirmed({ confirm }, "draw");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan) throw new DomainError("invalid_state", "selection.errors.noPlan");
    if (plan.status === "drawn") throw new DomainError("invalid_state", "selection.errors.alreadyDrawn");
    if (plan.status !== "computed" || !plan.secret || !plan.distribution || !plan.poolDigest || !plan.distributionDigest) {
      throw new DomainError("invalid_state", "selection.errors.notComputed");
    }
    const seed = deriveSeed(plan.secret, plan.poolDigest, plan.distributionDigest, entropy);
    const chosen = drawPanel(plan.distribution as Distribution, seed);
    const regs = await activeRegistrations(tx, matterId);
    const byPseudonym = new Map(regs.map((r) => [r.pseudonym, r]));
    const fixed = await fixedSeatsOf(tx, matterId);
    const respondBy = new Date(now.getTime() + plan.responseDays * DAY);
    const rows = [
      ...fixed.map((s) => ({ matterId, userId: s.userId, fixedSeatId: s.id, registrationId: null, source: "fixed" as const })),
      ...chosen.map((p) => {
        const r = byPseudonym.get(p);
        if (!r) throw new DomainError("conflict", "selection.errors.changedMeanwhile");
        return { matterId, userId: r.userId, fixedSeatId: null, registrationId: r.id, source: "lottery" as const };
      }),
    ].map((r) => ({ ...r, status: "invited" as const, respondBy, invitedAt: now }));
    await tx.insert(panelMembers).values(rows);
    await tx.update(panelPlans).set({ status: "drawn", entropy, seed, secretRevealed: true, drawnAt: now }).where(eq(panelPlans.matterId, matterId));
    await recordMatterEvent(tx, emit, ctx, facts.m, "panelDrawn", { seed, entropy: entropy.slice(0, 100), seats: rows.length }, { kind: "notify.matter.transition", state: "@selection.drawn" });
    await inviteUsers(tx, emit, facts.m, rows.map((r) => r.userId).filter((x): x is number => x !== null), respondBy, now);
    emitChanged(emit, matterId);
    return { seed, panel: chosen };
  });
}
