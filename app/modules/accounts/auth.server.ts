import { and, eq, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { sqlState } from "../../../db/client";
import { loginAttempts, sessions, users } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { stripControl } from "../shared/validation";
import { can } from "./permissions";
import { DUMMY_HASH, hashPassword, verifyPassword } from "./passwords.server";
import { ChangePasswordSchema, LogInSchema, parseLogin, SignUpSchema, type Login } from "./schemas";
import { createSession, revokeSession, tokenId } from "./sessions.server";

export function lockPolicy() {
  return {
    maxFailures: Number(process.env.LOGIN_MAX_FAILURES ?? 5),
    lockMinutes: Number(process.env.LOGIN_LOCK_MINUTES ?? 15),
  };
}

function loginColumn(login: Login) {
  return login.kind === "phone" ? eq(users.phone, login.value) : eq(users.username, login.value);
}

/** Creates an account and signs it in. A taken phone or username is a field error, not a crash. */
export async function signUp(ctx: CommandContext, input: z.output<typeof SignUpSchema>, userAgent?: string | null) {
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  try {
    const user = await inTransaction(ctx, async (tx) => {
      const [u] = await tx
        .insert(users)
        .values({
          phone: input.identifier.kind === "phone" ? input.identifier.value : null,
          username: input.identifier.kind === "username" ? input.identifier.value : null,
          displayName: input.displayName,
          passwordHash,
          createdAt: now,
        })
        .returning({ id: users.id });
      await appendLedger(tx, {
        stream: `user:${u.id}`,
        actorId: u.id,
        action: "account.created",
        entityType: "user",
        entityId: u.id,
        summary: { after: { displayName: input.displayName, login: input.identifier.kind } },
        at: now,
      });
      return u;
    });
    const session = await createSession(ctx.db, user.id, now, userAgent);
    return { userId: user.id, ...session };
  } catch (e) {
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "errors.loginTaken", {}, "identifier");
    throw e;
  }
}

/**
 * Checks a password and opens a fresh session (rotation: the old token, if any, is revoked).
 * Every attempt is recorded; after `maxFailures` failures in a row the account locks for a while.
 */
export async function logIn(ctx: CommandContext, input: z.output<typeof LogInSchema>, opts: { previousToken?: string; userAgent?: string | null } = {}) {
  const now = ctx.clock.now();
  const login = parseLogin(input.identifier);
  const identifier = stripControl(input.identifier).trim().slice(0, 64);
  const [user] = login ? await ctx.db.select().from(users).where(loginColumn(login)).limit(1) : [];
  const record = (success: boolean, reason: string | null) =>
    ctx.db.insert(loginAttempts).values({ userId: user?.id ?? null, identifier, ip: ctx.ip ?? null, success, reason, createdAt: now });

  if (!user) {
    await verifyPassword(DUMMY_HASH, input.password);
    await record(false, "unknown");
    throw new DomainError("validation", "errors.badCredentials", {}, "identifier");
  }
  const { maxFailures, lockMinutes } = lockPolicy();
  if (user.lockedUntil && user.lockedUntil > now) {
    await record(false, "locked");
    const minutes = Math.max(1, Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 60_000));
    throw new DomainError("locked", "errors.accountLocked", { minutes });
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    const locked = await inTransaction(ctx, async (tx) => {
      const [u] = await tx
        .update(users)
        .set({ failedLogins: sql`${users.failedLogins} + 1` })
        .where(eq(users.id, user.id))
        .returning({ failedLogins: users.failedLogins });
      await tx.insert(loginAttempts).values({ userId: user.id, identifier, ip: ctx.ip ?? null, success: false, reason: "password", createdAt: now });
      if (u.failedLogins < maxFailures) return false;
      const until = new Date(now.getTime() + lockMinutes * 60_000);
      await tx.update(users).set({ failedLogins: 0, lockedUntil: until }).where(eq(users.id, user.id));
      await appendLedger(tx, {
        stream: `user:${user.id}`,
        actorId: null,
        action: "account.locked",
        entityType: "user",
        entityId: user.id,
        summary: { failures: u.failedLogins, until: until.toISOString(), ip: ctx.ip ?? null },
        at: now,
      });
      return true;
    });
    if (locked) throw new DomainError("locked", "errors.accountLocked", { minutes: lockMinutes });
    throw new DomainError("validation", "errors.badCredentials", {}, "identifier");
  }
  await ctx.db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
  await record(true, null);
  if (opts.previousToken) await revokeSession(ctx.db, opts.previousToken, now);
  const session = await createSession(ctx.db, user.id, now, opts.userAgent);
  return { userId: user.id, ...session };
}

export async function logOut(ctx: CommandContext, token: string | undefined) {
  if (token) await revokeSession(ctx.db, token, ctx.clock.now());
}

/** Changes the password and signs out every other session of the account. */
export async function changePassword(ctx: CommandContext, input: z.output<typeof ChangePasswordSchema>, currentToken: string) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(actor, "account.update", { type: "user", id: actor.id })) throw new DomainError("forbidden", "errors.forbidden");
  const [user] = await ctx.db.select().from(users).where(eq(users.id, actor.id));
  if (!user || !(await verifyPassword(user.passwordHash, input.current))) {
    throw new DomainError("validation", "errors.wrongPassword", {}, "current");
  }
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  await inTransaction(ctx, async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
    await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, actor.id), ne(sessions.id, tokenId(currentToken)), sql`${sessions.revokedAt} is null`));
    await appendLedger(tx, {
      stream: `user:${actor.id}`,
      actorId: actor.id,
      action: "account.password_changed",
      entityType: "user",
      entityId: actor.id,
      summary: {},
      at: now,
    });
  });
}
