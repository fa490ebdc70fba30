import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, loginAttempts, sessions, users } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { context, makeUser, PASSWORD } from "../../../tests/support/factories";
import { DomainError } from "../shared/errors";
import { changePassword, logIn, signUp } from "./auth.server";
import { LogInSchema, parseLogin, SignUpSchema } from "./schemas";
import { getSessionActor, getSessionActors, revokeSession } from "./sessions.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

const signUpInput = (identifier: string, password = "a long passphrase") => SignUpSchema.parse({ identifier, displayName: "王阿姨", password, confirm: password });

async function domainError(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
}

describe("login identifiers", () => {
  it("accepts mainland mobile numbers with +86 and separators, and usernames case-insensitively", () => {
    expect(parseLogin("138 0013 8000")).toEqual({ kind: "phone", value: "13800138000" });
    expect(parseLogin("+8613800138000")).toEqual({ kind: "phone", value: "13800138000" });
    expect(parseLogin("Wang_Ayi")).toEqual({ kind: "username", value: "wang_ayi" });
  });
  it("rejects numbers that are not mainland mobiles and odd usernames", () => {
    for (const bad of ["12345", "12800138000", "1380013800", "23800138000", "_x", "ab", "a b c", "<script>", "' or 1=1 --"]) {
      expect(parseLogin(bad), bad).toBeNull();
    }
  });
  it("sign-up needs 8+ characters and allows long passphrases", () => {
    expect(SignUpSchema.safeParse({ identifier: "abc", displayName: "x", password: "short", confirm: "short" }).success).toBe(false);
    const long = "我家门口的路灯坏了三个月 please fix it ".repeat(5);
    expect(SignUpSchema.safeParse({ identifier: "abc", displayName: "x", password: long, confirm: long }).success).toBe(true);
  });
});

describe("sign-up", () => {
  it("creates an account, stores an argon2id hash, signs in and writes the ledger", async () => {
    const { ctx } = context(database.db, null);
    const r = await signUp(ctx, signUpInput("13912345678"));
    const [u] = await database.db.select().from(users).where(eq(users.id, r.userId));
    expect(u.phone).toBe("13912345678");
    expect(u.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await getSessionActor(database.db, r.token, ctx.clock.now())).toMatchObject({ id: r.userId });
    const ledger = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.stream, `user:${r.userId}`));
    expect(ledger.map((l) => l.action)).toEqual(["account.created"]);
    expect(JSON.stringify(ledger)).not.toContain("argon2");
  });

  it("refuses a taken phone number with a field error and creates nothing", async () => {
    const { ctx } = context(database.db, null);
    const before = (await database.db.select().from(users)).length;
    const e = await domainError(signUp(ctx, signUpInput("139 1234 5678")));
    expect(e).toMatchObject({ code: "conflict", messageKey: "errors.loginTaken", field: "identifier" });
    expect((await database.db.select().from(users)).length).toBe(before);
  });
});

describe("log in", () => {
  it("opens a new session and revokes the previous token (rotation)", async () => {
    const u = await makeUser(database.db, { username: "rotate_me" });
    const { ctx } = context(database.db, null);
    const first = await logIn(ctx, LogInSchema.parse({ identifier: "Rotate_Me", password: PASSWORD }));
    const second = await logIn(ctx, LogInSchema.parse({ identifier: "rotate_me", password: PASSWORD }), { previousToken: first.token });
    expect(second.token).not.toBe(first.token);
    expect(await getSessionActor(database.db, first.token, ctx.clock.now())).toBeNull();
    expect(await getSessionActor(database.db, second.token, ctx.clock.now())).toMatchObject({ id: u.id });
  });

  it("gives the same message for an unknown account and a wrong password, and records both", async () => {
    await makeUser(database.db, { username: "known_user" });
    const { ctx } = context(database.db, null);
    const a = await domainError(logIn(ctx, { identifier: "nobody_here", password: "whatever1" }));
    const b = await domainError(logIn(ctx, { identifier: "known_user", password: "wrong password" }));
    expect(a.messageKey).toBe("errors.badCredentials");
    expect(b.messageKey).toBe("errors.badCredentials");
    const attempts = await database.db.select().from(loginAttempts);
    expect(attempts.filter((x) => x.identifier === "nobody_here" && !x.success)).toHaveLength(1);
    expect(attempts.filter((x) => x.identifier === "known_user" && x.reason === "password")).toHaveLength(1);
  });
});

describe("sessions", () => {
  it("expire after the idle timeout and after the absolute timeout", async () => {
    const u = await makeUser(database.db);
    const { ctx } = context(database.db, null);
    const { token } = await logIn(ctx, { identifier: u.username!, password: PASSWORD });
    const t0 = ctx.clock.now().getTime();
    expect(await getSessionActor(database.db, token, new Date(t0 + 6 * 86_400_000))).not.toBeNull();
    // used on day 6, so idle counts from there: day 12 is fine, day 20 (8 idle days) is not
    expect(await getSessionActor(database.db, token, new Date(t0 + 12 * 86_400_000))).not.toBeNull();
    expect(await getSessionActor(database.db, token, new Date(t0 + 20 * 86_400_000))).toBeNull();

    const again = await logIn(ctx, { identifier: u.username!, password: PASSWORD });
    for (let day = 5; day < 30; day += 5) expect(await getSessionActor(database.db, again.token, new Date(t0 + day * 86_400_000))).not.toBeNull();
    expect(await getSessionActor(database.db, again.token, new Date(t0 + 31 * 86_400_000))).toBeNull();
  });

  it("ignores tokens that are unknown or absurdly long", async () => {
    expect(await getSessionActor(database.db, "nope", new Date())).toBeNull();
    expect(await getSessionActor(database.db, "x".repeat(10_000), new Date())).toBeNull();
  });

  it("many tokens in one lookup: each answered in its place, dead ones as null", async () => {
    const [a, b] = [await makeUser(database.db), await makeUser(database.db)];
    const { ctx } = context(database.db, null);
    const ta = (await logIn(ctx, { identifier: a.username!, password: PASSWORD })).token;
    const tb = (await logIn(ctx, { identifier: b.username!, password: PASSWORD })).token;
    const revoked = (await logIn(ctx, { identifier: b.username!, password: PASSWORD })).token;
    await revokeSession(database.db, revoked, ctx.clock.now());
    const tokens = [tb, undefined, "nope", ta, revoked, "x".repeat(200), ta];
    const now = ctx.clock.now();
    const actors = await getSessionActors(database.db, tokens, now);
    expect(actors.map((x) => x?.id ?? null)).toEqual([b.id, null, null, a.id, null, null, a.id]);
    expect(actors[0]).toMatchObject({ roles: [], memberships: [] });
  });
});

describe("change password", () => {
  it("needs the current password, then signs out every other session", async () => {
    const u = await makeUser(database.db);
    const { ctx } = context(database.db, null);
    const here = await logIn(ctx, { identifier: u.username!, password: PASSWORD });
    const elsewhere = await logIn(ctx, { identifier: u.username!, password: PASSWORD });
    const actor = (await getSessionActor(database.db, here.token, ctx.clock.now()))!;
    const { ctx: mine } = context(database.db, actor);
    const wrong = await domainError(changePassword(mine, { current: "not it at all", password: "new passphrase", confirm: "new passphrase" }, here.token));
    expect(wrong).toMatchObject({ messageKey: "errors.wrongPassword", field: "current" });
    await changePassword(mine, { current: PASSWORD, password: "new passphrase", confirm: "new passphrase" }, here.token);
    expect(await getSessionActor(database.db, here.token, ctx.clock.now())).not.toBeNull();
    expect(await getSessionActor(database.db, elsewhere.token, ctx.clock.now())).toBeNull();
    await expect(logIn(ctx, { identifier: u.username!, password: "new passphrase" })).resolves.toBeTruthy();
    const revoked = await database.db.select().from(sessions).where(eq(sessions.userId, u.id));
    expect(revoked.filter((s) => s.revokedAt).length).toBe(1);
  });
});
