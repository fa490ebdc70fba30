/**
 * Talk before the meeting, end to end (issue 20): two verified residents of the demo's 幸福里社区
 * argue in one thread on a scheduled matter; one reports the other's reply; the committee hides it
 * with a public reason from its moderation queue; the author sees the reason in place and appeals
 * once to the town. axe (moderate and worse) on each page. Needs the demo data on PostgreSQL
 * (DATABASE_URL) to find the matter and the community:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishi_e2e_comments E2E_PORT=3302 npx playwright test -c .config/playwright.config.ts tests/e2e/comments-journey.spec.ts
 */
import postgres from "postgres";
import { expect, test, type Page } from "@playwright/test";
import { COMMUNITY_NAME, DEMO_PASSWORD, expectAccessible, logInInPage, newContext } from "./support";

const url = process.env.DATABASE_URL;
const MATTER = "小区东门增设非机动车停车棚";

/** The comment card (article) that holds this text. */
const card = (page: Page, text: string) => page.locator("article.comment").filter({ hasText: text }).last();

test.describe("comments", () => {
  test.skip(!url, "needs the server on PostgreSQL (DATABASE_URL); see the header of this file");

  test("two residents argue in a thread, one reports, the committee hides it with a reason, the author appeals", async ({ browser, baseURL, page: wang }) => {
    test.setTimeout(180_000);
    const sql = postgres(url!, { max: 1, onnotice: () => {} });
    const [m] = await sql<{ id: number }[]>`select id from matters where title = ${MATTER}`;
    const [c] = await sql<{ id: number }[]>`select id from areas where name = ${COMMUNITY_NAME}`;
    const tag = Date.now().toString(36);
    const opening = `支持建停车棚，电动车在楼道充电太危险了 ${tag}`;
    const rude = `停车棚占绿地，提这种建议的人脑子有问题 ${tag}`;
    const answer = `请就事论事，选址在绿化带旁边不是绿地中间 ${tag}`;

    // 王阿姨 opens the discussion with her stance
    await logInInPage(wang, "13800000001", DEMO_PASSWORD);
    await wang.goto(`/matters/${m.id}`);
    await wang.getByRole("main").getByRole("link", { name: /发表评论|查看全部讨论/ }).click();
    await expect(wang.getByRole("heading", { level: 1 })).toContainText(`讨论：${MATTER}`);
    await expectAccessible(wang, "discussion");
    const write = wang.locator("section[aria-labelledby=comment-write-title]");
    // an empty comment is refused with a message beside its field
    await write.getByRole("button", { name: "发表", exact: true }).click();
    await expect(wang.locator(".error-summary")).toBeVisible();
    await expectAccessible(wang, "discussion with errors");
    await write.getByLabel("您的立场").selectOption("support");
    await write.getByLabel("评论内容").fill(opening);
    await write.getByRole("button", { name: "发表", exact: true }).click();
    await expect(wang.getByText("评论已发表。")).toBeVisible();
    await expect(card(wang, opening)).toBeVisible();

    // 张师傅 answers in her thread, rudely
    const ctxZ = await newContext(browser, { baseURL });
    const zhang = await ctxZ.newPage();
    await logInInPage(zhang, "13800000004", DEMO_PASSWORD);
    await zhang.goto(`/matters/${m.id}/comments`);
    const first = card(zhang, opening);
    await first.locator("summary", { hasText: "回复" }).click();
    await first.getByLabel("您的立场").selectOption("oppose");
    await first.locator("textarea").fill(rude);
    await first.getByRole("button", { name: "发表回复" }).click();
    await expect(zhang.getByText("评论已发表。")).toBeVisible();
    await expect(card(zhang, rude)).toBeVisible();
    await expectAccessible(zhang, "thread with a reply");

    // 王阿姨 replies to the reply (the thread stays two levels, "回复 张师傅"), then reports it
    await wang.goto(`/matters/${m.id}/comments`);
    const reply = card(wang, rude);
    await reply.locator("summary", { hasText: "回复" }).click();
    await reply.getByLabel("您的立场").selectOption("support");
    await reply.locator("textarea").fill(answer);
    await reply.getByRole("button", { name: "发表回复" }).click();
    await expect(wang.getByText("评论已发表。")).toBeVisible();
    await expect(card(wang, answer)).toContainText("回复 张师傅");
    const again = card(wang, rude);
    await again.locator("summary", { hasText: "举报" }).click();
    await again.getByLabel("举报理由").selectOption("abuse");
    await again.getByRole("button", { name: "提交举报" }).click();
    await expect(wang.getByText("举报已收到，谢谢。居委会将审核。")).toBeVisible();
    await expectAccessible(wang, "discussion after a report");

    // the committee hides it with a public reason, from its moderation queue
    const ctxC = await newContext(browser, { baseURL });
    const committee = await ctxC.newPage();
    await logInInPage(committee, "committee_a", DEMO_PASSWORD);
    await committee.goto(`/communities/${c.id}/moderation`);
    await expectAccessible(committee, "moderation queue");
    const kase = committee.locator("li.card").filter({ hasText: rude });
    await expect(kase).toContainText("辱骂或人身攻击");
    await kase.getByLabel("公开理由").fill("含有人身攻击，请就事论事。");
    await kase.getByRole("button", { name: "隐藏评论" }).click();
    await expect(committee.getByText("已处理。")).toBeVisible();
    await expectAccessible(committee, "moderation queue after a decision");

    // others see the reason in its place; the author appeals once to the town
    await wang.goto(`/matters/${m.id}/comments`);
    await expect(wang.getByText("此评论已被居委会隐藏。理由：含有人身攻击，请就事论事。").first()).toBeVisible();
    await expect(wang.getByText(rude)).toHaveCount(0);
    await zhang.goto(`/notifications`);
    await expect(zhang.getByText(/您在“小区东门增设非机动车停车棚”下的评论已被居委会隐藏/).first()).toBeVisible();
    await zhang.goto(`/matters/${m.id}/comments`);
    const mine = card(zhang, rude);
    await mine.locator("summary", { hasText: "向镇（街道）申诉" }).click();
    await mine.getByLabel("申诉理由").fill("我的话说重了，但意见是真实的：绿化带会被占掉一部分。");
    await mine.getByRole("button", { name: "提交申诉" }).click();
    await expect(zhang.getByText("申诉已提交，镇（街道）将作出决定。")).toBeVisible();
    await expectAccessible(zhang, "discussion after an appeal");

    // the town sees the appeal waiting
    const ctxT = await newContext(browser, { baseURL });
    const town = await ctxT.newPage();
    await logInInPage(town, "town_admin", DEMO_PASSWORD);
    await town.goto(`/communities/${c.id}/moderation`);
    await expect(town.locator("li.card").filter({ hasText: "我的话说重了" })).toBeVisible();
    await expectAccessible(town, "appeals queue");

    await Promise.all([ctxZ.close(), ctxC.close(), ctxT.close()]);
    await sql.end();
  });
});
