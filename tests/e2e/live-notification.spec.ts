import { expect, test, type Page } from "@playwright/test";
import { askToJoin, DEMO_PASSWORD, expectAccessible, headerHeight, logInInPage, newContext, newResident, openCommunityFromHome, signUpInPage, verifyApplicant } from "./support";

test.use({ javaScriptEnabled: true, viewport: { width: 1280, height: 720 } });

/**
 * Resolves once the page's socket.io connection is established. The server joins the user's
 * room before it acknowledges the connect (the "40{sid}" frame), so after this a push cannot be missed.
 */
function socketConnected(page: Page, timeout = 15_000) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no socket.io connection from ${page.url()} within ${timeout} ms`)), timeout);
    page.on("websocket", (ws) => {
      if (!ws.url().includes("/socket.io/")) return;
      ws.on("framereceived", ({ payload }) => {
        if (typeof payload === "string" && payload.startsWith("40")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });
}

test("the header's unread count updates live when the committee verifies the resident", async ({ browser, baseURL }) => {
  const staff = await newContext(browser, { baseURL });
  const resident = await newContext(browser, { baseURL });
  try {
    const staffPage = await staff.newPage();
    await logInInPage(staffPage, "committee_a", DEMO_PASSWORD);

    const page = await resident.newPage();
    const me = newResident("live");
    await signUpInPage(page, me);
    const communityId = await openCommunityFromHome(page);
    await askToJoin(page, "2 号楼 1 单元");

    const connected = socketConnected(page);
    connected.catch(() => {}); // awaited below; this only keeps an early rejection from going unhandled
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: `您好，${me.displayName}` })).toBeVisible();
    const bell = page.locator("#nav-notifications");
    await expect(bell).toHaveText("通知");
    await expectAccessible(page, "home (pending resident)");
    await connected;
    const before = await headerHeight(page);
    expect(before, "header height at 1280 px").toBeLessThanOrEqual(72);
    const headingBox = await page.getByRole("heading", { level: 1 }).boundingBox();

    // Anything set on this document survives only if the page is not reloaded or navigated.
    await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = "still here"));
    let navigations = 0;
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) navigations += 1;
    });

    await verifyApplicant(staffPage, communityId, me.displayName);

    await expect(bell).toHaveText("通知（1 条未读）");
    await expect(bell).toHaveAttribute("data-unread", "1");
    await expect(page.getByRole("status").filter({ hasText: "新通知：" })).toContainText(`您加入幸福里社区的申请已通过。`);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe("still here");
    expect(navigations).toBe(0);
    // the toast floats over the page: the header keeps its height and nothing under it moves
    expect(await headerHeight(page), "header height with the live toast").toBe(before);
    expect((await page.getByRole("heading", { level: 1 }).boundingBox())?.y).toBe(headingBox?.y);
    await expectAccessible(page, "home after the live notification");
  } finally {
    await resident.close();
    await staff.close();
  }
});
