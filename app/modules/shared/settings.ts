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
  /** The site's public origin when it sits behind a proxy (PUBLIC_ORIGIN). */
  publicOrigin?: string;
  /** E-mail and SMS notifications (notifications/): the key that signs unsubscribe links (NOTIFY_KEY). */
  notifications?: { unsubscribeKey: string };
}
