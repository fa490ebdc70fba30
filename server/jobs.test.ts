import { describe, expect, it } from "vitest";
import type { Logger } from "pino";
import { testDatabase } from "../tests/support/db";
import { fixedClock } from "../app/modules/shared/clock";
import { EventBus } from "../app/modules/shared/events";
import { startJobs } from "./jobs";

/** A logger that keeps what it is told. */
function recordingLog() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, log: { info: at("info"), error: at("error"), warn: at("warn") } as unknown as Logger };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
};

describe("background jobs", () => {
  it("log a failing job and try again at the next tick, without an unhandled rejection", async () => {
    const database = await testDatabase();
    await database.close();
    const { lines, log } = recordingLog();
    const stop = startJobs({ db: database.db, events: new EventBus(), log, clock: fixedClock(new Date("2026-11-26T02:00:00Z")), voteSchedulerMs: 50 });
    await until(() => lines.filter((l) => l.message === "opening due votes failed").length >= 2);
    stop();
    const failed = new Set(lines.filter((l) => l.level === "error").map((l) => l.message));
    expect(failed).toEqual(new Set(["opening due votes failed", "closing due votes failed", "expiring invitations failed"]));
    expect(lines.filter((l) => l.message === "opening due votes failed").length).toBeGreaterThanOrEqual(2);
  });
});
