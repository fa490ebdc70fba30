/**
 * The moderator's hand on what is said: pin or unpin a statement, hide one (with a reason, its
 * words stay with its author and the staff), mute and unmute a participant, surface a written
 * question. Each but the surfacing goes on the community's ledger. Permission: `room.moderate`.
 */
import { and, eq } from "drizzle-orm";
import { roomHands, roomMutes, roomQuestions, roomStatements } from "../../../../db/schema";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { need } from "./access.server";
import { append, endTurnRow, inRoom, ledger, nameOf, statementIn, type ActResult, type Locked } from "./log.server";

type Keyed = { key?: string };

/** Every moderation command starts here: the locked room, if the actor moderates it. */
function moderating(ctx: CommandContext, sessionId: number, key: string | undefined, body: (l: Locked) => Promise<ActResult>) {
  return inRoom(ctx, sessionId, key, async (l) => {
    need(l.may("room.moderate"), "room.errors.moderatorOnly");
    return body(l);
  });
}

export async function pinStatement(ctx: CommandContext, sessionId: number, input: Keyed & { statementId: number; pinned: boolean }): Promise<ActResult> {
  return moderating(ctx, sessionId, input.key, async (l) => {
    const st = await statementIn(l, input.statementId);
    const pinned = input.pinned;
    await l.tx.update(roomStatements).set({ pinned }).where(eq(roomStatements.id, st.id));
    await ledger(l, pinned ? "pin" : "unpin", l.f.s.id, { statement: st.id, pinned });
    return { seq: await append(l, "statement.pinned", { statementId: st.id, pinned }) };
  });
}

export async function hideStatement(ctx: CommandContext, sessionId: number, input: Keyed & { statementId: number; reason: string }): Promise<ActResult> {
  return moderating(ctx, sessionId, input.key, async (l) => {
    const st = await statementIn(l, input.statementId);
    if (st.hiddenAt) throw new DomainError("invalid_state", "room.errors.hidden");
    await l.tx.update(roomStatements).set({ hiddenAt: l.now, hiddenReason: input.reason, hiddenBy: l.actor.id }).where(eq(roomStatements.id, st.id));
    await ledger(l, "hide", l.f.s.id, { statement: st.id, author: st.authorId, reason: input.reason });
    return { seq: await append(l, "statement.hidden", { statementId: st.id, reason: input.reason }) };
  });
}

/** A muted participant loses the floor and their place in the queue, and may not post, queue or ask. */
export async function muteParticipant(ctx: CommandContext, sessionId: number, input: Keyed & { userId: number; reason?: string }): Promise<ActResult> {
  return moderating(ctx, sessionId, input.key, async (l) => {
    const { f, tx, now, actor } = l;
    const sid = f.s.id;
    if (input.userId === actor.id) throw new DomainError("validation", "room.errors.notPanel", {}, "userId");
    const name = await nameOf(tx, input.userId);
    if (!name) throw new DomainError("validation", "room.errors.notPanel", {}, "userId");
    const reason = input.reason ?? null;
    const added = await tx.insert(roomMutes).values({ sessionId: sid, userId: input.userId, mutedBy: actor.id, reason, createdAt: now }).onConflictDoNothing().returning();
    if (!added.length) return { seq: f.s.lastSeq };
    if (f.s.floorUserId === input.userId) await endTurnRow(l);
    await tx.delete(roomHands).where(and(eq(roomHands.sessionId, sid), eq(roomHands.userId, input.userId)));
    await ledger(l, "mute", sid, { user: input.userId, reason });
    return { seq: await append(l, "participant.muted", { userId: input.userId, name, reason }) };
  });
}

export async function unmuteParticipant(ctx: CommandContext, sessionId: number, input: Keyed & { userId: number }): Promise<ActResult> {
  return moderating(ctx, sessionId, input.key, async (l) => {
    const sid = l.f.s.id;
    const gone = await l.tx
      .delete(roomMutes)
      .where(and(eq(roomMutes.sessionId, sid), eq(roomMutes.userId, input.userId)))
      .returning();
    if (!gone.length) return { seq: l.f.s.lastSeq };
    await ledger(l, "unmute", sid, { user: input.userId });
    return { seq: await append(l, "participant.unmuted", { userId: input.userId }) };
  });
}

/** A written question goes before the room, without its author's name. */
export async function surfaceQuestion(ctx: CommandContext, sessionId: number, input: Keyed & { questionId: number }): Promise<ActResult> {
  return moderating(ctx, sessionId, input.key, async (l) => {
    const [q] = await l.tx
      .select()
      .from(roomQuestions)
      .where(and(eq(roomQuestions.id, input.questionId), eq(roomQuestions.sessionId, l.f.s.id)));
    if (!q) throw new DomainError("not_found", "room.errors.noQuestion", {}, "questionId");
    if (q.surfacedAt) return { seq: l.f.s.lastSeq };
    await l.tx.update(roomQuestions).set({ surfacedAt: l.now, surfacedBy: l.actor.id }).where(eq(roomQuestions.id, q.id));
    return { seq: await append(l, "question.surfaced", { question: { id: q.id, authorName: null, body: q.body, createdAt: q.createdAt.toISOString() } }) };
  });
}
