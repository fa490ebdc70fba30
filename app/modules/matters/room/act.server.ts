/**
 * The one way in for a room action, whether a form post or a socket event (`room:act`) brings it:
 * maps the action's `intent` to its command. Each command checks the actor itself.
 */
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { closeSession, moveAgenda, openSession } from "./agenda.server";
import { checkInWithCode, recordAttendance } from "./attendance.server";
import { endTurn, extendTurn, giveFloor, lowerHand, raiseHand } from "./floor.server";
import type { ActResult } from "./log.server";
import { hideStatement, muteParticipant, pinStatement, surfaceQuestion, unmuteParticipant } from "./moderation.server";
import type { RoomAction } from "./schemas";
import { askQuestion, postStatement, reactToStatement } from "./statements.server";

export type { ActResult } from "./log.server";

export async function act(ctx: CommandContext, sessionId: number, a: RoomAction): Promise<ActResult> {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  switch (a.intent) {
    case "post":
      return postStatement(ctx, sessionId, a);
    case "react":
      return reactToStatement(ctx, sessionId, a);
    case "ask":
      return askQuestion(ctx, sessionId, a);
    case "raiseHand":
      return raiseHand(ctx, sessionId, a);
    case "lowerHand":
      return lowerHand(ctx, sessionId, a);
    case "giveFloor":
      return giveFloor(ctx, sessionId, a);
    case "extendTurn":
      return extendTurn(ctx, sessionId, a);
    case "endTurn":
      return endTurn(ctx, sessionId, a);
    case "open":
      return openSession(ctx, sessionId, a);
    case "nextItem":
    case "prevItem":
    case "extendItem":
      return moveAgenda(ctx, sessionId, a);
    case "close":
      return closeSession(ctx, sessionId, a);
    case "pin":
    case "unpin":
      return pinStatement(ctx, sessionId, { ...a, pinned: a.intent === "pin" });
    case "hide":
      return hideStatement(ctx, sessionId, a);
    case "mute":
      return muteParticipant(ctx, sessionId, a);
    case "unmute":
      return unmuteParticipant(ctx, sessionId, a);
    case "surface":
      return surfaceQuestion(ctx, sessionId, a);
    case "checkin":
      return recordAttendance(ctx, sessionId, a);
    case "checkinCode":
      return checkInWithCode(ctx, sessionId, a);
  }
}
