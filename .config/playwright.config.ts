import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";
import { SMS_SECRET, sinkPorts } from "../tests/e2e/sink-ports";

/**
 * End-to-end tests against the BUILT app (run `npm run build` first). The web server below starts
 * it on a fresh embedded database in the system temp folder, or on $DATABASE_URL when that is set
 * (prepare then seeds only an empty database; the tests create their own users, so either works).
 *
 * This file is evaluated by the runner and again by every worker: it must not touch the disk itself.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = path.join(os.tmpdir(), `yishi-e2e-${port}`);
const systemChromium = "/usr/bin/chromium";

const serverEnv: Record<string, string> = {
  DATA_DIR: path.join(dataDir, "pglite"),
  PORT: String(port),
  HOST: "127.0.0.1",
  AUTH_RATE_LIMIT: "1000",
  SIGNUP_RATE_LIMIT: "1000",
  // Only real faults reach the test output; the tests provoke plenty of expected 4xx warnings.
  LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  SECURE_COOKIES: "false",
  NODE_ENV: "production",
  // local mode: the demo seed and keys generated beside the throwaway database (production would refuse without them)
  YISHI_MODE: "local",
  // e-mail and SMS go to the sinks tests/e2e/sinks.ts starts (a real SMTP server, a signature-checking SMS endpoint)
  SMTP_URL: `smtp://127.0.0.1:${sinkPorts(port).smtp}`,
  MAIL_FROM: "议事 <noreply@yishi.test>",
  NOTIFY_KEY: "e2e-notify-key-that-signs-unsubscribe-links",
  SMS_PROVIDER: "aliyun",
  SMS_ACCESS_KEY_ID: "e2e-access-key-id",
  SMS_ACCESS_KEY_SECRET: SMS_SECRET,
  SMS_TEMPLATE_ID: "SMS_460000001",
  SMS_SIGNATURE: "议事",
  SMS_ENDPOINT: `http://127.0.0.1:${sinkPorts(port).sms}`,
};
if (process.env.DATABASE_URL) serverEnv.DATABASE_URL = process.env.DATABASE_URL;

export default defineConfig({
  testDir: path.join(root, "tests/e2e"),
  globalSetup: path.join(root, "tests/e2e/sinks.ts"),
  outputDir: path.join(root, "test-results"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: "list",
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        locale: "zh-CN",
        launchOptions: {
          ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    // `exec` hands the shell's process over to the server, so Playwright's SIGTERM reaches it.
    command: `rm -rf "${dataDir}" && node build/server/prepare.js && exec node build/server/index.js`,
    cwd: root,
    env: serverEnv,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
