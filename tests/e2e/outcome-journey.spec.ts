import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import {
  confirmIrreversible,
  askToJoin,
  COMMUNITY_NAME,
  DEMO_PASSWORD,
  expectAccessible,
  field,
  logInInPage,
  newContext,
  newResident,
  openCommunityFromHome,
  signUpInPage,
  socketConnected,
  type Resident,
  beijingDayFromNow, beijingFromNow, DAY,
  scheduleConsultation,
} from "./support";

test.use({ javaScriptEnabled: true });

/** The state tag at the top of a matter page. */
function stateTag(page: Page) {
  return page.locator("main .tag.state");
}

/** How many ratings the community's dashboard counts ("4.3 分（8 人次评价）"; none yet: 0). */
async function dashboardRatings(page: Page, communityId: number) {
  await page.goto(`/communities/${communityId}/dashboard`);
  const text = await page.locator("dl.figures div").filter({ hasText: "平均满意度" }).locator("dd").innerText();
  const m = /（(\d+) 人次评价）/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** A form behind a <details> summary on the matter page (受理, 安排协商, 报告进展 …). */
function detailsForm(scope: Page | Locator, name: string): Locator {
  // the `has` locator is matched inside each <details>, so it is built from the page, not the scope
  const page = "context" in scope ? scope : scope.page();
  return scope.locator("details").filter({ has: page.locator("summary", { hasText: new RegExp(`^${name}$`) }) });
}

/** One commitment's entry in the outcome section. */
function commitmentItem(page: Page, title: string) {
  return page.locator("#outcome-title ~ ul.card-list > li").filter({ has: page.locator("strong", { hasText: new RegExp(`^${title}$`) }) });
}

/** A new person in their own context: signs up and, when `join`, asks to join 幸福里社区. */
async function newPerson(browser: Browser, baseURL: string | undefined, user: Resident, join: string | null, check: boolean) {
  const context = await newContext(browser, { baseURL });
  const page = await context.newPage();
  await signUpInPage(page, user);
  if (join) {
    await openCommunityFromHome(page);
    await askToJoin(page, join);
    if (check) await expectAccessible(page, "community page (pending)");
  }
  return { context, page };
}

/** As committee_a: verifies applicants on the 居民审核 page. */
async function verifyResidents(page: Page, communityId: number, displayNames: string[]) {
  await page.goto(`/communities/${communityId}/members`);
  await expect(page.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}：居民审核` })).toBeVisible();
  for (const displayName of displayNames) {
    const item = page.getByRole("listitem").filter({ has: page.getByText(displayName, { exact: true }) });
    await expect(item).toHaveCount(1);
    await item.locator('button[name="decision"][value="verify"]').click();
    await expect(page.getByText(`已通过 ${displayName} 的申请。`)).toBeVisible();
  }
}

/** As committee_a: proposes a matter, accepts it for a residents' meeting and schedules it 5 days ahead. */
async function committeeSchedulesMatter(page: Page, communityId: number, title: string) {
  await page.goto(`/communities/${communityId}/matters/new`);
  await expect(page.getByRole("heading", { level: 1, name: "提出新议题" })).toBeVisible();
  await field(page, "标题").fill(title);
  await field(page, "详细说明").fill("东门路灯坏了三盏，晚上看不清路，老人摔倒过。");
  await field(page, "类别").selectOption({ label: "公共事务" });
  await field(page, "涉及范围").fill("东门");
  await field(page, "希望的结果").fill("换上新路灯，并定期检修。");
  await page.getByRole("main").getByRole("button", { name: "保存草稿" }).click();
  await expect(page).toHaveURL(/\/matters\/\d+\?saved=1$/);
  const matterId = Number(/\/matters\/(\d+)/.exec(new URL(page.url()).pathname)?.[1]);
  await page.getByRole("button", { name: "提交，开始征集附议" }).click();
  await expect(stateTag(page)).toHaveText("待审核");
  const accept = detailsForm(page, "受理");
  await accept.locator("summary").click();
  await accept.getByLabel("居民（村民）会议").check();
  await accept.getByRole("button", { name: "受理", exact: true }).click();
  await expect(stateTag(page)).toHaveText("已受理");
  await scheduleConsultation(page, matterId, beijingFromNow(5 * DAY, "T"));
  await expect(stateTag(page)).toHaveText("已安排协商");
  return matterId;
}

/** Opens a yes/no open-ballot vote of all verified residents under the 居民会议 rule; returns its id. */
async function committeeOpensVote(page: Page, matterId: number, question: string) {
  await page.goto(`/matters/${matterId}`);
  await page.getByRole("link", { name: "发起表决" }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}/votes/new$`));
  await field(page, "表决事项").fill(question);
  await field(page, "表决方式").selectOption({ label: "同意 / 不同意 / 弃权" });
  await field(page, "谁来表决").selectOption({ label: "本社区全体认证居民（每人一票）" });
  await field(page, "适用规则").selectOption({ label: "居民会议（城市居民委员会组织法第九、十条）" });
  await field(page, "投票方式").selectOption({ label: "无记名投票（公布时不显示姓名）" });
  await page.getByRole("main").getByRole("button", { name: "发起表决", exact: true }).click();
  await expect(page).toHaveURL(/\/votes\/\d+$/);
  return Number(/\/votes\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
}

async function castBallot(page: Page, voteId: number) {
  await page.goto(`/votes/${voteId}`);
  const cast = page.getByRole("region", { name: "投票", exact: true });
  await cast.getByRole("radio", { name: "同意", exact: true }).check();
  await cast.getByRole("button", { name: "投票", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "您的投票已记录。" })).toBeVisible();
}

/**
 * The committee enters a paper 同意 for every elector who did not vote online (other journeys may
 * have left verified residents in the community), so the vote passes whatever the electorate.
 */
async function paperBallotsForTheRest(page: Page, voteId: number, online: string[]) {
  await page.goto(`/votes/${voteId}`);
  const paper = page.getByRole("region", { name: "录入纸质选票" });
  const labels = (await paper.getByLabel("投票人（或户）", { exact: true }).locator("option").allTextContents()).map((l) => l.trim());
  for (const label of labels.filter((l) => !online.includes(l))) {
    const region = page.getByRole("region", { name: "录入纸质选票" });
    await region.getByLabel("投票人（或户）", { exact: true }).selectOption({ label });
    await region.getByRole("radio", { name: "同意", exact: true }).check();
    await region.getByRole("button", { name: "录入纸质选票" }).click();
    await expect(page).toHaveURL(new RegExp(`/votes/${voteId}\\?paper=1$`));
  }
}

/** A 1×1 PNG, for the progress photo. */
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/** Posts progress on one commitment from the matter page. */
async function postProgress(page: Page, title: string, body: string, progress: number, status: string, photo?: Buffer) {
  const item = commitmentItem(page, title);
  const form = detailsForm(item, "报告进展");
  // after a client-side post the <details> the user opened may still be open
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) await form.locator("summary").click();
  await form.getByLabel("进展说明", { exact: true }).fill(body);
  await form.getByLabel("进度（0–100）", { exact: true }).fill(String(progress));
  await form.getByLabel("状态", { exact: true }).selectOption({ label: status });
  if (photo) await form.getByLabel("照片（选填）", { exact: true }).setInputFiles({ name: "progress.png", mimeType: "image/png", buffer: photo });
  await form.getByRole("button", { name: "发布进展" }).click();
  await expect(page).toHaveURL(/\?done=done$/);
}

test("outcome journey: the committee records two commitments, the owner reports, a follower sees it live, both finish, residents rate, the dashboard shows it", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const suffix = Date.now().toString(36);
  const title = `东门路灯 ${suffix}`;
  const residents = [newResident("ojA"), newResident("ojB")];
  const ownerUser = newResident("ojOwner");
  const contexts: BrowserContext[] = [];
  try {
    const staff = await newContext(browser, { baseURL });
    contexts.push(staff);
    const staffPage = await staff.newPage();

    let communityId = 0;
    let matterId = 0;
    let a!: Page, b!: Page, owner!: Page;
    await test.step("two residents ask to join, an owner signs up; committee_a proposes, accepts and schedules a matter", async () => {
      const [joined] = await Promise.all([
        Promise.all([
          newPerson(browser, baseURL, residents[0], "11 号楼 1 单元", true),
          newPerson(browser, baseURL, residents[1], "11 号楼 2 单元", false),
          newPerson(browser, baseURL, ownerUser, null, false),
        ]),
        (async () => {
          await logInInPage(staffPage, "committee_a", DEMO_PASSWORD);
          await staffPage.goto("/");
          await staffPage.getByRole("region", { name: "各地社区" }).getByRole("link", { name: COMMUNITY_NAME, exact: true }).click();
          await expect(staffPage).toHaveURL(/\/communities\/\d+$/);
          communityId = Number(/\/communities\/(\d+)$/.exec(new URL(staffPage.url()).pathname)?.[1]);
          matterId = await committeeSchedulesMatter(staffPage, communityId, title);
        })(),
      ]);
      contexts.push(...joined.map((j) => j.context));
      [a, b, owner] = joined.map((j) => j.page);
    });

    await test.step("the residents are verified and vote; the vote passes and the matter is decided", async () => {
      await verifyResidents(staffPage, communityId, residents.map((r) => r.displayName));
      const voteId = await committeeOpensVote(staffPage, matterId, `是否同意更换东门路灯？（${suffix}）`);
      await castBallot(a, voteId);
      await castBallot(b, voteId);
      await paperBallotsForTheRest(staffPage, voteId, residents.map((r) => r.displayName));
      await confirmIrreversible(staffPage, "结束表决并计票");
      await expect(staffPage.getByRole("region", { name: /^表决结果/ }).getByRole("heading", { level: 2 })).toHaveText("表决结果：通过");
      await staffPage.goto(`/matters/${matterId}`);
      await expect(stateTag(staffPage)).toHaveText("已形成决定");
      await expectAccessible(staffPage, "matter page (decided)");
    });

    await test.step("committee_a records the outcome with two commitments and names the owner of the first", async () => {
      await staffPage.getByRole("link", { name: "记录协商成果" }).click();
      await expect(staffPage).toHaveURL(new RegExp(`/matters/${matterId}/outcome$`));
      await expectAccessible(staffPage, "record outcome form");
      await field(staffPage, "决定内容").fill("更换东门全部路灯，物业每月检修一次。");
      const first = staffPage.getByRole("group", { name: "承诺事项 1" });
      await first.getByLabel("要做的事", { exact: true }).fill("采购路灯");
      await first.getByLabel("责任单位", { exact: true }).fill("居委会");
      await first.getByLabel("完成期限", { exact: true }).fill(beijingDayFromNow(30));
      const second = staffPage.getByRole("group", { name: "承诺事项 2" });
      await second.getByLabel(/^要做的事/).fill("安装并检修");
      await second.getByLabel(/^责任单位/).fill("物业公司");
      await second.getByLabel(/^完成期限/).fill(beijingDayFromNow(60));
      await staffPage.getByRole("button", { name: "保存并开始落实" }).click();
      await expect(staffPage).toHaveURL(new RegExp(`/matters/${matterId}\\?done=done$`));
      await expect(stateTag(staffPage)).toHaveText("落实中");
      await expect(commitmentItem(staffPage, "采购路灯")).toHaveCount(1);
      await expect(commitmentItem(staffPage, "安装并检修")).toHaveCount(1);

      const ownerForm = detailsForm(commitmentItem(staffPage, "采购路灯"), "设置负责人");
      await ownerForm.locator("summary").click();
      await expectAccessible(staffPage, "matter page (implementing, owner form open)");
      await ownerForm.getByLabel(/^负责人账户/).fill(ownerUser.username);
      await ownerForm.getByRole("button", { name: "保存负责人" }).click();
      await expect(staffPage).toHaveURL(/\?done=done$/);
      await expect(commitmentItem(staffPage, "采购路灯")).toContainText(ownerUser.displayName);
    });

    await test.step("resident A follows the matter and sees the owner's progress arrive live", async () => {
      await a.goto(`/matters/${matterId}`);
      await a.getByRole("button", { name: "关注", exact: true }).click();
      await expect(a.getByText("您正在关注这个议题，每次进展都会通知您。")).toBeVisible();
      const connected = socketConnected(a);
      await a.goto("/");
      await connected;

      await owner.goto(`/matters/${matterId}`);
      await expectAccessible(owner, "matter page (owner)");
      // the owner may report on their own commitment only
      await expect(detailsForm(commitmentItem(owner, "安装并检修"), "报告进展")).toHaveCount(0);
      await postProgress(owner, "采购路灯", "已向三家供应商询价，选定一家。", 40, "进行中", PIXEL);
      await expect(commitmentItem(owner, "采购路灯")).toContainText("进度 40%");
      const photo = commitmentItem(owner, "采购路灯").getByRole("img", { name: "进展照片：采购路灯" });
      await expect(photo).toBeVisible();
      await expect.poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);

      await expect(a.getByRole("status").filter({ hasText: "新通知：" })).toContainText(`您关注的议题“${title}”：采购路灯`);
      await expect(a.locator("#nav-notifications")).toContainText("未读");
      await expectAccessible(a, "home after the live progress notification");
    });

    await test.step("both commitments finish and the matter completes", async () => {
      await postProgress(owner, "采购路灯", "路灯已到货。", 100, "已完成");
      await staffPage.goto(`/matters/${matterId}`);
      await expect(stateTag(staffPage)).toHaveText("落实中");
      await postProgress(staffPage, "安装并检修", "全部装好，已通电。", 100, "已完成");
      await expect(stateTag(staffPage)).toHaveText("已办结");
      await expectAccessible(staffPage, "matter page (completed)");
    });

    // the community may already hold ratings (the demo seeds some): the dashboard must count two more
    const ratingsBefore = await dashboardRatings(staffPage, communityId);

    await test.step("residents rate 5 and 4; the page shows the average", async () => {
      for (const [page, score] of [[a, "5"], [b, "4"]] as const) {
        await page.goto(`/matters/${matterId}`);
        const fieldset = page.getByRole("group", { name: "满意程度（1 很不满意，5 很满意）" });
        await fieldset.getByRole("radio", { name: score, exact: true }).check();
        if (score === "5") await expectAccessible(page, "matter page (rating form)");
        await page.getByRole("button", { name: "提交评价" }).click();
        await expect(page.getByText(`您的评价：${score} 分（测评结束前可以修改）。`)).toBeVisible();
      }
      await expect(b.getByText("平均 4.5 分，共 2 人评价。")).toBeVisible();
      // the whole path from proposal to rating is on the one page
      await expect(b.locator("ol.timeline li", { hasText: "记录了协商成果，开始落实（2 项承诺）" })).toHaveCount(1);
      await expect(b.locator("ol.timeline li", { hasText: "报告进展：采购路灯，40%" })).toHaveCount(1);
    });

    await test.step("the committee's dashboard shows the figures and offers the exports", async () => {
      await staffPage.goto(`/communities/${communityId}`);
      await staffPage.getByRole("link", { name: "工作台：议题与落实情况" }).click();
      await expect(staffPage).toHaveURL(new RegExp(`/communities/${communityId}/dashboard$`));
      await expect(staffPage.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}工作台` })).toBeVisible();
      const figures = staffPage.locator("dl.figures");
      await expect(figures.locator("div").filter({ hasText: "平均满意度" }).locator("dd")).toHaveText(/^[1-5]\.\d 分（\d+ 人次评价）$/);
      expect(await dashboardRatings(staffPage, communityId)).toBe(ratingsBefore + 2);
      await expect(figures.locator("div").filter({ hasText: "从形成决定到办结（中位数）" }).locator("dd")).toContainText("天");
      await expect(figures.locator("div").filter({ hasText: "从提出到形成决定（中位数）" }).locator("dd")).toContainText("天");
      const chartTable = staffPage.getByRole("table", { name: "各状态议题数（柱状图）" });
      await expect(chartTable.getByRole("row").filter({ has: staffPage.getByRole("rowheader", { name: "已办结" }) })).toHaveCount(1);
      await expect(staffPage.locator("figure.chart svg rect").first()).toBeVisible();
      await expectAccessible(staffPage, "committee dashboard");

      const csv = await staffPage.request.get(`/communities/${communityId}/dashboard.csv`);
      expect(csv.status()).toBe(200);
      const text = await csv.text();
      expect(text).toContain(title);
      expect(text).toContain("采购路灯");
      expect(text).not.toContain(ownerUser.username);
      const json = await staffPage.request.get(`/communities/${communityId}/dashboard.json`);
      const data = (await json.json()) as { matters: { title: string; outcome: { ratingAverage: number } | null }[] };
      expect(data.matters.find((m) => m.title === title)?.outcome?.ratingAverage).toBe(4.5);

      // a resident is not shown the dashboard
      const denied = await a.goto(`/communities/${communityId}/dashboard`);
      expect(denied?.status()).toBe(403);
    });
  } finally {
    for (const ctx of contexts) await ctx.close();
  }
});
