/**
 * /reset/sms without JavaScript: step one answers with step two (the same for any number), step
 * two sets the password and sends the person to sign in; without an SMS provider the page says
 * to ask the committee and the action refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { action, loader } from "../../app/routes/reset_.sms";
import { testDatabase } from "../support/db";
import { makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
  await makeUser(database.db, { phone: "13500001357" });
});
afterAll(() => database.close());

describe("the SMS reset page", () => {
  it("sends a code, then sets the new password with it", async () => {
    const inbox: string[] = [];
    const ctx = { ...loadContext(database.db, null), ip: "10.1.0.1", textMessage: async (_to: string, text: string) => void inbox.push(text) };
    expect((await callRoute(loader, { url: "/reset/sms", context: ctx })).data).toEqual({ available: true });
    const bad = await callRoute(action, { context: ctx, body: formBody({ intent: "send", phone: "12345" }) });
    expect(bad.status).toBe(400);
    expect(bad.data.result.error.phone[0]).toBe("errors.phoneInvalid");
    const sent = await callRoute(action, { context: ctx, body: formBody({ intent: "send", phone: "135 0000 1357" }) });
    expect(sent.status).toBe(200);
    expect(sent.data).toMatchObject({ intent: "send", sent: true, phone: "13500001357" });
    const code = /\d{6}/.exec(inbox[0])![0];
    const mismatch = await callRoute(action, { context: ctx, body: formBody({ intent: "reset", phone: "13500001357", code, password: "new passphrase 1", confirm: "other" }) });
    expect(mismatch.status).toBe(400);
    const done = await callRoute(action, { context: ctx, body: formBody({ intent: "reset", phone: "13500001357", code, password: "new passphrase 1", confirm: "new passphrase 1" }) });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/login?reset=1");
  });

  it("without an SMS provider, says so and refuses", async () => {
    const ctx = loadContext(database.db, null);
    expect((await callRoute(loader, { url: "/reset/sms", context: ctx })).data).toEqual({ available: false });
    const r = await callRoute(action, { context: ctx, body: formBody({ intent: "send", phone: "13500001357" }) });
    expect(r.status).toBe(409);
  });
});
