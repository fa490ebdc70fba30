/**
 * The lifecycle commands a person runs on a matter (submit, withdraw, accept, reject, merge,
 * schedule, annul …) and the committee's advance-notice materials.
 */
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client";
import { cosigns, follows, matterEvents, matterMaterials, matters } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { requireConfirmed } from "../shared/confirm";
import { DomainError } from "../shared/errors";
import type { Emit } from "../shared/events";
import { panelIsFull } from "./selection/panel.server";
import type { MaterialSchema, MatterCommandInput } from "./schemas";
import { IRREVERSIBLE_COMMANDS, MERGE_TARGET_STATES, type MatterState } from "./states";
import { DAY, followersOf, lockMatter, lockVisible, matterResource, maybeReachThreshold, requireCommand, thresholdFor, transition, type Locked } from "./transition.server";

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
    // asked and allowed: an irreversible one still waits for its confirmation step
    if ((IRREVERSIBLE_COMMANDS as readonly string[]).includes(input.command)) requireConfirmed(input as { confirm?: string }, input.command);
    switch (input.command) {
      case "submit": {
        const threshold = to === "collecting" ? thresholdFor(l) : null;
        await tx.insert(follows).values({ matterId, userId: l.m.proposerId, createdAt: now }).onConflictDoNothing();
        // the threshold and the masking rule bind from submission: later setting changes apply to later matters
        await transition(tx, emit, ctx, l, "submit", to, { set: { threshold, submittedAt: now, fixedPublicNames: l.m.fixedPublicNames ?? l.publicNames }, params: { threshold } });
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
      case "schedule":
        await scheduleLocked(tx, emit, ctx, l, to, input.scheduledFor, "scheduledFor");
        break;
      default:
        await transition(tx, emit, ctx, l, input.command, to);
    }
    return { state: l.m.state };
  });
}

/**
 * Sets the consultation's time (accepted or selecting → scheduled) on a locked matter whose
 * `schedule` command was allowed: not before the notice period, and for a panel only once every
 * seat has accepted. The room's one scheduling step calls it in the transaction that inserts the
 * first session (`scheduleMatterForSession`); `field` names the form's date-time field.
 */
async function scheduleLocked(tx: Db, emit: Emit, ctx: CommandContext, l: Locked, to: MatterState, at: Date, field: string) {
  const now = ctx.clock.now();
  const earliest = Math.max(now.getTime(), l.m.materialsPublishedAt?.getTime() ?? now.getTime()) + l.noticeDays * DAY;
  if (at.getTime() < earliest) throw new DomainError("validation", "matters.errors.tooSoon", { days: l.noticeDays }, field);
  // a panel deliberation waits until every seat of the drawn panel has accepted
  if (l.m.state === "selecting" && !(await panelIsFull(tx, l.m.id))) throw new DomainError("invalid_state", "selection.errors.panelNotFull");
  await transition(tx, emit, ctx, l, "schedule", to, { set: { scheduledFor: at }, params: { scheduledFor: at.toISOString() } });
}

/** The `schedule` command inside a caller's transaction (the room's scheduling step): permission, state and notice as above. */
export async function scheduleMatterForSession(tx: Db, emit: Emit, ctx: CommandContext, matterId: number, at: Date, field: string) {
  const l = await lockVisible(tx, ctx, matterId);
  const to = requireCommand(ctx, l, "schedule");
  await scheduleLocked(tx, emit, ctx, l, to, at, field);
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

/** Advance notice (事先告知): the committee publishes materials; the notice period runs from the first publication. */
export async function publishMaterials(ctx: CommandContext, matterId: number, input: z.output<typeof MaterialSchema>) {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const l = await lockVisible(tx, ctx, matterId);
    if (!can(ctx.actor, "matter.publishMaterials", matterResource(l.m, l.path))) {
      throw can(ctx.actor, "matter.manage", matterResource(l.m, l.path)) ? new DomainError("invalid_state", "matters.errors.wrongState") : new DomainError("forbidden", "errors.forbidden");
    }
    const actorId = ctx.actor!.id;
    await tx.insert(matterMaterials).values({ matterId, title: input.title, body: input.body, url: input.url ?? null, createdBy: actorId, publishedAt: now });
    const publishedAt = l.m.materialsPublishedAt ?? now;
    // the notice period binds from the first publication: a later change of the setting does not shorten it
    await tx.update(matters).set({ materialsPublishedAt: publishedAt, fixedNoticeDays: l.m.fixedNoticeDays ?? l.noticeDays, updatedAt: now }).where(eq(matters.id, matterId));
    await tx.insert(matterEvents).values({ matterId, kind: "materials", actorId, params: { title: input.title }, createdAt: now });
    await appendLedger(tx, { stream: `area:${l.m.communityId}`, actorId, action: "matter.materials_published", entityType: "matter", entityId: matterId, summary: { title: input.title }, at: now });
    const followers = (await followersOf(tx, matterId)).filter((u) => u !== actorId);
    await notify(tx, emit, followers, { kind: "notify.matter.transition", params: { title: l.m.title, state: input.title }, link: `/matters/${matterId}`, at: now });
    return { earliest: new Date(publishedAt.getTime() + l.noticeDays * DAY) };
  });
}
