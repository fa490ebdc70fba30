/**
 * The matter's states and its transition table, as data. Imports nothing, so the permissions
 * (accounts), the state machine (lifecycle.ts) and anything else can read it without a cycle.
 *
 *   draft → collecting → under_review → accepted → selecting → scheduled → deliberating → voting → decided → implementing → completed
 *         ↘ withdrawn    ↘ rejected | merged     ↘ scheduled (meeting, household vote)   ↘ no_consensus → scheduled
 *   annulled: by a town admin, with a reason, from any state after accepted.
 *
 * db/schema/matters.ts spells the same list for the database enum (db/ imports nothing from app/);
 * states.test.ts keeps the two equal.
 */

export const STATES = [
  "draft",
  "collecting",
  "under_review",
  "accepted",
  "rejected",
  "merged",
  "withdrawn",
  "selecting",
  "scheduled",
  "deliberating",
  "voting",
  "decided",
  "no_consensus",
  "implementing",
  "completed",
  "annulled",
] as const;
export type MatterState = (typeof STATES)[number];
/**
 * panel: a drawn panel deliberates; meeting: 居民会议 / 村民会议 (every verified adult resident);
 * household_vote: 一事一议 by households; representatives: 居民代表会议 / 村民代表会议 (the roster).
 */
export const CONSULTATION_FORMS = ["panel", "meeting", "household_vote", "representatives"] as const;
export type ConsultationForm = (typeof CONSULTATION_FORMS)[number];

/** States the public (居务公开) may read; earlier ones stay within the community. */
const COMMUNITY_ONLY: MatterState[] = ["draft", "collecting", "under_review", "withdrawn"];
export const PUBLIC_STATES: MatterState[] = STATES.filter((s) => !COMMUNITY_ONLY.includes(s));
export const AFTER_ACCEPTED: MatterState[] = ["accepted", "selecting", "scheduled", "deliberating", "voting", "decided", "no_consensus", "implementing", "completed"];
/** States a merge may point into: the target must still be open. */
export const MERGE_TARGET_STATES: MatterState[] = ["collecting", "under_review", "accepted", "selecting", "scheduled"];
/** States in which the committee may publish advance-notice materials (事先告知). */
export const MATERIALS_STATES: MatterState[] = ["accepted", "selecting", "scheduled", "no_consensus"];
/** States in which residents co-sign (support keeps counting under review). */
export const COSIGN_STATES: MatterState[] = ["collecting", "under_review"];
/** States in which people comment on a matter: from submission until it is completed (closed matters stay readable). */
export const COMMENT_STATES: MatterState[] = ["collecting", "under_review", "accepted", "selecting", "scheduled", "deliberating", "voting", "decided", "no_consensus", "implementing"];

/** Who may run a command: a role toward the matter, or the system (never a person). */
export type Who = "proposer" | "committee" | "town_admin" | "system";

export interface TransitionRule {
  from: readonly MatterState[];
  who: readonly Who[];
  /** A public reason is required (rejection, annulment). */
  needsReason?: boolean;
}

/** The transition table: from which states, by whom. Where each leads and extra guards live in lifecycle.ts. */
export const TRANSITIONS = {
  submit: { from: ["draft"], who: ["proposer"] },
  withdraw: { from: ["draft", "collecting"], who: ["proposer"] },
  reachThreshold: { from: ["collecting"], who: ["system"] },
  accept: { from: ["under_review"], who: ["committee"] },
  reject: { from: ["under_review"], who: ["committee"], needsReason: true },
  merge: { from: ["under_review"], who: ["committee"] },
  openSelection: { from: ["accepted"], who: ["committee"] },
  schedule: { from: ["accepted", "selecting", "no_consensus"], who: ["committee"] },
  openDeliberation: { from: ["scheduled"], who: ["committee"] },
  // the system opens a vote the committee scheduled for later
  openVote: { from: ["scheduled", "deliberating"], who: ["committee", "system"] },
  decide: { from: ["voting"], who: ["system"] },
  failVote: { from: ["voting"], who: ["system"] },
  startImplementation: { from: ["decided"], who: ["committee"] },
  complete: { from: ["implementing"], who: ["system"] },
  annul: { from: AFTER_ACCEPTED, who: ["town_admin"], needsReason: true },
  // after a poor satisfaction result the committee may consult again; the history stays
  reopen: { from: ["completed"], who: ["committee"], needsReason: true },
} as const satisfies Record<string, TransitionRule>;

export type MatterCommand = keyof typeof TRANSITIONS;
export const COMMAND_NAMES = Object.keys(TRANSITIONS) as MatterCommand[];
/** Commands that cannot be undone: they run only with the confirmation step's `confirm=yes`, and the page lists them apart. */
export const IRREVERSIBLE_COMMANDS = ["reject", "annul", "withdraw", "merge"] as const satisfies readonly MatterCommand[];
