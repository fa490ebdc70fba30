import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { field, newResident } from "./support";

/**
 * The 429 with JavaScript on, in a browser. The shared e2e server runs with high limits for every
 * journey, so this spec starts its own copy of the built server with low ones (2 sign-ins and 2
 * sign-ups per address) on the same database (or its own embedded one).
 */
const port = Number(process.env.E2E_PORT ?? 3210) + 7;
const origin = `http://127.0.0.1:${port}`;
let server: ChildProcess | undefined;

async function healthy(deadline: number) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("the low-limit server did not start");
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    AUTH_RATE_LIMIT: "2",
    SIGNUP_RATE_LIMIT: "2",
    LOG_LEVEL: "error",
    SECURE_COOKIES: "false",
    NODE_ENV: "production",
    YISHI_MODE: "local",
  };
  let command = "exec node build/server/index.js";
  if (!process.env.DATABASE_URL) {
    // its own embedded database: two processes must never open one PGlite folder
    const dataDir = path.join(os.tmpdir(), `yishi-e2e-${port}`, "pglite");
    env.DATA_DIR = dataDir;
    command = `rm -rf "${path.dirname(dataDir)}" && node build/server/prepare.js && ${command}`;
  }
  server = spawn("sh", ["-c", command], { cwd: path.resolve(import.meta.dirname, "../.."), env, stdio: "ignore" });
  await healthy(Date.now() + 110_000);
});

test.afterAll(async () => {
  if (server?.pid) server.kill("SIGTERM");
});

test.use({ javaScriptEnabled: true, baseURL: origin });

test("with JavaScript, a sign-in and a sign-up over the limit say 操作太频繁 in the form, never 系统出错了", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  for (let i = 0; i < 3; i++) {
    await field(page, "手机号或用户名").fill("nobody_at_all");
    await field(page, "密码").fill(`wrong password ${i}`);
    await page.getByRole("main").getByRole("button", { name: "登录", exact: true }).click();
    await expect(page.locator(".error-summary")).toBeVisible();
  }
  await expect(page.locator(".error-summary")).toContainText("操作太频繁，请稍后再试。");
  await expect(page.getByText("系统出错了")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible(); // still the form, not a crash page

  for (let i = 0; i < 3; i++) {
    const me = newResident("limit");
    await page.goto("/signup");
    await field(page, "手机号或用户名").fill(me.username);
    await field(page, "称呼").fill(me.displayName);
    await field(page, "密码").fill(me.password);
    await field(page, "再次输入密码").fill(me.password);
    await page.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();
    if (i < 2) {
      await expect(page.getByRole("heading", { level: 1, name: `您好，${me.displayName}` })).toBeVisible();
      await page.getByRole("button", { name: "退出登录", includeHidden: true }).evaluate((b: HTMLButtonElement) => b.click());
      await expect(page).toHaveURL(/\/login/);
    }
  }
  await expect(page.locator(".error-summary")).toContainText("操作太频繁，请稍后再试。");
  await expect(page.getByText("系统出错了")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: "注册账户" })).toBeVisible();
});
