import { describe, expect, it } from "vitest";
import { en } from "./en";
import { formatTime, pickLocale, translate } from "./index";
import { zhCN } from "./zh-CN";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogues", () => {
  it("English has every Chinese key, with the same placeholders, and nothing left untranslated", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [key, zh] of Object.entries(zhCN)) {
      expect(placeholders(en[key as keyof typeof en]), key).toEqual(placeholders(zh));
      expect(en[key as keyof typeof en].replace("议事", "").replace("中文", ""), key).not.toMatch(/[\u4e00-\u9fff]{2,}/);
    }
  });

  it("fills parameters", () => {
    expect(translate("zh-CN", "home.welcome", { name: "王阿姨" })).toBe("您好，王阿姨");
    expect(translate("en", "errors.tooLong", { max: 40 })).toContain("40");
  });
});

describe("language choice", () => {
  it("takes the cookie first, then Accept-Language, else zh-CN", () => {
    expect(pickLocale("en", "zh-CN")).toBe("en");
    expect(pickLocale(undefined, "en-US,en;q=0.9")).toBe("en");
    expect(pickLocale(undefined, "fr-FR, en;q=0.5, zh-TW;q=0.8")).toBe("zh-CN");
    expect(pickLocale("klingon", "")).toBe("zh-CN");
    expect(pickLocale(undefined, undefined)).toBe("zh-CN");
  });

  it("shows times in Asia/Shanghai", () => {
    expect(formatTime("zh-CN", new Date("2026-11-26T16:30:00Z"))).toContain("00:30");
    expect(formatTime("en", "2026-11-26T16:30:00Z")).toContain("27 Nov 2026");
  });
});
