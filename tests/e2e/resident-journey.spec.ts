import { expect, test } from "@playwright/test";
import {
  askToJoin,
  COMMUNITY_NAME,
  DEMO_PASSWORD,
  expectAccessible,
  field,
  logInInPage,
  newContext,
  newResident,
  openCommunityFromHome,
  signUpByRequest,
  signUpInPage,
  verifyApplicant,
} from "./support";

/** The same journeys, once as a browser with JavaScript and once without (plain form posts). */
for (const mode of [
  { name: "with JavaScript", javaScriptEnabled: true },
  { name: "without JavaScript", javaScriptEnabled: false },
]) {
  test.describe(`resident journey ${mode.name}`, () => {
    test.use({ javaScriptEnabled: mode.javaScriptEnabled });

    test("signs up, asks to join, is verified by the committee, switches language and logs out", async ({ page, browser, baseURL }) => {
      // seven pages checked by axe, two browsers: 40 s on a quiet CI machine, over 60 s on a busy one
      test.setTimeout(150_000);
      const me = newResident(mode.javaScriptEnabled ? "js" : "nojs");

      await page.goto("/signup");
      await expectAccessible(page, "signup");
      await signUpInPage(page, me);
      await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
      await expect(page.getByText("您还没有加入社区。", { exact: false })).toBeVisible();
      await expectAccessible(page, "home (signed in)");

      const communityId = await openCommunityFromHome(page);
      await expectAccessible(page, "community page (not a member)");
      await askToJoin(page, "7 号楼 3 单元");
      await expectAccessible(page, "community page (pending)");

      const staff = await newContext(browser, { baseURL, javaScriptEnabled: mode.javaScriptEnabled });
      try {
        const staffPage = await staff.newPage();
        await logInInPage(staffPage, "committee_a", DEMO_PASSWORD);
        await expectAccessible(staffPage, "home (committee member)");
        await verifyApplicant(staffPage, communityId, me.displayName);
        await expectAccessible(staffPage, "居民审核 after verifying");
      } finally {
        await staff.close();
      }

      // Reloading is safe: the join answered with a redirect (post/redirect/get), not a page.
      await page.reload();
      await expect(page.getByText("您是本社区的认证居民。")).toBeVisible();
      await expect(page.locator(".error-summary")).toHaveCount(0);
      await expect(page.getByText("您的加入申请正在审核中。")).toHaveCount(0);
      await expectAccessible(page, "community page (verified)");

      // The header button switches to English and back, staying on the same page.
      await page.getByRole("button", { name: "English" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      await expect(page.getByText("You are a verified resident of this community.")).toBeVisible();
      await expect(page.getByRole("heading", { level: 1, name: COMMUNITY_NAME })).toBeVisible();
      await expect(page).toHaveURL(new RegExp(`/communities/${communityId}(\\?joined=1)?$`));
      await expectAccessible(page, "community page (English)");
      await page.getByRole("button", { name: "中文" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
      await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
      await expect(page.getByText("您是本社区的认证居民。")).toBeVisible();

      await page.getByRole("button", { name: "退出登录" }).click();
      await expect(page).toHaveURL(/\/login\?bye=1$/);
      await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
      await expect(page.getByText("您已退出登录。")).toBeVisible();
      await expect(page.getByRole("button", { name: "退出登录" })).toHaveCount(0);
      await expectAccessible(page, "login page after logging out");
    });

    test("a wrong password shows the error summary at the top, linking to the field", async ({ page, request }) => {
      const me = newResident(mode.javaScriptEnabled ? "jspw" : "nojspw");
      await signUpByRequest(request, me);

      await page.goto("/login");
      await expectAccessible(page, "login");
      await field(page, "手机号或用户名").fill(me.username);
      await field(page, "密码").fill("not the password");
      await page.getByRole("main").getByRole("button", { name: "登录", exact: true }).click();

      const summary = page.locator(".error-summary");
      await expect(summary).toBeVisible();
      await expect(summary.getByRole("heading", { name: "请修改以下问题" })).toBeVisible();
      // "At the top": the summary comes before everything else in <main>, the heading included.
      await expect(page.locator("main > :first-child")).toHaveClass(/error-summary/);
      const link = summary.getByRole("link", { name: "手机号/用户名或密码不对，请再试一次。" });
      await expect(link).toBeVisible();
      const identifierId = await field(page, "手机号或用户名").getAttribute("id");
      expect(identifierId).toBeTruthy();
      await expect(link).toHaveAttribute("href", `#${identifierId}`);
      await expect(field(page, "手机号或用户名")).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByRole("button", { name: "退出登录" })).toHaveCount(0);
      await expectAccessible(page, "login with a wrong password");

      await link.click();
      await expect(page).toHaveURL(new RegExp(`#${identifierId}$`));
    });

    test("a bad phone number on sign-up shows the message beside the field", async ({ page }) => {
      const me = newResident();
      await page.goto("/signup");
      await field(page, "手机号或用户名").fill("12345");
      await field(page, "称呼").fill(me.displayName);
      await field(page, "密码").fill(me.password);
      await field(page, "再次输入密码").fill(me.password);
      await page.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();

      const message = "手机号格式不对：应为 1 开头的 11 位数字，如 13812345678。";
      const input = field(page, "手机号或用户名");
      // Beside the field: in the same .field group as the input, and named by its aria-describedby.
      const group = page.locator(".field").filter({ has: input });
      const beside = group.locator(".field-error");
      await expect(beside).toHaveText(message);
      await expect(input).toHaveAttribute("aria-invalid", "true");
      const errorId = await beside.getAttribute("id");
      expect(errorId).toBeTruthy();
      await expect(input).toHaveAttribute("aria-describedby", new RegExp(`(^|\\s)${errorId}(\\s|$)`));
      await expect(page.locator(".error-summary").getByRole("link", { name: message })).toBeVisible();
      // The other fields were fine and the user was not created.
      await expect(page.locator(".field-error")).toHaveCount(1);
      await expect(page).toHaveURL(/\/signup$/);
      await expectAccessible(page, "signup with a bad phone number");
    });
  });
}
