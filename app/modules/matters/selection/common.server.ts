/**
 * What the selection commands share: the permission gate, the plan lock, and the pool as it is
 * published (pseudonyms and household tags). Not a command file; nothing here writes on its own.
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { panelFixedSeats, panelPlans, panelRegistrations } from "../../../../db/schema";
import type { PlanQuota } from "../../../../db/schema/selection";
import type { MessageKey } from "~/i18n";
import type { Actor } from "../../accounts/actor";
import { can, type Action } from "../../accounts/permissions";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import type { Emit } from "../../shared/events";
import { getMatterFacts, matterResource } from "../transition.server";
import type { Person } from "./engine";

export const DAY = 86_400_000;
export type PlanRow = typeof panelPlans.$inferSelect;
export type RegistrationRow = typeof panelRegistrations.$inferSelect;

/** What the committee is shown about the computed distribution (the public sees min/mean/max). */
export interface SolverReport {
  feasible: boolean;
  reason?: string;
  conflicts?: PlanQuota[];
  relaxation?: PlanQuota[] | null;
  algorithm?: string;
  /** what the published distribution proves: every level (leximin), the smallest chance (maximin), or only a bound (stopped at the budget) */
  proves?: "leximin" | "maximin" | "bound";
  /** LEXIMIN's rounds after the minimum, and whether it finished within the budget */
  leximin?: { rounds: number; complete: boolean } | null;
  budgetSeconds?: number;
  min?: number;
  mean?: number;
  max?: number;
  dualBound?: number;
  optimal?: boolean;
  stopped?: string | null;
  excluded?: { id: string; reason: string }[];
  selection?: Record<string, number>;
  poolSize?: number;
  ms?: number;
}

export const emitChanged = (emit: Emit, matterId: number) => emit({ type: "selection.changed", matterId });

/** A changed plan, pool or set of fixed seats needs a new distribution: these columns reset it. */
export const STALE_DISTRIBUTION = { status: "open", distribution: null, distributionDigest: null, solverReport: null, commitment: null, secret: null, poolDigest: null } as const;

export function requireSignedIn(ctx: CommandContext): Actor {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return ctx.actor;
}

type SelectionAction = Extract<Action, `selection.${string}`>;

/**
 * The gate every selection command and query passes first: a signed-in actor (except to view),
 * a matter they may read (else 404, as if it did not exist), then `can(actor, action, matter)`.
 */
export async function authorize(ctx: CommandContext, matterId: number, action: Exclude<SelectionAction, "selection.answerInvitation">, denied: MessageKey = "errors.forbidden") {
  if (action !== "selection.view") requireSignedIn(ctx);
  const facts = await getMatterFacts(ctx.db, matterId);
  const resource = facts ? matterResource(facts.m, facts.path) : null;
  if (!facts || !resource || !can(ctx.actor, "selection.view", resource)) throw new DomainError("not_found", "errors.notFound");
  if (!can(ctx.actor, action, resource)) throw new DomainError("forbidden", denied);
  return { ...facts, resource };
}

export function requireSelecting(state: string) {
  if (state !== "selecting") throw new DomainError("invalid_state", "matters.errors.wrongState");
}

export async function lockPlan(tx: Db, matterId: number) {
  const [p] = await tx.select().from(panelPlans).where(eq(panelPlans.matterId, matterId)).for("update");
  return p ?? null;
}

export function newPseudonym() {
  return `P-${randomBytes(4).toString("hex")}`;
}

/** The published pool: pseudonyms, answers, and household tags H1, H2… (addresses never leave). */
export function buildPool(plan: PlanRow, regs: RegistrationRow[]): Person[] {
  const sorted = [...regs].sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1));
  const tags = new Map<string, string>();
  return sorted.map((r) => {
    let tag: string | null = null;
    if (plan.onePerHousehold) {
      tag = tags.get(r.household) ?? `H${tags.size + 1}`;
      tags.set(r.household, tag);
    }
    return { id: r.pseudonym, household: tag, attributes: Object.fromEntries(plan.attributes.map((a) => [a.key, r.answers[a.key]])) };
  });
}

export async function activeRegistrations(db: Db, matterId: number) {
  return db
    .select()
    .from(panelRegistrations)
    .where(and(eq(panelRegistrations.matterId, matterId), isNull(panelRegistrations.withdrawnAt)))
    .orderBy(asc(panelRegistrations.pseudonym));
}

export async function fixedSeatsOf(db: Db, matterId: number) {
  return db.select().from(panelFixedSeats).where(eq(panelFixedSeats.matterId, matterId)).orderBy(asc(panelFixedSeats.id));
}
