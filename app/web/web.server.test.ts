import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { testDatabase } from "../../tests/support/db";
import { context, makeUser, PASSWORD } from "../../tests/support/factories";
import { logIn } from "~/modules/accounts/auth.server";
import { SESSION_COOKIE } from "~/modules/accounts/sessions.server";
import { DomainError } from "~/modules/shared/errors";
import { resolveActor, sessionTokenOf } from "./actor.server";
import { ackError, answer, statusOf } from "./errors.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe("resolveActor: the one way in", () => {
  it("finds the actor behind a session cookie, and nobody behind a missing, unknown or oversized one", async () => {
    const u = await makeUser(database.db);
    const { ctx, clock } = context(database.db, null);
    const { token } = await logIn(ctx, { identifier: u.username!, password: PASSWORD });
    const cookie = `theme=dark; ${SESSION_COOKIE}=${token}`;
    expect(sessionTokenOf(cookie)).toBe(token);
    expect(await resolveActor(database.db, cookie, clock.now())).toMatchObject({ actor: { id: u.id }, token });
    for (const none of [undefined, "", `${SESSION_COOKIE}=`, `${SESSION_COOKIE}=nope`, `${SESSION_COOKIE}=${"x".repeat(10_000)}`]) {
      expect(await resolveActor(database.db, none, clock.now()), String(none).slice(0, 30)).toEqual({ actor: null, token: undefined });
    }
  });

  it("applies the configured session policy it is handed (settings from loadConfig), not the default", async () => {
    const u = await makeUser(database.db);
    const { ctx, clock } = context(database.db, null);
    const { token } = await logIn(ctx, { identifier: u.username!, password: PASSWORD });
    clock.advance(2 * 3_600_000);
    const cookie = `${SESSION_COOKIE}=${token}`;
    // two idle hours: live under the default week, over under a one-hour idle timeout
    expect((await resolveActor(database.db, cookie, clock.now())).actor?.id).toBe(u.id);
    const settings = { sessions: { idleMs: 3_600_000, absoluteMs: 30 * 86_400_000 } };
    clock.advance(2 * 3_600_000);
    expect(await resolveActor(database.db, cookie, clock.now(), settings)).toEqual({ actor: null, token: undefined });
  });
});

describe("one error mapping", () => {
  it("maps each DomainError code to its HTTP status", () => {
    const codes = { unauthenticated: 401, forbidden: 403, not_found: 404, invalid_state: 409, conflict: 409, validation: 400, rate_limited: 429 } as const;
    for (const [code, status] of Object.entries(codes)) expect(statusOf(new DomainError(code as keyof typeof codes, "errors.invalid")), code).toBe(status);
  });

  it("acks a DomainError with its code, key and params, and any other failure as a fault that says nothing more", async () => {
    expect(ackError(new DomainError("forbidden", "errors.forbidden", { n: 1 }))).toEqual({ ok: false, error: { code: "forbidden", message: "errors.forbidden", params: { n: 1 } } });
    const acks: unknown[] = [];
    await answer((r: unknown) => acks.push(r), async () => ({ turnout: 3 }));
    await answer((r: unknown) => acks.push(r), async () => {
      throw new Error("connection reset: secret detail");
    });
    // a client that sends no ack function gets nothing, and nothing throws
    await answer(undefined, async () => {
      throw new DomainError("not_found", "errors.notFound");
    });
    expect(acks).toEqual([{ ok: true, data: { turnout: 3 } }, { ok: false, error: { code: "internal", message: "errorPage.body.500" } }]);
  });
});
