/**
 * Running the session's agenda: the committee schedules a session and opens it; the moderator
 * moves between agenda items, gives an item more time and closes the session (which compiles the
 * minutes). Permissions: `room.schedule` (on the matter), `room.open`, `room.moderate`.
 */
import { randomInt } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../../db/client";
import { areas, matters, roleGrants, roomAgendaItems, roomHands, roomSessions, users } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { inTransaction, type CommandContext } from "../../shared/context";
import { requireConfirmed } from "../../shared/confirm";
import { DomainError } from "../../shared/errors";
import { scheduleMatterForSession } from "../review.server";
import { matterResource, moveMatter, recordMatterEvent } from "../transition.server";
import { need } from "./access.server";
import { agendaOf, agendaPayload, append, endTurnRow, inRoom, setSession, type ActResult } from "./log.server";
import { compileMinutes } from "./minutes.server";
import type { ScheduleSessionSchema } from "./schemas";

// ---------------------------------------------------------------- scheduling

/** Committee members who may moderate: staff holding `committee` on the community or above it. */
export async function listModerators(db: Db, path: string) {
  const ids = path.split("/").filter(Boolean).map(Number);
  return db
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(inArray(roleGrants.areaId, ids), eq(roleGrants.role, "committee")))
    .orderBy(asc(users.id));
}

/** The matter, if the actor may schedule its sessions: 404 unseen, 403 not its committee. */
async function requireSchedule(ctx: CommandContext, matterId: number) {
  const [row] = await ctx.db
    .select({ m: matters, path: areas.path, noticeDays: areas.noticeDays })
    .from(matters)
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(matters.id, matterId));
  if (!row || !can(ctx.actor, "matter.view", matterResource(row.m, row.path))) throw new DomainError("not_found", "errors.notFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  need(can(ctx.actor, "room.schedule", matterResource(row.m, row.path)));
  return row;
}

/** The form's choices: who may moderate. Committee only. `first`: this step also sets the consultation's time. */
export async function scheduleFormData(ctx: CommandContext, matterId: number) {
  const row = await requireSchedule(ctx, matterId);
  return {
    matter: { id: row.m.id, title: row.m.title, state: row.m.state, scheduledFor: row.m.scheduledFor?.toISOString() ?? null, noticeDays: row.noticeDays },
    first: SCHEDULABLE.includes(row.m.state),
    moderators: await listModerators(ctx.db, row.path),
  };
}

/** States from which the scheduling step also schedules the matter (the lifecycle's `schedule` command). */
const SCHEDULABLE: string[] = ["accepted", "selecting"];

/**
 * A committee member schedules a session (time, place, moderator, agenda). This is the one
 * scheduling step: for an accepted matter (or a panel matter whose panel is full) the same
 * transaction moves it to `scheduled` at the session's time (notice period and permission as
 * the lifecycle's `schedule` command); for a matter already `scheduled` or `deliberating` it
 * adds a further sitting.
 */
export async function scheduleSession(ctx: CommandContext, matterId: number, input: z.output<typeof ScheduleSessionSchema>) {
  const row = await requireSchedule(ctx, matterId);
  const first = SCHEDULABLE.includes(row.m.state);
  if (!first && row.m.state !== "scheduled" && row.m.state !== "deliberating") throw new DomainError("invalid_state", "matters.errors.wrongState");
  const moderatorId = input.moderatorId ?? ctx.actor!.id;
  if (moderatorId !== ctx.actor!.id && !(await listModerators(ctx.db, row.path)).some((m) => m.id === moderatorId)) {
    throw new DomainError("validation", "room.errors.moderator", {}, "moderatorId");
  }
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    // locks the matter, re-checks its state under the lock, and records the transition
    if (first) await scheduleMatterForSession(tx, emit, ctx, matterId, input.scheduledAt, "scheduledAt");
    const [s] = await tx
      .insert(roomSessions)
      .values({
        matterId,
        scheduledAt: input.scheduledAt,
        place: input.place ?? null,
        moderatorId,
        checkinCode: String(randomInt(100_000, 1_000_000)),
        createdBy: ctx.actor!.id,
        createdAt: now,
      })
      .returning();
    await tx.insert(roomAgendaItems).values(input.items.map((it, i) => ({ sessionId: s.id, position: i + 1, title: it.title, minutes: it.minutes })));
    await recordMatterEvent(tx, emit, ctx, row.m, "roomScheduled", { session: s.id, at: input.scheduledAt.toISOString() }, { kind: "notify.matter.transition", state: "@room.scheduledNotice" });
    return { sessionId: s.id };
  });
}

// ---------------------------------------------------------------- the session

/** The committee opens a scheduled session; the matter moves to deliberating on the first one. */
export async function openSession(ctx: CommandContext, sessionId: number, input: { key?: string }): Promise<ActResult> {
  return inRoom(
    ctx,
    sessionId,
    input.key,
    async (l) => {
      need(l.may("room.open"), "errors.forbidden");
      if (l.f.s.status !== "scheduled") throw new DomainError("invalid_state", "room.errors.notScheduled");
      if (l.f.matter.state === "scheduled") {
        // the machine's own guard holds the notice period (materials published + noticeDays)
        await moveMatter(l.tx, l.emit, ctx, l.f.matter.id, "openDeliberation", "actor", { params: { session: l.f.s.id } });
      } else if (l.f.matter.state === "deliberating") {
        await recordMatterEvent(l.tx, l.emit, ctx, l.f.matter, "roomOpened", { session: l.f.s.id }, null);
      } else throw new DomainError("invalid_state", "matters.errors.wrongState");
      const items = await agendaOf(l.tx, l.f.s.id);
      const first = items[0];
      if (first) await l.tx.update(roomAgendaItems).set({ startedAt: l.now }).where(eq(roomAgendaItems.id, first.id));
      await setSession(l, { status: "open", openedAt: l.now, currentItemId: first?.id ?? null, itemStartedAt: first ? l.now : null, itemExtraSeconds: 0 });
      return { seq: await append(l, "session.opened", agendaPayload(l.f.s, await agendaOf(l.tx, l.f.s.id))) };
    },
    { anyStatus: true },
  );
}

/** The moderator moves to the next or the previous agenda item, or gives the current one more minutes. */
export async function moveAgenda(
  ctx: CommandContext,
  sessionId: number,
  input: { intent: "nextItem" | "prevItem" | "extendItem"; minutes?: number; key?: string },
): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.moderate"), "room.errors.moderatorOnly");
    const { f, tx, now } = l;
    const items = await agendaOf(tx, f.s.id);
    const at = items.findIndex((i) => i.id === f.s.currentItemId);
    if (input.intent === "extendItem") {
      if (at < 0) throw new DomainError("invalid_state", "room.errors.noItem");
      await setSession(l, { itemExtraSeconds: f.s.itemExtraSeconds + (input.minutes ?? 5) * 60 });
    } else {
      const to = input.intent === "nextItem" ? at + 1 : at - 1;
      if (to < 0 || to >= items.length) throw new DomainError("invalid_state", "room.errors.noMoreItems");
      if (at >= 0) await tx.update(roomAgendaItems).set({ endedAt: now }).where(eq(roomAgendaItems.id, items[at].id));
      // going back reopens the item: its first start stays, its clock restarts
      await tx
        .update(roomAgendaItems)
        .set({ startedAt: items[to].startedAt ?? now, endedAt: null })
        .where(eq(roomAgendaItems.id, items[to].id));
      await setSession(l, { currentItemId: items[to].id, itemStartedAt: now, itemExtraSeconds: 0 });
    }
    return { seq: await append(l, "agenda.changed", { action: input.intent, ...agendaPayload(f.s, await agendaOf(tx, f.s.id)) }) };
  });
}

/** The moderator closes the session: the floor and the queue end, the minutes are compiled, followers are told. */
export async function closeSession(ctx: CommandContext, sessionId: number, input: { key?: string; confirm?: string }): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.moderate"), "room.errors.moderatorOnly");
    // closing compiles the minutes and cannot be undone: only through the confirmation step (form or socket)
    requireConfirmed(input, "close");
    const { f, tx, now } = l;
    const sid = f.s.id;
    await endTurnRow(l);
    await tx.delete(roomHands).where(eq(roomHands.sessionId, sid));
    if (f.s.currentItemId) {
      await tx
        .update(roomAgendaItems)
        .set({ endedAt: now })
        .where(and(eq(roomAgendaItems.id, f.s.currentItemId), sql`${roomAgendaItems.endedAt} is null`));
    }
    await setSession(l, { status: "closed", closedAt: now });
    const seq = await append(l, "session.closed", agendaPayload(f.s, await agendaOf(tx, sid)));
    const minutes = await compileMinutes(tx, sid, now);
    await recordMatterEvent(tx, l.emit, ctx, f.matter, "roomClosed", { session: sid, statements: minutes.statementCount }, { kind: "notify.matter.transition", state: "@room.minutesReady" });
    return { seq };
  });
}
