/**
 * What other parts of the matter announce in its room (a vote opened), as the next entry of each
 * open session's log. Voting publishes `vote.opened` inside its own transaction and knows no room;
 * the room subscribes here. access.server.ts, which every room command and the socket layer load,
 * imports this file, so the subscription exists wherever the room does.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { roomEvents, roomSessions } from "../../../../db/schema";
import type { Emit } from "../../shared/events";
import { subscribeInTransaction } from "../../shared/tx-events";

/**
 * A vote opened on this matter is announced in every open session of its room, as the next
 * entry of each session's log (stored inside the caller's transaction, broadcast after commit).
 */
export async function announceVoteInRooms(tx: Db, emit: Emit, matterId: number, vote: { id: number; question: string }, actorId: number | null, now: Date) {
  const open = await tx
    .select({ id: roomSessions.id, lastSeq: roomSessions.lastSeq })
    .from(roomSessions)
    .where(and(eq(roomSessions.matterId, matterId), eq(roomSessions.status, "open")))
    .for("update");
  for (const s of open) {
    const seq = s.lastSeq + 1;
    const payload = { voteId: vote.id, question: vote.question };
    await tx.update(roomSessions).set({ lastSeq: seq }).where(eq(roomSessions.id, s.id));
    await tx.insert(roomEvents).values({ sessionId: s.id, seq, kind: "vote.opened", actorId, payload, audience: "all", clientKey: null, createdAt: now });
    emit({ type: "room.event", sessionId: s.id, event: { seq, kind: "vote.opened", payload, audience: "all", at: now.toISOString(), actorId } });
  }
  return open.length;
}

// the room's part in a vote opening
subscribeInTransaction("vote.opened", "room.announceVote", async (tx, emit, e) => {
  await announceVoteInRooms(tx, emit, e.matterId, { id: e.voteId, question: e.question }, e.actorId, e.at);
});
