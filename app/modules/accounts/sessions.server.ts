import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import { sessions } from "../../../db/schema";
import type { Actor } from "./actor";

export const SESSION_COOKIE = "yishi_session";

export type SessionPolicy = { idleMs: number; absoluteMs: number };

/** Session timeouts from the settings' variables (read once, by loadConfig); with none, the defaults. */
export function sessionPolicy(env: Record<string, string | undefined> = {}): SessionPolicy {
  return {
    idleMs: Number(env.SESSION_IDLE_MINUTES ?? 60 * 24 * 7) * 60_000,
    absoluteMs: Number(env.SESSION_ABSOLUTE_DAYS ?? 30) * 86_400_000,
  };
}

export function tokenId(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

/** A new random session; the token goes in the cookie, only its hash is stored. */
export async function createSession(db: Db, userId: number, now: Date, userAgent?: string | null, policy: SessionPolicy = sessionPolicy()) {
  const token = randomBytes(32).toString("base64url");
  const { absoluteMs } = policy;
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

/** The stored id of a cookie's token (its sha256), or null for no token or one no session could have. */
export function sessionIdOf(token: string | undefined) {
  return token && token.length <= 100 ? tokenId(token) : null;
}

/**
 * The live session whose stored id is `sessionId` (a column of the statement's rows): not revoked,
 * not past the absolute timeout, not idle too long; `stale` says whether its last_seen is due to
 * move (touchSessions). A lateral subquery, so each row is one primary-key probe: joined plainly,
 * the planner guesses a hundred rows for a JSON list of tokens and, while the table is small
 * enough (5,000 sessions in the voting bench), reads all of it instead: 3 ms a batch, not 0.5.
 * For `cross join` (live sessions only) or `left join … on true`, with the columns id, user_id, stale.
 * `policy` is the configured one (settings.sessions); without it, the defaults.
 */
export function liveSessionSql(sessionId: SQL, now: Date, policy: SessionPolicy = sessionPolicy()) {
  const { idleMs } = policy;
  return sql`lateral (
        select id, user_id, last_seen_at < ${new Date(now.getTime() - 60_000).toISOString()}::timestamptz as stale
        from sessions
        where id = ${sessionId} and revoked_at is null
          and expires_at > ${now.toISOString()}::timestamptz
          and last_seen_at > ${new Date(now.getTime() - idleMs).toISOString()}::timestamptz
        limit 1
      )`;
}

/** Moves the sessions' last_seen to now: for the ones a read found stale (at most once a minute each). */
export async function touchSessions(db: Db, ids: string[], now: Date) {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  await db.execute(sql`update sessions set last_seen_at = ${now.toISOString()}::timestamptz where id in (select jsonb_array_elements_text(${JSON.stringify(unique)}::jsonb))`);
}

const isTrue = (v: unknown) => v === true || v === "t";

type SessionRow = { i: number; id: string; userId: number; displayName: string; elderMode: unknown; stale: unknown; roles: unknown; memberships: unknown };

/**
 * The live sessions behind tokens, in one round trip for any number of them, with the user's
 * roles and memberships. Idle and absolute timeouts apply; last_seen
 * moves at most once a minute. Written as one SQL text (not the query builder): it runs before
 * every request is answered.
 */
async function liveSessions(db: Db, tokens: (string | undefined)[], now: Date, policy: SessionPolicy): Promise<SessionRow[]> {
  const wanted = tokens.flatMap((t, i) => {
    const id = sessionIdOf(t);
    return id ? [{ i, id }] : [];
  });
  if (!wanted.length) return [];
  const rows = rowsOf<SessionRow>(
    await db.execute(sql`
      select r.i, s.id, u.id as "userId", u.display_name as "displayName", u.elder_mode as "elderMode", s.stale,
             (select coalesce(json_agg(json_build_object('role', g.role, 'areaId', g.area_id, 'areaPath', a.path)), '[]')
                from role_grants g join areas a on a.id = g.area_id where g.user_id = u.id) as roles,
             (select coalesce(json_agg(json_build_object('communityId', m.community_id, 'communityPath', a.path, 'status', m.status)), '[]')
                from memberships m join areas a on a.id = m.community_id where m.user_id = u.id) as memberships
      from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as r(i int, id text)
      cross join ${liveSessionSql(sql`r.id`, now, policy)} s
      join users u on u.id = s.user_id`),
  );
  await touchSessions(db, rows.filter((r) => isTrue(r.stale)).map((r) => r.id), now);
  return rows;
}

/** The actors behind session tokens (null where a token leads to no live session): user, staff roles with their area paths, memberships. */
export async function getSessionActors(db: Db, tokens: (string | undefined)[], now: Date, policy: SessionPolicy = sessionPolicy()): Promise<(Actor | null)[]> {
  const out: (Actor | null)[] = tokens.map(() => null);
  for (const r of await liveSessions(db, tokens, now, policy)) {
    out[r.i] = { id: r.userId, displayName: r.displayName, roles: json<Actor["roles"]>(r.roles), memberships: json<Actor["memberships"]>(r.memberships) };
    // only a choice the person made is carried (an actor without one compares equal to before)
    if (r.elderMode !== null && r.elderMode !== undefined) out[r.i]!.elderMode = isTrue(r.elderMode);
  }
  return out;
}

/** The actor behind one session token (getSessionActors for one). */
export async function getSessionActor(db: Db, token: string | undefined, now: Date, policy?: SessionPolicy): Promise<Actor | null> {
  return (await getSessionActors(db, [token], now, policy))[0];
}
