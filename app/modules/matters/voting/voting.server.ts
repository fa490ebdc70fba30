/**
 * A temporary bridge: the voting commands now live one concern per file (setup, cast, paper, close,
 * results; see README.md). This re-export keeps the old import path working for callers outside
 * voting that other work is changing at the same time (server/app.ts, server/realtime, selection,
 * the room's tests, seeds); import from the new files instead, and remove this once none is left.
 */
export { openVote, openDueVotes, cancelScheduledVote } from "./setup.server";
export { castBallots, castBallot, type BallotPost, type BallotAnswer } from "./cast.server";
export { enterPaperBallot } from "./paper.server";
export { closeVote, closeDueVotes } from "./close.server";
export { getVotePage, getPublishedBallots, listVotesOfMatter, getTurnout, watchVote, canWatchVote } from "./results.server";
export { householdKey } from "./electorate.server";
export { newBallotKey, receiptFor, formatReceipt } from "./receipts.server";
