import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

describe("loadConfig: configuration read once and passed in", () => {
  it("hands the modules their settings from the environment it is given", () => {
    const c = loadConfig({
      SESSION_IDLE_MINUTES: "30",
      SESSION_ABSOLUTE_DAYS: "2",
      LOGIN_FREE_FAILURES: "3",
      LOGIN_FREE_FAILURES_PER_IP: "9",
      LOGIN_DELAY_SECONDS: "10",
      LOGIN_DELAY_MAX_MINUTES: "5",
      RATING_DAYS: "7",
      REPORT_THRESHOLD: "5",
      PUBLIC_ORIGIN: "https://yishi.example",
      DB_POOL: "4",
      VOTE_SCHEDULER_MS: "500",
      SELECTION_TIME_LIMIT_MS: "9000",
      SELECTION_WORKER: "/opt/yishi/selection-worker.js",
      NODE_ENV: "development",
    });
    expect(c.settings).toEqual({
      sessions: { idleMs: 30 * 60_000, absoluteMs: 2 * 86_400_000 },
      throttle: { accountFree: 3, ipFree: 9, baseMs: 10_000, maxMs: 5 * 60_000 },
      ratingDays: 7,
      reportThreshold: 5,
      publicOrigin: "https://yishi.example",
      selection: { timeLimitMs: 9000, workerFile: "/opt/yishi/selection-worker.js" },
    });
    expect({ dbPool: c.dbPool, voteSchedulerMs: c.voteSchedulerMs, development: c.development }).toEqual({ dbPool: 4, voteSchedulerMs: 500, development: true });
  });

  it("falls back to the documented defaults, and only an explicit NODE_ENV=development is development", () => {
    const c = loadConfig({ NODE_ENV: "production" });
    expect(c.settings).toEqual({
      sessions: { idleMs: 7 * 86_400_000, absoluteMs: 30 * 86_400_000 },
      throttle: { accountFree: 5, ipFree: 20, baseMs: 30_000, maxMs: 15 * 60_000 },
      ratingDays: 14,
      reportThreshold: 3,
      publicOrigin: undefined,
      selection: { timeLimitMs: 45_000, workerFile: undefined },
    });
    expect({ dbPool: c.dbPool, voteSchedulerMs: c.voteSchedulerMs, development: c.development }).toEqual({ dbPool: 10, voteSchedulerMs: 15_000, development: false });
    expect(loadConfig({}).development).toBe(false);
  });
});
