import { panelIsFull } from "./selection/panel.server";
import { createHash } from "node:crypto";
import { aliasedTable, and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client";
import { sqlState } from "../../../db/client";
import { areas, categories, cosigns, follows, matterEvents, matterMaterials, matters, roleGrants, users } from "../../../db/schema";
import type { Actor } from "../accounts/actor";
import { can, holdsOver, isVerifiedResident, type Resource } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { Emit } from "../shared/events";
import { availableCommands, checkCommand, MERGE_TARGET_STATES, PUBLIC_STATES, STATES, type MatterCommand, type MatterFacts, type MatterState } from "./lifecycle";
import type { CategorySchema, MaterialSchema, MatterCommandInput, MatterDraftSchema, MatterListQuerySchema } from "./schemas";

const DAY = 86_400_000;
export const PAGE_SIZE = 20;

type MatterRow = typeof matters.$inferSelect;
interface Locked {
  m: MatterRow;
  path: string;
  noticeDays: number;
  households: number;
  cosignThreshold: number;
  cosignShareBp: number | null;
}

export function matterResource(m: Pick<MatterRow, "id" | "communityId" | "proposerId" | "state">, communityPath: string): Resource {
  return { type: "matter", id: m.id, communityId: m.communityId, communityPath, proposerId: m.proposerId, state: m.state };
}

function facts(l: Locked): MatterFacts {
  return {
    state: l.m.state,
    proposerId: l.m.proposerId,
    communityPath: l.path,
    form: l.m.form,
    cosignCount: l.m.cosignCount,
    threshold: l.m.threshold,
    materialsPublishedAt: l.m.materialsPublishedAt,
    noticeDays: l.noticeDays,
  };
}

/** "王阿姨" → "王**": how residents' names appear in public when the community masks them. */
export function maskName(name: string) {
  const chars = [...name.trim()];
  return chars.length <= 1 ? "*" : `${chars[0]}${"*".repeat(Math.min(2, chars.length - 1))}`;
}

/** Locks the matter row for the rest of the transaction, with the community facts the rules need. */
async function lockMatter(tx: Db, id: number): Promise<Locked | null> {
  const [row] = await tx
    .select({
      m: matters,
      path: areas.path,
      noticeDays: areas.noticeDays,
      households: areas.households,
      cosignThreshold: areas.cosignThreshold,
      cosignShareBp: areas.cosignShareBp,
    })
    .from(matters)
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(matters.id, id))
    .for("update", { of: matters });
  return row ?? null;
}

/** A matter the actor may not see does not exist for them (404, never 403: no existence leak). */
async function lockVisible(tx: Db, ctx: CommandContext, id: number) {
  const l = await lockMatter(tx, id);
  if (!l || !can(ctx.actor, "matter.view", matterResource(l.m, l.path))) throw new DomainError("not_found", "errors.notFound");
  return l;
}

export function thresholdFor(area: { households: number; cosignThreshold: number; cosignShareBp: number | null }) {
  if (area.cosignShareBp) return Math.max(1, Math.ceil((area.households * area.cosignShareBp) / 10_000));
  return Math.max(1, area.cosignThreshold);
}

async function followersOf(tx: Db, matterId: number) {
  return (await tx.select({ userId: follows.userId }).from(follows).where(eq(follows.matterId, matterId))).map((f) => f.userId);
}

async function committeeOf(tx: Db, communityId: number) {
  return (
    await tx
      .select({ userId: roleGrants.userId })
      .from(roleGrants)
      .where(and(eq(roleGrants.areaId, communityId), eq(roleGrants.role, "committee")))
  ).map((r) => r.userId);
}

/**
 * Moves the matter, in the caller's transaction: state, one timeline entry, one ledger entry,
 * one notification per follower (not the actor). Callers have already asked checkCommand.
 */
async function transition(
  tx: Db,
  emit: Emit,
  ctx: CommandContext,
  l: Locked,
  command: MatterCommand,
  to: MatterState,
  extra: { set?: Partial<typeof matters.$inferInsert>; reason?: string | null; params?: Record<string, string | number | null>; actorId?: number | null } = {},
) {
  const now = ctx.clock.now();
  const actorId = extra.actorId === undefined ? (ctx.actor?.id ?? null) : extra.actorId;
  const from = l.m.state;
  await tx
    .update(matters)
    .set({ ...extra.set, state: to, updatedAt: now })
    .where(eq(matters.id, l.m.id));
  await tx.insert(matterEvents).values({
    matterId: l.m.id,
    kind: command,
    fromState: from,
    toState: to,
    actorId,
    reason: extra.reason ?? null,
    params: extra.params ?? {},
    createdAt: now,
  });
  await appendLedger(tx, {
    stream: `area:${l.m.communityId}`,
    actorId,
    action: `matter.${command}`,
    entityType: "matter",
    entityId: l.m.id,
    summary: { before: { state: from }, after: { state: to }, reason: extra.reason ?? null, ...extra.params },
    at: now,
  });
  const followers = (await followersOf(tx, l.m.id)).filter((u) => u !== actorId);
  await notify(tx, emit, followers, {
    kind: "notify.matter.transition",
    params: { title: l.m.title, state: `@matters.state.${to}` },
    link: `/matters/${l.m.id}`,
    at: now,
  });
  l.m = { ...l.m, ...extra.set, state: to } as MatterRow;
}

/** Refuses with the machine's own error when the command is not allowed. */
function requireCommand(ctx: CommandContext, l: Locked, command: MatterCommand, reason?: string | null) {
  const r = checkCommand(command, facts(l), ctx.actor, ctx.clock.now(), { reason });
  if (!r.ok) throw new DomainError(r.code, r.messageKey, {}, r.code === "validation" ? "reason" : undefined);
  return r.to;
}

/** Moves a collecting matter to review when it has enough co-signs: exactly once, under the row lock. */
async function maybeReachThreshold(tx: Db, emit: Emit, ctx: CommandContext, l: Locked) {
  const r = checkCommand("reachThreshold", facts(l), "system", ctx.clock.now());
  if (!r.ok) return false;
  // the co-sign list at this moment is sealed in aggregate instead of one ledger entry per co-sign
  const digest = await cosignDigest(tx, l.m.id);
  await transition(tx, emit, ctx, l, "reachThreshold", r.to, {
    actorId: null,
    params: { count: digest.count, threshold: l.m.threshold, cosignDigest: digest.digest },
  });
  await notify(tx, emit, await committeeOf(tx, l.m.communityId), {
    kind: "notify.matter.review",
    params: { title: l.m.title },
    link: `/matters/${l.m.id}`,
    at: ctx.clock.now(),
  });
  return true;
}

async function cosignDigest(tx: Db, matterId: number) {
  const rows = await tx.select({ userId: cosigns.userId }).from(cosigns).where(eq(cosigns.matterId, matterId)).orderBy(asc(cosigns.userId));
  const digest = createHash("sha256")
    .update(rows.map((r) => r.userId).join(","))
    .digest("hex");
  return { count: rows.length, digest };
}

// ---------------------------------------------------------------- catalogue

/** Categories a community may use: the county's, its town's and its own (path ancestors). */
export async function listCategories(db: Db, areaPath: string) {
  return db
    .select({ id: categories.id, name: categories.name, nameEn: categories.nameEn, areaId: categories.areaId, areaName: areas.name, areaPath: areas.path })
    .from(categories)
    .innerJoin(areas, eq(areas.id, categories.areaId))
    .where(sql`${areaPath} like ${areas.path} || '%'`)
    .orderBy(asc(areas.path), asc(categories.id));
}

/** The county keeps the catalogue; towns and community committees add local categories. */
export async function createCategory(ctx: CommandContext, areaId: number, input: z.output<typeof CategorySchema>) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, areaId));
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "category.create", { type: "area", id: area.id, path: area.path, kind: area.kind })) throw new DomainError("forbidden", "errors.forbidden");
  const actorId = ctx.actor.id;
  const now = ctx.clock.now();
  try {
    return await inTransaction(ctx, async (tx) => {
      const [c] = await tx
        .insert(categories)
        .values({ areaId, name: input.name, nameEn: input.nameEn ?? null, createdBy: actorId, createdAt: now })
        .returning();
      await appendLedger(tx, { stream: `area:${areaId}`, actorId, action: "category.created", entityType: "category", entityId: c.id, summary: { after: { name: input.name } }, at: now });
      return c;
    });
  } catch (e) {
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "categories.errors.exists", {}, "name");
    throw e;
  }
}

// ---------------------------------------------------------------- proposals

async function requireCategory(db: Db, communityPath: string, categoryId: number) {
  const ok = (await listCategories(db, communityPath)).some((c) => c.id === categoryId);
  if (!ok) throw new DomainError("validation", "matters.errors.categoryUnknown", {}, "categoryId");
}

/** A verified resident (or the committee) writes a private draft. */
export async function createDraft(ctx: CommandContext, communityId: number, input: z.output<typeof MatterDraftSchema>) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, communityId));
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "matter.propose", { type: "area", id: area.id, path: area.path, kind: area.kind })) {
    throw new DomainError("forbidden", "matters.errors.notVerified");
  }
  await requireCategory(ctx.db, area.path, input.categoryId);
  const actorId = ctx.actor.id;
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [m] = await tx
      .insert(matters)
      .values({ ...input, communityId, proposerId: actorId, state: "draft", createdAt: now, updatedAt: now })
      .returning({ id: matters.id });
    await appendLedger(tx, { stream: `area:${communityId}`, actorId, action: "matter.drafted", entityType: "matter", entityId: m.id, summary: {}, at: now });
    return m;
  });
}

/** Only the proposer edits, and only while it is a draft. */
export async function updateDraft(ctx: CommandContext, matterId: number, input: z.output<typeof MatterDraftSchema>) {
  return inTransaction(ctx, async (tx) => {
    const l = await lockVisible(tx, ctx, matterId);
    if (!can(ctx.actor, "matter.edit", matterResource(l.m, l.path))) throw new DomainError("invalid_state", "matters.errors.wrongState");
    await requireCategory(tx, l.path, input.categoryId);
    await tx
      .update(matters)
      .set({ ...input, updatedAt: ctx.clock.now() })
      .where(eq(matters.id, matterId));
    return { id: matterId };
  });
}

/**
 * Runs one lifecycle command a person asked for (submit, withdraw, accept, reject, merge,
 * schedule …): role and state come from lifecycle.ts; each command's own inputs are applied
 * here, in the same transaction as the timeline, ledger and notifications.
 */
export async function runMatterCommand(ctx: CommandContext, matterId: number, input: MatterCommandInput) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const l = await lockVisible(tx, ctx, matterId);
    const reason = "reason" in input ? input.reason : null;
    const to = requireCommand(ctx, l, input.command, reason);
    switch (input.command) {
      case "submit": {
        const threshold = to === "collecting" ? thresholdFor(l) : null;
        await tx.insert(follows).values({ matterId, userId: l.m.proposerId, createdAt: now }).onConflictDoNothing();
        await transition(tx, emit, ctx, l, "submit", to, { set: { threshold, submittedAt: now }, params: { threshold } });
        break;
      }
      case "accept":
        await transition(tx, emit, ctx, l, "accept", to, {
          set: { form: input.form, targetDate: input.targetDate ?? null },
          params: { form: input.form, targetDate: input.targetDate ?? null },
        });
        break;
      case "reject":
      case "annul":
        await transition(tx, emit, ctx, l, input.command, to, { set: { publicReason: input.reason }, reason: input.reason });
        break;
      case "merge":
        await mergeInto(tx, emit, ctx, l, input.targetId, to);
        break;
      case "schedule": {
        const earliest = Math.max(now.getTime(), l.m.materialsPublishedAt?.getTime() ?? now.getTime()) + l.noticeDays * DAY;
        if (input.scheduledFor.getTime() < earliest) throw new DomainError("validation", "matters.errors.tooSoon", { days: l.noticeDays }, "scheduledFor");
        // a panel deliberation waits until every seat of the drawn panel has accepted
        if (l.m.state === "selecting" && !(await panelIsFull(tx, matterId))) throw new DomainError("invalid_state", "selection.errors.panelNotFull");
        await transition(tx, emit, ctx, l, "schedule", to, { set: { scheduledFor: input.scheduledFor }, params: { scheduledFor: input.scheduledFor.toISOString() } });
        break;
      }
      default:
        await transition(tx, emit, ctx, l, input.command, to);
    }
    return { state: l.m.state };
  });
}

/** Merges a duplicate: its co-signers (and proposer) carry over, each counted once; followers too. */
async function mergeInto(tx: Db, emit: Emit, ctx: CommandContext, source: Locked, targetId: number, to: MatterState) {
  if (targetId === source.m.id) throw new DomainError("validation", "matters.errors.mergeTarget", {}, "targetId");
  const target = await lockMatter(tx, targetId);
  if (!target || target.m.communityId !== source.m.communityId || !MERGE_TARGET_STATES.includes(target.m.state)) {
    throw new DomainError("validation", "matters.errors.mergeTarget", {}, "targetId");
  }
  await tx.execute(sql`
    insert into ${cosigns} (matter_id, user_id, created_at)
    select ${targetId}::int, user_id, created_at from ${cosigns} where matter_id = ${source.m.id}
    union all select ${targetId}::int, ${source.m.proposerId}::int, ${ctx.clock.now().toISOString()}::timestamptz
    on conflict do nothing`);
  // the target's own proposer never counts as a co-signer of their own matter
  await tx.delete(cosigns).where(and(eq(cosigns.matterId, targetId), eq(cosigns.userId, target.m.proposerId)));
  await tx.execute(sql`
    insert into ${follows} (matter_id, user_id, created_at)
    select ${targetId}::int, user_id, created_at from ${follows} where matter_id = ${source.m.id}
    on conflict do nothing`);
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(cosigns).where(eq(cosigns.matterId, targetId));
  await tx.update(matters).set({ cosignCount: n, updatedAt: ctx.clock.now() }).where(eq(matters.id, targetId));
  target.m = { ...target.m, cosignCount: n };
  await transition(tx, emit, ctx, source, "merge", to, { set: { mergedIntoId: targetId }, params: { target: targetId } });
  await tx.insert(matterEvents).values({
    matterId: targetId,
    kind: "mergedIn",
    actorId: ctx.actor?.id ?? null,
    params: { source: source.m.id, count: n },
    createdAt: ctx.clock.now(),
  });
  await maybeReachThreshold(tx, emit, ctx, target);
}

// ---------------------------------------------------------------- co-signing and following

/**
 * A verified resident co-signs once, while collecting or under review (support keeps counting);
 * at the threshold the matter goes to review, exactly once, under the matter's row lock.
 */
export async function cosignMatter(ctx: CommandContext, matterId: number) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return inTransaction(ctx, async (tx, emit) => {
    const l = await lockVisible(tx, ctx, matterId);
    if (!can(actor, "matter.cosign", matterResource(l.m, l.path))) throw cosignRefusal(actor, l);
    const added = await tx.insert(cosigns).values({ matterId, userId: actor.id, createdAt: ctx.clock.now() }).onConflictDoNothing().returning({ u: cosigns.userId });
    if (added.length) {
      const [u] = await tx
        .update(matters)
        .set({ cosignCount: sql`${matters.cosignCount} + 1` })
        .where(eq(matters.id, matterId))
        .returning({ n: matters.cosignCount });
      l.m = { ...l.m, cosignCount: u.n };
      await tx.insert(follows).values({ matterId, userId: actor.id, createdAt: ctx.clock.now() }).onConflictDoNothing();
      await maybeReachThreshold(tx, emit, ctx, l);
    }
    return { added: added.length > 0, count: l.m.cosignCount, state: l.m.state };
  });
}

function cosignRefusal(actor: Actor, l: Locked) {
  if (l.m.state !== "collecting" && l.m.state !== "under_review") return new DomainError("invalid_state", "matters.errors.notCollecting");
  if (actor.id === l.m.proposerId) return new DomainError("invalid_state", "matters.errors.ownMatter");
  return new DomainError("forbidden", "matters.errors.notVerified");
}

/** A co-signer may withdraw while the matter is still collecting. */
export async function withdrawCosign(ctx: CommandContext, matterId: number) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return inTransaction(ctx, async (tx) => {
    const l = await lockVisible(tx, ctx, matterId);
    if (l.m.state !== "collecting") throw new DomainError("invalid_state", "matters.errors.notCollecting");
    const gone = await tx
      .delete(cosigns)
      .where(and(eq(cosigns.matterId, matterId), eq(cosigns.userId, actor.id)))
      .returning({ u: cosigns.userId });
    if (gone.length) await tx.update(matters).set({ cosignCount: sql`${matters.cosignCount} - 1` }).where(eq(matters.id, matterId));
    return { removed: gone.length > 0 };
  });
}

export async function setFollow(ctx: CommandContext, matterId: number, follow: boolean) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const l = await lockVisible(ctx.db, ctx, matterId);
  if (!can(actor, "matter.follow", matterResource(l.m, l.path))) throw new DomainError("forbidden", "errors.forbidden");
  if (follow) await ctx.db.insert(follows).values({ matterId, userId: actor.id, createdAt: ctx.clock.now() }).onConflictDoNothing();
  else await ctx.db.delete(follows).where(and(eq(follows.matterId, matterId), eq(follows.userId, actor.id)));
  return { following: follow };
}

/** Advance notice (事先告知): the committee publishes materials; the notice period runs from the first publication. */
export async function publishMaterials(ctx: CommandContext, matterId: number, input: z.output<typeof MaterialSchema>) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const l = await lockVisible(tx, ctx, matterId);
    if (!can(ctx.actor, "matter.publishMaterials", matterResource(l.m, l.path))) {
      throw holdsOver(ctx.actor!, ["committee"], l.path) ? new DomainError("invalid_state", "matters.errors.wrongState") : new DomainError("forbidden", "errors.forbidden");
    }
    const actorId = ctx.actor!.id;
    await tx.insert(matterMaterials).values({ matterId, title: input.title, body: input.body, url: input.url ?? null, createdBy: actorId, publishedAt: now });
    const publishedAt = l.m.materialsPublishedAt ?? now;
    await tx.update(matters).set({ materialsPublishedAt: publishedAt, updatedAt: now }).where(eq(matters.id, matterId));
    await tx.insert(matterEvents).values({ matterId, kind: "materials", actorId, params: { title: input.title }, createdAt: now });
    await appendLedger(tx, { stream: `area:${l.m.communityId}`, actorId, action: "matter.materials_published", entityType: "matter", entityId: matterId, summary: { title: input.title }, at: now });
    const followers = (await followersOf(tx, matterId)).filter((u) => u !== actorId);
    await notify(tx, emit, followers, { kind: "notify.matter.transition", params: { title: l.m.title, state: input.title }, link: `/matters/${matterId}`, at: now });
    return { earliest: new Date(publishedAt.getTime() + l.noticeDays * DAY) };
  });
}

// ---------------------------------------------------------------- queries

/** The matter page: matter, timeline and materials in three queries, whatever the number of co-signers. */
export async function getMatterPage(ctx: CommandContext, matterId: number) {
  const actorId = ctx.actor?.id ?? -1;
  const [row] = await ctx.db
    .select({
      m: matters,
      community: { id: areas.id, name: areas.name, path: areas.path, publicNames: areas.publicNames, noticeDays: areas.noticeDays },
      category: { name: categories.name, nameEn: categories.nameEn },
      proposerName: users.displayName,
      cosigned: sql<boolean>`exists(select 1 from ${cosigns} c where c.matter_id = ${matters.id} and c.user_id = ${actorId})`.mapWith(Boolean),
      following: sql<boolean>`exists(select 1 from ${follows} f where f.matter_id = ${matters.id} and f.user_id = ${actorId})`.mapWith(Boolean),
    })
    .from(matters)
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .innerJoin(categories, eq(categories.id, matters.categoryId))
    .innerJoin(users, eq(users.id, matters.proposerId))
    .where(eq(matters.id, matterId));
  if (!row || !can(ctx.actor, "matter.view", matterResource(row.m, row.community.path))) throw new DomainError("not_found", "errors.notFound");
  const actorUser = aliasedTable(users, "actor_user");
  const [timeline, materials] = await Promise.all([
    ctx.db
      .select({ e: matterEvents, actorName: actorUser.displayName })
      .from(matterEvents)
      .leftJoin(actorUser, eq(actorUser.id, matterEvents.actorId))
      .where(eq(matterEvents.matterId, matterId))
      .orderBy(asc(matterEvents.id))
      .limit(1000),
    ctx.db.select().from(matterMaterials).where(eq(matterMaterials.matterId, matterId)).orderBy(asc(matterMaterials.id)),
  ]);
  const masked = row.community.publicNames === "masked";
  const proposerShown = masked ? maskName(row.proposerName) : row.proposerName;
  const resource = matterResource(row.m, row.community.path);
  const f = { ...facts({ m: row.m, path: row.community.path, noticeDays: row.community.noticeDays, households: 0, cosignThreshold: 0, cosignShareBp: null }) };
  return {
    matter: row.m,
    community: { id: row.community.id, name: row.community.name, noticeDays: row.community.noticeDays },
    category: row.category,
    proposer: proposerShown,
    isProposer: ctx.actor?.id === row.m.proposerId,
    isCommittee: !!ctx.actor && holdsOver(ctx.actor, ["committee"], row.community.path),
    isResident: isVerifiedResident(ctx.actor, row.m.communityId),
    cosigned: row.cosigned,
    following: row.following,
    canCosign: can(ctx.actor, "matter.cosign", resource),
    canFollow: can(ctx.actor, "matter.follow", resource),
    canEdit: can(ctx.actor, "matter.edit", resource),
    canPublishMaterials: can(ctx.actor, "matter.publishMaterials", resource),
    commands: ctx.actor ? availableCommands(f, ctx.actor, ctx.clock.now()) : [],
    timeline: timeline.map(({ e, actorName }) => ({
      id: e.id,
      kind: e.kind,
      toState: e.toState,
      reason: e.reason,
      params: e.params,
      at: e.createdAt,
      // the proposer's name follows the community's rule; staff act under their own names
      actor: e.actorId === null ? null : e.actorId === row.m.proposerId ? proposerShown : (actorName ?? null),
    })),
    materials,
  };
}

/**
 * A community's matters, newest first, 20 a page, filtered by state, category and keyword.
 * Visitors see the public record (accepted and later); residents and staff also see matters
 * still collecting or under review. Drafts are never listed here. One query.
 */
export async function listMatters(ctx: CommandContext, communityId: number, query: z.output<typeof MatterListQuerySchema>) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, communityId));
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  const insider = isVerifiedResident(ctx.actor, communityId) || (!!ctx.actor && holdsOver(ctx.actor, ["committee", "town_admin", "county_admin"], area.path));
  const visible: MatterState[] = insider ? STATES.filter((s) => s !== "draft") : PUBLIC_STATES;
  const states = query.state && (visible as string[]).includes(query.state) ? [query.state as MatterState] : visible;
  const conds: SQL[] = [eq(matters.communityId, communityId), inArray(matters.state, states)];
  if (query.category) conds.push(eq(matters.categoryId, query.category));
  if (query.q?.trim()) {
    const like = `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(matters.title, like), ilike(matters.description, like))!);
  }
  const rows = await ctx.db
    .select({
      id: matters.id,
      title: matters.title,
      state: matters.state,
      cosignCount: matters.cosignCount,
      threshold: matters.threshold,
      updatedAt: matters.updatedAt,
      category: categories.name,
      categoryEn: categories.nameEn,
    })
    .from(matters)
    .innerJoin(categories, eq(categories.id, matters.categoryId))
    .where(and(...conds))
    .orderBy(desc(matters.id))
    .limit(PAGE_SIZE + 1)
    .offset((query.page - 1) * PAGE_SIZE);
  return {
    area,
    items: rows.slice(0, PAGE_SIZE),
    hasNext: rows.length > PAGE_SIZE,
    page: query.page,
    states: visible,
    canPropose: can(ctx.actor, "matter.propose", { type: "area", id: area.id, path: area.path, kind: area.kind }),
  };
}

/** The actor's own drafts in a community. */
export async function listMyDrafts(ctx: CommandContext, communityId: number) {
  if (!ctx.actor) return [];
  return ctx.db
    .select({ id: matters.id, title: matters.title })
    .from(matters)
    .where(and(eq(matters.communityId, communityId), eq(matters.proposerId, ctx.actor.id), eq(matters.state, "draft")))
    .orderBy(desc(matters.id))
    .limit(50);
}


/**
 * For later stages (voting, outcomes): locks the matter and runs one lifecycle command inside the
 * caller's transaction, as the actor or as the system, with the usual timeline, ledger and notices.
 */
export async function moveMatter(
  tx: Db,
  emit: Emit,
  ctx: CommandContext,
  matterId: number,
  command: MatterCommand,
  as: "actor" | "system",
  extra: { params?: Record<string, string | number | null>; reason?: string | null } = {},
) {
  const { l, to } = await checkMatterMove(tx, ctx, matterId, command, as, extra.reason);
  await transition(tx, emit, ctx, l, command, to, { ...extra, ...(as === "system" ? { actorId: null } : {}) });
  return { matter: l.m, communityPath: l.path };
}

/** Whether the matter may take this command now: locks its row and checks the lifecycle, without moving it (a DomainError if not). */
export async function checkMatterMove(tx: Db, ctx: CommandContext, matterId: number, command: MatterCommand, as: "actor" | "system", reason?: string | null) {
  const l = await lockMatter(tx, matterId);
  if (!l) throw new DomainError("not_found", "errors.notFound");
  const r = checkCommand(command, facts(l), as === "system" ? "system" : ctx.actor, ctx.clock.now(), { reason });
  if (!r.ok) throw new DomainError(r.code, r.messageKey);
  return { l, to: r.to };
}

/** The matter with its community path, for permission checks in other stages. */
export async function getMatterFacts(db: Db, matterId: number) {
  const [row] = await db
    .select({ m: matters, path: areas.path })
    .from(matters)
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(matters.id, matterId));
  return row ?? null;
}

/**
 * A public act on a matter that is not a state change (a progress update, a response): one
 * timeline entry, one ledger entry, one notification per follower (not the actor).
 */
export async function recordMatterEvent(
  tx: Db,
  emit: Emit,
  ctx: CommandContext,
  matter: { id: number; communityId: number; title: string },
  kind: string,
  params: Record<string, string | number | null>,
  notice: { kind: "notify.matter.transition"; state: string } | null,
) {
  const now = ctx.clock.now();
  const actorId = ctx.actor?.id ?? null;
  await tx.insert(matterEvents).values({ matterId: matter.id, kind, actorId, params, createdAt: now });
  await appendLedger(tx, { stream: `area:${matter.communityId}`, actorId, action: `matter.${kind}`, entityType: "matter", entityId: matter.id, summary: params, at: now });
  if (notice) {
    const followers = (await followersOf(tx, matter.id)).filter((u) => u !== actorId);
    await notify(tx, emit, followers, { kind: notice.kind, params: { title: matter.title, state: notice.state }, link: `/matters/${matter.id}`, at: now });
  }
}
