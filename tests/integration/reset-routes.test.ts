import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import * as resets from "../../app/routes/communities.$areaId.resets";
import * as reset from "../../app/routes/reset";
import * as login from "../../app/routes/login";
import { parseMsg } from "../../app/modules/shared/validation";
import { testDatabase } from "../support/db";
import { actorOf, grant, join, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
});
afterAll(() => database.close());

/** These tests run on the system clock only (the load context's), sessions included. */
describe("reset code pages", () => {
  it("the committee lists residents, confirms, and gets the code once; the resident sets a new password with it", async () => {
    const committee = await makeUser(database.db);
    await grant(database.db, committee.id, "committee", tree.a1.id);
    const resident = await makeUser(database.db, { name: "赵奶奶" });
    await join(database.db, resident.id, tree.a1.id);
    const ctx = loadContext(database.db, await actorOf(database.db, committee.id));
    const url = `/communities/${tree.a1.id}/resets`;
    const params = { areaId: String(tree.a1.id) };

    const list = await callRoute(resets.loader, { url, params, context: ctx });
    expect(list.status).toBe(200);
    expect(list.data.residents).toEqual([expect.objectContaining({ userId: resident.id, displayName: "赵奶奶", allowed: true, liveUntil: null })]);
    expect(list.data.confirm).toBeNull();
    const confirm = await callRoute(resets.loader, { url: `${url}?user=${resident.id}`, params, context: ctx });
    expect(confirm.data.confirm).toMatchObject({ userId: resident.id, displayName: "赵奶奶" });

    const issued = await callRoute(resets.action, { url: `${url}?user=${resident.id}`, params, body: formBody({ userId: String(resident.id) }), context: ctx });
    expect(issued.status).toBe(200);
    const code: string = issued.data.issued.code;
    expect(code).toMatch(/^\d{4} \d{4} \d{4}$/);
    // not shown again: the page lists a live code, never the code
    const again = await callRoute(resets.loader, { url, params, context: ctx });
    expect(JSON.stringify(again.data)).not.toContain(code);
    expect(again.data.residents[0].liveUntil).not.toBeNull();

    const anon = loadContext(database.db, null);
    const wrong = await callRoute(reset.action, {
      body: formBody({ identifier: resident.username!, code: "1111 2222 3333", password: "my new passphrase", confirm: "my new passphrase" }),
      context: anon,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.data.result.error.code.map((m: string) => parseMsg(m).key)).toEqual(["errors.resetInvalid"]);
    const badFormat = await callRoute(reset.action, {
      body: formBody({ identifier: resident.username!, code: "12345", password: "my new passphrase", confirm: "my new passphrase" }),
      context: anon,
    });
    expect(badFormat.data.result.error.code.map((m: string) => parseMsg(m).key)).toEqual(["errors.resetCodeFormat"]);

    const ok = await callRoute(reset.action, {
      body: formBody({ identifier: resident.username!, code, password: "my new passphrase", confirm: "my new passphrase" }),
      context: anon,
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/login?reset=1");
    const signedIn = await callRoute(login.action, { url: "/login", body: formBody({ identifier: resident.username!, password: "my new passphrase" }), context: anon });
    expect(signedIn.status).toBe(302);
  });

  it("answers 403 to anyone but the community's committee, 404 for a resident of elsewhere, and a signed-out visitor goes to log in", async () => {
    const neighbour = await makeUser(database.db);
    await join(database.db, neighbour.id, tree.a2.id);
    const params = { areaId: String(tree.a2.id) };
    const url = `/communities/${tree.a2.id}/resets`;
    const asNeighbour = loadContext(database.db, await actorOf(database.db, neighbour.id));
    expect((await callRoute(resets.loader, { url, params, context: asNeighbour })).status).toBe(403);
    const post = await callRoute(resets.action, { url, params, body: formBody({ userId: String(neighbour.id) }), context: asNeighbour });
    expect(post.status).toBe(403);
    expect(post.data.issued).toBeUndefined();
    const out = await callRoute(resets.loader, { url, params, context: loadContext(database.db, null) });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toContain("/login?next=");

    const committee = await makeUser(database.db);
    await grant(database.db, committee.id, "committee", tree.a2.id);
    const stranger = await makeUser(database.db);
    const c = loadContext(database.db, await actorOf(database.db, committee.id));
    expect((await callRoute(resets.loader, { url: `${url}?user=${stranger.id}`, params, context: c })).status).toBe(404);
    expect((await callRoute(resets.loader, { url: `${url}?user=abc`, params, context: c })).status).toBe(404);
  });
});
