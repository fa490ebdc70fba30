import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, expect, test, type Page } from "@playwright/test";
import { beijingFromNow, DEMO_PASSWORD, expectAccessible, field, logInInPage, MINUTE, newContext } from "./support";

/** The camera picture Chromium's fake device shows: 640 × 480, the QR screenshot centred on white. */
const W = 640;
const H = 480;

async function checkedPage(page: Page, label: string) {
  await page.waitForLoadState("load");
  expect((await page.title()).trim(), `${label} has a title`).not.toBe("");
  await expectAccessible(page, label);
}

/**
 * The screenshot (PNG) as the luminance of a W × H frame, decoded and scaled by the browser's own
 * canvas (no image library needed), so it can be written as a grey YUV 4:2:0 video.
 */
async function lumaFrame(page: Page, png: Buffer) {
  const bytes: number[] = await page.evaluate(
    async ({ b64, w, h }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = w;
      canvas.height = h;
      const c = canvas.getContext("2d")!;
      c.fillStyle = "#fff";
      c.fillRect(0, 0, w, h);
      const side = Math.min(w, h) - 80;
      const scale = side / Math.max(img.width, img.height);
      const dw = Math.round(img.width * scale);
      const dh = Math.round(img.height * scale);
      c.imageSmoothingEnabled = false;
      c.drawImage(img, Math.round((w - dw) / 2), Math.round((h - dh) / 2), dw, dh);
      const d = c.getImageData(0, 0, w, h).data;
      const y: number[] = new Array(w * h);
      for (let i = 0; i < w * h; i++) y[i] = Math.round(0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2]);
      return y;
    },
    { b64: png.toString("base64"), w: W, h: H },
  );
  return Buffer.from(bytes);
}

/** A YUV4MPEG2 file (what --use-file-for-fake-video-capture reads): a few identical grey frames. */
function y4m(luma: Buffer, frames = 3) {
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]);
}

test("the organizer scans a volunteer's e-card with the phone camera (a fake camera showing a screenshot of the QR); typing the number stays the fallback", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const title = `扫码测试${Date.now().toString(36)}`;

  // the organizer publishes an activity starting in five minutes (check-in opens an hour before)
  const orgContext = await newContext(browser, { baseURL });
  const org = await orgContext.newPage();
  await logInInPage(org, "organizer_a", DEMO_PASSWORD);
  await org.goto("/teams");
  await org.getByRole("link", { name: "幸福里志愿队" }).first().click();
  await org.getByRole("link", { name: "发布活动" }).click();
  await field(org, "活动名称").fill(title);
  await field(org, "服务内容").fill("楼道清洁");
  await field(org, "地点").fill("3 号楼");
  await field(org, "开始时间").fill(beijingFromNow(5 * MINUTE));
  await field(org, "结束时间").fill(beijingFromNow(125 * MINUTE));
  await field(org, "名额").fill("5");
  await field(org, "负责人").fill("周队长");
  await org.getByRole("button", { name: "发布" }).click();
  await expect(org.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const scanUrl = `${new URL(org.url()).pathname}/scan`;
  await orgContext.close();

  // the volunteer (seeded 王阿姨) opens her e-card; the test takes a screenshot of its QR code
  const volContext = await newContext(browser, { baseURL });
  const vol = await volContext.newPage();
  await logInInPage(vol, "13800000001", DEMO_PASSWORD);
  await vol.goto("/volunteers/ecard");
  await checkedPage(vol, "e-card");
  const number = (await vol.getByTestId("volunteer-number").textContent())!.trim();
  const qr = vol.getByRole("img", { name: "电子志愿者证二维码" });
  const png = await qr.screenshot();
  const dir = path.join(os.tmpdir(), `yishi-e2e-camera-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const video = path.join(dir, "ecard.y4m");
  writeFileSync(video, y4m(await lumaFrame(vol, png)));
  await volContext.close();

  // a browser whose camera is that picture
  const camBrowser = await chromium.launch({
    ...(existsSync("/usr/bin/chromium") ? { executablePath: "/usr/bin/chromium" } : {}),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const camContext = await camBrowser.newContext({ baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai", permissions: ["camera"] });
    const scan = await camContext.newPage();
    await logInInPage(scan, "organizer_a", DEMO_PASSWORD);
    await scan.goto(scanUrl);
    await expect(scan.getByRole("heading", { level: 1, name: `扫码签到签退：${title}` })).toBeVisible();
    await checkedPage(scan, "scan page");
    await scan.getByRole("button", { name: "打开摄像头" }).click();
    // the camera reads the card and the page submits it: a walk-in checked in by e-card
    await expect(scan.getByText(`${number} 已签到。`)).toBeVisible({ timeout: 30_000 });
    await expect(scan.getByRole("button", { name: "关闭摄像头" })).toBeVisible();
    await checkedPage(scan, "scan page after a camera scan");
    // the same card in the same direction is not sent again while the camera stays on
    await scan.waitForTimeout(1500);
    await expect(scan.getByText(`${number} 已签到。`)).toBeVisible();
    await scan.getByRole("button", { name: "关闭摄像头" }).click();

    // typing the volunteer number is the fallback: check out
    await scan.getByLabel("签退").check();
    await field(scan, "志愿者证 / 编号 / 手机号").fill(number);
    await scan.getByRole("button", { name: "提交" }).click();
    await expect(scan.getByText(`${number} 已签退。`)).toBeVisible();
    await checkedPage(scan, "scan page after typed check-out");

    // the activity page names the way each was recorded
    await scan.goto(scanUrl.replace(/\/scan$/, ""));
    await expect(scan.getByText("(扫电子证)").first()).toBeVisible();
    await checkedPage(scan, "activity page after scanning");
  } finally {
    await camBrowser.close();
  }
});
