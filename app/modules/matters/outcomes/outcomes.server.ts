import { and, asc, eq, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { commitmentPhotos, commitments, commitmentUpdates, outcomes, ratings, users } from "../../../../db/schema";
import { findUserByLogin } from "../../accounts/lookup.server";
import { can, isVerifiedResident } from "../../accounts/permissions";
import { notify } from "../../notifications/notifications.server";
import { beijingDay } from "../../shared/beijing-time";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { getMatterFacts, matterResource, moveMatter, recordMatterEvent, requireVisibleMatter } from "../transition.server";
import { isPanelMember } from "../selection/panel.server";
import { imageType, MAX_PHOTO_BYTES } from "../../shared/photos";
import type { AddCommitmentSchema, AssignOwnerSchema, RateSchema, RecordOutcomeSchema, ReopenSchema, RespondSchema, UpdateCommitmentSchema } from "./schemas";

const DAY = 86_400_000;
const CLOSED = ["done", "cancelled"] as const;

export function ratingDays(env: Record<string, string | undefined> = {}) {
  return Number(env.RATING_DAYS ?? 14);
}

async function requireCommittee(ctx: CommandContext, matterId: number) {
  const facts = await requireVisibleMatter(ctx, matterId);
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "matter.manage", matterResource(facts.m, facts.path))) throw new DomainError("forbidden", "errors.forbidden");
  return facts;
}

/** The committee records the decision and its commitments; the matter moves to implementing. */
export async function recordOutcome(ctx: CommandContext, matterId: number, input: z.output<typeof RecordOutcomeSchema>) {
  const facts = await requireCommittee(ctx, matterId);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    await moveMatter(tx, emit, ctx, matterId, "startImplementation", "actor", { params: { commitments: input.commitments.length } });
    await tx.insert(outcomes).values({ matterId, decision: input.decision, recordedBy: ctx.actor!.id, recordedAt: now });
    await tx.insert(commitments).values(input.commitments.map((c) => ({ matterId, ...c, createdAt: now, updatedAt: now })));
    return { matterId, communityId: facts.m.communityId };
  });
}

/**
 * The owner or the committee posts progress on a commitment. When every commitment is done or
 * cancelled the matter completes and the satisfaction rating opens.
 */
export async function updateCommitment(ctx: CommandContext, input: Omit<z.output<typeof UpdateCommitmentSchema>, "photo"> & { photo?: Uint8Array }) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const photoType = input.photo ? imageType(input.photo) : null;
  if (input.photo && !photoType) throw new DomainError("validation", "outcomes.errors.photoType", {}, "photo");
  if (input.photo && input.photo.length > MAX_PHOTO_BYTES) throw new DomainError("validation", "outcomes.errors.photoSize", {}, "photo");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [c] = await tx.select().from(commitments).where(eq(commitments.id, input.commitmentId)).for("update");
    if (!c) throw new DomainError("not_found", "errors.notFound");
    const facts = await getMatterFacts(tx, c.matterId);
    if (!facts || !can(actor, "matter.view", matterResource(facts.m, facts.path))) throw new DomainError("not_found", "errors.notFound");
    if (c.ownerId !== actor.id && !can(actor, "matter.manage", matterResource(facts.m, facts.path))) throw new DomainError("forbidden", "errors.forbidden");
    if (facts.m.state !== "implementing") throw new DomainError("invalid_state", "matters.errors.wrongState");
    const progress = input.status === "done" ? 100 : input.progress;
    await tx
      .update(commitments)
      .set({ status: input.status, progress, cancelReason: input.status === "cancelled" ? input.cancelReason : null, updatedAt: now })
      .where(eq(commitments.id, c.id));
    const [u] = await tx
      .insert(commitmentUpdates)
      .values({ commitmentId: c.id, authorId: actor.id, body: input.body, progress, status: input.status, createdAt: now })
      .returning({ id: commitmentUpdates.id });
    if (input.photo && photoType) {
      await tx.insert(commitmentPhotos).values({ updateId: u.id, contentType: photoType, bytes: input.photo.length, data: Buffer.from(input.photo), createdAt: now });
    }
    await recordMatterEvent(tx, emit, ctx, facts.m, "commitmentUpdate", { commitment: c.title, status: input.status, progress }, { kind: "notify.matter.transition", state: c.title });
    const open = await tx
      .select({ id: commitments.id })
      .from(commitments)
      .where(and(eq(commitments.matterId, c.matterId), notInArray(commitments.status, [...CLOSED])));
    if (open.length === 0) {
      await moveMatter(tx, emit, ctx, c.matterId, "complete", "system");
      await tx
        .update(outcomes)
        .set({ ratingOpensAt: now, ratingClosesAt: new Date(now.getTime() + (ctx.settings?.ratingDays ?? ratingDays()) * DAY) })
        .where(eq(outcomes.matterId, c.matterId));
      return { completed: true };
    }
    return { completed: false };
  });
}

/** Who rates (群众测评): the community's verified residents and the matter's accepted panel members. */
async function mayRate(ctx: CommandContext, matterId: number, communityId: number) {
  if (!ctx.actor) return false;
  return isVerifiedResident(ctx.actor, communityId) || isPanelMember(ctx.db, matterId, ctx.actor.id);
}


/** A progress photo, to whoever may see the matter; null when there is none or they may not. */
export async function getCommitmentPhoto(ctx: CommandContext, updateId: number) {
  const [row] = await ctx.db
    .select({ contentType: commitmentPhotos.contentType, data: commitmentPhotos.data, matterId: commitments.matterId })
    .from(commitmentPhotos)
    .innerJoin(commitmentUpdates, eq(commitmentUpdates.id, commitmentPhotos.updateId))
    .innerJoin(commitments, eq(commitments.id, commitmentUpdates.commitmentId))
    .where(eq(commitmentPhotos.updateId, updateId));
  if (!row) throw new DomainError("not_found", "errors.notFound");
  const facts = await getMatterFacts(ctx.db, row.matterId);
  if (!facts || !can(ctx.actor, "matter.view", matterResource(facts.m, facts.path))) throw new DomainError("not_found", "errors.notFound");
  return { contentType: row.contentType, data: row.data };
}

/** A verified resident or a panel member rates a completed matter, once, changeable while open. */
export async function rateMatter(ctx: CommandContext, matterId: number, input: z.output<typeof RateSchema>) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const facts = await getMatterFacts(ctx.db, matterId);
  if (!facts || !can(actor, "matter.view", matterResource(facts.m, facts.path))) throw new DomainError("not_found", "errors.notFound");
  if (!(await mayRate(ctx, matterId, facts.m.communityId))) throw new DomainError("forbidden", "matters.errors.notVerified");
  const [o] = await ctx.db.select().from(outcomes).where(eq(outcomes.matterId, matterId));
  const now = ctx.clock.now();
  if (facts.m.state !== "completed" || !o?.ratingOpensAt || !o.ratingClosesAt || now < o.ratingOpensAt || now >= o.ratingClosesAt) {
    throw new DomainError("invalid_state", "outcomes.errors.ratingClosed");
  }
  await ctx.db
    .insert(ratings)
    .values({ matterId, userId: actor.id, score: input.score, comment: input.comment ?? null, updatedAt: now })
    .onConflictDoUpdate({ target: [ratings.matterId, ratings.userId], set: { score: input.score, comment: input.comment ?? null, updatedAt: now } });
  return { ok: true };
}

export interface RatingSummary {
  count: number;
  average: number | null;
  distribution: Record<1 | 2 | 3 | 4 | 5, number>;
  poor: boolean;
}

/** Average below 3, or more than half at 1–2, is a poor result the committee must answer. */
export function summarise(scores: number[]): RatingSummary {
  const distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as RatingSummary["distribution"];
  for (const s of scores) distribution[s as 1]++;
  const count = scores.length;
  const average = count ? Math.round((scores.reduce((a, b) => a + b, 0) / count) * 100) / 100 : null;
  const low = distribution[1] + distribution[2];
  return { count, average, distribution, poor: count > 0 && (average! < 3 || low * 2 > count) };
}

export async function respondToRating(ctx: CommandContext, matterId: number, input: z.output<typeof RespondSchema>) {
  const facts = await requireCommittee(ctx, matterId);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const updated = await tx.update(outcomes).set({ response: input.response, respondedAt: now }).where(eq(outcomes.matterId, matterId)).returning();
    if (!updated.length) throw new DomainError("invalid_state", "matters.errors.wrongState");
    await recordMatterEvent(tx, emit, ctx, facts.m, "ratingResponse", { response: input.response.slice(0, 200) }, { kind: "notify.matter.transition", state: "@outcomes.responded" });
  });
}

/** After a poor result the committee may consult again; the rating, outcome and history stay. */
export async function reopenMatter(ctx: CommandContext, matterId: number, input: z.output<typeof ReopenSchema>) {
  await requireCommittee(ctx, matterId);
  const scores = (await ctx.db.select({ s: ratings.score }).from(ratings).where(eq(ratings.matterId, matterId))).map((r) => r.s);
  if (!summarise(scores).poor) throw new DomainError("invalid_state", "outcomes.errors.notPoor");
  return inTransaction(ctx, async (tx, emit) => {
    await moveMatter(tx, emit, ctx, matterId, "reopen", "actor", { reason: input.reason });
  });
}

/** Everything the matter page shows about the outcome; overdue is computed against Beijing's date. */
export async function getOutcome(ctx: CommandContext, matterId: number) {
  const facts = await requireVisibleMatter(ctx, matterId);
  const [o] = await ctx.db.select().from(outcomes).where(eq(outcomes.matterId, matterId));
  if (!o) return null;
  const canRate = await mayRate(ctx, matterId, facts.m.communityId);
  const today = beijingDay(ctx.clock.now());
  const list = await ctx.db
    .select({ c: commitments, ownerName: users.displayName })
    .from(commitments)
    .leftJoin(users, eq(users.id, commitments.ownerId))
    .where(eq(commitments.matterId, matterId))
    .orderBy(asc(commitments.id));
  const ids = list.map((l) => l.c.id);
  const updates = ids.length
    ? (
        await ctx.db
          .select({ u: commitmentUpdates, photo: commitmentPhotos.updateId })
          .from(commitmentUpdates)
          .leftJoin(commitmentPhotos, eq(commitmentPhotos.updateId, commitmentUpdates.id))
          .where(inArray(commitmentUpdates.commitmentId, ids))
          .orderBy(asc(commitmentUpdates.id))
      ).map(({ u, photo }) => ({ ...u, hasPhoto: photo !== null }))
    : [];
  const scores = await ctx.db.select({ userId: ratings.userId, score: ratings.score, comment: ratings.comment }).from(ratings).where(eq(ratings.matterId, matterId));
  const now = ctx.clock.now();
  return {
    decision: o.decision,
    recordedAt: o.recordedAt,
    ratingOpen: !!o.ratingOpensAt && !!o.ratingClosesAt && now >= o.ratingOpensAt && now < o.ratingClosesAt,
    ratingClosesAt: o.ratingClosesAt,
    response: o.response,
    rating: summarise(scores.map((s) => s.score)),
    comments: scores.filter((s) => s.comment).map((s) => s.comment!),
    canRate,
    myRating: ctx.actor ? (scores.find((s) => s.userId === ctx.actor!.id)?.score ?? null) : null,
    commitments: list.map(({ c, ownerName }) => ({
      ...c,
      ownerName,
      overdue: !(CLOSED as readonly string[]).includes(c.status) && c.dueDate < today,
      updates: updates.filter((u) => u.commitmentId === c.id),
    })),
  };
}

/** Overdue commitments everywhere; owners (or the committee, when no owner) are reminded at most daily. */
export async function remindOverdue(ctx: CommandContext) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const due = await tx
      .select()
      .from(commitments)
      .where(
        and(
          notInArray(commitments.status, [...CLOSED]),
          lt(commitments.dueDate, beijingDay(now)),
          sql`(${commitments.lastRemindedAt} is null or ${commitments.lastRemindedAt} < ${new Date(now.getTime() - DAY).toISOString()}::timestamptz)`,
        ),
      )
      .for("update", { skipLocked: true });
    for (const c of due) {
      if (c.ownerId) {
        await notify(tx, emit, [c.ownerId], { kind: "notify.commitment.overdue", params: { title: c.title, due: c.dueDate }, link: `/matters/${c.matterId}`, at: now });
      }
      await tx.update(commitments).set({ lastRemindedAt: now }).where(eq(commitments.id, c.id));
    }
    return due.length;
  });
}

/** Adds a commitment while the matter is being carried out. */
export async function addCommitment(ctx: CommandContext, matterId: number, input: z.output<typeof AddCommitmentSchema>) {
  const facts = await requireCommittee(ctx, matterId);
  if (facts.m.state !== "implementing") throw new DomainError("invalid_state", "matters.errors.wrongState");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [c] = await tx.insert(commitments).values({ matterId, ...input, createdAt: now, updatedAt: now }).returning();
    await recordMatterEvent(tx, emit, ctx, facts.m, "commitmentAdded", { commitment: input.title }, null);
    return c;
  });
}

/**
 * The committee sets (or clears) the account responsible for a commitment, found by phone or
 * username. The new owner is told; the timeline says an owner was set, not who signs in how.
 */
export async function assignOwner(ctx: CommandContext, matterId: number, input: z.output<typeof AssignOwnerSchema>) {
  const [c] = await ctx.db.select().from(commitments).where(eq(commitments.id, input.commitmentId));
  if (!c || c.matterId !== matterId) throw new DomainError("not_found", "errors.notFound");
  const facts = await requireCommittee(ctx, c.matterId);
  if (facts.m.state !== "implementing") throw new DomainError("invalid_state", "matters.errors.wrongState");
  let ownerId: number | null = null;
  if (input.owner) {
    const u = await findUserByLogin(ctx.db, input.owner);
    if (!u) throw new DomainError("validation", "outcomes.errors.ownerUnknown", {}, "owner");
    ownerId = u.id;
  }
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const [before] = await tx.select({ ownerId: commitments.ownerId }).from(commitments).where(eq(commitments.id, c.id)).for("update");
    if (before.ownerId === ownerId) return { ownerId, changed: false };
    await tx.update(commitments).set({ ownerId, lastRemindedAt: null, updatedAt: now }).where(eq(commitments.id, c.id));
    await recordMatterEvent(tx, emit, ctx, facts.m, "commitmentOwner", { commitment: c.title, owner: ownerId }, null);
    if (ownerId !== null) {
      await notify(tx, emit, [ownerId], { kind: "notify.commitment.assigned", params: { title: c.title }, link: `/matters/${c.matterId}`, at: now });
    }
    return { ownerId, changed: true };
  });
}
