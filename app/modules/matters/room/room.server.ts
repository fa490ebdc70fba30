/**
 * Temporary bridge (issue 16): the room's commands now live one per file, grouped by what a person
 * does (agenda, floor, statements, moderation, attendance, minutes, view; `act` dispatches). This
 * re-export keeps the old path for importers owned by other parts of the work (voting announces a
 * vote in the room; the matter page lists sessions). Import from the new files; remove this once
 * those importers have moved.
 */
export { announceVoteInRooms } from "./announce.server";
export { listSessions } from "./view.server";
