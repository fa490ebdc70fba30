import type { Db } from "../../../db/client";
import type { Actor } from "../accounts/actor";
import type { Locale } from "~/i18n";
import type { Clock } from "./clock";
import type { EventBus } from "./events";

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
}
