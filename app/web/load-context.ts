import type { Db } from "../../db/client";
import type { Actor } from "~/modules/accounts/actor";
import type { Locale } from "~/i18n";
import type { Clock } from "~/modules/shared/clock";
import type { EventBus } from "~/modules/shared/events";
import type { Settings } from "~/modules/shared/settings";

/** What the Express server hands every loader and action (built once per request in server/). */
export interface YishiLoadContext {
  db: Db;
  events: EventBus;
  clock: Clock;
  nonce: string;
  requestId: string;
  locale: Locale;
  actor: Actor | null;
  sessionToken: string | undefined;
  secureCookies: boolean;
  ip: string | undefined;
  /** A sign-in post that JavaScript made, over the server's rate limit: the action refuses it (429) before any work. */
  rateLimited?: boolean;
  /** Configuration read once at start (server/config.ts); commands get it through commandContext. */
  settings?: Settings;
  /** Sends one text now; absent when no SMS provider is configured (server/channels.ts). */
  textMessage?: (to: string, text: string) => Promise<void>;
}
