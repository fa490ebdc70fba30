/**
 * The committee works out the fair distribution. Asking for it (`requestDistribution`, with a time
 * budget for this draw) queues a run; the job queue (server/jobs.ts) runs it off the web request
 * (`runQueuedDistributions`), the solver itself in a worker thread. While it runs its progress
 * (iterations, the smallest chance so far, the bound) is stored on the plan for the page and pushed
 * to the page's watchers; a committee member may cancel it (`cancelDistribution`).
 *
 * LEXIMIN is the default; when it does not finish within the budget the MAXIMIN optimum it started
 * from (never lower) is published as the stated fallback, and the report says which ran and what
 * it proves.
 */
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { panelPlans } from "../../../../db/schema";
import type { SolveRun } from "../../../../db/schema/selection";
import type { MessageKey } from "~/i18n";
import type { Actor } from "../../accounts/actor";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { getMatterFacts, recordMatterEvent } from "../transition.server";
import { distributionDigest, poolDigest, sha256 } from "./draw";
import { activeRegistrations, authorize, buildPool, emitChanged, fixedSeatsOf, lockPlan, requireSelecting, type SolverReport } from "./common.server";
import { canonicalJson, checkFeasibility, SelectionInputError, solveMaximin, type Distribution, type SolveInput } from "./engine";
import { ALGORITHM, LEXIMIN_ALGORITHM } from "./solver/types";

/** The budget a committee may give one run, in seconds. */
export const BUDGET_LIMITS = { min: 5, max: 600 } as const;

/** The default budget (SELECTION_TIME_LIMIT_MS, read once at start into the settings), in seconds. */
export function defaultBudgetSeconds(ctx: Pick<CommandContext, "settings">) {
  return Math.round((ctx.settings?.selection?.timeLimitMs ?? 45_000) / 1000);
}

const isActive = (run: SolveRun | null | undefined) => run?.status === "queued" || run?.status === "running";

/** After the deadline the committee asks for the distribution; it is worked out on the job queue. */
export async function requestDistribution(ctx: CommandContext, matterId: number, opts: { budgetSeconds?: number } = {}) {
  const facts = await authorize(ctx, matterId, "selection.draw");
  requireSelecting(facts.m.state);
  const budgetSeconds = opts.budgetSeconds ?? defaultBudgetSeconds(ctx);
  if (!Number.isInteger(budgetSeconds) || budgetSeconds < BUDGET_LIMITS.min || budgetSeconds > BUDGET_LIMITS.max) {
    throw new DomainError("validation", "selection.errors.budget", { ...BUDGET_LIMITS }, "budgetSeconds");
  }
  const actorId = ctx.actor!.id;
  return inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan) throw new DomainError("invalid_state", "selection.errors.noPlan");
    if (plan.status === "drawn") throw new DomainError("invalid_state", "selection.errors.alreadyDrawn");
    if (ctx.clock.now() < plan.registrationDeadline) throw new DomainError("invalid_state", "selection.errors.registrationOpen");
    if (isActive(plan.solveRun)) throw new DomainError("conflict", "selection.errors.alreadyComputing");
    const run: SolveRun = { status: "queued", requestedBy: actorId, budgetSeconds, requestedAt: ctx.clock.now().toISOString() };
    await tx.update(panelPlans).set({ solveRun: run }).where(eq(panelPlans.matterId, matterId));
    emit({ type: "selection.solveRequested", matterId });
    emitChanged(emit, matterId);
    return run;
  });
}

/** A committee member stops a queued or running computation; nothing is published. */
export async function cancelDistribution(ctx: CommandContext, matterId: number) {
  await authorize(ctx, matterId, "selection.draw");
  return inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    const run = plan?.solveRun;
    if (!plan || !run || !isActive(run)) throw new DomainError("invalid_state", "selection.errors.notComputing");
    const next: SolveRun = run.status === "queued" ? { ...run, status: "cancelled", finishedAt: ctx.clock.now().toISOString() } : { ...run, cancelRequested: true };
    await tx.update(panelPlans).set({ solveRun: next }).where(eq(panelPlans.matterId, matterId));
    emitChanged(emit, matterId);
    return next;
  });
}

/** For tests and the command line: ask for the distribution and work it out here, now. */
export async function computeDistribution(ctx: CommandContext, matterId: number, opts: { budgetSeconds?: number } = {}): Promise<SolverReport> {
  await requestDistribution(ctx, matterId, opts);
  const done = await runDistribution(ctx, matterId);
  if (done.error) throw done.error;
  return done.report!;
}

/** The job: every queued run, one after the other (the queue runs one of these at a time). Runs whose process died are failed. */
export async function runQueuedDistributions(ctx: CommandContext) {
  const plans = await ctx.db
    .select({ matterId: panelPlans.matterId, run: panelPlans.solveRun })
    .from(panelPlans)
    .where(sql`${panelPlans.solveRun}->>'status' in ('queued', 'running')`);
  let ran = 0;
  for (const p of plans) {
    if (p.run?.status === "running") {
      // a run's process died: its start plus budget and grace have long passed
      const started = Date.parse(p.run.startedAt ?? p.run.requestedAt);
      if (ctx.clock.now().getTime() - started > (p.run.budgetSeconds * 1.25 + 120) * 1000) await finishRun(ctx, p.matterId, { status: "failed", error: "selection.errors.solverInterrupted" });
      continue;
    }
    await runDistribution(ctx, p.matterId);
    ran++;
  }
  return ran;
}

async function finishRun(ctx: CommandContext, matterId: number, patch: Partial<SolveRun>) {
  await inTransaction(ctx, async (tx, emit) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan?.solveRun) return;
    await tx.update(panelPlans).set({ solveRun: { ...plan.solveRun, ...patch, finishedAt: ctx.clock.now().toISOString() } }).where(eq(panelPlans.matterId, matterId));
    emitChanged(emit, matterId);
  });
}

/** How often a running solve stores its progress and looks for a cancel. */
const PROGRESS_EVERY_MS = 1000;

/**
 * Claims a queued run and works it out. Infeasible quotas are reported (which conflict, the
 * nearest relaxation) and nothing is drawn; on success the pool digest, the distribution and a
 * commitment to a fresh secret are published.
 */
export async function runDistribution(ctx: CommandContext, matterId: number): Promise<{ report?: SolverReport; error?: unknown }> {
  const claimed = await ctx.db.transaction(async (tx) => {
    const plan = await lockPlan(tx, matterId);
    if (!plan?.solveRun || plan.solveRun.status !== "queued") return null;
    const run: SolveRun = { ...plan.solveRun, status: "running", startedAt: ctx.clock.now().toISOString(), progress: null };
    await tx.update(panelPlans).set({ solveRun: run }).where(eq(panelPlans.matterId, matterId));
    return { plan, run };
  });
  if (!claimed) return {};
  const { plan, run } = claimed;
  const facts = await getMatterFacts(ctx.db, matterId);
  try {
    if (!facts || facts.m.state !== "selecting" || plan.status === "drawn") throw new DomainError("invalid_state", "matters.errors.wrongState");
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
        dist = await solveWatched(ctx, matterId, input, run);
        report = reportOf(dist, pool.length, run.budgetSeconds);
      }
    }
    const secret = randomBytes(32).toString("hex");
    const done = await inTransaction(ctx, async (tx, emit) => {
      const locked = await lockPlan(tx, matterId);
      // the plan, pool or fixed seats changed while the solver ran: ask for a fresh run
      const regsNow = await activeRegistrations(tx, matterId);
      const fixedNow = await fixedSeatsOf(tx, matterId);
      if (!locked || locked.status === "drawn" || canonicalJson({ updatedAt: locked.updatedAt.toISOString(), pool: poolDigest(buildPool(locked, regsNow)), fixed: fixedNow.length }) !== stamp) {
        throw new DomainError("conflict", "selection.errors.changedMeanwhile");
      }
      const finished: SolveRun = { ...(locked.solveRun ?? run), status: "done", finishedAt: ctx.clock.now().toISOString() };
      if (!dist) {
        await tx.update(panelPlans).set({ status: "open", solverReport: report, solveRun: finished, distribution: null, distributionDigest: null, commitment: null, secret: null, poolDigest: null }).where(eq(panelPlans.matterId, matterId));
        emitChanged(emit, matterId);
        return report;
      }
      const published = { panels: dist.panels, probabilities: dist.probabilities };
      const pd = poolDigest(pool);
      const dd = distributionDigest(published);
      const commitment = sha256(secret);
      await tx
        .update(panelPlans)
        .set({ status: "computed", poolDigest: pd, distribution: published, distributionDigest: dd, solverReport: report, solveRun: finished, commitment, secret, updatedAt: locked.updatedAt })
        .where(eq(panelPlans.matterId, matterId));
      emitChanged(emit, matterId);
      await recordMatterEvent(
        tx,
        emit,
        // the job runs as the system: the timeline names the member who asked (recordMatterEvent reads only the id)
        { ...ctx, actor: ctx.actor ?? ({ id: run.requestedBy } as Actor) },
        facts.m,
        "selectionPublished",
        { poolDigest: pd, distributionDigest: dd, commitment, algorithm: report.algorithm ?? dist.algorithm, min: dist.min.toFixed(4) },
        { kind: "notify.matter.transition", state: "@selection.published" },
      );
      return report;
    });
    return { report: done };
  } catch (e) {
    const cancelled = e instanceof SelectionInputError && e.code === "solver_cancelled";
    const key: MessageKey = cancelled ? "selection.errors.cancelled" : e instanceof DomainError ? e.messageKey : "selection.errors.solverFailed";
    await finishRun(ctx, matterId, { status: cancelled ? "cancelled" : "failed", error: cancelled ? null : key });
    return { error: e };
  }
}

/** Runs the solver, storing its progress about once a second and stopping it when a cancel is asked for. */
async function solveWatched(ctx: CommandContext, matterId: number, input: SolveInput, run: SolveRun) {
  const abort = new AbortController();
  let last = 0;
  let writing = false;
  const poll = setInterval(() => {
    void ctx.db
      .select({ run: panelPlans.solveRun })
      .from(panelPlans)
      .where(eq(panelPlans.matterId, matterId))
      .then(([p]) => {
        if (p?.run?.cancelRequested) abort.abort();
      })
      .catch(() => {});
  }, PROGRESS_EVERY_MS);
  try {
    return await solveMaximin(input, {
      timeLimitMs: run.budgetSeconds * 1000,
      leximin: true,
      signal: abort.signal,
      workerFile: ctx.settings?.selection?.workerFile,
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS || writing) return;
        last = now;
        writing = true;
        const progress = { iteration: p.iteration, min: p.min, dualBound: p.dualBound, ms: p.ms, leximinRound: p.leximinRound ?? null };
        ctx.events.publish({ type: "selection.progress", matterId, ...progress });
        void ctx.db
          .update(panelPlans)
          .set({ solveRun: sql`jsonb_set(${panelPlans.solveRun}, '{progress}', ${JSON.stringify(progress)}::jsonb)` })
          .where(eq(panelPlans.matterId, matterId))
          .catch(() => {})
          .finally(() => (writing = false));
      },
    });
  } finally {
    clearInterval(poll);
  }
}

/** What the committee and the public are told: which algorithm ran and what it proves. */
export function reportOf(dist: Distribution, poolSize: number, budgetSeconds: number): SolverReport {
  const leximinDone = Boolean(dist.leximin?.complete) && !dist.stopped;
  return {
    feasible: true,
    algorithm: leximinDone ? LEXIMIN_ALGORITHM : ALGORITHM,
    // leximin: every level proven; maximin: the smallest chance proven best; bound: stopped at the budget, within the bound
    proves: leximinDone ? "leximin" : dist.stopped || !dist.optimal ? "bound" : "maximin",
    leximin: dist.leximin ?? null,
    budgetSeconds,
    min: dist.min,
    mean: dist.mean,
    max: dist.max,
    dualBound: dist.dualBound,
    optimal: dist.optimal,
    stopped: dist.stopped ?? null,
    excluded: dist.excluded,
    selection: dist.selection,
    poolSize,
    ms: dist.ms,
  };
}
