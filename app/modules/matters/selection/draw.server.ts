/**
 * At the meeting the committee draws the panel from the published distribution with public
 * entropy (the distribution is worked out in ./compute.server.ts). The pure parts live in
 * ./draw.ts and ./solver.
 */
import { eq } from "drizzle-orm";
import { panelMembers, panelPlans } from "../../../../db/schema";
import { inTransaction, type CommandContext } from "../../shared/context";
import { requireConfirmed } from "../../shared/confirm";
import { DomainError } from "../../shared/errors";
import { recordMatterEvent } from "../transition.server";
import { deriveSeed } from "./draw";
import { activeRegistrations, authorize, DAY, emitChanged, fixedSeatsOf, lockPlan, requireSelecting } from "./common.server";
import { drawPanel, type Distribution } from "./engine";
import { inviteUsers } from "./invitations.server";

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
