/**
 * Irreversible commands confirm on the server, not only in the page: a plain form post (no
 * JavaScript, or a script) that skips the confirmation step is answered with that step — the
 * page with "确定要…吗？" and the real form — and nothing changes; with `confirm=yes` it runs.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { matters } from "../../db/schema";
import { testDatabase } from "../support/db";
import { startApp } from "../support/app-server";
import { grant, makeCategory, makeTree, makeUser } from "../support/factories";
import { cookieOf } from "../support/room-sockets";

let database: Database;
let app: Awaited<ReturnType<typeof startApp>>;
let matterId: number;
let cookie: string;
beforeAll(async () => {
  database = await testDatabase();
  app = await startApp(database);
  const tree = await makeTree(database.db);
  const committee = await makeUser(database.db, { name: "陈委员" });
  await grant(database.db, committee.id, "committee", tree.a1.id);
  cookie = await cookieOf(database.db, committee.id);
  const proposer = await makeUser(database.db);
  const category = await makeCategory(database.db, tree.county.id);
  const [m] = await database.db
    .insert(matters)
    .values({ title: "路灯不亮", description: "东门路灯坏了一个月", affectedArea: "东门", desiredOutcome: "修好路灯", categoryId: category.id, communityId: tree.a1.id, proposerId: proposer.id, state: "under_review", threshold: 1 })
    .returning();
  matterId = m.id;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (path: string, body: Record<string, string>) =>
  fetch(app.origin + path, {
    method: "POST",
    redirect: "manual",
    headers: { origin: app.origin, cookie, "content-type": "application/x-www-form-urlencoded", "accept-language": "zh-CN" },
    body: new URLSearchParams(body).toString(),
  });
const stateOf = async () => (await database.db.select().from(matters).where(eq(matters.id, matterId)))[0].state;

describe("irreversible commands confirm on the server", () => {
  it("a rejection posted without the confirmation step gets the confirmation page, not a change; with confirm=yes it runs", async () => {
    const reason = "属于物业合同纠纷，已转交业委会";
    for (const confirm of [undefined, "", "no", "YES"]) {
      const r = await post(`/matters/${matterId}`, { intent: "command", command: "reject", reason, ...(confirm === undefined ? {} : { confirm }) });
      expect(r.status, String(confirm)).toBe(428);
      const html = await r.text();
      expect(html).toContain("确定要不予受理吗？"); // the second step, open
      expect(html).toContain("这一步不能撤销，请先确认。");
      expect(html).toMatch(/<input type="hidden" name="confirm" value="yes"\/?>/);
      expect(html).not.toContain("系统出错了");
      expect(await stateOf()).toBe("under_review");
    }
    const ok = await post(`/matters/${matterId}`, { intent: "command", command: "reject", reason, confirm: "yes" });
    expect(ok.status).toBe(302);
    expect(await stateOf()).toBe("rejected");
  });
});
