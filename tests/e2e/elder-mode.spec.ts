import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, logInInPage, openCommunityFromHome, openMenu } from "./support";

/**
 * 长辈模式 (issue 22), measured the way MIIT's ageing-friendly specification states it, on the pages
 * a resident's journey visits on a 360 px phone: main text ≥ 24 px (18 pt), line spacing ≥ 1.3,
 * every visible interactive element ≥ 60 × 60, no sideways scrolling, axe clean.
 */
test.use({ viewport: { width: 360, height: 740 } });

// a seeded resident of 幸福里社区 whose household has not voted (server/demo/seed-matters.ts)
const RESIDENT = "13800000007";
const VOTING_MATTER = "小区道路坑洼修补（一事一议筹资）";

async function expectElderPage(page: Page, label: string) {
  await page.waitForLoadState("load");
  expect(await page.locator("html").getAttribute("data-mode"), `${label}: 长辈模式 is on`).toBe("elder");
  const m = await page.evaluate(() => {
    const main = document.querySelector("main")!;
    const px = (v: string) => parseFloat(v);
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && s.visibility !== "hidden" && s.display !== "none" && r.right > 0 && r.left < document.documentElement.clientWidth;
    };
    const text = [...main.querySelectorAll("p, li, dd")].filter(visible).filter((el) => (el.textContent ?? "").trim());
    const small = text
      .map((el) => ({ el, size: px(getComputedStyle(el).fontSize) }))
      .filter((x) => x.size < 24)
      .map((x) => `${x.el.tagName.toLowerCase()} ${x.size}px "${(x.el.textContent ?? "").trim().slice(0, 20)}"`);
    const tight = text
      .map((el) => {
        const s = getComputedStyle(el);
        return { el, ratio: px(s.lineHeight) / px(s.fontSize) };
      })
      .filter((x) => !(x.ratio >= 1.3))
      .map((x) => `${x.el.tagName.toLowerCase()} ${x.ratio.toFixed(2)} "${(x.el.textContent ?? "").trim().slice(0, 20)}"`);
    const controls = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, label.nav-toggle-label")].filter(visible);
    const tiny = controls
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter((x) => x.r.width < 60 - 0.5 || x.r.height < 60 - 0.5)
      .map((x) => `${x.el.tagName.toLowerCase()}${x.el.id ? "#" + x.el.id : ""} ${Math.round(x.r.width)}×${Math.round(x.r.height)} "${(x.el.textContent ?? (x.el as HTMLInputElement).name ?? "").trim().slice(0, 16)}"`);
    return {
      mainSize: px(getComputedStyle(main).fontSize),
      paragraphs: text.length,
      small,
      tight,
      controls: controls.length,
      tiny,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    };
  });
  expect(m.mainSize, `${label}: main text size`).toBeGreaterThanOrEqual(24);
  expect(m.paragraphs, `${label}: has text to measure`).toBeGreaterThan(0);
  expect(m.small, `${label}: text under 24 px`).toEqual([]);
  expect(m.tight, `${label}: line spacing under 1.3`).toEqual([]);
  expect(m.controls, `${label}: has controls to measure`).toBeGreaterThan(0);
  expect(m.tiny, `${label}: tap targets under 60 × 60`).toEqual([]);
  expect(m.scrollWidth, `${label}: scrolls sideways at 360 px`).toBeLessThanOrEqual(m.clientWidth + 1);
  await expectAccessible(page, `${label} in 长辈模式`);
}

test("长辈模式: a resident's pages have 24 px text, 60 × 60 targets, 1.3 line spacing and no sideways scroll at 360 px", async ({ page }) => {
  await logInInPage(page, RESIDENT, DEMO_PASSWORD);
  await page.goto("/");
  const header = page.locator("header.site-header");
  // the switch is in the header on every page, outside the folded menu
  const on = header.getByRole("button", { name: "长辈模式", exact: true });
  await expect(on).toBeVisible();
  await on.click();
  await expect(header.getByRole("button", { name: "退出长辈模式" })).toBeVisible();
  await expectElderPage(page, "home");

  // the simplified menu: the few things a resident does
  await openMenu(page);
  const nav = page.getByRole("navigation", { name: "主导航" });
  await expect(nav.getByRole("link", { name: "我的社区事项" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "表决" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "我的志愿时长" })).toBeVisible();
  await expectElderPage(page, "home with the menu open");

  const communityId = await openCommunityFromHome(page);
  await expectElderPage(page, "community");

  await page.goto(`/communities/${communityId}/matters?state=voting`);
  await page.getByRole("link", { name: VOTING_MATTER }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(VOTING_MATTER);
  // 朗读 is there where the browser can speak
  await expect(page.getByRole("button", { name: "朗读", exact: true })).toBeVisible();
  await expectElderPage(page, "matter");

  const voteLink = page.locator('main a[href^="/votes/"]').first();
  await voteLink.click();
  await expect(page).toHaveURL(/\/votes\/\d+/);
  await expectElderPage(page, "vote");

  // the account keeps the choice: a new sign-in elsewhere would find it; switching off is one post
  await page.getByRole("banner").getByRole("button", { name: "退出长辈模式" }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: "长辈模式", exact: true })).toBeVisible();
  expect(await page.locator("html").getAttribute("data-mode")).toBeNull();
});
