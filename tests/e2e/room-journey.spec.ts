/**
 * The deliberation room, end to end: the committee schedules and opens a session; two panel
 * members (one with JavaScript, one without) and an observer each in their own browser context;
 * live statements, hand raise and floor, a plain-form statement, hiding with a reason, closing,
 * and the minutes.
 *
 * The panel is chosen by the selection stage, which has no pages on this branch yet, so the test
 * puts the panel seats (and a matter past its notice period) straight into the database. That
 * needs the server on PostgreSQL: run with DATABASE_URL pointing at an empty database, e.g.
 *   psql postgres://postgres@127.0.0.1:5432/postgres -c 'create database yishi_e2e_room'
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishi_e2e_room E2E_PORT=3471 npx playwright test -c .config/playwright.config.ts tests/e2e/room-journey.spec.ts
 */
import postgres from "postgres";
import { expect, test, type Page } from "@playwright/test";
import { beijingFromNow, COMMUNITY_NAME, confirmIrreversible, DAY, DEMO_PASSWORD, expectAccessible, field, logInInPage, newContext, newResident, signUpByRequest, socketConnected } from "./support";

const url = process.env.DATABASE_URL;

async function setUpMatter(sql: postgres.Sql, panelUsernames: string[]) {
  const [c] = await sql<{ id: number }[]>`select id from areas where name = ${COMMUNITY_NAME}`;
  const [staff] = await sql<{ id: number }[]>`select id from users where username = 'committee_a'`;
  const [cat] = await sql<{ id: number }[]>`select min(id)::int as id from categories`;
  const title = `议事厅测试：东侧道路积水 ${Date.now().toString(36)}`;
  const [m] = await sql<{ id: number }[]>`
    insert into matters (community_id, proposer_id, state, title, description, category_id, affected_area, desired_outcome, form, submitted_at, materials_published_at)
    values (${c.id}, ${staff.id}, 'scheduled', ${title}, '小区东侧道路长期积水，需要统一改造。', ${cat.id}, '东侧道路', '改造排水管道', 'panel', now() - interval '40 days', now() - interval '30 days')
    returning id`;
  for (const username of panelUsernames) {
    await sql`
      insert into panel_members (matter_id, user_id, source, status, respond_by, invited_at, responded_at)
      select ${m.id}, id, 'lottery', 'accepted', now(), now() - interval '5 days', now() - interval '4 days' from users where username = ${username}`;
  }
  return { matterId: m.id, title };
}

/** The statement card in the room that holds this text. */
const statementCard = (page: Page, text: string) => page.locator("#statements > li").filter({ hasText: text });

test.describe("deliberation room", () => {
  test.skip(!url, "needs the server on PostgreSQL (DATABASE_URL) to seat the panel; see the header of this file");

  test("committee opens a session; the panel speaks live and by plain form; the moderator hides; the minutes show it all", async ({ browser, baseURL, page: committee, request }) => {
    test.setTimeout(180_000);
    const sql = postgres(url!, { max: 1, onnotice: () => {} });
    const [a, b] = [newResident("pa"), newResident("pb")];
    // the fixture's own request context: its cookies are not the committee page's
    await signUpByRequest(request, a);
    await signUpByRequest(request, b);
    const { matterId, title } = await setUpMatter(sql, [a.username, b.username]);

    // the committee schedules a session from the matter page
    await logInInPage(committee, "committee_a", DEMO_PASSWORD);
    await committee.goto(`/matters/${matterId}`);
    await committee.getByRole("link", { name: "安排议事会" }).click();
    await expect(committee.getByRole("heading", { level: 1, name: `为“${title}”安排议事会` })).toBeVisible();
    await expectAccessible(committee, "schedule form");
    await committee.getByRole("button", { name: "安排议事会" }).click();
    await expect(committee.locator(".error-summary")).toBeVisible();
    await expectAccessible(committee, "schedule form with errors");
    await field(committee, "开始时间").fill(beijingFromNow(1 * DAY, "T"));
    await committee.locator("#schedule-items-0-title, [name='items[0].title']").first().fill("情况介绍");
    await committee.locator("[name='items[0].minutes']").fill("10");
    await committee.locator("[name='items[1].title']").fill("讨论方案");
    await committee.locator("[name='items[1].minutes']").fill("20");
    await committee.getByRole("button", { name: "安排议事会" }).click();
    await expect(committee).toHaveURL(/\/rooms\/\d+$/);
    const roomPath = new URL(committee.url()).pathname;
    // the page's socket is already open (the header's notifications); the room joins on it
    await expect(committee.locator("#live-status")).toHaveAttribute("data-live", "1");
    await committee.getByRole("button", { name: "开始议事会" }).click();
    await expect(committee.locator("#room-status")).toHaveAttribute("data-status", "open");
    await expect(committee.locator("#item-clock")).toContainText("情况介绍");
    await expectAccessible(committee, "room (moderator)");

    // panel member A with JavaScript, panel member B without, an observer with JavaScript
    const ctxA = await newContext(browser, { baseURL });
    const ctxB = await newContext(browser, { baseURL, javaScriptEnabled: false });
    const ctxO = await newContext(browser, { baseURL });
    const [pa, pb, obs] = await Promise.all([ctxA.newPage(), ctxB.newPage(), ctxO.newPage()]);
    await logInInPage(pa, a.username, a.password);
    await logInInPage(pb, b.username, b.password);
    await logInInPage(obs, "13800000001", DEMO_PASSWORD);
    const liveA = socketConnected(pa);
    const liveO = socketConnected(obs);
    await pa.goto(roomPath);
    await obs.goto(roomPath);
    await pb.goto(roomPath);
    await Promise.all([liveA, liveO]);
    await expect(pa.locator("#live-status")).toHaveAttribute("data-live", "1");
    await expect(obs.locator("#live-status")).toHaveAttribute("data-live", "1");
    await expect(obs.getByText("您在本场的身份：旁听")).toBeVisible();
    await expect(obs.getByRole("heading", { name: "发表意见" })).toHaveCount(0);
    await expect(committee.locator("#presence")).toContainText(a.displayName);
    await expect(committee.locator("#presence")).toContainText("旁听 1 人");
    await expectAccessible(pa, "room (panel)");
    await expectAccessible(obs, "room (observer)");

    // A posts live; the others see it without reloading
    await pa.getByLabel("支持", { exact: true }).check();
    await pa.getByLabel("意见内容").fill("支持改造，先修排水管道。");
    await pa.getByRole("button", { name: "发送", exact: true }).click();
    await expect(statementCard(obs, "支持改造，先修排水管道。")).toBeVisible();
    await expect(statementCard(committee, "支持改造，先修排水管道。")).toBeVisible();
    await expect(pa.getByLabel("意见内容")).toHaveValue("");

    // the observer agrees, live
    await statementCard(obs, "支持改造，先修排水管道。").getByRole("button", { name: /^同意/ }).click();
    await expect(statementCard(pa, "支持改造，先修排水管道。").locator(".counts")).toHaveAttribute("data-counts", "1,0,0");

    // A raises a hand; the moderator gives the floor; everyone sees the speaker and the countdown
    await pa.getByRole("button", { name: "举手发言" }).click();
    await expect(committee.locator("#queue")).toContainText(a.displayName);
    await committee.getByRole("button", { name: `请 ${a.displayName} 发言` }).click();
    await expect(obs.locator("#floor")).toContainText(`${a.displayName} 正在发言，剩余`);
    await expect(pa.locator("#floor")).toContainText(/剩余 [23]:\d\d/);

    // B, without JavaScript, posts through the plain form and sees it after the redirect
    await pb.getByLabel("反对", { exact: true }).check();
    await pb.getByLabel("意见内容").fill("费用太高，不同意。");
    await pb.getByRole("button", { name: "发送", exact: true }).click();
    await expect(pb).toHaveURL(/saved=\d+/);
    await expect(statementCard(pb, "费用太高，不同意。")).toBeVisible();
    await expectAccessible(pb, "room (panel, no JavaScript)");
    // … and it reaches the live pages too
    await expect(statementCard(pa, "费用太高，不同意。")).toBeVisible();
    // an empty plain post is refused with a message and stores nothing
    await pb.getByRole("button", { name: "发送", exact: true }).click();
    await expect(pb.locator(".error-summary")).toBeVisible();
    await expectAccessible(pb, "room with errors (no JavaScript)");

    // the moderator hides B's statement with a reason
    const card = statementCard(committee, "费用太高，不同意。");
    await card.getByText("主持人操作").click();
    await card.getByLabel("隐藏原因").fill("与本项议程无关");
    await card.getByRole("button", { name: "隐藏" }).click();
    await expect(statementCard(obs, "此条已被主持人隐藏，原因：与本项议程无关")).toBeVisible();
    await expect(obs.getByText("费用太高，不同意。")).toHaveCount(0);
    await pb.reload();
    await expect(pb.getByText("您的这条意见已被主持人隐藏，原因：与本项议程无关。其他人看不到内容。")).toBeVisible();

    // close: the minutes show attendance and statements
    await confirmIrreversible(committee, "结束议事会并生成纪要");
    await expect(committee.locator("#room-status")).toHaveAttribute("data-status", "closed");
    await expect(obs.locator("#room-status")).toHaveAttribute("data-status", "closed");
    await committee.getByRole("link", { name: "会议纪要" }).click();
    await expect(committee.getByRole("heading", { level: 1, name: `会议纪要: ${title}` })).toBeVisible();
    await expect(committee.locator("#attendance-online")).toContainText(a.displayName);
    await expect(committee.locator("#attendance-online")).toContainText("王阿姨");
    await expect(committee.getByText("支持改造，先修排水管道。")).toBeVisible();
    await expect(committee.getByText("此条已被主持人隐藏，原因：与本项议程无关")).toBeVisible();
    await expect(committee.locator("#moderation")).toContainText("隐藏");
    await expectAccessible(committee, "minutes");
    await field(committee, "撰写总结").fill("多数代表支持改造，费用分摊另议。");
    await committee.getByRole("button", { name: "保存总结" }).click();
    await expect(committee.getByText("多数代表支持改造，费用分摊另议。").first()).toBeVisible();

    await pb.goto(`${roomPath}/minutes`);
    await pb.getByRole("button", { name: "提交" }).click();
    await expect(pb.getByText(`${b.displayName}: 确认纪要`)).toBeVisible();
    await expectAccessible(pb, "minutes (panel, no JavaScript)");
    const md = await committee.request.get(`${roomPath}/minutes.md`);
    expect(md.status()).toBe(200);
    expect(await md.text()).toContain("支持改造，先修排水管道。");

    await Promise.all([ctxA.close(), ctxB.close(), ctxO.close()]);
    await sql.end();
  });

  test("a vote opened during the session is announced in the room; the panel votes (one changes), staff add a paper ballot, the count explains the result", async ({ browser, baseURL, page: committee, request }) => {
    test.setTimeout(180_000);
    const sql = postgres(url!, { max: 1, onnotice: () => {} });
    const [a, b, c] = [newResident("va"), newResident("vb"), newResident("vc")];
    for (const r of [a, b, c]) await signUpByRequest(request, r);
    const { matterId } = await setUpMatter(sql, [a.username, b.username, c.username]);

    await logInInPage(committee, "committee_a", DEMO_PASSWORD);
    await committee.goto(`/matters/${matterId}`);
    await committee.getByRole("link", { name: "安排议事会" }).click();
    await field(committee, "开始时间").fill(beijingFromNow(1 * DAY, "T"));
    await committee.locator("[name='items[0].title']").fill("表决方案");
    await committee.locator("[name='items[0].minutes']").fill("15");
    await committee.getByRole("button", { name: "安排议事会" }).click();
    await expect(committee).toHaveURL(/\/rooms\/\d+$/);
    const roomPath = new URL(committee.url()).pathname;
    await committee.getByRole("button", { name: "开始议事会" }).click();
    await expect(committee.locator("#room-status")).toHaveAttribute("data-status", "open");

    // panel member A waits in the room with JavaScript
    const ctxA = await newContext(browser, { baseURL });
    const ctxB = await newContext(browser, { baseURL });
    const [pa, pb] = await Promise.all([ctxA.newPage(), ctxB.newPage()]);
    await logInInPage(pa, a.username, a.password);
    await logInInPage(pb, b.username, b.password);
    const liveA = socketConnected(pa);
    await pa.goto(roomPath);
    await liveA;
    await expect(pa.locator("#live-status")).toHaveAttribute("data-live", "1");

    // the committee opens a named panel vote from the matter page
    const question = `同意按方案改造排水吗？${Date.now().toString(36)}`;
    await committee.goto(`/matters/${matterId}`);
    await committee.getByRole("link", { name: "发起表决" }).click();
    await field(committee, "表决事项").fill(question);
    await field(committee, "表决方式").selectOption({ label: "同意 / 不同意 / 弃权" });
    await field(committee, "谁来表决").selectOption({ label: "遴选出的代表" });
    await field(committee, "适用规则").selectOption({ label: "代表表决" });
    await field(committee, "投票方式").selectOption({ label: "记名投票（公布时显示姓名）" });
    await committee.getByRole("main").getByRole("button", { name: "发起表决", exact: true }).click();
    await expect(committee).toHaveURL(/\/votes\/\d+$/);
    const votePath = new URL(committee.url()).pathname;
    await expect(committee.getByText("已投票 0 / 3")).toBeVisible();
    await expectAccessible(committee, "vote page (panel vote, committee)");

    // A hears of it in the room, live, and follows the link
    await expect(pa.locator("#room-votes")).toContainText(`表决已开始：${question}`);
    await expectAccessible(pa, "room with an open vote");
    await pa.locator("#room-votes").getByRole("link", { name: "去表决" }).click();
    await expect(pa).toHaveURL(new RegExp(`${votePath}$`));
    const castA = pa.getByRole("region", { name: "投票", exact: true });
    await castA.getByRole("radio", { name: "同意", exact: true }).check();
    await castA.getByRole("button", { name: "投票", exact: true }).click();
    await expect(pa.getByRole("status").filter({ hasText: "您的投票已记录。" })).toBeVisible();
    // … and changes it
    const change = pa.getByRole("region", { name: "修改我的投票" });
    await change.getByRole("radio", { name: "不同意", exact: true }).check();
    await change.getByRole("button", { name: "修改我的投票", exact: true }).click();
    await expect(pa.getByRole("status").filter({ hasText: "您的投票已修改，以最后一次为准。" })).toBeVisible();

    await pb.goto(votePath);
    const castB = pb.getByRole("region", { name: "投票", exact: true });
    await castB.getByRole("radio", { name: "同意", exact: true }).check();
    await castB.getByRole("button", { name: "投票", exact: true }).click();
    await expect(pb.getByRole("status").filter({ hasText: "您的投票已记录。" })).toBeVisible();

    // C voted on paper at the meeting: staff enter it
    await committee.reload();
    await committee.locator("#paper-voterKey").selectOption({ label: c.displayName });
    await committee.locator("form").filter({ has: committee.locator("#paper-voterKey") }).getByRole("radio", { name: "同意", exact: true }).check();
    await committee.getByRole("button", { name: "录入纸质选票" }).click();
    await expect(committee.getByText("已投票 3 / 3")).toBeVisible();
    await confirmIrreversible(committee, "结束表决并计票");
    await expect(committee.getByRole("heading", { name: /^表决结果/ })).toContainText("通过");
    await expect(committee.getByText("同意：2 票")).toBeVisible();
    await expect(committee.getByText("不同意：1 票")).toBeVisible();
    await expectAccessible(committee, "vote page (panel vote, closed)");

    // the named list shows A's last choice
    await pa.goto(`${votePath}/ballots`);
    await expect(pa.getByText(a.displayName)).toBeVisible();
    await expectAccessible(pa, "published ballots (panel vote)");

    await Promise.all([ctxA.close(), ctxB.close()]);
    await sql.end();
  });
});
