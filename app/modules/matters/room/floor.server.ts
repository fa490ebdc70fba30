/**
 * The floor and the speaking queue: a panel member raises or lowers a hand; the moderator gives the
 * floor (default turn: DEFAULT_TURN_SECONDS) and extends a turn; the moderator or the speaker ends it.
 * Permissions: `room.raiseHand`, `room.lowerHand`, `room.moderate`, `room.endTurn`.
 */
import { and, eq } from "drizzle-orm";
import { roomHands, roomMutes, roomTurns } from "../../../../db/schema";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { isPanelMember } from "../selection/panel.server";
import { need, notSpeakerKey, seatOrMute } from "./access.server";
import { append, endTurnRow, inRoom, nameOf, setSession, type ActResult } from "./log.server";

/** PRODUCT.md "Room": a turn at the floor lasts 3 minutes unless the moderator extends it. */
export const DEFAULT_TURN_SECONDS = 180;

type Keyed = { key?: string };

export async function raiseHand(ctx: CommandContext, sessionId: number, input: Keyed): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.raiseHand"), seatOrMute(l, false));
    if (l.f.s.floorUserId === l.actor.id) throw new DomainError("invalid_state", "room.errors.hasFloor");
    const added = await l.tx.insert(roomHands).values({ sessionId: l.f.s.id, userId: l.actor.id, raisedAt: l.now }).onConflictDoNothing().returning();
    if (!added.length) return { seq: l.f.s.lastSeq };
    return { seq: await append(l, "hand.raised", { userId: l.actor.id, name: l.actor.displayName }) };
  });
}

export async function lowerHand(ctx: CommandContext, sessionId: number, input: Keyed): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.lowerHand"), notSpeakerKey(l.f.matter.form));
    const gone = await l.tx
      .delete(roomHands)
      .where(and(eq(roomHands.sessionId, l.f.s.id), eq(roomHands.userId, l.actor.id)))
      .returning();
    if (!gone.length) return { seq: l.f.s.lastSeq };
    return { seq: await append(l, "hand.lowered", { userId: l.actor.id }) };
  });
}

/** The moderator gives the floor to a panel member who is not muted; their hand comes down. */
export async function giveFloor(ctx: CommandContext, sessionId: number, input: Keyed & { userId: number }): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.moderate"), "room.errors.moderatorOnly");
    const { f, tx, now } = l;
    const sid = f.s.id;
    if (!(await isPanelMember(tx, f.matter.id, input.userId))) throw new DomainError("validation", "room.errors.notPanel", {}, "userId");
    const [m] = await tx
      .select()
      .from(roomMutes)
      .where(and(eq(roomMutes.sessionId, sid), eq(roomMutes.userId, input.userId)));
    if (m) throw new DomainError("invalid_state", "room.errors.mutedTarget");
    await endTurnRow(l);
    await tx.delete(roomHands).where(and(eq(roomHands.sessionId, sid), eq(roomHands.userId, input.userId)));
    await tx.insert(roomTurns).values({ sessionId: sid, userId: input.userId, startedAt: now });
    await setSession(l, { floorUserId: input.userId, turnStartedAt: now, turnSeconds: DEFAULT_TURN_SECONDS });
    const name = await nameOf(tx, input.userId);
    return { seq: await append(l, "floor.given", { userId: input.userId, name, turnStartedAt: now.toISOString(), turnSeconds: DEFAULT_TURN_SECONDS }) };
  });
}

export async function extendTurn(ctx: CommandContext, sessionId: number, input: Keyed & { seconds: number }): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.moderate"), "room.errors.moderatorOnly");
    if (!l.f.s.floorUserId) throw new DomainError("invalid_state", "room.errors.noFloor");
    await setSession(l, { turnSeconds: l.f.s.turnSeconds + input.seconds });
    return { seq: await append(l, "turn.extended", { userId: l.f.s.floorUserId, turnSeconds: l.f.s.turnSeconds }) };
  });
}

/** The moderator, or the one who holds the floor, ends the turn. */
export async function endTurn(ctx: CommandContext, sessionId: number, input: Keyed): Promise<ActResult> {
  return inRoom(ctx, sessionId, input.key, async (l) => {
    need(l.may("room.endTurn"), "room.errors.moderatorOnly");
    const holder = l.f.s.floorUserId;
    if (!holder) throw new DomainError("invalid_state", "room.errors.noFloor");
    await endTurnRow(l);
    return { seq: await append(l, "turn.ended", { userId: holder }) };
  });
}
