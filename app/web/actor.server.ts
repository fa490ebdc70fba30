/**
 * The one way a request from the web finds who is asking: the session cookie's token, looked up
 * by accounts (which owns the session SQL, batched for many tokens at once). Used by the Remix
 * load context, the socket handshake, the room's per-event re-read, and — for its token — the
 * ballot API, whose batched castBallots reads the sessions in the same statement as the ballots
 * through accounts' liveSessionSql.
 */
import { parse as parseCookie } from "cookie";
import type { Db } from "../../db/client";
import type { Actor } from "~/modules/accounts/actor";
import { getSessionActor, SESSION_COOKIE } from "~/modules/accounts/sessions.server";
import type { Settings } from "~/modules/shared/settings";

/** The session token of a Cookie header, if it carries one. */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  return parseCookie(cookieHeader ?? "")[SESSION_COOKIE] || undefined;
}

/** The actor behind a request's Cookie header (null: signed out, or a session no longer live), and its token when live. */
export async function resolveActor(
  db: Db,
  cookieHeader: string | undefined,
  now: Date,
  settings: Settings = {},
): Promise<{ actor: Actor | null; token: string | undefined }> {
  const token = sessionTokenOf(cookieHeader);
  const actor = token ? await getSessionActor(db, token, now, settings.sessions) : null;
  return { actor, token: actor ? token : undefined };
}
