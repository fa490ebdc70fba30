import { createHash, randomInt } from "node:crypto";
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { areas, memberships, passwordResets, roleGrants, sessions, users } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { can } from "./permissions";
import { hashPassword } from "./passwords.server";
import { findUserByLogin } from "./lookup.server";
import { parseLogin, type IssueResetSchema, type RedeemResetSchema } from "./schemas";
import { attemptKey, lockAttempts, recordAttempt, throttleState, waitMinutes } from "./throttle.server";

/** How long an issued code stays good. */
export const RESET_TTL_MS = 24 * 3_600_000;

/** Twelve random digits, shown as "1234 5678 9012": easy to read out and to type on a phone. */
export function newResetCode() {
  const digits = String(randomInt(0, 1_000_000_000_000)).padStart(12, "0");
  return digits.replace(/(\d{4})(?=\d)/g, "$1 ");
}

const codeHash = (digits: string) => createHash("sha256").update(`reset:${digits}`).digest("hex");

/** "138****8000" for a phone, the username as it is: enough for the committee to tell people apart. */
function shownLogin(u: { phone: string | null; username: string | null }) {
  return u.phone ? `${u.phone.slice(0, 3)}****${u.phone.slice(-4)}` : (u.username ?? "");
}

async function community(ctx: CommandContext, communityId: number) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, communityId));
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  return area;
}

function requireIssuer(ctx: CommandContext, area: { id: number; path: string; kind: "county" | "town" | "community" }) {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "account.issueReset", { type: "area", id: area.id, path: area.path, kind: area.kind })) throw new DomainError("forbidden", "errors.forbidden");
  return ctx.actor;
}

const isStaff = sql<boolean>`exists (select 1 from ${roleGrants} where ${roleGrants.userId} = ${users.id})`;

/** The verified residents of a community a committee member may issue a reset code for, with any code still live. */
export async function listResetTargets(ctx: CommandContext, communityId: number) {
  const area = await community(ctx, communityId);
  const actor = requireIssuer(ctx, area);
  const now = ctx.clock.now();
  const rows = await ctx.db
    .select({
      userId: users.id,
      displayName: users.displayName,
      phone: users.phone,
      username: users.username,
      address: memberships.address,
      staff: isStaff,
      liveUntil: sql<string | null>`(select max(${passwordResets.expiresAt}) from ${passwordResets}
        where ${passwordResets.userId} = ${users.id} and ${passwordResets.usedAt} is null and ${passwordResets.revokedAt} is null
          and ${passwordResets.expiresAt} > ${now.toISOString()}::timestamptz)`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.communityId, communityId), eq(memberships.status, "verified")))
    .orderBy(asc(users.displayName), asc(users.id))
    .limit(1000);
  return {
    area: { id: area.id, name: area.name },
    residents: rows.map((r) => ({
      userId: r.userId,
      displayName: r.displayName,
      login: shownLogin(r),
      address: r.address,
      liveUntil: r.liveUntil ? new Date(r.liveUntil).toISOString() : null,
      allowed: can(actor, "account.issueReset", { type: "account", userId: r.userId, communityId, communityPath: area.path, verified: true, staff: !!r.staff }),
    })),
  };
}

/** One resident as the confirm step shows them; refused unless a code may be issued for them. */
export async function getResetTarget(ctx: CommandContext, communityId: number, userId: number) {
  const area = await community(ctx, communityId);
  const actor = requireIssuer(ctx, area);
  const [row] = await ctx.db
    .select({ userId: users.id, displayName: users.displayName, phone: users.phone, username: users.username, address: memberships.address, status: memberships.status, staff: isStaff })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.communityId, communityId), eq(memberships.userId, userId)));
  if (!row) throw new DomainError("not_found", "errors.userNotFound");
  const resource = { type: "account" as const, userId, communityId, communityPath: area.path, verified: row.status === "verified", staff: !!row.staff };
  if (!can(actor, "account.issueReset", resource)) throw new DomainError("forbidden", "errors.resetNotAllowed");
  return { area: { id: area.id, name: area.name }, resident: { userId: row.userId, displayName: row.displayName, login: shownLogin(row), address: row.address } };
}

/**
 * A committee member issues a one-time reset code for a verified resident of their community,
 * who stands in front of them. The code is returned once and only its hash is kept; any older
 * code of the resident stops working; the community's ledger records who issued it for whom.
 */
export async function issueResetCode(ctx: CommandContext, communityId: number, input: z.output<typeof IssueResetSchema>) {
  const { area, resident } = await getResetTarget(ctx, communityId, input.userId);
  const actor = ctx.actor!;
  const now = ctx.clock.now();
  const code = newResetCode();
  const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
  await inTransaction(ctx, async (tx) => {
    const superseded = await tx
      .update(passwordResets)
      .set({ revokedAt: now })
      .where(and(eq(passwordResets.userId, resident.userId), isNull(passwordResets.usedAt), isNull(passwordResets.revokedAt)))
      .returning({ id: passwordResets.id });
    const [row] = await tx
      .insert(passwordResets)
      .values({ userId: resident.userId, codeHash: codeHash(code.replace(/\s/g, "")), issuedBy: actor.id, communityId, createdAt: now, expiresAt })
      .returning({ id: passwordResets.id });
    await appendLedger(tx, {
      stream: `area:${area.id}`,
      actorId: actor.id,
      action: "account.reset_issued",
      entityType: "user",
      entityId: resident.userId,
      summary: { resetId: row.id, expiresAt: expiresAt.toISOString(), superseded: superseded.length },
      at: now,
    });
  });
  return { code, expiresAt, resident };
}

/**
 * The resident sets a new password with a code. A wrong or unknown login name, a wrong, used,
 * superseded or expired code all get one answer; tries are throttled like sign-in. On success the
 * code is spent, every session of the account ends and the ledger records it.
 */
export async function redeemResetCode(ctx: CommandContext, input: z.output<typeof RedeemResetSchema>) {
  const now = ctx.clock.now();
  const key = attemptKey(input.identifier);
  const login = parseLogin(input.identifier);
  // hashed before anything is looked up, so a miss takes as long as a hit
  const passwordHash = await hashPassword(input.password);
  const outcome = await inTransaction(ctx, async (tx) => {
    await lockAttempts(tx, key);
    const { wait } = await throttleState(tx, key, ctx.ip, now, ctx.settings?.throttle);
    if (wait > 0) {
      await recordAttempt(tx, { userId: null, key, ip: ctx.ip, success: false, reason: "throttled", at: now });
      return { kind: "throttled" as const, wait };
    }
    const user = login ? await findUserByLogin(tx, login) : null;
    const [reset] = user
      ? await tx
          .update(passwordResets)
          .set({ usedAt: now })
          .where(
            and(
              eq(passwordResets.userId, user.id),
              eq(passwordResets.codeHash, codeHash(input.code)),
              isNull(passwordResets.usedAt),
              isNull(passwordResets.revokedAt),
              gt(passwordResets.expiresAt, now),
            ),
          )
          .returning({ id: passwordResets.id, issuedBy: passwordResets.issuedBy, communityId: passwordResets.communityId })
      : [];
    if (!user || !reset) {
      await recordAttempt(tx, { userId: user?.id ?? null, key, ip: ctx.ip, success: false, reason: "reset", at: now });
      return { kind: "bad" as const };
    }
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    await recordAttempt(tx, { userId: user.id, key, ip: ctx.ip, success: true, reason: null, at: now });
    await appendLedger(tx, {
      stream: `user:${user.id}`,
      actorId: user.id,
      action: "account.reset_used",
      entityType: "user",
      entityId: user.id,
      summary: { resetId: reset.id, issuedBy: reset.issuedBy, communityId: reset.communityId, sessionsEnded: ended.length },
      at: now,
    });
    return { kind: "ok" as const, userId: user.id };
  });
  if (outcome.kind === "throttled") throw new DomainError("rate_limited", "errors.tooManyAttempts", { minutes: waitMinutes(outcome.wait) });
  if (outcome.kind === "bad") throw new DomainError("validation", "errors.resetInvalid", {}, "code");
  return { userId: outcome.userId };
}
