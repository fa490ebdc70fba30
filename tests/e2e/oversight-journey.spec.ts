/**
 * Oversight end to end (issue 19): the demo's supervision committee (supervisor_a) files an objection
 * (质询) on 幸福里社区's matter being implemented; the committee sees it flagged and answers in public;
 * a visitor who never signs in reads both on the 居务公开 page. Needs the demo data on PostgreSQL
 * (DATABASE_URL) to find the matter:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishi_e2e_oversight npx playwright test -c .config/playwright.config.ts tests/e2e/oversight-journey.spec.ts
 */
import postgres from "postgres";
import { expect, test } from "@playwright/test";
import { COMMUNITY_NAME, DEMO_PASSWORD, expectAccessible, field, logInInPage, newContext } from "./support";

const url = process.env.DATABASE_URL;

test.describe("oversight", () => {
  test.skip(!url, "needs the server on PostgreSQL (DATABASE_URL); see the header of this file");

  test("the supervision committee objects, the committee answers in public, a visitor reads both", async ({ browser, baseURL, page: supervisor }) => {
    test.setTimeout(180_000);
    const sql = postgres(url!, { max: 1, onnotice: () => {} });
    const [m] = await sql<{ id: number; communityId: number }[]>`select id, community_id as "communityId" from matters where title = '儿童游乐设施老化'`;
    const [c] = await sql<{ id: number }[]>`select id from areas where name = ${COMMUNITY_NAME}`;
    const words = `请公开游乐设施采购的三家报价 ${Date.now().toString(36)}`;

    await logInInPage(supervisor, "supervisor_a", DEMO_PASSWORD);
    await supervisor.goto(`/matters/${m.id}`);
    await supervisor.getByRole("link", { name: "监督质询" }).click();
    await expect(supervisor.getByRole("heading", { level: 1 })).toContainText("监督质询");
    await expectAccessible(supervisor, "objections (supervisor)");
    // an empty objection is refused with a message
    await supervisor.getByRole("button", { name: "提出质询", exact: true }).click();
    await expect(supervisor.locator(".error-summary")).toBeVisible();
    await expectAccessible(supervisor, "objections with errors");
    await field(supervisor, "质询内容").fill(words);
    await supervisor.getByRole("button", { name: "提出质询", exact: true }).click();
    await expect(supervisor.getByText("质询已提出，并已公开。")).toBeVisible();
    await expect(supervisor.locator("#objection-list")).toContainText(words);
    await expect(supervisor.locator("#objection-list")).toContainText("待答复");

    // the committee answers; its dashboard counted the open objection
    const ctxC = await newContext(browser, { baseURL });
    const committee = await ctxC.newPage();
    await logInInPage(committee, "committee_a", DEMO_PASSWORD);
    await committee.goto(`/communities/${c.id}/dashboard`);
    await expect(committee.locator("#dashboard-objections")).toContainText(/待答复 [1-9]/);
    await committee.goto(`/matters/${m.id}/objections`);
    const item = committee.locator("#objection-list > li").filter({ hasText: words });
    await item.getByLabel("公开答复").fill("三家报价已张贴在社区公告栏，并附在协商材料中。");
    await item.getByRole("button", { name: "公开答复" }).click();
    await expect(committee.getByText("答复已公开。")).toBeVisible();
    await expectAccessible(committee, "objections (answered)");

    // a visitor reads both on the open page without signing in
    const ctxV = await newContext(browser, { baseURL });
    const visitor = await ctxV.newPage();
    await visitor.goto(`/open/${c.id}`);
    const open = visitor.locator(`#open-m-${m.id}`);
    await expect(open).toContainText(words);
    await expect(open).toContainText("三家报价已张贴在社区公告栏");
    await expect(open).not.toContainText("钱主任");
    await expectAccessible(visitor, "open page with an objection");
    await Promise.all([ctxC.close(), ctxV.close()]);
    await sql.end();
  });
});
