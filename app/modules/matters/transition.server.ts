/**
 * The matter's engine, shared by every command of the matter core and by the later stages:
 * lock the row, ask the state machine, move the matter with its timeline entry, ledger entry
 * and notifications, all in the caller's transaction. No command of a person lives here.
 */
import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { areas, cosigns, follows, matterEvents, matters, roleGrants } from "../../../db/schema";
import { can, type Resource } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { Emit } from "../shared/events";
import { checkCommand, type MatterFacts } from "./lifecycle";
import type { MatterCommand, MatterState } from "./states";

export const DAY = 86_400_000;

export type MatterRow = typeof matters.$inferSelect;
export interface Locked {
  m: MatterRow;
  path: string;
  /** the matter's fixed notice days once materials are published, else the community's setting */
  noticeDays: number;
  /** the matter's fixed masking rule once submitted, else the community's setting */
  publicNames: "real" | "masked";
  households: number;
  cosignThreshold: number;
  cosignShareBp: number | null;
}

export function matterResource(m: Pick<MatterRow, "id" | "communityId" | "proposerId" | "state">, communityPath: string): Resource {
  return { type: "matter", id: m.id, communityId: m.communityId, communityPath, proposerId: m.proposerId, state: m.state };
}

export function facts(l: Locked): MatterFacts {
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

/** Locks the matter row for the rest of the transaction, with the community facts the rules need. */
export async function lockMatter(tx: Db, id: number): Promise<Locked | null> {
  const [row] = await tx
    .select({
      m: matters,
      path: areas.path,
      noticeDays: sql<number>`coalesce(${matters.fixedNoticeDays}, ${areas.noticeDays})`.mapWith(Number),
      publicNames: sql<"real" | "masked">`coalesce(${matters.fixedPublicNames}, ${areas.publicNames})`,
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
export async function lockVisible(tx: Db, ctx: CommandContext, id: number) {
  const l = await lockMatter(tx, id);
  if (!l || !can(ctx.actor, "matter.view", matterResource(l.m, l.path))) throw new DomainError("not_found", "errors.notFound");
  return l;
}

export function thresholdFor(area: { households: number; cosignThreshold: number; cosignShareBp: number | null }) {
  if (area.cosignShareBp) return Math.max(1, Math.ceil((area.households * area.cosignShareBp) / 10_000));
  return Math.max(1, area.cosignThreshold);
}

export async function followersOf(tx: Db, matterId: number) {
  return (await tx.select({ userId: follows.userId }).from(follows).where(eq(follows.matterId, matterId))).map((f) => f.userId);
}

export async function committeeOf(tx: Db, communityId: number) {
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
export async function transition(
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
export function requireCommand(ctx: CommandContext, l: Locked, command: MatterCommand, reason?: string | null) {
  const r = checkCommand(command, facts(l), ctx.actor, ctx.clock.now(), { reason });
  if (!r.ok) throw new DomainError(r.code, r.messageKey, {}, r.code === "validation" ? "reason" : undefined);
  return r.to;
}

/** Moves a collecting matter to review when it has enough co-signs: exactly once, under the row lock. */
export async function maybeReachThreshold(tx: Db, emit: Emit, ctx: CommandContext, l: Locked) {
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
 * The matter with its community path when the actor may see it; otherwise not_found (never 403:
 * no existence leak). Every query about a matter's parts (outcome, sessions, votes) starts here,
 * so none of them is safe only because the page asked first.
 */
export async function requireVisibleMatter(ctx: Pick<CommandContext, "db" | "actor">, matterId: number) {
  const row = await getMatterFacts(ctx.db, matterId);
  if (!row || !can(ctx.actor, "matter.view", matterResource(row.m, row.path))) throw new DomainError("not_found", "errors.notFound");
  return row;
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
