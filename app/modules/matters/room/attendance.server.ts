/**
 * Who was there, for the minutes: the moderator checks in a panel member from the list or an
 * in-person attendee by name; a panel member checks in with the code shown in the hall; the first
 * online presence of anyone in the room is noted when they join.
 * Permissions: `room.recordAttendance`, `room.checkIn`.
 */
import type { Db } from "../../../../db/client";
import { roomAttendance } from "../../../../db/schema";
import type { Actor } from "../../accounts/actor";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { isPanelMember } from "../selection/panel.server";
import { need, notSpeakerKey, type RoomRole, type SessionFacts } from "./access.server";
import { append, inRoom, nameOf, type ActResult } from "./log.server";

type Keyed = { key?: string };

/** The moderator checks someone in: a panel member by id, or a guest by name. */
export async function recordAttendance(ctx: CommandContext, sessionId: number, input: Keyed & { userId?: number; name?: string }): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.recordAttendance"), "room.errors.moderatorOnly");
    let name = input.name ?? null;
    if (input.userId) {
      if (!(await isPanelMember(l.tx, l.f.matter.id, input.userId))) throw new DomainError("validation", "room.errors.notPanel", {}, "userId");
      name = await nameOf(l.tx, input.userId);
    }
    if (!name) throw new DomainError("validation", "errors.required", {}, "name");
    const member = !!input.userId;
    const added = await l.tx
      .insert(roomAttendance)
      .values({
        sessionId: l.f.s.id,
        userId: input.userId ?? null,
        name,
        role: member ? "panel" : "guest",
        inPerson: true,
        method: member ? "list" : "name",
        checkedInBy: l.actor.id,
        at: l.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!added.length) throw new DomainError("conflict", "room.errors.alreadyIn");
    return { seq: await append(l, "attendance.checkin", { name, inPerson: true, method: added[0].method }) };
  });
}

/** A panel member checks in with the code shown in the hall; checking in twice stores nothing. */
export async function checkInWithCode(ctx: CommandContext, sessionId: number, input: Keyed & { code: string }): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.checkIn"), notSpeakerKey(l.f.matter.form));
    if (input.code !== l.f.s.checkinCode) throw new DomainError("validation", "room.errors.code", {}, "code");
    const added = await l.tx
      .insert(roomAttendance)
      .values({ sessionId: l.f.s.id, userId: l.actor.id, name: l.actor.displayName, role: "panel", inPerson: true, method: "code", at: l.now })
      .onConflictDoNothing()
      .returning();
    if (!added.length) return { seq: l.f.s.lastSeq };
    return { seq: await append(l, "attendance.checkin", { name: l.actor.displayName, inPerson: true, method: "code" }) };
  });
}

/** Stores the first online presence of a panel member, moderator or observer, for the minutes. */
export async function noteAttendance(db: Db, f: SessionFacts, actor: Actor, role: RoomRole, now: Date) {
  if (f.s.status !== "open") return;
  await db.insert(roomAttendance).values({ sessionId: f.s.id, userId: actor.id, name: actor.displayName, role, inPerson: false, at: now }).onConflictDoNothing();
}
