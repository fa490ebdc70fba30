import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatTime, LOCALES, translate } from "~/i18n";
import { zhCN } from "~/i18n/zh-CN";
import { parseMsg } from "~/modules/shared/validation";

/** What the notifications page and the live toast render: `t.msg("kind|params")`. */
const render = (locale: (typeof LOCALES)[number], kind: string, params: Record<string, string | number>) => {
  const { key, params: p } = parseMsg(`${kind}|${JSON.stringify(params)}`);
  return translate(locale, key, p);
};

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const kinds = Object.keys(zhCN).filter((k) => k.startsWith("notify."));
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) && !name.includes(".test.") ? [p] : [];
  });
}

describe("notification texts", () => {
  it("every kind a module sends is in the catalogue, so the list rendered below is complete", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const sent = new Set<string>();
    for (const file of sourceFiles(path.join(root, "modules"))) {
      for (const m of readFileSync(file, "utf8").matchAll(/"(notify\.[\w.]+)"/g)) sent.add(m[1]);
    }
    expect(sent.size).toBeGreaterThan(10);
    for (const k of sent) expect(kinds, k).toContain(k);
  });

  it("renders every kind, in both languages, with every instant in Beijing time and no ISO timestamp", () => {
    // 07:10 UTC is 15:10 in Beijing: the panel invitation once read "请在 2026-12-06T07:10:45.535Z 前答复"
    const instant = new Date(Date.UTC(2026, 11, 6, 7, 10, 45, 535)).toISOString();
    let withTime = 0;
    for (const kind of kinds) {
      const names = placeholders(zhCN[kind as keyof typeof zhCN]);
      const params = Object.fromEntries(names.map((n) => [n, instant]));
      for (const locale of LOCALES) {
        const text = render(locale, kind, params);
        expect(text, `${kind} (${locale})`).not.toMatch(ISO);
        if (names.length) {
          expect(text, `${kind} (${locale})`).toContain(formatTime(locale, instant));
          expect(formatTime(locale, instant), locale).toContain("15:10");
          withTime += 1;
        }
      }
    }
    expect(withTime).toBeGreaterThan(10);
  });

  it("shows the panel invitation's answer-by time as Beijing wall time", () => {
    const by = new Date(Date.UTC(2026, 11, 6, 7, 10, 45, 535)).toISOString();
    expect(render("zh-CN", "notify.selection.invited", { title: "电梯", by })).toBe(`您被选为议题“电梯”的议事代表，请在 ${formatTime("zh-CN", by)} 前答复是否参加。`);
    expect(formatTime("zh-CN", by)).toMatch(/2026.12.6.*15:10/);
  });
});
