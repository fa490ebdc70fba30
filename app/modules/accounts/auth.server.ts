import { and, eq, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { sqlState } from "../../../db/client";
import { sessions, users } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { can } from "./permissions";
import { insertAccount } from "./accounts.server";
import { loginWhere } from "./lookup.server";
import { DUMMY_HASH, hashPassword, verifyPassword } from "./passwords.server";
import { ChangePasswordSchema, LogInSchema, parseLogin, SignUpSchema } from "./schemas";
import { createSession, revokeSession, tokenId } from "./sessions.server";
import { attemptKey, lockAttempts, recordAttempt, throttlePolicy, throttleState, waitMinutes, type AttemptReason } from "./throttle.server";


/** Creates an account and signs it in. A taken phone or username is a field error, not a crash. */
export async function signUp(ctx: CommandContext, input: z.output<typeof SignUpSchema>, userAgent?: string | null) {
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  try {
    const user = await inTransaction(ctx, async (tx) => {
      const u = await insertAccount(tx, input, passwordHash, now);
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
    const session = await createSession(ctx.db, user.id, now, userAgent, ctx.settings?.sessions);
    return { userId: user.id, ...session };
  } catch (e) {
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "errors.loginTaken", {}, "identifier");
    throw e;
  }
}

/**
 * Checks a password and opens a fresh session (rotation: the old token, if any, is revoked).
 * Every attempt is recorded. There is no lock: after a few failures on one login name, or from
 * one address, further tries wait a growing delay (throttle.server.ts). An unknown login name and
 * a wrong password get the same answer, and so do their throttles.
 */
export async function logIn(ctx: CommandContext, input: z.output<typeof LogInSchema>, opts: { previousToken?: string; userAgent?: string | null } = {}) {
  const now = ctx.clock.now();
  const login = parseLogin(input.identifier);
  const key = attemptKey(input.identifier);
  const outcome = await inTransaction(ctx, async (tx) => {
    await lockAttempts(tx, key);
    const record = (userId: number | null, success: boolean, reason: AttemptReason | null) =>
      recordAttempt(tx, { userId, key, ip: ctx.ip, success, reason, at: now });
    const { wait, failures } = await throttleState(tx, key, ctx.ip, now, ctx.settings?.throttle);
    if (wait > 0) {
      await record(null, false, "throttled");
      return { kind: "throttled" as const, wait };
    }
    const [user] = login ? await tx.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(loginWhere(login)).limit(1) : [];
    if (!(await verifyPassword(user?.passwordHash ?? DUMMY_HASH, input.password)) || !user) {
      await record(user?.id ?? null, false, user ? "password" : "unknown");
      // the ledger notes when a real account starts being throttled (never shown to the one trying)
      if (user && failures + 1 === (ctx.settings?.throttle ?? throttlePolicy()).accountFree) {
        await appendLedger(tx, {
          stream: `user:${user.id}`,
          actorId: null,
          action: "account.throttled",
          entityType: "user",
          entityId: user.id,
          summary: { failures: failures + 1, ip: ctx.ip ?? null },
          at: now,
        });
      }
      return { kind: "bad" as const };
    }
    await record(user.id, true, null);
    return { kind: "ok" as const, userId: user.id };
  });
  if (outcome.kind === "throttled") throw new DomainError("rate_limited", "errors.tooManyAttempts", { minutes: waitMinutes(outcome.wait) });
  if (outcome.kind === "bad") throw new DomainError("validation", "errors.badCredentials", {}, "identifier");
  if (opts.previousToken) await revokeSession(ctx.db, opts.previousToken, now);
  const session = await createSession(ctx.db, outcome.userId, now, opts.userAgent, ctx.settings?.sessions);
  return { userId: outcome.userId, ...session };
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
