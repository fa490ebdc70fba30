import { describe, expect, it } from "vitest";
import { beijingDay, beijingLocalInput, beijingMinute, fromBeijing } from "./beijing-time";

describe("Beijing time, the one module", () => {
  it("an instant after 16:00 UTC is already the next Beijing day", () => {
    expect(beijingDay(new Date("2026-12-31T15:59:00Z"))).toBe("2026-12-31");
    expect(beijingDay(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01-01");
    expect(beijingMinute(new Date("2026-12-31T16:05:00Z"))).toBe("2027-01-01 00:05");
    expect(beijingLocalInput(new Date("2026-12-31T16:05:00Z"))).toBe("2027-01-01T00:05");
  });
  it("reads a Beijing day and wall-clock time back as the same instant", () => {
    const at = fromBeijing("2027-01-01", "00:05");
    expect(at.toISOString()).toBe("2026-12-31T16:05:00.000Z");
    expect(beijingMinute(at)).toBe("2027-01-01 00:05");
    expect(Number.isNaN(fromBeijing("2026-02-30x", "25:00").getTime())).toBe(true);
  });
});
