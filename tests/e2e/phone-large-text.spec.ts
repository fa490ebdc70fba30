import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, field, headerHeight, logInInPage, newResident, openCommunityFromHome, openMenu } from "./support";

test.use({ viewport: { width: 360, height: 740 } });

/**
 * Doubles the root font size, as a phone user with large text would. The CSP allows no inline
 * <style>, so this sets it through the CSSOM (which CSP does not restrict) rather than addStyleTag.
 */
async function largeText(page: Page) {
  await page.evaluate(() => {
    document.documentElement.style.fontSize = "200%";
  });
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("32px");
}

async function expectFits(page: Page, label: string, button: Locator, menu = false) {
  await largeText(page);
  if (menu) await openMenu(page);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${label}: page scrolls sideways (scrollWidth ${scrollWidth} > clientWidth ${clientWidth})`).toBeLessThanOrEqual(clientWidth + 1);
  await button.scrollIntoViewIfNeeded();
  await expect(button, `${label}: main button`).toBeVisible();
  const box = await button.boundingBox();
  expect(box, `${label}: main button has a box`).not.toBeNull();
  expect(box!.height, `${label}: main button height`).toBeGreaterThanOrEqual(44);
  expect(box!.x, `${label}: main button starts inside the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${label}: main button ends inside the screen`).toBeLessThanOrEqual(clientWidth + 1);
  await expectAccessible(page, `${label} at 360 px with 200% text`);
}

test("home, login, sign-up and a community page fit a 360 px phone with doubled text", async ({ page }) => {
  const me = newResident("phone");
  const main = page.getByRole("main");

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The home page has no form; its main control is the header's sign-in link.
  // the header fits one line with a menu button before the title (it took three lines, ~160 px)
  expect(await headerHeight(page), "header height at 360 px").toBeLessThanOrEqual(72);
  await expect(page.getByRole("link", { name: "登录", exact: true })).toBeHidden();
  await expectFits(page, "home", page.getByRole("link", { name: "登录", exact: true }), true);

  await page.goto("/login");
  await expectFits(page, "login", main.getByRole("button", { name: "登录", exact: true }));

  await page.goto("/signup");
  const signUp = main.getByRole("button", { name: "注册", exact: true });
  await expectFits(page, "signup", signUp);
  await field(page, "手机号或用户名").fill(me.username);
  await field(page, "称呼").fill(me.displayName);
  await field(page, "密码").fill(me.password);
  await field(page, "再次输入密码").fill(me.password);
  await signUp.click();
  await expect(page.getByRole("heading", { level: 1, name: `您好，${me.displayName}` })).toBeVisible();
  await expectFits(page, "home (signed in)", page.getByRole("button", { name: "退出登录" }), true);

  await openCommunityFromHome(page);
  await expectFits(page, "community page", main.getByRole("button", { name: "提交申请" }));
});

/** Pages whose width comes from data (tables, charts): nothing may push the page sideways. */
async function expectNoSidewaysScroll(page: Page, label: string) {
  await largeText(page);
  const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
    const cw = document.documentElement.clientWidth;
    // the innermost elements that reach past the screen's right edge, to say what to fix
    const wide = [...document.querySelectorAll("main *")]
      .filter((el) => el.getBoundingClientRect().right > cw + 1 && ![...el.children].some((c) => c.getBoundingClientRect().right > cw + 1))
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).replace(/\s+/g, ".") : ""} "${(el.textContent ?? "").trim().slice(0, 20)}"`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: cw, wide };
  });
  expect(scrollWidth, `${label}: page scrolls sideways (scrollWidth ${scrollWidth} > clientWidth ${clientWidth}): ${wide.join(", ")}`).toBeLessThanOrEqual(clientWidth + 1);
  await expectAccessible(page, `${label} at 360 px with 200% text`);
}

test("the committee's dashboard and the county's roll-up fit a 360 px phone with doubled text", async ({ page }) => {
  await logInInPage(page, "committee_a", DEMO_PASSWORD);
  // committee_a's own home heading names the community too: wait for the URL, not a heading
  await page.getByRole("region", { name: "各地社区" }).getByRole("link", { name: "幸福里社区", exact: true }).click();
  await expect(page).toHaveURL(/\/communities\/\d+$/);
  const communityId = Number(/\/communities\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
  await page.goto(`/communities/${communityId}/dashboard`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoSidewaysScroll(page, "community dashboard");
  await openMenu(page);
  await page.getByRole("button", { name: "退出登录" }).click();
  // the sign-out post has finished when the button is gone (going to /login before it would find the session alive)
  await expect(page.getByRole("button", { name: "退出登录", includeHidden: true })).toHaveCount(0);

  await logInInPage(page, "county_admin", DEMO_PASSWORD);
  // the seeded county is the first area (server/demo/seed.ts)
  await page.goto("/communities/1/dashboard");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("清河县");
  await expectNoSidewaysScroll(page, "county dashboard");
});
