/**
 * Participant selection for a panel matter: the plan, registrations of interest, the fair
 * distribution (computed off the main thread), the verifiable draw, invitations and the
 * reserve. Pure parts live in ./draw.ts and ./solver; this file holds the commands.
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { memberships, panelFixedSeats, panelMembers, panelPlans, panelRegistrations, users } from "../../../../db/schema";
import type { PlanQuota } from "../../../../db/schema/selection";
import { can, holdsOver, isVerifiedResident } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { notify } from "../../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import type { Emit } from "../../shared/events";
import { getMatterFacts, matterResource, recordMatterEvent } from "../matters.server";
import { householdKey } from "../voting/voting.server";
import { deriveSeed, distributionDigest, poolDigest, sha256, verifyDraw, type PublishedDraw } from "./draw";
import type { PlanInput } from "./plan-schema.server";
import type { FixedSeatSchema } from "./schemas";
import { canonicalJson, checkFeasibility, drawPanel, nextReplacement, parsePoolCsv, reserveOrder, SelectionInputError, solveMaximin, type Distribution, type Person, type SolveInput } from "./engine";
import type { z } from "zod";

const DAY = 86_400_000;
type PlanRow = typeof panelPlans.$inferSelect;

export function solverTimeLimitMs() {
  return Number(process.env.SELECTION_TIME_LIMIT_MS ?? 45_000);
}

/** What the committee is shown about the computed distribution (the public sees min/mean/max). */
export interface SolverReport {
  feasible: boolean;
  reason?: string;
  conflicts?: PlanQuota[];
  relaxation?: PlanQuota[] | null;
  algorithm?: string;
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

const emitChanged = (emit: Emit, matterId: number) => emit({ type: "selection.changed", matterId });

/** For the socket layer: may this actor watch the matter's selection page (whoever may read the matter). */
export async function canWatchSelection(db: Db, actor: CommandContext["actor"], matterId: number) {
  const facts = await getMatterFacts(db, matterId);
  return !!facts && facts.m.form === "panel" && can(actor, "matter.view", matterResource(facts.m, facts.path));
}

async function visibleMatter(ctx: CommandContext, matterId: number) {
  const facts = await getMatterFacts(ctx.db, matterId);
  if (!facts || !can(ctx.actor, "matter.view", matterResource(facts.m, facts.path))) throw new DomainError("not_found", "errors.notFound");
  return facts;
}

async function requireCommittee(ctx: CommandContext, matterId: number) {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const facts = await visibleMatter(ctx, matterId);
  if (!holdsOver(ctx.actor, ["committee"], facts.path)) throw new DomainError("forbidden", "errors.forbidden");
  return facts;
}

function requireSelecting(state: string) {
  if (state !== "selecting") throw new DomainError("invalid_state", "matters.errors.wrongState");
}

async function lockPlan(tx: Db, matterId: number) {
  const [p] = await tx.select().from(panelPlans).where(eq(panelPlans.matterId, matterId)).for("update");
  return p ?? null;
}

/** The committee sets or changes the plan; registration opens. Questions are fixed once people answered. */
export async function savePlan(ctx: CommandContext, matterId: number, input: PlanInput) {
  const facts = await requireCommittee(ctx, matterId);
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
      status: "open" as const,
      poolDigest: null,
      distribution: null,
      distributionDigest: null,
      solverReport: null,
      commitment: null,
      secret: null,
      updatedAt: now,
    };
    if (plan) await tx.update(panelPlans).set(values).where(eq(panelPlans.matterId, matterId));
    else await tx.insert(panelPlans).values({ matterId, ...values });
    await recordMatterEvent(tx, emit, ctx, facts.m, "panelPlan", { size: input.panelSize, deadline: input.registrationDeadline.toISOString() }, plan ? null : { kind: "notify.matter.transition", state: "@selection.registrationOpen" });
    return { matterId };
  });
}

/** Rows pasted from a spreadsheet arrive tab-separated; CSV text is left as it is. */
export function tabsToCsv(text: string) {
  const first = text.split(/\r?\n/, 1)[0] ?? "";
  if (!first.includes("\t") || first.includes(",")) return text;
  const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return text
    .split(/\r?\n/)
    .map((line) => line.split("\t").map(quote).join(","))
    .join("\n");
}

/**
 * The committee adds registrations collected on paper, from a spreadsheet: `id` (their own
 * reference), `household`, and one column per question of the plan with an allowed answer.
 * All rows are checked before any is stored; a bad row is named with its row and column.
 */
export async function uploadPaperPool(ctx: CommandContext, matterId: number, csvText: string) {
  const facts = await requireCommittee(ctx, matterId);
  requireSelecting(facts.m.state);
  const now = ctx.clock.now();
  let people: Person[];
  try {
    people = parsePoolCsv(tabsToCsv(csvText)).people;
  } catch (e) {
    if (e instanceof SelectionInputError) throw new DomainError("validation", "selection.errors.poolCell", { row: e.row ?? 0, column: e.columnName ?? String(e.column ?? "") }, "pool");
    throw e;
  }
  if (people.length === 0) throw new DomainError("validation", "selection.errors.poolEmpty", {}, "pool");
  if (people.length > 5000) throw new DomainError("validation", "errors.tooLong", { max: 5000 }, "pool");
  return inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan) throw new DomainError("invalid_state", "selection.errors.noPlan");
    if (plan.status === "drawn" || now >= plan.registrationDeadline) throw new DomainError("invalid_state", "selection.errors.registrationClosed");
    people.forEach((p, i) => {
      const row = i + 2;
      if (p.id.length > 40 || /<[A-Za-z!/?]/.test(p.id)) throw new DomainError("validation", "selection.errors.poolCell", { row, column: "id" }, "pool");
      if (!p.household || p.household.length > 100) throw new DomainError("validation", "selection.errors.poolCell", { row, column: "household" }, "pool");
      for (const a of plan.attributes) {
        if (!a.values.includes(p.attributes[a.key] ?? "")) throw new DomainError("validation", "selection.errors.poolCell", { row, column: a.key }, "pool");
      }
      const extra = Object.keys(p.attributes).find((k) => !plan.attributes.some((a) => a.key === k));
      if (extra) throw new DomainError("validation", "selection.errors.poolCell", { row: 1, column: extra }, "pool");
    });
    const existing = await tx
      .select({ ref: panelRegistrations.paperRef })
      .from(panelRegistrations)
      .where(and(eq(panelRegistrations.matterId, matterId), isNotNull(panelRegistrations.paperRef)));
    const taken = new Set(existing.map((r) => r.ref));
    const clash = people.findIndex((p) => taken.has(p.id));
    if (clash >= 0) throw new DomainError("conflict", "selection.errors.poolDuplicate", { row: clash + 2, id: people[clash].id }, "pool");
    await tx.insert(panelRegistrations).values(
      people.map((p) => ({
        matterId,
        userId: null,
        paperRef: p.id,
        pseudonym: newPseudonym(),
        // the household column is the address: the same key as an online registrant at that address
        household: householdKey(facts.m.communityId, p.household!),
        answers: Object.fromEntries(plan.attributes.map((a) => [a.key, p.attributes[a.key]])),
        registeredAt: now,
      })),
    );
    if (plan.status === "computed") await tx.update(panelPlans).set({ status: "open", distribution: null, distributionDigest: null, solverReport: null, commitment: null, secret: null, poolDigest: null }).where(eq(panelPlans.matterId, matterId));
    await appendLedger(tx, { stream: `area:${facts.m.communityId}`, actorId: ctx.actor!.id, action: "selection.paperPool", entityType: "matter", entityId: matterId, summary: { rows: people.length }, at: now });
    emitChanged(emit, matterId);
    return { added: people.length };
  });
}

/** The committee closes registration now (enough people came forward, or on paper at a meeting). */
export async function closeRegistration(ctx: CommandContext, matterId: number) {
  const facts = await requireCommittee(ctx, matterId);
  requireSelecting(facts.m.state);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan) throw new DomainError("invalid_state", "selection.errors.noPlan");
    if (plan.status === "drawn" || now >= plan.registrationDeadline) throw new DomainError("invalid_state", "selection.errors.registrationClosed");
    await tx.update(panelPlans).set({ registrationDeadline: now, updatedAt: now }).where(eq(panelPlans.matterId, matterId));
    await recordMatterEvent(tx, emit, ctx, facts.m, "registrationClosed", {}, null);
  });
}

async function findUserByLogin(db: Db, login: string) {
  const phone = login.replace(/^\+?86/, "").replace(/[\s-]/g, "");
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(or(eq(users.username, login), eq(users.phone, phone)))
    .limit(1);
  return u ?? null;
}

export async function addFixedSeat(ctx: CommandContext, matterId: number, input: z.output<typeof FixedSeatSchema>) {
  const facts = await requireCommittee(ctx, matterId);
  requireSelecting(facts.m.state);
  return inTransaction(ctx, async (tx, emit) => {
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
    await tx.update(panelPlans).set({ status: "open", distribution: null, distributionDigest: null, solverReport: null, commitment: null, secret: null, poolDigest: null }).where(eq(panelPlans.matterId, matterId));
    await appendLedger(tx, { stream: `area:${facts.m.communityId}`, actorId: ctx.actor!.id, action: "selection.fixedSeat", entityType: "matter", entityId: matterId, summary: { reason: input.reason }, at: ctx.clock.now() });
    void emit;
    return seat;
  });
}

export async function removeFixedSeat(ctx: CommandContext, matterId: number, seatId: number) {
  const facts = await requireCommittee(ctx, matterId);
  requireSelecting(facts.m.state);
  return inTransaction(ctx, async (tx) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan || plan.status === "drawn") throw new DomainError("invalid_state", "selection.errors.alreadyDrawn");
    const gone = await tx.delete(panelFixedSeats).where(and(eq(panelFixedSeats.id, seatId), eq(panelFixedSeats.matterId, matterId))).returning();
    if (!gone.length) throw new DomainError("not_found", "errors.notFound");
    await tx.update(panelPlans).set({ status: "open", distribution: null, distributionDigest: null, solverReport: null, commitment: null, secret: null, poolDigest: null }).where(eq(panelPlans.matterId, matterId));
    await appendLedger(tx, { stream: `area:${facts.m.communityId}`, actorId: ctx.actor!.id, action: "selection.fixedSeatRemoved", entityType: "matter", entityId: matterId, summary: { seat: seatId }, at: ctx.clock.now() });
  });
}

function newPseudonym() {
  return `P-${randomBytes(4).toString("hex")}`;
}

/** A verified resident registers interest (报名) before the deadline; household from their verified address. */
export async function registerInterest(ctx: CommandContext, matterId: number, answers: Record<string, string>) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const facts = await visibleMatter(ctx, matterId);
  if (!isVerifiedResident(actor, facts.m.communityId)) throw new DomainError("forbidden", "matters.errors.notVerified");
  requireSelecting(facts.m.state);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [plan] = await tx.select().from(panelPlans).where(eq(panelPlans.matterId, matterId)).for("share");
    if (!plan) throw new DomainError("invalid_state", "selection.errors.noPlan");
    if (plan.status === "drawn" || now >= plan.registrationDeadline) throw new DomainError("invalid_state", "selection.errors.registrationClosed");
    for (const a of plan.attributes) if (!a.values.includes(answers[a.key] ?? "")) throw new DomainError("validation", "selection.errors.chooseAnswer");
    const [m] = await tx
      .select({ address: memberships.address })
      .from(memberships)
      .where(and(eq(memberships.userId, actor.id), eq(memberships.communityId, facts.m.communityId), eq(memberships.status, "verified")));
    if (!m) throw new DomainError("forbidden", "matters.errors.notVerified");
    const household = householdKey(facts.m.communityId, m.address);
    const [existing] = await tx.select().from(panelRegistrations).where(and(eq(panelRegistrations.matterId, matterId), eq(panelRegistrations.userId, actor.id))).for("update");
    if (existing && !existing.withdrawnAt) throw new DomainError("conflict", "selection.errors.alreadyRegistered");
    if (existing) {
      await tx.update(panelRegistrations).set({ answers, household, registeredAt: now, withdrawnAt: null }).where(eq(panelRegistrations.id, existing.id));
    } else {
      // a clash of two random 32-bit pseudonyms is retried by the unique index
      for (let attempt = 0; ; attempt++) {
        const inserted = await tx
          .insert(panelRegistrations)
          .values({ matterId, userId: actor.id, pseudonym: newPseudonym(), household, answers, registeredAt: now })
          .onConflictDoNothing()
          .returning({ id: panelRegistrations.id });
        if (inserted.length) break;
        if (attempt > 3) throw new DomainError("conflict", "selection.errors.alreadyRegistered");
      }
    }
    emitChanged(emit, matterId);
    // the pool changed: any computed distribution is stale
    if (plan.status === "computed") await tx.update(panelPlans).set({ status: "open", distribution: null, distributionDigest: null, solverReport: null, commitment: null, secret: null, poolDigest: null }).where(eq(panelPlans.matterId, matterId));
    return { ok: true };
  });
}

export async function withdrawInterest(ctx: CommandContext, matterId: number) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  await visibleMatter(ctx, matterId);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [plan] = await tx.select().from(panelPlans).where(eq(panelPlans.matterId, matterId)).for("share");
    if (!plan || plan.status === "drawn" || now >= plan.registrationDeadline) throw new DomainError("invalid_state", "selection.errors.registrationClosed");
    emitChanged(emit, matterId);
    const done = await tx
      .update(panelRegistrations)
      .set({ withdrawnAt: now })
      .where(and(eq(panelRegistrations.matterId, matterId), eq(panelRegistrations.userId, actor.id), isNull(panelRegistrations.withdrawnAt)))
      .returning();
    if (!done.length) throw new DomainError("invalid_state", "selection.errors.notRegistered");
    if (plan.status === "computed") await tx.update(panelPlans).set({ status: "open", distribution: null, distributionDigest: null, solverReport: null, commitment: null, secret: null, poolDigest: null }).where(eq(panelPlans.matterId, matterId));
  });
}

type RegistrationRow = typeof panelRegistrations.$inferSelect;

/** The published pool: pseudonyms, answers, and household tags H1, H2… (addresses never leave). */
function buildPool(plan: PlanRow, regs: RegistrationRow[]): Person[] {
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

async function activeRegistrations(db: Db, matterId: number) {
  return db
    .select()
    .from(panelRegistrations)
    .where(and(eq(panelRegistrations.matterId, matterId), isNull(panelRegistrations.withdrawnAt)))
    .orderBy(asc(panelRegistrations.pseudonym));
}

async function fixedSeatsOf(db: Db, matterId: number) {
  return db.select().from(panelFixedSeats).where(eq(panelFixedSeats.matterId, matterId)).orderBy(asc(panelFixedSeats.id));
}

/**
 * After the deadline the committee computes the fair distribution. Infeasible quotas are
 * reported (which conflict, the nearest relaxation) and nothing is drawn. On success the pool
 * digest, the distribution and a commitment to a fresh secret are published.
 */
export async function computeDistribution(ctx: CommandContext, matterId: number): Promise<SolverReport> {
  const facts = await requireCommittee(ctx, matterId);
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
        timeLimitMs: solverTimeLimitMs(),
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
export async function drawPanelForMatter(ctx: CommandContext, matterId: number, entropy: string) {
  const facts = await requireCommittee(ctx, matterId);
  requireSelecting(facts.m.state);
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

async function inviteUsers(tx: Db, emit: Emit, matter: { id: number; title: string }, userIds: number[], respondBy: Date, now: Date) {
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
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const facts = await visibleMatter(ctx, matterId);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    const [member] = await tx.select().from(panelMembers).where(and(eq(panelMembers.id, memberId), eq(panelMembers.matterId, matterId))).for("update");
    if (!plan || !member) throw new DomainError("not_found", "errors.notFound");
    const committee = holdsOver(actor, ["committee"], facts.path);
    const own = member.userId === actor.id;
    // the committee answers for those it reached offline: fixed seats and paper registrations without an account
    if (!own && !(committee && member.userId === null)) throw new DomainError("forbidden", "errors.forbidden");
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

/** The published record of a draw (before it: without secret, entropy, seed and panel). */
export async function getPublishedDraw(ctx: CommandContext, matterId: number): Promise<PublishedDraw | null> {
  await visibleMatter(ctx, matterId);
  return publishedDraw(ctx.db, matterId);
}

async function publishedDraw(db: Db, matterId: number): Promise<PublishedDraw | null> {
  const [plan] = await db.select().from(panelPlans).where(eq(panelPlans.matterId, matterId));
  if (!plan || (plan.status !== "computed" && plan.status !== "drawn") || !plan.distribution) return null;
  // any change to the pool reopens the plan before the draw, and nobody may join or leave the
  // pool after it, so the active registrations are exactly the published pool
  const pool = buildPool(plan, await activeRegistrations(db, matterId));
  const fixed = await fixedSeatsOf(db, matterId);
  const drawn = plan.status === "drawn" && plan.secretRevealed;
  return {
    version: "yishi-draw/1",
    matterId,
    algorithm: (plan.solverReport as SolverReport | null)?.algorithm ?? "",
    seats: plan.panelSize - fixed.length,
    onePerHousehold: plan.onePerHousehold,
    quotas: plan.quotas,
    pool,
    poolDigest: plan.poolDigest!,
    distribution: plan.distribution as PublishedDraw["distribution"],
    distributionDigest: plan.distributionDigest!,
    commitment: plan.commitment!,
    entropy: drawn ? plan.entropy : null,
    secret: drawn ? plan.secret : null,
    seed: drawn ? plan.seed : null,
    panel: drawn ? drawPanel(plan.distribution as Distribution, plan.seed!) : null,
  };
}

/** Used by the command line: the stored record, checked. */
export async function verifyStoredDraw(db: Db, matterId: number) {
  const p = await publishedDraw(db, matterId);
  return p ? { published: p, result: verifyDraw(p) } : null;
}

export interface SelectionPage {
  plan: Omit<PlanRow, "secret" | "distribution"> | null;
  /** registration has closed (by the deadline or by the committee) */
  deadlinePassed: boolean;
  viewer: { committee: boolean; verified: boolean; registration: { pseudonym: string; answers: Record<string, string> } | null };
  poolSize: number;
  paperCount: number;
  /** counts per quota value among registrants (committee and public alike: no names) */
  counts: Record<string, Record<string, number>>;
  fixedSeats: { id: number; name: string; reason: string; note: string | null; hasAccount: boolean }[];
  report: SolverReport | null;
  members: { id: number; label: string; source: string; status: string; respondBy: string; mine: boolean; answerable: boolean; probability: number | null }[];
  /** committee only: every registrant's probability, by pseudonym, with their name */
  probabilities: { pseudonym: string; name: string; probability: number; excluded: string | null }[] | null;
  accepted: number;
  full: boolean;
  verification: ReturnType<typeof verifyDraw> | null;
}

/**
 * Everything the selection page shows. Names are for the committee and the panel; the public
 * sees pseudonyms. The secret never leaves before the draw.
 */
export async function getSelectionPage(ctx: CommandContext, matterId: number): Promise<SelectionPage> {
  const facts = await visibleMatter(ctx, matterId);
  const actor = ctx.actor;
  const committee = Boolean(actor && holdsOver(actor, ["committee"], facts.path));
  const verified = Boolean(actor && isVerifiedResident(actor, facts.m.communityId));
  const [planRow] = await ctx.db.select().from(panelPlans).where(eq(panelPlans.matterId, matterId));
  const regs = await ctx.db
    .select({ r: panelRegistrations, account: users.displayName })
    .from(panelRegistrations)
    .leftJoin(users, eq(users.id, panelRegistrations.userId))
    .where(eq(panelRegistrations.matterId, matterId))
    .then((rows) => rows.map((x) => ({ r: x.r, name: x.account ?? x.r.paperRef ?? "" })));
  const active = regs.filter((x) => !x.r.withdrawnAt);
  const mine = actor ? active.find((x) => x.r.userId === actor.id) : undefined;
  const counts: SelectionPage["counts"] = {};
  for (const a of planRow?.attributes ?? []) {
    counts[a.key] = Object.fromEntries(a.values.map((v) => [v, 0]));
    for (const x of active) if (x.r.answers[a.key] in counts[a.key]) counts[a.key][x.r.answers[a.key]]++;
  }
  const fixed = await fixedSeatsOf(ctx.db, matterId);
  const memberRows = await ctx.db
    .select({ m: panelMembers, name: users.displayName })
    .from(panelMembers)
    .leftJoin(users, eq(users.id, panelMembers.userId))
    .where(eq(panelMembers.matterId, matterId))
    .orderBy(asc(panelMembers.id));
  const onPanel = Boolean(actor && memberRows.some((x) => x.m.userId === actor.id && (x.m.status === "accepted" || x.m.status === "invited")));
  const seeNames = committee || onPanel;
  const regById = new Map(regs.map((x) => [x.r.id, x.r]));
  const seatById = new Map(fixed.map((s) => [s.id, s]));
  const report = (planRow?.solverReport as SolverReport | null) ?? null;
  const members = memberRows.map((x) => {
    const reg = x.m.registrationId ? regById.get(x.m.registrationId) : undefined;
    const seat = x.m.fixedSeatId ? seatById.get(x.m.fixedSeatId) : undefined;
    const label = seat ? seat.name : seeNames ? (x.name ?? reg?.paperRef ?? "") : (reg?.pseudonym ?? "");
    return {
      id: x.m.id,
      label: seat || seeNames ? label : (reg?.pseudonym ?? ""),
      source: x.m.source,
      status: x.m.status,
      respondBy: x.m.respondBy.toISOString(),
      mine: Boolean(actor && x.m.userId === actor.id),
      answerable: x.m.status === "invited" && ((actor !== null && x.m.userId === actor.id) || (committee && x.m.userId === null)),
      probability: reg && report?.selection ? (report.selection[reg.pseudonym] ?? null) : null,
    };
  });
  const accepted = members.filter((m) => m.status === "accepted").length;
  const published = planRow ? await publishedDraw(ctx.db, matterId) : null;
  const publicReport = report && !committee ? { ...report, selection: undefined, excluded: report.excluded?.map((e) => ({ id: e.id, reason: e.reason })) } : report;
  let plan: SelectionPage["plan"] = null;
  if (planRow) {
    const { secret: _s, distribution: _d, ...rest } = planRow;
    void _s;
    void _d;
    plan = { ...rest, entropy: planRow.secretRevealed ? planRow.entropy : null, seed: planRow.secretRevealed ? planRow.seed : null };
  }
  return {
    plan,
    deadlinePassed: planRow ? ctx.clock.now() >= planRow.registrationDeadline : false,
    viewer: { committee, verified, registration: mine ? { pseudonym: mine.r.pseudonym, answers: mine.r.answers } : null },
    poolSize: active.length,
    paperCount: active.filter((x) => x.r.userId === null).length,
    counts,
    // the committee's own note may hold an address or a number: it stays with the committee
    fixedSeats: fixed.map((s) => ({ id: s.id, name: s.name, reason: s.reason, note: committee ? s.note : null, hasAccount: s.userId !== null })),
    report: publicReport,
    members,
    probabilities:
      committee && report?.selection
        ? active
            .map((x) => ({
              pseudonym: x.r.pseudonym,
              name: x.name,
              probability: report.selection![x.r.pseudonym] ?? 0,
              excluded: report.excluded?.find((e) => e.id === x.r.pseudonym)?.reason ?? null,
            }))
            .sort((a, b) => a.probability - b.probability || (a.pseudonym < b.pseudonym ? -1 : 1))
        : null,
    accepted,
    full: planRow ? accepted >= planRow.panelSize && planRow.status === "drawn" : false,
    verification: published ? verifyDraw(published) : null,
  };
}

