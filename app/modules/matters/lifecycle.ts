/**
 * The one-matter state machine (一事一议), pure: states, commands, who may run each, guards.
 * Later stages (selection, room, voting, outcomes) extend COMMANDS; the matter commands in
 * matters.server.ts run whatever this module allows and nothing else.
 *
 *   draft → collecting → under_review → accepted → selecting → scheduled → deliberating → voting → decided → implementing → completed
 *         ↘ withdrawn    ↘ rejected | merged     ↘ scheduled (meeting, household vote)   ↘ no_consensus → scheduled
 *   annulled: by a town admin, with a reason, from any state after accepted.
 */
import type { Actor } from "../accounts/actor";
import { holdsOver } from "../accounts/permissions";
import type { MessageKey } from "~/i18n";

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
export type ConsultationForm = "panel" | "meeting" | "household_vote";

/** States the public (居务公开) may read; earlier ones stay within the community. */
const COMMUNITY_ONLY: MatterState[] = ["draft", "collecting", "under_review", "withdrawn"];
export const PUBLIC_STATES: MatterState[] = STATES.filter((s) => !COMMUNITY_ONLY.includes(s));
const AFTER_ACCEPTED: MatterState[] = ["accepted", "selecting", "scheduled", "deliberating", "voting", "decided", "no_consensus", "implementing", "completed"];
/** States a merge may point into: the target must still be open. */
export const MERGE_TARGET_STATES: MatterState[] = ["collecting", "under_review", "accepted", "selecting", "scheduled"];

export type Who = "proposer" | "committee" | "town_admin" | "system";

/** What the machine needs to know about a matter. */
export interface MatterFacts {
  state: MatterState;
  proposerId: number;
  communityPath: string;
  form: ConsultationForm | null;
  cosignCount: number;
  threshold: number | null;
  materialsPublishedAt: Date | null;
  noticeDays: number;
}

interface CommandSpec {
  from: MatterState[];
  who: Who[];
  /** Where the matter goes; may depend on the matter and the actor. */
  to: (m: MatterFacts, actor: Actor | null) => MatterState;
  /** Extra rules beyond role and state; returns the message of the broken rule. */
  guard?: (m: MatterFacts, now: Date) => MessageKey | null;
  /** A public reason is required (rejection, annulment). */
  needsReason?: boolean;
}

const DAY = 86_400_000;

export const COMMANDS = {
  submit: {
    from: ["draft"],
    who: ["proposer"],
    // a committee member's own proposal goes straight to review
    to: (m, actor) => (actor && holdsOver(actor, ["committee"], m.communityPath) ? "under_review" : "collecting"),
  },
  withdraw: { from: ["draft", "collecting"], who: ["proposer"], to: () => "withdrawn" },
  reachThreshold: {
    from: ["collecting"],
    who: ["system"],
    to: () => "under_review",
    guard: (m) => (m.threshold !== null && m.cosignCount >= m.threshold ? null : "matters.errors.belowThreshold"),
  },
  accept: { from: ["under_review"], who: ["committee"], to: () => "accepted" },
  reject: { from: ["under_review"], who: ["committee"], to: () => "rejected", needsReason: true },
  merge: { from: ["under_review"], who: ["committee"], to: () => "merged" },
  openSelection: {
    from: ["accepted"],
    who: ["committee"],
    to: () => "selecting",
    guard: (m) => (m.form === "panel" ? null : "matters.errors.notPanel"),
  },
  schedule: {
    from: ["accepted", "selecting", "no_consensus"],
    who: ["committee"],
    to: () => "scheduled",
    // a panel deliberation is scheduled once its panel is chosen, not straight from acceptance
    guard: (m) => (m.state === "accepted" && m.form === "panel" ? "matters.errors.panelFirst" : null),
  },
  openDeliberation: {
    from: ["scheduled"],
    who: ["committee"],
    to: () => "deliberating",
    guard: (m, now) => {
      if (!m.materialsPublishedAt) return "matters.errors.noMaterials";
      return now.getTime() >= m.materialsPublishedAt.getTime() + m.noticeDays * DAY ? null : "matters.errors.noticePeriod";
    },
  },
  // the system opens a vote the committee scheduled for later
  openVote: { from: ["scheduled", "deliberating"], who: ["committee", "system"], to: () => "voting" },
  decide: { from: ["voting"], who: ["system"], to: () => "decided" },
  failVote: { from: ["voting"], who: ["system"], to: () => "no_consensus" },
  startImplementation: { from: ["decided"], who: ["committee"], to: () => "implementing" },
  complete: { from: ["implementing"], who: ["system"], to: () => "completed" },
  annul: { from: AFTER_ACCEPTED, who: ["town_admin"], to: () => "annulled", needsReason: true },
  // after a poor satisfaction result the committee may consult again; the history stays
  reopen: { from: ["completed"], who: ["committee"], to: () => "scheduled", needsReason: true },
} satisfies Record<string, CommandSpec>;

export type MatterCommand = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as MatterCommand[];

/** The roles this actor holds toward this matter. "system" is never a person. */
export function rolesOf(actor: Actor | null, m: Pick<MatterFacts, "proposerId" | "communityPath">): Set<Who> {
  const roles = new Set<Who>();
  if (!actor) return roles;
  if (actor.id === m.proposerId) roles.add("proposer");
  if (holdsOver(actor, ["committee"], m.communityPath)) roles.add("committee");
  if (holdsOver(actor, ["town_admin", "county_admin"], m.communityPath)) roles.add("town_admin");
  return roles;
}

export type CheckResult =
  | { ok: true; to: MatterState }
  | { ok: false; code: "unauthenticated" | "forbidden" | "invalid_state" | "validation"; messageKey: MessageKey };

/**
 * May `actor` (or the system) run `command` on this matter now, and where does it lead?
 * Order: who (401/403) before state (409) before the command's own rule.
 */
export function checkCommand(
  command: MatterCommand,
  m: MatterFacts,
  actor: Actor | null | "system",
  now: Date,
  input: { reason?: string | null } = {},
): CheckResult {
  const spec: CommandSpec = COMMANDS[command];
  if (actor === "system") {
    if (!spec.who.includes("system")) return { ok: false, code: "forbidden", messageKey: "errors.forbidden" };
  } else {
    if (!actor) return { ok: false, code: "unauthenticated", messageKey: "errors.unauthenticated" };
    const roles = rolesOf(actor, m);
    if (!spec.who.some((w) => roles.has(w))) return { ok: false, code: "forbidden", messageKey: "errors.forbidden" };
  }
  if (!spec.from.includes(m.state)) return { ok: false, code: "invalid_state", messageKey: "matters.errors.wrongState" };
  const broken = spec.guard?.(m, now);
  if (broken) return { ok: false, code: "invalid_state", messageKey: broken };
  if (spec.needsReason && !input.reason?.trim()) return { ok: false, code: "validation", messageKey: "errors.required" };
  return { ok: true, to: spec.to(m, actor === "system" ? null : actor) };
}

/** Commands a person could run right now (to show only the buttons that work). */
export function availableCommands(m: MatterFacts, actor: Actor | null, now: Date): MatterCommand[] {
  return COMMAND_NAMES.filter((c) => checkCommand(c, m, actor, now, { reason: "x" }).ok);
}
