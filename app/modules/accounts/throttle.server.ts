import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import { loginAttempts } from "../../../db/schema";
import { stripControl } from "../shared/validation";
import { parseLogin } from "./schemas";

/**
 * Sign-in throttling (OWASP ASVS 5.0 V6.3.1; docs/decisions/2026-12-03-login-throttle.md): no hard lock, so
 * nobody can shut a resident out by typing wrong passwords at their account. After a few failures
 * each further try must wait, the wait doubling up to a cap: per login name (whether or not an
 * account has it, so the answer says nothing about which exist) and per address.
 */
export type ThrottlePolicy = { accountFree: number; ipFree: number; baseMs: number; maxMs: number };

/** The policy from the settings' variables (read once, by loadConfig); with none, the defaults. */
export function throttlePolicy(env: Record<string, string | undefined> = {}): ThrottlePolicy {
  return {
    /** failures for one login name (since its last success, within a day) that cost nothing */
    accountFree: Number(env.LOGIN_FREE_FAILURES ?? 5),
    /** failures from one address within an hour that cost nothing (neighbours share addresses) */
    ipFree: Number(env.LOGIN_FREE_FAILURES_PER_IP ?? 20),
    baseMs: Number(env.LOGIN_DELAY_SECONDS ?? 30) * 1000,
    maxMs: Number(env.LOGIN_DELAY_MAX_MINUTES ?? 15) * 60_000,
  };
}

/** Attempts that count as failures; "throttled" ones, refused unchecked, do not. */
export const FAILURE_REASONS = ["password", "unknown", "reset"] as const;
export type AttemptReason = (typeof FAILURE_REASONS)[number] | "throttled";

/** The wait after `failures` failures in a row: nothing for the free ones, then base, 2×base, 4×base … up to the cap. */
export function delayAfter(failures: number, free: number, policy = throttlePolicy()) {
  if (failures < free) return 0;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - free, 30));
}

/** What attempts are counted under: the login as parsed (phone digits, lower-case username), else the cleaned input. */
export function attemptKey(raw: string) {
  return parseLogin(raw)?.value ?? stripControl(raw).trim().toLowerCase().slice(0, 64);
}

/**
 * Serialises attempts on one login name for the rest of the transaction, so parallel requests
 * cannot all pass the throttle on the same count.
 */
export async function lockAttempts(tx: Db, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`attempts:${key}`}, 0))`);
}

const failureList = sql.raw(FAILURE_REASONS.map((r) => `'${r}'`).join(", "));

/**
 * How long (ms) before the next attempt on `key` from `ip` may be checked (0: now), and how many
 * failures in a row the login name has so far.
 */
export async function throttleState(db: Db, key: string, ip: string | null | undefined, now: Date, policy: ThrottlePolicy = throttlePolicy()) {
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const [row] = rowsOf<{ n: number | string; last: string | Date | null; ipN: number | string; ipLast: string | Date | null }>(
    await db.execute(sql`
      with since as (
        select greatest(${dayAgo}::timestamptz,
               coalesce((select max(created_at) from login_attempts where identifier = ${key} and success), '-infinity'::timestamptz)) as t
      )
      select
        (select count(*) from login_attempts, since
          where identifier = ${key} and not success and reason in (${failureList}) and created_at > since.t) as n,
        (select max(created_at) from login_attempts, since
          where identifier = ${key} and not success and reason in (${failureList}) and created_at > since.t) as last,
        (select count(*) from login_attempts
          where ${ip ?? null}::text is not null and ip = ${ip ?? null} and not success and reason in (${failureList}) and created_at > ${hourAgo}::timestamptz) as "ipN",
        (select max(created_at) from login_attempts
          where ${ip ?? null}::text is not null and ip = ${ip ?? null} and not success and reason in (${failureList}) and created_at > ${hourAgo}::timestamptz) as "ipLast"`),
  );
  const waitFor = (n: number, last: string | Date | null, free: number) => {
    const delay = delayAfter(n, free, policy);
    // never longer than the delay itself, even if the last failure carries a later time than now
    return delay && last ? Math.min(delay, Math.max(0, delay - (now.getTime() - new Date(last).getTime()))) : 0;
  };
  return {
    wait: Math.max(waitFor(Number(row.n), row.last, policy.accountFree), waitFor(Number(row.ipN), row.ipLast, policy.ipFree)),
    failures: Number(row.n),
  };
}

/** Records one attempt (success, or the reason it failed). */
export async function recordAttempt(
  db: Db,
  a: { userId: number | null; key: string; ip: string | null | undefined; success: boolean; reason: AttemptReason | null; at: Date },
) {
  await db.insert(loginAttempts).values({ userId: a.userId, identifier: a.key, ip: a.ip ?? null, success: a.success, reason: a.reason, createdAt: a.at });
}

/** Whole minutes to tell a person to wait (at least one). */
export const waitMinutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
