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

/**
 * The actor behind a session token, in one round trip: user, staff roles with their area
 * paths, memberships. Idle and absolute timeouts apply; last_seen moves at most once a minute.
 * Written as one SQL text (not the query builder): it runs before every request is answered.
 */
export async function getSessionActor(db: Db, token: string | undefined, now: Date): Promise<Actor | null> {
  if (!token || token.length > 100) return null;
  const id = tokenId(token);
  const { idleMs } = sessionPolicy();
  const [row] = rowsOf<{ userId: number; displayName: string; stale: boolean; roles: unknown; memberships: unknown }>(
    await db.execute(sql`
      select u.id as "userId", u.display_name as "displayName",
             s.last_seen_at < ${new Date(now.getTime() - 60_000).toISOString()}::timestamptz as stale,
             (select coalesce(json_agg(json_build_object('role', g.role, 'areaId', g.area_id, 'areaPath', a.path)), '[]')
                from role_grants g join areas a on a.id = g.area_id where g.user_id = u.id) as roles,
             (select coalesce(json_agg(json_build_object('communityId', m.community_id, 'communityPath', a.path, 'status', m.status)), '[]')
                from memberships m join areas a on a.id = m.community_id where m.user_id = u.id) as memberships
      from sessions s join users u on u.id = s.user_id
      where s.id = ${id}::text and s.revoked_at is null
        and s.expires_at > ${now.toISOString()}::timestamptz
        and s.last_seen_at > ${new Date(now.getTime() - idleMs).toISOString()}::timestamptz
      limit 1`),
  );
  if (!row) return null;
  if (row.stale === true || (row.stale as unknown) === "t") await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  return { id: row.userId, displayName: row.displayName, roles: json<Actor["roles"]>(row.roles), memberships: json<Actor["memberships"]>(row.memberships) };
}
