/**
 * People come forward: verified residents register interest (报名) online, the committee adds
 * those it collected on paper, and registration closes by the deadline or by the committee.
 */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { memberships, panelPlans, panelRegistrations } from "../../../../db/schema";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { recordMatterEvent } from "../transition.server";
import { householdKey } from "../voting/electorate.server";
import { authorize, emitChanged, lockPlan, newPseudonym, requireSelecting, STALE_DISTRIBUTION } from "./common.server";
import { parsePoolCsv, SelectionInputError, type Person } from "./engine";
import { registrationSchema } from "./schemas";

/** The registration form of the matter's plan (one answer per question), for the route to parse with. */
export async function registrationFormOf(ctx: CommandContext, matterId: number) {
  await authorize(ctx, matterId, "selection.view");
  const [plan] = await ctx.db.select({ attributes: panelPlans.attributes }).from(panelPlans).where(eq(panelPlans.matterId, matterId));
  if (!plan) throw new DomainError("invalid_state", "selection.errors.noPlan");
  return registrationSchema(plan.attributes);
}

/** A verified resident registers interest (报名) before the deadline; household from their verified address. */
export async function registerInterest(ctx: CommandContext, matterId: number, answers: Record<string, string>) {
  const facts = await authorize(ctx, matterId, "selection.register", "matters.errors.notVerified");
  const actor = ctx.actor!;
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
    if (plan.status === "computed") await tx.update(panelPlans).set(STALE_DISTRIBUTION).where(eq(panelPlans.matterId, matterId));
    return { ok: true };
  });
}

/** The registrant takes their registration back before the deadline. */
export async function withdrawInterest(ctx: CommandContext, matterId: number) {
  await authorize(ctx, matterId, "selection.withdraw");
  const actor = ctx.actor!;
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
    if (plan.status === "computed") await tx.update(panelPlans).set(STALE_DISTRIBUTION).where(eq(panelPlans.matterId, matterId));
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
  const facts = await authorize(ctx, matterId, "selection.plan");
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
    if (plan.status === "computed") await tx.update(panelPlans).set(STALE_DISTRIBUTION).where(eq(panelPlans.matterId, matterId));
    await appendLedger(tx, { stream: `area:${facts.m.communityId}`, actorId: ctx.actor!.id, action: "selection.paperPool", entityType: "matter", entityId: matterId, summary: { rows: people.length }, at: now });
    emitChanged(emit, matterId);
    return { added: people.length };
  });
}

/** The committee closes registration now (enough people came forward, or on paper at a meeting). */
export async function closeRegistration(ctx: CommandContext, matterId: number) {
  const facts = await authorize(ctx, matterId, "selection.plan");
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
