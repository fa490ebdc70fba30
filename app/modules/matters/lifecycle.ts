/**
 * The one-matter state machine (一事一议), pure: where each command leads and the rules beyond
 * role and state. The states and the transition table (from where, by whom) are data in
 * states.ts; who holds which role is decided by can() in accounts/permissions.ts. Later stages
 * (selection, room, voting, outcomes) run whatever this module allows and nothing else.
 */
import type { Actor } from "../accounts/actor";
import { can, matterRoles } from "../accounts/permissions";
import type { MessageKey } from "~/i18n";
import { COMMAND_NAMES, TRANSITIONS, type ConsultationForm, type MatterCommand, type MatterState, type TransitionRule } from "./states";

export { COMMAND_NAMES, MERGE_TARGET_STATES, PUBLIC_STATES, STATES, type ConsultationForm, type MatterCommand, type MatterState, type Who } from "./states";

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

interface CommandEffect {
  /** Where the matter goes; may depend on the matter and the actor. */
  to: (m: MatterFacts, actor: Actor | null) => MatterState;
  /** Extra rules beyond role and state; returns the message of the broken rule. */
  guard?: (m: MatterFacts, now: Date) => MessageKey | null;
}

const DAY = 86_400_000;

export const COMMANDS: Record<MatterCommand, CommandEffect> = {
  // a committee member's own proposal goes straight to review
  submit: { to: (m, actor) => (matterRoles(actor, m).has("committee") ? "under_review" : "collecting") },
  withdraw: { to: () => "withdrawn" },
  reachThreshold: {
    to: () => "under_review",
    guard: (m) => (m.threshold !== null && m.cosignCount >= m.threshold ? null : "matters.errors.belowThreshold"),
  },
  accept: { to: () => "accepted" },
  reject: { to: () => "rejected" },
  merge: { to: () => "merged" },
  openSelection: { to: () => "selecting", guard: (m) => (m.form === "panel" ? null : "matters.errors.notPanel") },
  schedule: {
    to: () => "scheduled",
    // a panel deliberation is scheduled once its panel is chosen, not straight from acceptance
    guard: (m) => (m.state === "accepted" && m.form === "panel" ? "matters.errors.panelFirst" : null),
  },
  openDeliberation: {
    to: () => "deliberating",
    guard: (m, now) => {
      if (!m.materialsPublishedAt) return "matters.errors.noMaterials";
      return now.getTime() >= m.materialsPublishedAt.getTime() + m.noticeDays * DAY ? null : "matters.errors.noticePeriod";
    },
  },
  openVote: { to: () => "voting" },
  decide: { to: () => "decided" },
  failVote: { to: () => "no_consensus" },
  startImplementation: { to: () => "implementing" },
  complete: { to: () => "completed" },
  annul: { to: () => "annulled" },
  reopen: { to: () => "scheduled" },
};

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
  const rule: TransitionRule = TRANSITIONS[command];
  const spec = COMMANDS[command];
  if (actor === "system") {
    if (!rule.who.includes("system")) return { ok: false, code: "forbidden", messageKey: "errors.forbidden" };
  } else {
    if (!actor) return { ok: false, code: "unauthenticated", messageKey: "errors.unauthenticated" };
    if (!can(actor, "matter.run", { type: "matterCommand", command, proposerId: m.proposerId, communityPath: m.communityPath })) {
      return { ok: false, code: "forbidden", messageKey: "errors.forbidden" };
    }
  }
  if (!rule.from.includes(m.state)) return { ok: false, code: "invalid_state", messageKey: "matters.errors.wrongState" };
  const broken = spec.guard?.(m, now);
  if (broken) return { ok: false, code: "invalid_state", messageKey: broken };
  if (rule.needsReason && !input.reason?.trim()) return { ok: false, code: "validation", messageKey: "errors.required" };
  return { ok: true, to: spec.to(m, actor === "system" ? null : actor) };
}

/** Commands a person could run right now (to show only the buttons that work). */
export function availableCommands(m: MatterFacts, actor: Actor | null, now: Date): MatterCommand[] {
  return COMMAND_NAMES.filter((c) => checkCommand(c, m, actor, now, { reason: "x" }).ok);
}
