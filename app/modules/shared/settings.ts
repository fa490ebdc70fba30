/**
 * Settings a command may need, read once from the environment by server/config.ts (loadConfig)
 * and handed in through the context. Each is optional: a command run without them (a test, a
 * seed, a CLI) uses the documented default of its module.
 */
export interface Settings {
  /** Session timeouts (accounts/sessions.server.ts, sessionPolicy). */
  sessions?: { idleMs: number; absoluteMs: number };
  /** Sign-in throttle (accounts/throttle.server.ts, throttlePolicy). */
  throttle?: { accountFree: number; ipFree: number; baseMs: number; maxMs: number };
  /** Days residents may rate a completed matter (matters/outcomes, ratingDays). */
  ratingDays?: number;
  /** Reports that hide a comment until the committee reviews it (matters/comments, REPORT_THRESHOLD). */
  reportThreshold?: number;
  /** The site's public origin when it sits behind a proxy (PUBLIC_ORIGIN). */
  publicOrigin?: string;
  /**
   * The secrets (server/secrets.ts checks them at start: refused in production when missing or
   * weak, generated in local mode). Absent in tests, seeds run by tests and the benches: the
   * modules' development keys apply, which production never reaches.
   */
  secrets?: { ballotKey: string; volunteerIdKey: string; recordSigningKey?: string };
  /** The selection solver: time budget of one draw and, for a build that moved it, the worker file. */
  selection?: { timeLimitMs?: number; workerFile?: string };
  /** Where attachment bytes are stored (attachments/storage.server.ts, STORAGE_URL); unset: the database. */
  storageUrl?: string;
  /** E-mail and SMS notifications (notifications/): the key that signs unsubscribe links (NOTIFY_KEY). */
  notifications?: { unsubscribeKey: string };
}
