import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { ledgerEntries, loginAttempts } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { context, makeUser, PASSWORD } from "../../../tests/support/factories";
import { DomainError } from "../shared/errors";
import { httpStatusOf } from "../../web/errors.server";
import { logIn } from "./auth.server";
import { getSessionActor } from "./sessions.server";
import { delayAfter, throttlePolicy } from "./throttle.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/** What a client would see: the HTTP status and message key (or "ok"). */
async function answer(p: Promise<unknown>) {
  try {
    await p;
    return { status: 200, key: "ok" };
  } catch (e) {
    if (e instanceof DomainError) return { status: httpStatusOf[e.code], key: e.messageKey, params: e.params };
    throw e;
  }
}

let ipSeq = 0;
/** A context on the fixed clock with an address of its own, so the per-address throttle of one test does not reach another. */
function fresh() {
  const c = context(database.db, null);
  c.ctx.ip = `198.51.100.${++ipSeq}`;
  return c;
}

describe("sign-in throttle (no lockout, no enumeration)", () => {
  it("answers a real account and an unknown one alike, five wrong passwords and after", async () => {
    await makeUser(database.db, { username: "real_person" });
    const { ctx } = fresh();
    const real: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      real.push(await answer(logIn(ctx, { identifier: "real_person", password: "wrong guess" })));
      unknown.push(await answer(logIn(ctx, { identifier: "no_such_person", password: "wrong guess" })));
    }
    expect(real).toEqual(unknown);
    expect(real.slice(0, 5)).toEqual(Array(5).fill({ status: 400, key: "errors.badCredentials", params: {} }));
    expect(real[5]).toEqual({ status: 429, key: "errors.tooManyAttempts", params: { minutes: 1 } });
    expect(real.map((r) => (r as { status: number }).status)).not.toContain(423);
  });

  it("never locks the owner out: after the short wait the right password works, however often an attacker tried meanwhile", async () => {
    const u = await makeUser(database.db, { username: "victim_one" });
    const { ctx, clock } = fresh();
    for (let i = 0; i < 5; i++) await answer(logIn(ctx, { identifier: "victim_one", password: "attacker guess" }));
    // hammering during the wait is refused unchecked and does not lengthen it
    for (let i = 0; i < 20; i++) {
      clock.advance(1000);
      expect((await answer(logIn(ctx, { identifier: "victim_one", password: "attacker guess" }))).status).toBe(429);
    }
    clock.advance(throttlePolicy().baseMs - 20_000);
    const { token } = await logIn(ctx, { identifier: "victim_one", password: PASSWORD });
    expect(await getSessionActor(database.db, token, clock.now())).toMatchObject({ id: u.id });
    const throttled = await database.db
      .select()
      .from(loginAttempts)
      .where(and(eq(loginAttempts.identifier, "victim_one"), eq(loginAttempts.reason, "throttled")));
    expect(throttled).toHaveLength(20);
    const ledger = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.stream, `user:${u.id}`));
    expect(ledger.map((l) => l.action)).toEqual(["account.throttled"]);
  });

  it("doubles the wait with each further failure, up to the cap, and a success starts over", async () => {
    const policy = throttlePolicy();
    expect([4, 5, 6, 7, 40].map((n) => delayAfter(n, 5, policy))).toEqual([0, policy.baseMs, 2 * policy.baseMs, 4 * policy.baseMs, policy.maxMs]);
    await makeUser(database.db, { username: "slow_down" });
    const { ctx, clock } = fresh();
    for (let i = 0; i < 5; i++) await answer(logIn(ctx, { identifier: "slow_down", password: "wrong guess" }));
    clock.advance(policy.baseMs);
    expect((await answer(logIn(ctx, { identifier: "slow_down", password: "wrong guess" }))).status).toBe(400); // sixth failure
    clock.advance(policy.baseMs);
    expect(await answer(logIn(ctx, { identifier: "slow_down", password: PASSWORD }))).toMatchObject({ status: 429, params: { minutes: 1 } });
    clock.advance(policy.baseMs);
    expect((await answer(logIn(ctx, { identifier: "slow_down", password: PASSWORD }))).status).toBe(200);
    // the count starts over after a success
    expect((await answer(logIn(ctx, { identifier: "slow_down", password: "wrong guess" }))).status).toBe(400);
    expect((await answer(logIn(ctx, { identifier: "slow_down", password: PASSWORD }))).status).toBe(200);
  });

  it("throttles one address trying many names, and not the same names from elsewhere", async () => {
    const { ipFree, baseMs } = throttlePolicy();
    const { ctx, clock } = fresh();
    const names = Array.from({ length: ipFree }, (_, i) => `sprayed_${i}`);
    for (const n of names) expect((await answer(logIn(ctx, { identifier: n, password: "Summer2026!" }))).status).toBe(400);
    const u = await makeUser(database.db, { username: "sprayed_target" });
    expect((await answer(logIn(ctx, { identifier: "sprayed_target", password: PASSWORD }))).status).toBe(429);
    const elsewhere = fresh();
    elsewhere.clock.advance(clock.now().getTime() - elsewhere.clock.now().getTime());
    await expect(logIn(elsewhere.ctx, { identifier: "sprayed_target", password: PASSWORD })).resolves.toMatchObject({ userId: u.id });
    clock.advance(baseMs);
    expect((await answer(logIn(ctx, { identifier: "sprayed_target", password: PASSWORD }))).status).toBe(200);
  });

  it("counts a phone number however it was typed as one login name", async () => {
    await makeUser(database.db, { phone: "13700137000" });
    const { ctx } = fresh();
    for (const typed of ["137 0013 7000", "+8613700137000", "137-0013-7000", "13700137000", "+86 137 0013 7000"]) {
      expect((await answer(logIn(ctx, { identifier: typed, password: "wrong guess" }))).status).toBe(400);
    }
    expect((await answer(logIn(ctx, { identifier: "13700137000", password: PASSWORD }))).status).toBe(429);
  });
});
