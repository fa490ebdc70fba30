import { readFile } from "node:fs/promises";
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "@playwright/test";
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
  verifyApplicants,
  type Resident,
  beijingFromNow, DAY,
} from "./support";

/** What the public draw entropy was at the "meeting" (dice thrown in the room). */
const ENTROPY = "3 5 1 6 2";
const PSEUDONYM = /^P-[0-9a-f]{8}$/;

/** The state tag at the top of a matter page. */
function stateTag(page: Page) {
  return page.locator("main .tag.state");
}

/** The command form behind a <details> summary on the matter page (受理 …). */
function commandForm(page: Page, name: string): Locator {
  return page
    .locator("details")
    .filter({
      has: page.locator("summary", { hasText: new RegExp(`^${name}$`) }),
    });
}

/** The panel list of the selection page, one item per seat holder (and each declined one). */
function panelItems(page: Page) {
  return page.locator("#panel-members > li");
}

/** A new resident in their own context: signs up, opens 幸福里社区 and asks to join with an address. */
async function residentAsksToJoin(
  browser: Browser,
  baseURL: string | undefined,
  javaScriptEnabled: boolean,
  user: Resident,
  address: string
) {
  const context = await newContext(browser, { baseURL, javaScriptEnabled });
  const page = await context.newPage();
  await signUpInPage(page, user);
  const communityId = await openCommunityFromHome(page);
  await askToJoin(page, address);
  return { context, page, communityId };
}

/**
 * As committee_a: proposes a matter (a committee proposal goes straight to review), accepts it
 * for a panel (代表协商) and opens the selection, so the matter is 遴选代表中.
 */
async function committeeMakesPanelMatter(page: Page, title: string) {
  await page.goto("/");
  await page
    .getByRole("region", { name: "各地社区" })
    .getByRole("link", { name: COMMUNITY_NAME, exact: true })
    .click();
  await expect(page).toHaveURL(/\/communities\/\d+$/);
  const communityId = Number(
    /\/communities\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]
  );
  await page.goto(`/communities/${communityId}/matters/new`);
  await expect(
    page.getByRole("heading", { level: 1, name: "提出新议题" })
  ).toBeVisible();
  await field(page, "标题").fill(title);
  await field(page, "详细说明").fill(
    "小区南侧绿地要改造，想请不同楼栋、不同年龄的居民代表一起商量方案。"
  );
  await field(page, "类别").selectOption({ label: "公共事务" });
  await field(page, "涉及范围").fill("南侧绿地");
  await field(page, "希望的结果").fill(
    "由抽签选出的居民代表协商出一个大家认可的改造方案。"
  );
  await page
    .getByRole("main")
    .getByRole("button", { name: "保存草稿" })
    .click();
  await expect(page).toHaveURL(/\/matters\/\d+\?saved=1$/);
  const matterId = Number(
    /\/matters\/(\d+)/.exec(new URL(page.url()).pathname)?.[1]
  );
  expect(matterId).toBeGreaterThan(0);

  await page.getByRole("button", { name: "提交，开始征集附议" }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}\\?done=submitted$`));
  await expect(stateTag(page)).toHaveText("待审核");
  const accept = commandForm(page, "受理");
  await accept.locator("summary").click();
  await accept.getByLabel("代表协商（遴选代表）").check();
  await expectAccessible(
    page,
    "matter page (under review, accept form open with 代表协商)"
  );
  await accept.getByRole("button", { name: "受理", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}\\?done=done$`));
  await expect(stateTag(page)).toHaveText("已受理");
  // a panel matter is not scheduled before its panel is chosen
  await expect(page.getByRole("link", { name: "安排议事会", exact: true })).toHaveCount(0);

  await page.getByRole("button", { name: "开始遴选代表", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}\\?done=done$`));
  await expect(stateTag(page)).toHaveText("遴选代表中");
  await expectAccessible(page, "matter page (selecting)");
  await page.getByRole("link", { name: "参与人选择（报名、抽签）" }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}/selection$`));
  await expect(
    page.getByRole("heading", { level: 1, name: `参与人选择：${title}` })
  ).toBeVisible();
  return { communityId, matterId };
}

/** A verified resident registers interest on the selection page and returns their public pseudonym. */
async function register(
  page: Page,
  matterId: number,
  gender: "男" | "女",
  label: string | null
) {
  await page.goto(`/matters/${matterId}/selection`);
  const section = page.getByRole("region", { name: "报名参加" });
  await expect(section).toBeVisible();
  if (label)
    await expectAccessible(
      page,
      `selection page (${label}, before registering)`
    );
  await field(page, "性别").selectOption(gender);
  await section.getByRole("button", { name: "报名", exact: true }).click();
  await expect(page).toHaveURL(
    new RegExp(`/matters/${matterId}/selection\\?done=register$`)
  );
  await expect(page.getByText("报名成功。")).toBeVisible();
  const line = section.getByText(
    /^您已报名，公开名单中您的编号是 P-[0-9a-f]{8}。$/
  );
  await expect(line).toBeVisible();
  await expect(section.getByRole("button", { name: "撤回报名" })).toBeVisible();
  if (label)
    await expectAccessible(page, `selection page (${label}, registered)`);
  return /(P-[0-9a-f]{8})/.exec((await line.textContent()) ?? "")![1];
}

/** Doubles the root font size as a phone user with large text would (CSSOM: the CSP forbids inline style). */
async function expectFitsPhoneWithLargeText(page: Page, label: string) {
  await page.evaluate(() => {
    document.documentElement.style.fontSize = "200%";
  });
  await expect
    .poll(() =>
      page.evaluate(() => getComputedStyle(document.documentElement).fontSize)
    )
    .toBe("32px");
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(
    scrollWidth,
    `${label}: page scrolls sideways (scrollWidth ${scrollWidth} > clientWidth ${clientWidth})`
  ).toBeLessThanOrEqual(clientWidth + 1);
  await expectAccessible(page, `${label} at 360 px with 200% text`);
}

test.describe("selection journey", () => {
  test("the committee sets a plan, residents register (one without JavaScript), the committee draws, one accepts, one declines and the reserve fills the seat; a visitor verifies the draw", async ({
    browser,
    baseURL,
  }) => {
    // a long journey: plan, registrations, a queued solve the page waits for, the draw, answers, a visitor
    test.setTimeout(240_000);
    const suffix = Date.now().toString(36);
    const title = `南侧绿地改造 ${suffix}`;
    // A and C 男, B and D 女; D has no JavaScript.
    const people = [
      newResident("sjA"),
      newResident("sjB"),
      newResident("sjC"),
      newResident("sjD"),
    ];
    const genders = ["男", "女", "男", "女"] as const;
    const contexts: BrowserContext[] = [];
    try {
      const staff = await newContext(browser, { baseURL });
      contexts.push(staff);
      const staffPage = await staff.newPage();
      const selectionUrl = () => `/matters/${matterId}/selection`;

      let pages: Page[] = [];
      let communityId = 0;
      let matterId = 0;
      await test.step("four residents sign up and ask to join while committee_a proposes a matter, accepts it for a panel and opens the selection", async () => {
        const [joined] = await Promise.all([
          Promise.all(
            people.map((p, i) =>
              residentAsksToJoin(
                browser,
                baseURL,
                i !== 3,
                p,
                `南区 ${i + 1} 号楼 ${i + 1}01 室`
              )
            )
          ),
          (async () => {
            await logInInPage(staffPage, "committee_a", DEMO_PASSWORD);
            ({ communityId, matterId } = await committeeMakesPanelMatter(
              staffPage,
              title
            ));
          })(),
        ]);
        contexts.push(...joined.map((j) => j.context));
        pages = joined.map((j) => j.page);
        expect(joined.map((j) => j.communityId)).toEqual(
          people.map(() => communityId)
        );
      });

      await test.step("committee_a verifies the residents and sets the plan: 2 seats, gender quotas, no household rule, deadline in 3 days", async () => {
        await verifyApplicants(
          staffPage,
          communityId,
          people.map((p) => p.displayName)
        );
        await staffPage.goto(selectionUrl());
        await expect(
          staffPage.getByText("居委会还没有公布选择方案。")
        ).toBeVisible();
        await expectAccessible(
          staffPage,
          "selection page (committee, no plan yet)"
        );
        const form = staffPage.getByRole("region", { name: "制定选择方案" });
        await field(staffPage, "代表人数").fill("2");
        // the quotas are a repeating form (no "category,value,min,max" to type): one row per value
        await expect(form.getByRole("group", { name: "名额要求" })).toBeVisible();
        for (const [i, row] of [["性别", "男", "0", "2"], ["性别", "女", "0", "2"]].entries()) {
          for (const [j, column] of ["类别", "选项", "最少", "最多"].entries()) {
            await field(staffPage, `第 ${i + 1} 行：${column}`).fill(row[j]);
          }
        }
        await field(staffPage, "每户最多选一人").uncheck();
        await field(staffPage, "报名截止时间").fill(beijingFromNow(3 * DAY, "T"));
        await field(staffPage, "答复期限（天）").fill("3");
        await form.getByRole("button", { name: "保存方案并开放报名" }).click();
        await expect(staffPage).toHaveURL(
          new RegExp(`/matters/${matterId}/selection\\?done=plan$`)
        );
        await expect(
          staffPage.getByText("方案已保存，报名已开放。")
        ).toBeVisible();
        const plan = staffPage.getByRole("region", { name: "选择方案", exact: true });
        await expect(
          plan.getByText("共 2 人：固定席位 0 人，抽签 2 人")
        ).toBeVisible();
        await expect(plan.getByText("不限", { exact: true })).toBeVisible();
        await expect(plan.locator("tbody tr")).toHaveCount(2);
        await expect(plan.locator("tbody tr").nth(0).locator("td")).toHaveText([
          "性别",
          "男",
          "0–2 人",
          "0",
        ]);
        await expect(plan.locator("tbody tr").nth(1).locator("td")).toHaveText([
          "性别",
          "女",
          "0–2 人",
          "0",
        ]);
        // the committee edits the plan in place; the form keeps what was saved
        await expect(field(staffPage, "每户最多选一人")).not.toBeChecked();
        await expect(
          staffPage.getByRole("region", { name: "修改选择方案" })
        ).toBeVisible();
        await expect(staffPage.getByText("报名截止后才能计算。")).toBeVisible();
        await expectAccessible(
          staffPage,
          "selection page (committee, plan set, registration open)"
        );

        const phone = await staff.newPage();
        await phone.setViewportSize({ width: 360, height: 740 });
        await phone.goto(selectionUrl());
        await expect(
          phone.getByRole("region", { name: "修改选择方案" })
        ).toBeVisible();
        await expectFitsPhoneWithLargeText(
          phone,
          "selection page (committee, plan set)"
        );
        await phone.close();
      });

      const pseudonyms: string[] = [];
      await test.step("the residents register (D through the plain form without JavaScript)", async () => {
        // A comes from the matter page's link
        await pages[0].goto(`/matters/${matterId}`);
        await expect(stateTag(pages[0])).toHaveText("遴选代表中");
        await pages[0]
          .getByRole("link", { name: "参与人选择（报名、抽签）" })
          .click();
        await expect(pages[0]).toHaveURL(
          new RegExp(`/matters/${matterId}/selection$`)
        );
        // residents see the plan but not the committee's forms
        await expect(
          pages[0].getByRole("region", { name: "修改选择方案" })
        ).toHaveCount(0);
        await expect(
          pages[0].getByRole("button", { name: "现在截止报名" })
        ).toHaveCount(0);
        const labels = ["resident A", null, null, "resident D, no JavaScript"];
        pseudonyms.push(
          ...(await Promise.all(
            pages.map((p, i) => register(p, matterId, genders[i], labels[i]))
          ))
        );
        expect(new Set(pseudonyms).size).toBe(4);
        for (const p of pseudonyms) expect(p).toMatch(PSEUDONYM);
      });

      await test.step("committee_a sees the pool, closes registration now, computes and sees min/mean/max and the published digests", async () => {
        await staffPage.goto(selectionUrl());
        const plan = staffPage.getByRole("region", { name: "选择方案", exact: true });
        await expect(plan.locator("dl.facts dd").nth(3)).toHaveText("4");
        await expect(
          plan.locator("tbody tr").nth(0).locator("td").nth(3)
        ).toHaveText("2");
        await expect(
          plan.locator("tbody tr").nth(1).locator("td").nth(3)
        ).toHaveText("2");
        await staffPage.getByRole("button", { name: "现在截止报名" }).click();
        await expect(staffPage).toHaveURL(
          new RegExp(`/matters/${matterId}/selection\\?done=closeRegistration$`)
        );
        await expect(
          staffPage.getByText("报名已截止，可以计算抽签方案。")
        ).toBeVisible();
        await expectAccessible(
          staffPage,
          "selection page (committee, registration closed)"
        );

        // a time budget for this draw; the request only queues the run: the job queue works it out
        await field(staffPage, "计算时限（秒）（选填）").fill("30");
        await staffPage.getByRole("button", { name: "计算抽签方案" }).click();
        await expect(staffPage).toHaveURL(
          new RegExp(`/matters/${matterId}/selection\\?done=compute$`)
        );
        await expect(
          staffPage.getByText("已排队：正在计算抽签方案，本页显示进度。")
        ).toBeVisible();
        // 4 registrants, 2 seats, any pair meets the quotas: the fairest lottery gives each 50%
        const fair = staffPage.getByRole("region", {
          name: "每个人被抽中的机会",
        });
        // the page updates itself when the run ends; a refresh (as without JavaScript) shows it too
        await expect(async () => {
          await staffPage.reload();
          await expect(fair).toBeVisible({ timeout: 2_000 });
        }).toPass({ timeout: 90_000 });
        await expect(fair.locator("#proves")).toHaveText(
          "LEXIMIN 在 30 秒时限内完成：已证明最小的机会达到任何方案所能达到的最高，其次是第二小的机会，依此类推，覆盖每个人。"
        );
        // the public chart of chance by answer, with its table
        const chart = staffPage.getByRole("region", { name: "按回答划分的机会" });
        await expect(chart.locator("svg")).toHaveCount(1);
        await expect(chart.locator("tbody tr")).toHaveCount(2);
        await expect(chart.locator("tbody tr td:nth-child(4)")).toHaveText(["50.00%", "50.00%"]);
        await expect(
          fair.getByText("最小 50.00%，平均 50.00%，最大 50.00%。")
        ).toBeVisible();
        await expect(
          fair.getByText("已证明最优：任何方案的最小机会都不会超过 50.00%。")
        ).toBeVisible();
        await fair.getByText("每位报名者的入选机会（仅居委会可见）").click();
        const rows = fair.locator("tbody tr");
        await expect(rows).toHaveCount(4);
        expect(
          (await rows.locator("td:first-child").allTextContents()).sort()
        ).toEqual([...pseudonyms].sort());
        expect(
          (await rows.locator("td:nth-child(2)").allTextContents()).sort()
        ).toEqual(people.map((p) => p.displayName).sort());
        await expect(rows.locator("td:nth-child(3)")).toHaveText(
          Array(4).fill("50.00%")
        );

        const published = staffPage.getByRole("region", {
          name: "公开复核信息",
        });
        await expect(published.locator("code")).toHaveCount(3);
        await expect(published.locator("code")).toHaveText(
          Array(3).fill(/^[0-9a-f]{64}$/)
        );
        await expect(published.getByText("抽签种子")).toHaveCount(0);
        // a registrant sees their own chance and why
        await pages[0].goto(selectionUrl());
        const mine = pages[0].getByRole("region", { name: "您的机会" });
        await expect(mine.getByText("您被抽中的机会是 50.00%。如果每个人机会相同，则为 50.00%。")).toBeVisible();
        await expect(mine.getByText("您的机会与之大致相同。与您的回答有关的名额：")).toBeVisible();
        await expectAccessible(pages[0], "selection page (registrant, computed: their chance explained)");
        await expect(
          published.getByRole("link", { name: "下载公开记录（JSON）" })
        ).toHaveAttribute("href", `/matters/${matterId}/selection.json`);
        await expectAccessible(
          staffPage,
          "selection page (committee, computed, before the draw)"
        );
      });

      await test.step("committee_a enters the public entropy and draws two residents", async () => {
        const commitment = await staffPage
          .getByRole("region", { name: "公开复核信息" })
          .locator("code")
          .nth(2)
          .textContent();
        await confirmIrreversible(staffPage, "抽签", () => field(staffPage, "现场随机数").fill(ENTROPY));
        await expect(staffPage).toHaveURL(
          new RegExp(`/matters/${matterId}/selection\\?done=draw$`)
        );
        await expect(
          staffPage.getByText("抽签完成，已通知被选中的人。")
        ).toBeVisible();
        const published = staffPage.getByRole("region", {
          name: "公开复核信息",
        });
        await expect(
          published.getByText(ENTROPY, { exact: true })
        ).toBeVisible();
        await expect(published.locator("code").nth(2)).toHaveText(commitment!);
        await expect(published.locator("code")).toHaveCount(4); // and the seed
        await expect(
          published.getByRole("link", { name: "抽签", exact: true })
        ).toHaveCount(0);
        await expect(staffPage.locator("#verification")).toHaveAttribute(
          "data-ok",
          "yes"
        );
        await expect(staffPage.locator("#verification")).toHaveText(
          "复核通过：用公开信息重新抽签，结果与公布的代表名单一致。"
        );
        // the plan can no longer be changed
        await expect(
          staffPage.getByRole("region", { name: "修改选择方案" })
        ).toHaveCount(0);
        await expect(staffPage.locator("#panel-count")).toHaveText(
          "已确认 0 / 2 人"
        );
        await expect(panelItems(staffPage)).toHaveCount(2);
        await expect(panelItems(staffPage)).toHaveText(
          Array(2).fill(/^测试居民\S+ — 抽签 · 等待答复 · 请在 .+ 前答复$/)
        );
        await expectAccessible(staffPage, "selection page (committee, drawn)");
      });

      let chosen: number[] = [];
      await test.step("exactly the two drawn residents are asked to answer; the first accepts and the second declines", async () => {
        const answerable = await Promise.all(
          pages.map(async (p) => {
            await p.goto(selectionUrl());
            await expect(p.locator("#panel-count")).toHaveText(
              "已确认 0 / 2 人"
            );
            return (
              (await p
                .getByRole("button", { name: "我参加", exact: true })
                .count()) === 1
            );
          })
        );
        chosen = answerable.flatMap((yes, i) => (yes ? [i] : []));
        expect(chosen, "the residents with 我参加 on their page").toHaveLength(
          2
        );
        const staffNames = await panelItems(staffPage)
          .locator("strong")
          .allTextContents();
        expect([...staffNames].sort()).toEqual(
          chosen.map((i) => people[i].displayName).sort()
        );

        const [yes, no] = chosen.map((i) => pages[i]);
        await expect(
          yes.getByRole("button", { name: "我不参加", exact: true })
        ).toHaveCount(1);
        // a panel member sees the names; nobody can answer for another person
        await expect(panelItems(yes).locator("strong")).toHaveText(staffNames);
        await expect(yes.getByRole("button", { name: /^登记/ })).toHaveCount(0);
        await expectAccessible(yes, "selection page (drawn resident, invited)");

        await yes.getByRole("button", { name: "我参加", exact: true }).click();
        await expect(yes).toHaveURL(
          new RegExp(`/matters/${matterId}/selection\\?done=accept$`)
        );
        await expect(yes.getByText("已登记参加。")).toBeVisible();
        await expect(yes.locator("#panel-count")).toHaveText("已确认 1 / 2 人");
        await expect(
          yes.getByRole("button", { name: "我参加", exact: true })
        ).toHaveCount(0);
        await expect(
          panelItems(yes).filter({ hasText: people[chosen[0]].displayName })
        ).toContainText("抽签 · 已接受");
        await expectAccessible(
          yes,
          "selection page (drawn resident, accepted)"
        );

        await no.getByRole("button", { name: "我不参加", exact: true }).click();
        await expect(no).toHaveURL(
          new RegExp(`/matters/${matterId}/selection\\?done=decline$`)
        );
        await expect(
          no.getByText("已登记不参加，名额由后备名单递补。")
        ).toBeVisible();
        await expect(
          no.getByRole("button", { name: "我参加", exact: true })
        ).toHaveCount(0);
        await expectAccessible(
          no,
          `selection page (drawn resident, declined${
            chosen[1] === 3 ? ", no JavaScript" : ""
          })`
        );
      });

      await test.step("the reserve fills the declined seat: committee_a sees a 递补 member waiting for an answer, who accepts", async () => {
        await staffPage.goto(selectionUrl());
        await expect(staffPage.locator("#panel-count")).toHaveText(
          "已确认 1 / 2 人"
        );
        const items = panelItems(staffPage);
        await expect(items).toHaveCount(3);
        await expect(
          items.filter({ hasText: people[chosen[0]].displayName })
        ).toContainText("抽签 · 已接受");
        await expect(
          items.filter({ hasText: people[chosen[1]].displayName })
        ).toContainText("抽签 · 已谢绝");
        const reserve = items.filter({ hasText: "递补 · 等待答复" });
        await expect(reserve).toHaveCount(1);
        const reserveName = await reserve.locator("strong").textContent();
        const r = people.findIndex((p) => p.displayName === reserveName);
        expect(
          r,
          `the reserve (${reserveName}) is one of the two not drawn`
        ).toBeGreaterThanOrEqual(0);
        expect(chosen).not.toContain(r);
        await expectAccessible(
          staffPage,
          "selection page (committee, reserve invited)"
        );

        const reservePage = pages[r];
        await reservePage.goto(selectionUrl());
        await expect(
          panelItems(reservePage).filter({ hasText: "递补 · 等待答复" })
        ).toHaveCount(1);
        await reservePage
          .getByRole("button", { name: "我参加", exact: true })
          .click();
        await expect(reservePage).toHaveURL(
          new RegExp(`/matters/${matterId}/selection\\?done=accept$`)
        );
        await expect(reservePage.locator("#panel-count")).toHaveText(
          "已确认 2 / 2 人"
        );
        await expect(
          reservePage.getByText("代表已全部确认，可以安排议事。")
        ).toBeVisible();
        await expectAccessible(
          reservePage,
          `selection page (reserve, accepted${
            r === 3 ? ", no JavaScript" : ""
          })`
        );
        // the one never drawn sees pseudonyms only
        const outsider = [0, 1, 2, 3].find(
          (i) => !chosen.includes(i) && i !== r
        )!;
        await pages[outsider].goto(selectionUrl());
        await expect(panelItems(pages[outsider]).locator("strong")).toHaveText(
          Array(3).fill(PSEUDONYM)
        );
      });

      await test.step("a visitor sees pseudonyms, downloads the public record and verifies it; a tampered copy fails", async () => {
        const visitorContext = await newContext(browser, { baseURL });
        contexts.push(visitorContext);
        const visitor = await visitorContext.newPage();
        await visitor.goto(selectionUrl());
        await expect(
          visitor.getByRole("button", { name: "退出登录" })
        ).toHaveCount(0);
        await expect(visitor.locator("#panel-count")).toHaveText(
          "已确认 2 / 2 人"
        );
        const labels = await panelItems(visitor)
          .locator("strong")
          .allTextContents();
        expect(labels).toHaveLength(3);
        for (const l of labels) expect(pseudonyms).toContain(l);
        const main = (await visitor.locator("main").textContent()) ?? "";
        for (const p of people)
          expect(
            main,
            `${p.displayName} is not shown to a visitor`
          ).not.toContain(p.displayName);
        await expect(
          visitor.getByText("每位报名者的入选机会（仅居委会可见）")
        ).toHaveCount(0);
        await expect(
          visitor
            .getByRole("region", { name: "每个人被抽中的机会" })
            .getByText("最小 50.00%，平均 50.00%，最大 50.00%。")
        ).toBeVisible();
        await expect(visitor.locator("#verification")).toHaveAttribute(
          "data-ok",
          "yes"
        );
        await expect(visitor.getByRole("main").getByRole("button")).toHaveCount(
          0
        );
        await expectAccessible(visitor, "selection page (visitor, drawn)");

        const [download] = await Promise.all([
          visitor.waitForEvent("download"),
          visitor.getByRole("link", { name: "下载公开记录（JSON）" }).click(),
        ]);
        expect(download.suggestedFilename()).toBe(
          `matter-${matterId}-draw.json`
        );
        const text = await readFile((await download.path())!, "utf8");
        const record = JSON.parse(text) as {
          entropy: string;
          panel: string[];
          pool: { id: string; attributes: Record<string, string> }[];
          seats: number;
          secret: string;
        };
        expect(record.entropy).toBe(ENTROPY);
        expect(record.seats).toBe(2);
        expect(record.secret).toMatch(/^[0-9a-f]{64}$/);
        expect(record.pool.map((p) => p.id).sort()).toEqual(
          [...pseudonyms].sort()
        );
        expect(
          Object.fromEntries(
            record.pool.map((p) => [p.id, p.attributes["性别"]])
          )
        ).toEqual(
          Object.fromEntries(pseudonyms.map((p, i) => [p, genders[i]]))
        );
        expect([...record.panel].sort()).toEqual(
          chosen.map((i) => pseudonyms[i]).sort()
        );
        expect(text).not.toContain(people[0].displayName);

        await visitor.getByRole("link", { name: "复核抽签" }).click();
        await expect(visitor).toHaveURL(/\/selection\/verify$/);
        await expect(
          visitor.getByRole("heading", { level: 1, name: "复核抽签" })
        ).toBeVisible();
        await expectAccessible(visitor, "verify page (empty)");
        await field(visitor, "公开记录").fill(text);
        await visitor
          .getByRole("button", { name: "复核", exact: true })
          .click();
        const result = visitor.locator("#verify-result");
        await expect(result).toHaveAttribute("data-ok", "yes");
        await expect(result.getByRole("heading", { level: 2 })).toHaveText(
          "复核通过：用公开信息重新抽签，结果与公布的代表名单一致。"
        );
        await expect(result.getByRole("listitem")).toHaveCount(7);
        await expect(result.getByRole("listitem")).toHaveText(
          Array(7).fill(/^✓ /)
        );
        await expect(
          result.getByText(
            `重新抽签得到：${[...record.panel].sort().join(", ")}`
          )
        ).toBeVisible();
        await expectAccessible(visitor, "verify page (passed)");

        const tampered = JSON.stringify({ ...record, entropy: "3 5 1 6 3" });
        await field(visitor, "公开记录").fill(tampered);
        await visitor
          .getByRole("button", { name: "复核", exact: true })
          .click();
        await expect(result).toHaveAttribute("data-ok", "no");
        await expect(result.getByRole("heading", { level: 2 })).toHaveText(
          "复核不通过：公开信息与结果不一致。"
        );
        await expect(
          result
            .getByRole("listitem")
            .filter({ hasText: "种子由密钥、摘要和现场随机数算出" })
        ).toHaveText("✗ 种子由密钥、摘要和现场随机数算出");
        await expect(
          result
            .getByRole("listitem")
            .filter({ hasText: "公布的密钥与抽签前的承诺值一致" })
        ).toHaveText("✓ 公布的密钥与抽签前的承诺值一致");
        await expectAccessible(visitor, "verify page (failed)");

        const phone = await visitorContext.newPage();
        await phone.setViewportSize({ width: 360, height: 740 });
        await phone.goto(selectionUrl());
        await expect(phone.locator("#panel-count")).toHaveText(
          "已确认 2 / 2 人"
        );
        await expectFitsPhoneWithLargeText(
          phone,
          "selection page (visitor, drawn)"
        );
        await phone.close();
      });
    } finally {
      for (const ctx of contexts) await ctx.close();
    }
  });
});
