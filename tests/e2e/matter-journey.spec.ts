import { expect, test, type BrowserContext, type Locator, type Page } from "@playwright/test";
import {
  askToJoin,
  COMMUNITY_NAME,
  countPageLoads,
  DEMO_PASSWORD,
  expectAccessible,
  field,
  logInInPage,
  newContext,
  newPhone,
  newResident,
  openCommunityFromHome,
  signUpInPage,
  socketConnected,
  stripNulBytes,
  verifyApplicants,
  type Resident,
} from "./support";

/** The committee member's display name in the demo data (server/demo/seed.ts); staff act under their own names. */
const COMMITTEE_NAME = "幸福里社区 陈书记";

/** The matter's state tag at the top of the matter page (the timeline's tags have no "state" class). */
function stateTag(page: Page) {
  return page.locator("main .tag.state");
}

/** Each entry of the matter page's 进展记录, oldest first. */
function timelineEntries(page: Page) {
  return page.getByRole("region", { name: "进展记录" }).locator("ol.timeline > li");
}

/** The value beside a label in the matter page's facts (类别, 涉及范围, 提议人 …). */
function fact(page: Page, label: string): Locator {
  return page.locator("dl.facts > div").filter({ has: page.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) }) }).getByRole("definition");
}

/**
 * Opens 幸福里社区 from the home page's list and returns its id. Unlike openCommunityFromHome this
 * waits for the URL first: committee_a's own home heading ("您好，幸福里社区 陈书记") contains the
 * community's name, so with JavaScript the heading check alone can pass before the navigation ends.
 */
async function openCommunityAsStaff(page: Page) {
  await page.goto("/");
  await page.getByRole("region", { name: "各地社区" }).getByRole("link", { name: COMMUNITY_NAME, exact: true }).click();
  await expect(page).toHaveURL(/\/communities\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: COMMUNITY_NAME, exact: true })).toBeVisible();
  return Number(/\/communities\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
}

/** Every page has a <title> (root meta is the fallback); axe's full rule set applies. */
async function expectAccessibleUntitled(page: Page, label: string) {
  await page.waitForLoadState("load");
  expect((await page.title()).trim(), `${label} has a title`).not.toBe("");
  return expectAccessible(page, label);
}

/**
 * As committee_a, from the home page: sets 幸福里社区's rules through its 协商规则 form (a fixed
 * co-sign threshold of 2, notice 3 days, names masked) and returns the community's id.
 */
async function setCosignRules(page: Page) {
  await logInInPage(page, "committee_a", DEMO_PASSWORD);
  await expectAccessible(page, "home (committee member)");
  const communityId = await openCommunityAsStaff(page);
  await expectAccessible(page, "community page (committee member)");
  await page.getByRole("link", { name: "协商规则设置" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}：协商规则` })).toBeVisible();
  await expectAccessibleUntitled(page, "协商规则 settings");
  await page.getByLabel("固定人数").check();
  await field(page, "需要多少人附议").fill("2");
  await field(page, "占本社区户数的百分比").fill("");
  await field(page, "事先告知天数").fill("3");
  await page.getByLabel("只显示姓氏（如“王**”）").check();
  await page.getByRole("main").getByRole("button", { name: "保存", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/communities/${communityId}/settings\\?saved=1$`));
  await expect(page.getByRole("status").filter({ hasText: "协商规则已保存。" })).toBeVisible();
  await expect(page.getByLabel("固定人数")).toBeChecked();
  await expect(field(page, "需要多少人附议")).toHaveValue("2");
  await expect(field(page, "事先告知天数")).toHaveValue("3");
  await expect(page.getByLabel("只显示姓氏（如“王**”）")).toBeChecked();
  await expectAccessibleUntitled(page, "协商规则 settings (saved)");
  return communityId;
}

/**
 * A new resident in their own context: signs up, opens 幸福里社区 from the home page and asks to
 * join. `check` runs the accessibility check on each page (once is enough: B and C see the same ones).
 */
async function residentAsksToJoin(open: () => Promise<BrowserContext>, user: Resident, address: string, check: boolean) {
  const page = await (await open()).newPage();
  await signUpInPage(page, user);
  if (check) await expectAccessible(page, "home (new resident)");
  await openCommunityFromHome(page);
  if (check) await expectAccessible(page, "community page (not a member)");
  await askToJoin(page, address);
  if (check) await expectAccessible(page, "community page (pending)");
  return page;
}

/** A verified co-signer opens the matter page and presses 附议. */
async function cosign(page: Page, matterId: number, label: string, check: boolean, open = true) {
  if (open) await page.goto(`/matters/${matterId}`);
  await expect(stateTag(page)).toHaveText("征集附议中");
  if (check) await expectAccessible(page, `matter page before ${label} co-signs`);
  await page.getByRole("button", { name: "附议", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}\\?done=cosigned$`));
  await expect(page.getByRole("status").filter({ hasText: "您已附议。" })).toBeVisible();
  await expect(page.getByRole("button", { name: "附议", exact: true })).toHaveCount(0);
}

/** The same journey, once as browsers with JavaScript and once without (plain form posts and redirects). */
for (const mode of [
  { name: "with JavaScript", javaScriptEnabled: true },
  { name: "without JavaScript", javaScriptEnabled: false },
]) {
  test.describe(`matter journey ${mode.name}`, () => {
    test.use({ javaScriptEnabled: mode.javaScriptEnabled });

    test("a resident proposes a matter, two neighbours co-sign, the committee accepts it and the public can read it", async ({ browser, baseURL }) => {
      test.setTimeout(300_000); // the journey also walks the home pages, the QR page and a shared link
      const js = mode.javaScriptEnabled;
      const suffix = `${js ? "js" : "nojs"}${Date.now().toString(36)}`;
      const title = `楼道声控灯坏了 ${suffix}`;
      const phone = newPhone();
      // Resident A signs up with a phone number, so "no phone number on the public page" means something.
      const proposer: Resident = { ...newResident("mjA"), username: phone };
      const cosignerB = newResident("mjB");
      const cosignerC = newResident("mjC");
      const contexts: BrowserContext[] = [];
      const nulPages: string[] = [];
      /** A new browser context of its own (cookies), NUL bytes dropped (see stripNulBytes). */
      const open = async (javaScriptEnabled = js, storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>) => {
        const context = storageState
          ? await browser.newContext({ baseURL, javaScriptEnabled, locale: "zh-CN", storageState })
          : await newContext(browser, { baseURL, javaScriptEnabled });
        contexts.push(context);
        await stripNulBytes(context, nulPages);
        return context;
      };
      try {
        // 1 and 2. committee_a sets the co-sign rules while three new residents sign up and ask to
        // join, side by side; then committee_a verifies them. KNOWN APP BUG: with JavaScript the
        // settings page crashes as soon as a field loses focus (see the known-bug test below), so
        // the rules are set from a script-less context in both modes.
        const rulesPage = await (await open(false)).newPage();
        let communityId = 0;
        let a!: Page, b!: Page, c!: Page;
        await test.step("committee_a sets the co-sign threshold to 2; three residents sign up and ask to join", async () => {
          [communityId, [a, b, c]] = await Promise.all([
            setCosignRules(rulesPage),
            Promise.all([
              residentAsksToJoin(open, proposer, "4 号楼 1 单元", true),
              residentAsksToJoin(open, cosignerB, "4 号楼 2 单元", false),
              residentAsksToJoin(open, cosignerC, "6 号楼 3 单元", false),
            ]),
          ]);
        });
        // With JavaScript the committee goes on in a scripted context, signed in with the same cookies.
        const staffPage = js ? await (await open(true, await rulesPage.context().storageState())).newPage() : rulesPage;
        await test.step("committee_a verifies the three residents", async () => {
          // the committee's home: their community and their to-do list, each item a link; no join form
          await staffPage.goto("/");
          await expect(staffPage.getByRole("region", { name: "您负责的社区" }).getByRole("link", { name: COMMUNITY_NAME, exact: true })).toBeVisible();
          await expect(staffPage.getByText("您还没有加入社区", { exact: false })).toHaveCount(0);
          const todo = staffPage.getByRole("region", { name: "待办" });
          await expect(todo.getByRole("link", { name: new RegExp(`^${COMMUNITY_NAME}：\\d+ 位居民申请加入，等待审核$`) })).toBeVisible();
          await expectAccessible(staffPage, "home (committee member, to-do list)");
          await todo.getByRole("link", { name: new RegExp(`^${COMMUNITY_NAME}：`) }).first().click();
          await expect(staffPage).toHaveURL(new RegExp(`/communities/${communityId}/members$`));
          await verifyApplicants(staffPage, communityId, [proposer.displayName, cosignerB.displayName, cosignerC.displayName]);
          await expectAccessible(staffPage, "居民审核 after verifying");
        });

        // 3 and 8. A proposes a matter; the empty title is refused first, in the browser or by the server.
        let matterId = 0;
        let shareUrl = "";
        await test.step("resident A proposes a matter (an empty title is refused first) and submits it", async () => {
          await a.goto(`/communities/${communityId}/matters`);
          await expect(a.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}的议题` })).toBeVisible();
          await expectAccessible(a, "matter list (verified resident)");
          await a.getByRole("link", { name: "提出议题" }).click();
          await expect(a).toHaveURL(new RegExp(`/communities/${communityId}/matters/new$`));
          await expect(a.getByRole("heading", { level: 1, name: "提出新议题" })).toBeVisible();
          await expectAccessibleUntitled(a, "proposal form");

          const description = "4 号楼一到六层的楼道声控灯坏了两个星期，晚上老人上下楼只能摸黑。";
          await field(a, "详细说明").fill(description);
          await field(a, "类别").selectOption({ label: "公共事务" });
          await field(a, "涉及范围").fill("4 号楼");
          await field(a, "希望的结果").fill("一周内修好全部声控灯，并公布报修电话。");
          await a.getByRole("main").getByRole("button", { name: "保存草稿" }).click();

          const titleInput = field(a, "标题");
          const titleId = await titleInput.getAttribute("id");
          expect(titleId).toBeTruthy();
          const summary = a.locator(".error-summary");
          await expect(summary).toBeVisible();
          await expect(summary.getByRole("heading", { name: "请修改以下问题" })).toBeVisible();
          const link = summary.getByRole("link", { name: "请填写这一项。" });
          await expect(link).toHaveCount(1);
          await expect(link).toHaveAttribute("href", `#${titleId}`);
          // At the top: before the form and every field in it.
          const summaryFirst = await summary.evaluate((el) => {
            const form = document.querySelector("main form");
            return !!form && !!(el.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
          });
          expect(summaryFirst, "the error summary comes before the proposal form").toBe(true);
          // Beside the field: in the title's .field group, and named by its aria-describedby.
          const beside = a.locator(".field").filter({ has: titleInput }).locator(".field-error");
          await expect(beside).toHaveText("请填写这一项。");
          const errorId = await beside.getAttribute("id");
          expect(errorId).toBeTruthy();
          await expect(titleInput).toHaveAttribute("aria-invalid", "true");
          await expect(titleInput).toHaveAttribute("aria-describedby", new RegExp(`(^|\\s)${errorId}(\\s|$)`));
          await expect(a.locator(".field-error")).toHaveCount(1);
          // Nothing was saved and nothing typed was lost.
          await expect(a).toHaveURL(new RegExp(`/communities/${communityId}/matters/new$`));
          await expect(field(a, "详细说明")).toHaveValue(description);
          await expect(field(a, "类别").locator("option:checked")).toHaveText("公共事务");
          await expectAccessibleUntitled(a, "proposal form with an empty title");
          await link.click();
          await expect(a).toHaveURL(new RegExp(`#${titleId}$`));

          await titleInput.fill(title);
          await a.getByRole("main").getByRole("button", { name: "保存草稿" }).click();
          await expect(a).toHaveURL(/\/matters\/\d+\?saved=1$/);
          matterId = Number(/\/matters\/(\d+)/.exec(new URL(a.url()).pathname)?.[1]);
          expect(matterId).toBeGreaterThan(0);
          await expect(a.getByRole("heading", { level: 1 })).toHaveText(`#${matterId} ${title}`);
          await expect(stateTag(a)).toHaveText("草稿");
          await expect(a.getByRole("status").filter({ hasText: "草稿已保存。只有您能看到草稿，提交后才公开征集附议。" })).toBeVisible();
          await expect(fact(a, "类别")).toHaveText("公共事务");
          await expectAccessible(a, "matter page (draft)");

          await a.getByRole("button", { name: "提交，开始征集附议" }).click();
          await expect(a).toHaveURL(new RegExp(`/matters/${matterId}\\?done=submitted$`));
          await expect(stateTag(a)).toHaveText("征集附议中");
          await expect(a.getByText("附议 0 / 2 人")).toBeVisible();
          // not just "操作完成。": what happens next, and a link and a printable QR code for the neighbours
          const next = a.getByRole("region", { name: "下一步：请邻居附议" });
          await expect(next).toContainText("还需要 2 位本社区已核验的居民附议（共需 2 位）");
          await expect(next).toContainText("自动转交社区两委审核");
          await expect(next.getByLabel("分享链接", { exact: true })).toHaveValue(new RegExp(`/matters/${matterId}\\?via=share$`));
          shareUrl = await next.getByLabel("分享链接", { exact: true }).inputValue();
          await expect(a.getByText("您正在关注这个议题，每次进展都会通知您。")).toBeVisible();
          await expectAccessible(a, "matter page (collecting)");
          await next.getByRole("link", { name: "打印附议二维码" }).click();
          await expect(a.getByRole("heading", { level: 1, name: `请为“${title}”附议` })).toBeVisible();
          await expect(a.getByRole("img", { name: `附议“${title}”的二维码（扫码打开议题页）` }).locator("svg")).toHaveCount(1);
          await expect(a.getByText(shareUrl, { exact: true })).toBeVisible();
          await expectAccessible(a, "co-sign QR code page");
        });

        // 4. B and C co-sign; C's co-sign reaches the threshold of 2.
        await test.step("residents B and C co-sign; the matter goes to review", async () => {
          // B finds it on the home page, one tap away
          await b.goto("/");
          const forB = b.getByRole("region", { name: "等您参与" });
          await expect(forB.getByRole("link", { name: new RegExp(`^附议：${title}`) })).toBeVisible();
          await expectAccessible(b, "home (verified resident, a matter waiting for a co-sign)");
          const fromHome = countPageLoads(b, js);
          await forB.getByRole("link", { name: new RegExp(`^附议：${title}`) }).click();
          await expect(b).toHaveURL(new RegExp(`/matters/${matterId}$`));
          await cosign(b, matterId, "B", true, false);
          expect(fromHome.stop(), "page loads from the home page to a co-sign").toBeLessThanOrEqual(2);
          await expect(stateTag(b)).toHaveText("征集附议中");
          await expect(b.getByText("附议 1 / 2 人")).toBeVisible();
          await expectAccessible(b, "matter page after B co-signs");

          // C follows A's share link signed out, signs in, and co-signs: two page loads after signing in
          // (on a phone of their own: a fresh browser, signed out)
          c = await (await open()).newPage();
          await c.goto(shareUrl);
          await expect(c).toHaveURL(/\/login\?next=/);
          await field(c, "手机号或用户名").fill(cosignerC.username);
          await field(c, "密码").fill(cosignerC.password);
          const afterSignIn = countPageLoads(c, js);
          await c.getByRole("main").getByRole("button", { name: "登录", exact: true }).click();
          await expect(c).toHaveURL(new RegExp(`/matters/${matterId}\\?via=share$`));
          await expect(c.getByRole("status").filter({ hasText: "有邻居请您附议这个议题" })).toBeVisible();
          await cosign(c, matterId, "C", false, false);
          expect(afterSignIn.stop(), "page loads from signing in to a co-sign by the shared link").toBeLessThanOrEqual(2);
          await expect(stateTag(c)).toHaveText("待审核");
          await expect(c.getByText("附议 2 / 2 人")).toBeVisible();
          await expect(timelineEntries(c).last()).toContainText("附议达到 2 人，转入审核");
          await expect(timelineEntries(c).last().locator(".tag")).toHaveText("待审核");
          await expectAccessible(c, "matter page after C co-signs (under review)");
        });

        // 7 (set-up). A waits on the home page with a live socket, without reloading.
        let unreadBefore = 0;
        let navigations = 0;
        if (js) {
          // a document the runner fulfilled may not open a socket to 127.0.0.1: load this one directly
          await a.context().unrouteAll({ behavior: "wait" });
          const connected = socketConnected(a);
          await a.goto("/");
          await expect(a.getByRole("heading", { level: 1, name: `您好，${proposer.displayName}` })).toBeVisible();
          const bell = a.locator("#nav-notifications");
          // at least "您加入幸福里社区的申请已通过。" (and the followers' notice of the review) are unread
          unreadBefore = Number(await bell.getAttribute("data-unread"));
          expect(unreadBefore).toBeGreaterThanOrEqual(1);
          await expect(bell).toHaveText(`通知（${unreadBefore} 条未读）`);
          await expectAccessible(a, "home (proposer, before the acceptance)");
          await connected;
          await a.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = "still here"));
          a.on("framenavigated", (f) => {
            if (f === a.mainFrame()) navigations += 1;
          });
        }

        // 5. The committee accepts the matter for a residents' meeting.
        await test.step("committee_a accepts the matter", async () => {
          await staffPage.goto(`/matters/${matterId}`);
          await expect(stateTag(staffPage)).toHaveText("待审核");
          await expectAccessible(staffPage, "matter page (committee, under review)");
          const accept = staffPage.locator("details").filter({ has: staffPage.locator("summary", { hasText: /^受理$/ }) });
          await accept.locator("summary").click();
          await accept.getByLabel("居民（村民）会议").check();
          await expectAccessible(staffPage, "matter page (committee, accept form open)");
          await accept.getByRole("button", { name: "受理", exact: true }).click();
          await expect(staffPage).toHaveURL(new RegExp(`/matters/${matterId}\\?done=done$`));
          await expect(stateTag(staffPage)).toHaveText("已受理");
          await expect(staffPage.getByRole("status").filter({ hasText: "操作完成。" })).toBeVisible();
          await expect(fact(staffPage, "协商形式")).toHaveText("居民（村民）会议");
          await expectAccessible(staffPage, "matter page (committee, accepted)");
        });

        // 7. The proposer's header count went up live.
        if (js) {
          await test.step("resident A's header shows the new notification without a reload", async () => {
            const bell = a.locator("#nav-notifications");
            await expect(bell).toHaveAttribute("data-unread", String(unreadBefore + 1));
            await expect(bell).toHaveText(`通知（${unreadBefore + 1} 条未读）`);
            await expect(a.getByRole("status").filter({ hasText: "新通知：" })).toContainText(`您关注的议题“${title}”：已受理`);
            expect(await a.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe("still here");
            expect(navigations).toBe(0);
            await expectAccessible(a, "home after the live notification");
          });
        }

        // 6. A signed-out visitor finds it in the public list and reads the record.
        await test.step("a signed-out visitor finds the matter and reads its public record", async () => {
          const v = await (await open()).newPage();
          await v.goto(`/communities/${communityId}/matters`);
          await expect(v.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}的议题` })).toBeVisible();
          await expect(v.getByRole("button", { name: "退出登录" })).toHaveCount(0);
          await expect(v.getByRole("link", { name: "提出议题" })).toHaveCount(0);
          await expectAccessible(v, "public matter list");
          await v.getByRole("searchbox", { name: "关键词" }).fill(suffix);
          await v.getByRole("search").getByRole("button", { name: "筛选" }).click();
          await expect(v).toHaveURL(new RegExp(`[?&]q=${suffix}(&|$)`));
          const items = v.locator("#matter-list > li");
          await expect(items).toHaveCount(1);
          await expect(items.first().locator(".tag.state")).toHaveText("已受理");
          await expectAccessible(v, "public matter list filtered by keyword");
          await items.first().getByRole("link", { name: `#${matterId} ${title}` }).click();

          await expect(v).toHaveURL(new RegExp(`/matters/${matterId}$`));
          await expect(v.getByRole("heading", { level: 1 })).toHaveText(`#${matterId} ${title}`);
          await expect(stateTag(v)).toHaveText("已受理");
          const masked = `${[...proposer.displayName][0]}**`;
          await expect(fact(v, "提议人")).toHaveText(masked);
          const steps = timelineEntries(v);
          await expect(steps).toHaveCount(3);
          await expect(steps).toContainText([`${masked}提交了议题`, "附议达到 2 人，转入审核", `${COMMITTEE_NAME}受理了议题`]);
          await expect(steps.locator(".tag")).toHaveText(["征集附议中", "待审核", "已受理"]);
          // Nothing a visitor could act on, and nothing that identifies the proposer.
          await expect(v.getByRole("button", { name: "附议", exact: true })).toHaveCount(0);
          await expect(v.getByRole("heading", { name: "可以进行的操作" })).toHaveCount(0);
          const html = await v.content();
          expect(html, "the proposer's phone number is nowhere in the page").not.toContain(phone);
          expect(html, "the proposer's full name is nowhere in the page").not.toContain(proposer.displayName);
          expect(await v.locator("body").innerText(), "no phone number shown").not.toMatch(/1[3-9]\d{9}/);
          await expectAccessible(v, "public matter page (visitor)");
        });
      } finally {
        for (const ctx of contexts) await ctx.close();
        // server-rendered HTML must never carry NUL bytes (they corrupt attributes)
        expect(nulPages, "pages with NUL bytes").toEqual([]);
      }
    });

    if (mode.javaScriptEnabled) {
      // The rules form once handed conform a new lastResult each render and looped forever
      // (React error #185) when a field lost focus; starting values now go in as defaultValue.
      test("the 协商规则 form survives a field losing focus", async ({ page }) => {
        await stripNulBytes(page.context(), []);
        await logInInPage(page, "committee_a", DEMO_PASSWORD);
        const communityId = await openCommunityAsStaff(page);
        await page.goto(`/communities/${communityId}/settings`);
        await field(page, "需要多少人附议").fill("2");
        await field(page, "事先告知天数").fill("3", { timeout: 3_000 });
        await expect(page.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}：协商规则` })).toBeVisible({ timeout: 3_000 });
        await expect(field(page, "事先告知天数")).toHaveValue("3", { timeout: 3_000 });
      });
    }
  });
}
