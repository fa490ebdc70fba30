import { describe, expect, it } from "vitest";
import { ScheduleSessionSchema } from "../matters/room/schemas";
import { IssueCertificateSchema } from "../volunteers/schemas";
import { beijingDateTime, isoDate, longText } from "./validation";

/** PostgreSQL refuses year 0 (and a Beijing 0001-01-01 00:00 is UTC year 0): such input must be a 400, never reach the database. */
describe("dates a client can send", () => {
  const date = isoDate("errors.invalid");
  it("takes real dates of this era and refuses year 0, far years and impossible days", () => {
    expect(date.safeParse("2026-11-27").success).toBe(true);
    for (const bad of ["0000-01-01", "0001-01-01", "1899-12-31", "9999-12-31", "2026-02-30", "2026-13-01", "26-11-27", ""]) expect(date.safeParse(bad).success, bad).toBe(false);
  });
  it("refuses the same in Beijing date-times, the room's schedule and a certificate's period", () => {
    expect(beijingDateTime.safeParse("2026-12-05 19:30").success).toBe(true);
    for (const bad of ["0000-01-01 00:00", "0001-01-01 00:00", "9999-01-01T00:00"]) expect(beijingDateTime.safeParse(bad).success, bad).toBe(false);
    expect(ScheduleSessionSchema.safeParse({ scheduledAt: "0000-01-01T00:00", items: [{ title: "议程", minutes: "10" }] }).success).toBe(false);
    expect(IssueCertificateSchema.safeParse({ scope: "period", from: "0000-01-01", to: "2026-01-01" }).success).toBe(false);
  });
});

describe("longText, the one rule for descriptions and bodies", () => {
  it("keeps line breaks, drops control characters, trims, and counts the limit after cleaning", () => {
    expect(longText(10).parse("  第一行\r\n第二行\u0007  ")).toBe("第一行\n第二行");
    expect(longText(3).safeParse("\u0000\u0000abc\u0000").success).toBe(true);
    expect(longText(3).safeParse("abcd").success).toBe(false);
    expect(longText(3).safeParse(" \u0007 ").success).toBe(false);
  });
});
