import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import { sessions } from "../../../db/schema";
import type { Actor } from "./actor";

export const SESSION_COOKIE = "yishi_session";

export function sessionPolicy() {
  return {
    idleMs: Number(process.env.SESSION_IDLE_MINUTES ?? 60 * 24 * 7) * 60_000,
    absoluteMs: Number(process.env.SESSION_ABSOLUTE_DAYS ?? 30) * 86_400_000,
  };
}

export function tokenId(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

/** A new random session; the token goes in the cookie, only its hash is stored. */
export async function createSession(db: Db, userId: number, now: Date, userAgent?: string | null) {
  const token = randomBytes(32).toString("base64url");
  const { absoluteMs } = sessionPolicy();
  await db.insert(sessions).values({
    id: tokenId(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + absoluteMs),
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt: new Date(now.getTime() + absoluteMs) };
}

export async function revokeSession(db: Db, token: string, now: Date) {
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.id, tokenId(token)), isNull(sessions.revokedAt)));
}

const json = <T>(v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as T;

type SessionRow = { i: number; id: string; userId: number; displayName: string; stale: boolean; roles?: unknown; memberships?: unknown };

/**
 * The live sessions behind tokens, in one round trip for any number of them, with the user's
 * roles and memberships when `grants` is asked for. Idle and absolute timeouts apply; last_seen
 * moves at most once a minute. Written as one SQL text (not the query builder): it runs before
 * every request is answered.
 */
async function liveSessions(db: Db, tokens: (string | undefined)[], now: Date, grants: boolean): Promise<SessionRow[]> {
  const wanted = tokens.flatMap((t, i) => (t && t.length <= 100 ? [{ i, id: tokenId(t) }] : []));
  if (!wanted.length) return [];
  const { idleMs } = sessionPolicy();
  const rows = rowsOf<SessionRow>(
    await db.execute(sql`
      select r.i, s.id, u.id as "userId", u.display_name as "displayName",
             s.last_seen_at < ${new Date(now.getTime() - 60_000).toISOString()}::timestamptz as stale
             ${grants ? sql`,
             (select coalesce(json_agg(json_build_object('role', g.role, 'areaId', g.area_id, 'areaPath', a.path)), '[]')
                from role_grants g join areas a on a.id = g.area_id where g.user_id = u.id) as roles,
             (select coalesce(json_agg(json_build_object('communityId', m.community_id, 'communityPath', a.path, 'status', m.status)), '[]')
                from memberships m join areas a on a.id = m.community_id where m.user_id = u.id) as memberships` : sql``}
      from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as r(i int, id text)
      join sessions s on s.id = r.id join users u on u.id = s.user_id
      where s.revoked_at is null
        and s.expires_at > ${now.toISOString()}::timestamptz
        and s.last_seen_at > ${new Date(now.getTime() - idleMs).toISOString()}::timestamptz`),
  );
  const stale = [...new Set(rows.filter((r) => r.stale === true || (r.stale as unknown) === "t").map((r) => r.id))];
  if (stale.length) {
    await db.execute(sql`update sessions set last_seen_at = ${now.toISOString()}::timestamptz where id in (select jsonb_array_elements_text(${JSON.stringify(stale)}::jsonb))`);
  }
  return rows;
}

/** The actors behind session tokens (null where a token leads to no live session): user, staff roles with their area paths, memberships. */
export async function getSessionActors(db: Db, tokens: (string | undefined)[], now: Date): Promise<(Actor | null)[]> {
  const out: (Actor | null)[] = tokens.map(() => null);
  for (const r of await liveSessions(db, tokens, now, true)) {
    out[r.i] = { id: r.userId, displayName: r.displayName, roles: json<Actor["roles"]>(r.roles), memberships: json<Actor["memberships"]>(r.memberships) };
  }
  return out;
}

/** The actor behind one session token (getSessionActors for one). */
export async function getSessionActor(db: Db, token: string | undefined, now: Date): Promise<Actor | null> {
  return (await getSessionActors(db, [token], now))[0];
}

/**
 * Only who is signed in behind each token, without roles and memberships: for a command that
 * decides by its own list who may act (a ballot: the vote's electors), so nothing else is read.
 */
export async function getSessionUserIds(db: Db, tokens: (string | undefined)[], now: Date): Promise<(number | null)[]> {
  const out: (number | null)[] = tokens.map(() => null);
  for (const r of await liveSessions(db, tokens, now, false)) out[r.i] = r.userId;
  return out;
}
