/** How much a person wants to hear on one channel. */
export const LEVELS = ["every", "important", "digest", "none"] as const;
export type Level = (typeof LEVELS)[number];
export const CHANNELS = ["email", "sms"] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What "important only" lets through: a matter changing state (a vote opening or closing, the
 * outcome), commitments assigned or overdue, and invitations (panel seats, verification).
 */
export const IMPORTANT_KINDS: ReadonlySet<string> = new Set([
  "notify.matter.transition",
  "notify.vote.opened",
  "notify.commitment.overdue",
  "notify.commitment.assigned",
  "notify.selection.invited",
  "notify.membership.verified",
]);

/** Whether a notice of `kind` goes out at once on a channel set to `level` (digest: gathered for the daily message instead). */
export function sendsAtOnce(level: string, kind: string) {
  return level === "every" || (level === "important" && IMPORTANT_KINDS.has(kind));
}
