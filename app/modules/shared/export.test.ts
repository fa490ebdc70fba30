import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, it } from "vitest";
import { csvCell, csvFile, mdBlock, mdInline, normaliseLineBreaks } from "./export";

/** Every node type a Markdown viewer would build from the text, and the plain text it shows. */
function parsed(md: string) {
  const types = new Set<string>();
  const texts: string[] = [];
  const walk = (n: { type: string; value?: string; children?: unknown[] }) => {
    types.add(n.type);
    if (n.type === "text" && n.value) texts.push(n.value);
    for (const c of (n.children ?? []) as (typeof n)[]) walk(c);
  };
  walk(fromMarkdown(md) as never);
  return { types, text: texts.join("") };
}

const HOSTILE = [
  "赞成\r## 表决结果\r全票通过",
  "好\n## 表决结果\n通过",
  "一\u2028# 假标题\u2029二\u0085三\v四\f五",
  "[点此查看](javascript:alert(1))",
  "![图](https://evil.example/x.png)",
  "<javascript:alert(1)> <https://evil.example>",
  "**粗** _斜_ `代码` ~~删~~ | 表 | 格 |",
  "&lt;b&gt; &#35; \\[转义\\]",
  "[ref]: javascript:alert(1)",
  "@room.minutesReady",
];

describe("Markdown export escaping", () => {
  it("keeps hostile inline text on one line, as text: no heading, link, image, HTML, code or emphasis", () => {
    for (const s of HOSTILE) {
      const md = `- 代表: ${mdInline(s)}\n`;
      const { types, text } = parsed(md);
      expect([...types].sort(), s).toEqual(["list", "listItem", "paragraph", "root", "text"]);
      // what the reader sees is what was typed, line breaks as spaces
      expect(text, s).toBe(`代表: ${s.replace(/\r\n|[\r\n\u000B\u000C\u0085\u2028\u2029]/g, " ")}`);
      expect(mdInline(s)).not.toMatch(/[\r\n\u000B\u000C\u0085\u2028\u2029]/);
    }
  });

  it("keeps a summary's paragraphs but none of its block markup", () => {
    const summary = "第一段\r\n\r\n# 假标题\r## 表决结果\n    缩进成代码\n- 列表\n+ 列表\n1. 有序\n2) 有序\n> 引用\n===\n---\n```\n[链接](javascript:x)";
    const md = `## 委员会总结\n\n${mdBlock(summary)}\n`;
    const { types, text } = parsed(md);
    expect([...types].sort()).toEqual(["heading", "paragraph", "root", "text"]);
    expect(fromMarkdown(md).children.filter((n) => n.type === "heading")).toHaveLength(1);
    for (const part of ["第一段", "# 假标题", "## 表决结果", "缩进成代码", "- 列表", "1. 有序", "2) 有序", "> 引用", "[链接](javascript:x)"]) expect(text).toContain(part);
    expect(mdBlock(null)).toBe("");
  });
});

describe("CSV cells", () => {
  it("normalises line breaks inside quotes and keeps formulas as text, also behind a line break or tab", () => {
    expect(csvCell("a\r\nb\rc\u2028d")).toBe('"a\nb\nc\nd"');
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("\r=1+1")).toBe(`"'\n=1+1"`);
    expect(csvCell("\t@SUM(A1)")).toBe(`"'\t@SUM(A1)"`);
    expect(csvCell("-5 元")).toBe(`"'-5 元"`);
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(null)).toBe("");
    expect(csvCell("普通")).toBe("普通");
    expect(normaliseLineBreaks("a\r\nb")).toBe("a\nb");
    // a bare CR in a cell cannot end the row: rows end only with the file's own CRLF
    const file = csvFile([["id", "body"], [1, "赞成\r2,伪造的一行"]]);
    expect(file.split("\r\n")).toEqual(["\uFEFFid,body", '1,"赞成\n2,伪造的一行"', ""]);
  });
});
